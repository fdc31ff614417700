"""Issue 18, through real HTTP: a write that committed answers success even with the job queue down (the
outbox keeps its jobs, the sweeper sends them once the queue is back, they run once), and a POST retried
with the same Idempotency-Key writes once and answers the same."""
import shutil
import subprocess
import time
import uuid

import pytest
from huey.storage import RedisStorage

from kycuong.core import idempotency, jobs
from kycuong.core.models import Event, IdempotentResponse, OutboxJob
from kycuong.onestop.models import Dossier
from kycuong.scoreboard.models import DossierFact

from .test_api import Api, act, intake_body  # noqa: F401  (intake_body is a fixture)

PORT = 6391  # our own redis-server, never the machine's


def _redis(*args):
    return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True, timeout=10)


def _start_redis():
    subprocess.run(["redis-server", "--port", str(PORT), "--save", "", "--appendonly", "no", "--daemonize", "yes"],
                   check=True, capture_output=True, timeout=10)
    for _ in range(50):
        if _redis("ping").stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    pytest.fail(f"redis-server on port {PORT} did not start")


def _stop_redis():
    _redis("shutdown", "nosave")
    for _ in range(50):
        if _redis("ping").stdout.strip() != "PONG":
            return
        time.sleep(0.1)
    pytest.fail(f"redis-server on port {PORT} did not stop")


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def own_redis(monkeypatch):
    """The facade's Huey, not immediate, on a Redis server of our own (started and stopped by the test)."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed")
    _start_redis()
    storage = RedisStorage(f"kycuong-outbox-{uuid.uuid4().hex[:8]}", url=f"redis://127.0.0.1:{PORT}/0")
    monkeypatch.setattr(jobs.huey, "_immediate", False)
    monkeypatch.setattr(jobs.huey, "storage", storage)
    yield storage
    _stop_redis()


def test_queue_down_the_write_answers_success_and_the_sweeper_sends_its_jobs_once(
        api, people, intake_body, own_redis, django_capture_on_commit_callbacks, monkeypatch):  # noqa: F811
    _stop_redis()
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/dossiers", intake_body(), user=people["counter"])
    assert r.status_code == 201, r.content           # committed, and said so: no 500
    code = r.json()["code"]
    with django_capture_on_commit_callbacks(execute=True):
        r = act(api, code, "start_processing", people["counter"], {"assignee_id": people["specialist"].pk})
    assert r.status_code == 200, r.content

    rows = list(OutboxJob.objects.order_by("pk"))
    assert rows and all(row.sent_at is None and row.attempts == 1 and row.last_error for row in rows)
    assert {row.task for row in rows} == {"kycuong.scoreboard.services.refresh_dossier"}
    assert all(row.args == {"args": [code], "kwargs": {}} for row in rows)
    dossier = Dossier.objects.get(code=code)
    assert not DossierFact.objects.filter(pk=dossier.pk).exists()  # the counters are owed, not lost

    # Queue still down: the sweeper tries, fails quietly, backs off.
    later = rows[-1].next_try_at
    assert jobs.sweep_outbox(now=later) == 0
    assert OutboxJob.objects.filter(sent_at__isnull=True).count() == len(rows)

    _start_redis()
    much_later = max(r.next_try_at for r in OutboxJob.objects.all())
    assert jobs.sweep_outbox(now=much_later) == len(rows)
    assert not OutboxJob.objects.filter(sent_at__isnull=True).exists()
    assert jobs.sweep_outbox(now=much_later) == 0      # sent once
    assert jobs.huey.pending_count() == len(rows)
    tasks = []
    while (task := jobs.huey.dequeue()) is not None:   # what the consumer does: take …
        tasks.append(task)
    assert jobs.huey.pending_count() == 0 and len(tasks) == len(rows)
    monkeypatch.setattr(jobs.huey, "_immediate", True)  # … and run (keeping the test's database connection)
    for task in tasks:
        jobs.huey.execute(task)
    assert DossierFact.objects.filter(pk=dossier.pk).exists()


# --- Idempotency-Key ------------------------------------------------------------------------------------

def _intake(api, body, user, key):
    return api.post("/dossiers", body, user=user, headers={"Idempotency-Key": key})


def test_intake_retried_with_the_same_key_creates_one_dossier(api, people, intake_body):  # noqa: F811
    body = intake_body()
    first = _intake(api, body, people["counter"], "k-1")
    assert first.status_code == 201, first.content
    before = (Dossier.objects.count(), Event.objects.count())
    again = _intake(api, body, people["counter"], "k-1")
    assert (again.status_code, again.content) == (201, first.content)
    assert again["Location"] == first["Location"] and again["Idempotent-Replayed"] == "true"
    assert (Dossier.objects.count(), Event.objects.count()) == before


def test_same_key_other_body_is_refused(api, people, intake_body):  # noqa: F811
    assert _intake(api, intake_body(), people["counter"], "k-2").status_code == 201
    count = Dossier.objects.count()
    r = _intake(api, intake_body(name="Người khác"), people["counter"], "k-2")
    assert r.status_code == 422 and r.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert Dossier.objects.count() == count


def test_keys_belong_to_their_user(api, people, intake_body, make_officer):  # noqa: F811
    second = make_officer(make_officer.Role.RECEIVING_OFFICER, "H26.200.01", full_name="Đỗ Văn Hùng")
    a = _intake(api, intake_body(), people["counter"], "same")
    b = _intake(api, intake_body(), second, "same")
    assert a.status_code == b.status_code == 201
    assert a.json()["code"] != b.json()["code"]


def test_a_twin_still_running_gets_409_and_writes_nothing(api, people, intake_body):  # noqa: F811
    body = intake_body()
    import hashlib
    import json

    IdempotentResponse.objects.create(user=people["counter"], key="busy", request="POST /api/v1/dossiers",
                                      body_hash=hashlib.sha256(json.dumps(body).encode()).hexdigest())
    count = Dossier.objects.count()
    r = _intake(api, body, people["counter"], "busy")
    assert r.status_code == 409 and r.json()["code"] == "IDEMPOTENCY_IN_PROGRESS"
    assert Dossier.objects.count() == count


def test_an_action_retried_with_its_key_acts_once(api, people, intake_body):  # noqa: F811
    code = _intake(api, intake_body(), people["counter"], "i").json()["code"]
    body, key = {"assignee_id": people["specialist"].pk}, {"Idempotency-Key": "act-1"}
    first = act(api, code, "start_processing", people["counter"], body, **key)
    assert first.status_code == 200, first.content
    events = Event.objects.count()
    again = act(api, code, "start_processing", people["counter"], body, **key)
    assert (again.status_code, again.content) == (200, first.content)   # not 409: the state already moved
    assert Event.objects.count() == events
    fresh = act(api, code, "start_processing", people["counter"], body, **{"Idempotency-Key": "act-2"})
    assert fresh.status_code == 409                                       # a new key is a new request


def test_a_refused_request_does_not_keep_its_key(api, people, intake_body):  # noqa: F811
    body = intake_body(documents=[])  # Mẫu 01 needs the documents: refused, nothing written
    r = _intake(api, body, people["counter"], "k-3")
    assert r.status_code in (409, 422), r.content
    assert not IdempotentResponse.objects.filter(key="k-3").exists()


def test_keys_are_forgotten_after_24_hours(people):
    from datetime import timedelta

    from django.utils import timezone

    old = IdempotentResponse.objects.create(user=people["counter"], key="old", request="POST /x", body_hash="0",
                                            status=201, created_at=timezone.now() - timedelta(hours=25))
    kept = IdempotentResponse.objects.create(user=people["counter"], key="new", request="POST /x", body_hash="0",
                                             status=201)
    assert idempotency.purge() == 1
    assert not IdempotentResponse.objects.filter(pk=old.pk).exists()
    assert IdempotentResponse.objects.filter(pk=kept.pk).exists()


def test_openapi_documents_the_header_on_the_writing_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/dossiers", "/api/v1/dossiers/{code}/actions/{action}",
                 "/api/v1/feedback/reports/{code}/actions"):
        names = [p["name"] for p in paths[path]["post"].get("parameters", [])]
        assert names.count("Idempotency-Key") == 1, path
