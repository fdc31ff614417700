"""Codes stay unique under parallel intake, and concurrent officers never lose an update — on both databases,
with real separate processes (each its own database connection), not threads."""
import multiprocessing as mp

import pytest
from django.db import connections

from .conftest import PROC, hn

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS, PER_WORKER = 4, 15


def _intake_worker(args):
    officer_pk, documents, worker = args
    from kycuong.core.models import User
    from kycuong.onestop.services import Applicant, receive_at_counter

    connections.close_all()
    officer = User.objects.select_related("unit").get(pk=officer_pk)
    codes = []
    for i in range(PER_WORKER):
        d = receive_at_counter(officer, procedure_code=PROC, documents=documents,
                               applicant=Applicant(name=f"Người nộp {worker}-{i}"), at=hn(2026, 3, 2, 9, worker, i))
        codes.append(d.code)
    connections.close_all()
    return codes


def _act_worker(args):
    code, officer_pk, version, action, params = args
    from kycuong.core.models import User
    from kycuong.onestop.errors import StaleVersion
    from kycuong.onestop.services import act

    connections.close_all()
    officer = User.objects.select_related("unit").get(pk=officer_pk)
    try:
        act(code, action, officer, expected_version=version, at=hn(2026, 3, 2, 10), **params)
        outcome = "ok"
    except StaleVersion:
        outcome = "stale"
    connections.close_all()
    return outcome


def _pool(n):
    connections.close_all()  # never fork with an open connection
    return mp.get_context("fork").Pool(n)


def test_parallel_intake_gives_unique_gap_free_codes(receive, people, all_documents):
    documents = all_documents()
    with _pool(WORKERS) as pool:
        batches = pool.map(_intake_worker, [(people["counter"].pk, documents, w) for w in range(WORKERS)])
    codes = [c for batch in batches for c in batch]
    assert len(codes) == len(set(codes)) == WORKERS * PER_WORKER
    sequences = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert sequences == list(range(1, WORKERS * PER_WORKER + 1))


def test_concurrent_actions_on_one_dossier_never_lose_an_update(receive, people):
    """Both officers read version N; exactly one write lands, the other gets 409 and changes nothing."""
    from kycuong.core import events
    from kycuong.onestop.models import Dossier

    d = receive()
    jobs = [
        (d.code, people["counter"].pk, d.version, "start_processing", {"assignee_id": people["specialist"].pk}),
        (d.code, people["counter"].pk, d.version, "withdraw", {"reason": "Công dân xin rút"}),
    ] * 3
    with _pool(len(jobs)) as pool:
        outcomes = pool.map(_act_worker, jobs)
    assert sorted(outcomes).count("ok") == 1, outcomes
    d = Dossier.objects.get(pk=d.pk)
    assert d.version == 2
    assert len(list(events.timeline("dossier", d.code))) == 2
    assert events.verify("dossier", d.code) == []
