"""Tamper evidence that survives deletion: each event chain has a head sealed with a key that is not in the
database, so `audit verify` finds an edit, a deleted middle, newest or only event, a reorder, a rewrite with
recomputed hashes, a forged head and a state changed behind the services' back. PostgreSQL also refuses
UPDATE and DELETE on the event table. Every test runs on SQLite and PostgreSQL."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from kycuong.core import events
from kycuong.core.events import Break, compute_hash
from kycuong.core.models import ChainHead, Event
from tests.tamper import as_table_owner

pytestmark = pytest.mark.django_db
CODE = "H26.104-260302-0001"
STATES: dict = {}


@pytest.fixture(autouse=True)
def _dossier_states():
    """A stand-in aggregate whose current state the test sets, registered like an app registers its own."""
    previous = events._STATE_READERS.get("case")
    events.register_state("case", lambda ids: {i: STATES[i] for i in ids if i in STATES})
    STATES.clear()
    yield
    if previous is None:
        events._STATE_READERS.pop("case", None)
    else:
        events._STATE_READERS["case"] = previous


def chain(n, subject_id=CODE, subject_type="dossier", states=None):
    with transaction.atomic():
        for i in range(1, n + 1):
            events.append(subject_type, subject_id, f"step{i}", data={"i": i},
                          state=(states[i - 1] if states else None))


def delete(where, params):
    with as_table_owner(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM core_event WHERE {where}", params)


def test_the_head_counts_the_chain_and_seals_its_last_hash_and_state():
    chain(3, "C1", "case", states=["open", "open", "decided"])
    head = ChainHead.objects.get(subject_type="case", subject_id="C1")
    last = Event.objects.get(subject_id="C1", seq=3)
    assert (head.count, head.last_hash, head.state) == (3, last.hash, "decided")
    assert head.mac == events.head_mac("case", "C1", 3, last.hash, "decided") and len(head.mac) == 64
    with transaction.atomic():
        events.append("case", "C1", "note")  # state=None: the head keeps the state it sealed
    assert ChainHead.objects.get(subject_id="C1").state == "decided"
    STATES["C1"] = "decided"
    assert events.verify() == []


def test_a_deleted_newest_event_is_found():
    chain(5)
    delete("subject_id = %s AND seq = 5", [CODE])
    assert events.verify() == [Break("dossier", CODE, 5, "events_missing")]


def test_a_deleted_only_event_and_a_deleted_whole_chain_are_found():
    chain(1, "ONLY")
    chain(4, "ALL")
    delete("subject_id IN (%s, %s)", ["ONLY", "ALL"])
    assert events.verify() == [Break("dossier", "ALL", 1, "events_missing"),
                               Break("dossier", "ONLY", 1, "events_missing")]


def test_a_deleted_middle_event_is_a_gap():
    chain(5)
    delete("subject_id = %s AND seq = 3", [CODE])
    assert events.verify() == [Break("dossier", CODE, 3, "seq_gap")]


def test_a_reorder_is_found():
    chain(4)
    with as_table_owner():
        Event.objects.filter(subject_id=CODE, seq=2).update(seq=99)
        Event.objects.filter(subject_id=CODE, seq=3).update(seq=2)
        Event.objects.filter(subject_id=CODE, seq=99).update(seq=3)
    assert events.verify() == [Break("dossier", CODE, 2, "prev_hash_mismatch")]


def _rewrite(subject_id, new_data):
    """Rewrite a chain's content and recompute every hash with the public formula (no key needed)."""
    prev = events.GENESIS_HASH
    with as_table_owner():
        for e in Event.objects.filter(subject_id=subject_id).order_by("seq"):
            data = new_data(e)
            new_hash = compute_hash(subject_type=e.subject_type, subject_id=e.subject_id, seq=e.seq, kind=e.kind,
                                    at=e.at, actor_id=e.actor_id, actor_label=e.actor_label, unit_id=e.unit_id,
                                    public=e.public, data=data, prev_hash=prev)
            Event.objects.filter(pk=e.pk).update(data=data, prev_hash=prev, hash=new_hash)
            prev = new_hash
    return prev


def test_a_rewrite_with_recomputed_hashes_is_found_at_the_head():
    chain(3)
    _rewrite(CODE, lambda e: {"i": e.seq * 10})
    assert events.verify() == [Break("dossier", CODE, 3, "head_mismatch")]


def test_a_rewrite_whose_head_is_also_rewritten_without_the_key_is_forged():
    chain(3)
    last = _rewrite(CODE, lambda e: {"i": e.seq * 10})
    ChainHead.objects.filter(subject_id=CODE).update(last_hash=last)
    assert events.verify() == [Break("dossier", CODE, 3, "head_forged")]


def test_a_rewrite_after_truncation_with_a_new_head_needs_the_key(settings):
    chain(3)
    delete("subject_id = %s AND seq = 3", [CODE])
    last = Event.objects.get(subject_id=CODE, seq=2).hash
    settings.KYCUONG_AUDIT_KEY = "a-key-the-insider-guessed"
    ChainHead.objects.filter(subject_id=CODE).update(
        count=2, last_hash=last, mac=events.head_mac("dossier", CODE, 2, last, ""))
    settings.KYCUONG_AUDIT_KEY = "insecure-demo-audit-key-change-me"
    assert events.verify() == [Break("dossier", CODE, 2, "head_forged")]


def test_an_edit_is_found_and_a_missing_head_too():
    chain(3)
    chain(2, "HEADLESS")
    with as_table_owner():
        Event.objects.filter(subject_id=CODE, seq=2).update(data={"i": "forged"})
    ChainHead.objects.filter(subject_id="HEADLESS").delete()
    assert events.verify() == [Break("dossier", CODE, 2, "hash_mismatch"),
                               Break("dossier", "HEADLESS", 2, "head_missing")]


def test_a_state_changed_without_an_event_is_found():
    chain(2, "C1", "case", states=["open", "decided"])
    chain(2, "C2", "case", states=["open", "decided"])
    STATES.update({"C1": "open", "C2": "decided"})  # C1 set back behind the services' back
    assert events.verify() == [Break("case", "C1", 2, "state_mismatch")]
    STATES.pop("C2")
    assert events.verify("case", "C2") == [Break("case", "C2", 2, "subject_missing")]


def test_the_last_event_deleted_and_the_state_set_back_is_found():
    chain(2, "C1", "case", states=["open", "decided"])
    delete("subject_id = %s AND seq = 2", ["C1"])
    STATES["C1"] = "open"
    assert events.verify() == [Break("case", "C1", 2, "events_missing")]


def test_audit_verify_names_the_subject_and_the_first_bad_link():
    chain(3)
    chain(2, "C1", "case", states=["open", "decided"])
    STATES["C1"] = "open"
    delete("subject_id = %s AND seq = 3", [CODE])
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", stdout=out)
    assert exc.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("BROKEN case C1 at event 2: state_mismatch — ")
    assert lines[1].startswith(f"BROKEN dossier {CODE} at event 3: events_missing — ")
    assert "đã bị xóa" in lines[1]  # the Vietnamese explanation follows the fixed English words


def test_event_rows_cannot_be_changed_or_deleted():
    """The ORM refuses on both databases; on PostgreSQL a trigger refuses raw SQL too (migration core 0007)."""
    chain(2)
    with pytest.raises(RuntimeError):
        Event.objects.filter(subject_id=CODE).delete()
    if connection.vendor == "postgresql":
        for statement in ("UPDATE core_event SET kind = 'forged'", "DELETE FROM core_event"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(statement)
    assert Event.objects.filter(subject_id=CODE).count() == 2 and events.verify() == []
