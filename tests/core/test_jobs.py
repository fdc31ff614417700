"""The jobs facade (kycuong.core.jobs): configuration, immediate mode, real SQLite and Redis queues,
enqueue after commit, periodic schedules, and a real consumer (`manage.py run_huey`) on both storages."""
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import transaction
from huey.storage import RedisStorage, SqliteStorage

from kycuong.core import jobs

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("KYCUONG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _run_one(huey):
    """What the consumer does for one message: take it from storage, run it."""
    task = huey.dequeue()
    assert task is not None, "nothing was queued"
    return huey.execute(task)


@pytest.fixture
def sqlite_storage(tmp_path):
    return SqliteStorage(f"test-{uuid.uuid4().hex[:8]}", filename=str(tmp_path / "huey.sqlite3"))


@pytest.fixture
def redis_storage():
    storage = RedisStorage(f"kycuong-test-{uuid.uuid4().hex[:8]}", url=REDIS_URL)
    try:
        storage.conn.ping()
    except Exception as exc:  # a clear failure, not a skip: CI and `make test` start Redis
        pytest.fail(f"Redis is not answering at {REDIS_URL} ({exc}); run `make redis`")
    yield storage
    storage.flush_all()


@pytest.fixture(params=["sqlite", "redis"])
def real_queue(request, monkeypatch):
    """The facade's Huey instance with a real storage and immediate mode off, as in production."""
    storage = request.getfixturevalue(f"{request.param}_storage")
    monkeypatch.setattr(jobs.huey, "_immediate", False)
    monkeypatch.setattr(jobs.huey, "storage", storage)
    return jobs.huey


# --- configuration --------------------------------------------------------------------------------

def _configured(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "KYCUONG_JOBS_IMMEDIATE"}}
    env.update(env_extra, DJANGO_SETTINGS_MODULE="kycuong.settings")
    code = ("import django; django.setup(); from kycuong.core import jobs; h = jobs.huey; "
            "print(type(h).__name__, type(h.storage).__name__, h.immediate, h.utc, getattr(h.storage, 'filename', ''))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_sqlite_storage_under_var_by_default(tmp_path):
    name, storage, immediate, utc, *filename = _configured({"KYCUONG_VAR_DIR": str(tmp_path)})
    assert (name, storage, immediate, utc) == ("SqliteHuey", "SqliteStorage", "False", "True")
    assert filename == [str(tmp_path / "huey.sqlite3")]


def test_redis_when_redis_url_is_set(tmp_path):
    name, storage, immediate, _utc = _configured({"REDIS_URL": REDIS_URL, "KYCUONG_VAR_DIR": str(tmp_path)})[:4]
    assert (name, storage, immediate) == ("RedisHuey", "RedisStorage", "False")


def test_immediate_mode_under_pytest():
    assert jobs.huey.immediate is True


# --- immediate mode (every other test of the suite runs its jobs this way) ------------------------

def test_enqueue_runs_inline_in_tests():
    assert jobs.enqueue(jobs.ping, "inline").get() == "inline"


def test_enqueue_by_dotted_path_and_plain_function():
    assert jobs.enqueue("operator.add", 2, 3).get() == 5          # a plain function, by path
    assert jobs.enqueue("kycuong.core.jobs.ping", "p").get() == "p"  # a task, by path
    import operator

    assert jobs.enqueue(operator.mul, 6, 7).get() == 42            # a plain function object


def test_enqueue_refuses_what_cannot_be_found_by_path():
    with pytest.raises(ValueError):
        jobs.enqueue(lambda: 1)
    with pytest.raises(ValueError):
        jobs.enqueue("kycuong.core.jobs.no_such_function")
    with pytest.raises(ValueError):
        jobs.enqueue("nodots")
    with pytest.raises(TypeError):
        jobs.enqueue(42)


def test_on_commit_checks_the_target_at_once(db):
    with pytest.raises(ValueError):
        jobs.on_commit("kycuong.core.jobs.no_such_function")


# --- real storages: SQLite file and Redis server ---------------------------------------------------

def test_enqueue_stores_the_task_until_a_worker_runs_it(real_queue):
    result = jobs.enqueue(jobs.ping, "stored")
    assert real_queue.pending_count() == 1
    assert result.get() is None                      # not run yet
    assert _run_one(real_queue) == "stored"
    assert real_queue.pending_count() == 0
    assert result.get() == "stored"


def test_plain_function_travels_by_path(real_queue):
    result = jobs.enqueue("operator.add", 20, 22)
    [pending] = real_queue.pending()
    assert pending.name == "call" and pending.args == ("operator.add", (20, 22), {})
    _run_one(real_queue)
    assert result.get() == 42


@pytest.mark.django_db(transaction=True)
def test_on_commit_enqueues_after_commit_only(real_queue):
    with transaction.atomic():
        jobs.on_commit(jobs.ping, "committed")
        assert real_queue.pending_count() == 0       # still inside the transaction
    assert real_queue.pending_count() == 1
    assert _run_one(real_queue) == "committed"

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            jobs.on_commit(jobs.ping, "rolled back")
            raise RuntimeError("boom")
    assert real_queue.pending_count() == 0


@pytest.mark.django_db(transaction=True)
def test_on_commit_outside_a_transaction_enqueues_at_once(real_queue):
    jobs.on_commit(jobs.ping, "now")
    assert real_queue.pending_count() == 1


# --- the outbox (issue 18): on_commit survives a queue that is down -----------------------------------

def _outbox():
    from kycuong.core.models import OutboxJob

    return list(OutboxJob.objects.order_by("pk"))


class Outage:
    """The real queue; while ``down``, putting a message in fails as Redis does when it is down."""

    def __init__(self, queue, monkeypatch):
        self.queue, self.down = queue, True
        enqueue = queue.storage.enqueue

        def maybe(*args, **kwargs):
            if self.down:
                raise ConnectionError("queue down")
            return enqueue(*args, **kwargs)

        monkeypatch.setattr(queue.storage, "enqueue", maybe)


@pytest.fixture
def outage(real_queue, monkeypatch):
    return Outage(real_queue, monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_on_commit_writes_an_outbox_row_in_the_transaction_and_marks_it_sent(real_queue):
    with transaction.atomic():
        jobs.on_commit("operator.add", 1, 2)
        [row] = _outbox()
        assert (row.task, row.args, row.sent_at) == ("operator.add", {"args": [1, 2], "kwargs": {}}, None)
    [row] = _outbox()
    assert row.sent_at is not None and row.attempts == 1 and real_queue.pending_count() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.on_commit(jobs.ping, "rolled back")
        raise RuntimeError("boom")
    assert len(_outbox()) == 1                      # the rolled-back job left no row


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_is_down_never_fails_the_committed_caller(outage):
    with transaction.atomic():
        jobs.on_commit(jobs.ping, "owed")           # no exception escapes the commit
    [row] = _outbox()
    assert row.sent_at is None and row.attempts == 1 and "queue down" in row.last_error
    assert row.next_try_at > row.created_at
    assert jobs.sweep_outbox(now=row.next_try_at) == 0    # still down: counted, backed off
    [again] = _outbox()
    assert again.attempts == 2 and again.next_try_at - row.next_try_at > row.next_try_at - row.created_at

    outage.down = False                              # the queue is back
    assert jobs.sweep_outbox(now=again.next_try_at - timedelta(seconds=1)) == 0   # not due yet
    assert jobs.sweep_outbox(now=again.next_try_at) == 1
    assert jobs.sweep_outbox(now=again.next_try_at + timedelta(days=1)) == 0      # sent once
    assert _run_one(outage.queue) == "owed" and outage.queue.pending_count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_gives_up_after_the_cap(outage, settings):
    settings.KYCUONG_OUTBOX_MAX_ATTEMPTS = 2
    jobs.on_commit(jobs.ping, "never")
    [row] = _outbox()
    assert jobs.sweep_outbox(now=row.next_try_at) == 0
    far = row.next_try_at + timedelta(days=1)
    assert jobs.sweep_outbox(now=far) == 0
    [row] = _outbox()
    assert row.attempts == 2 and row.sent_at is None and row.last_error   # kept for the operator


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_send_a_row_once(outage):
    jobs.on_commit(jobs.ping, "once")
    [row] = _outbox()
    outage.down = False
    from kycuong.core.models import OutboxJob

    stale = OutboxJob.objects.get(pk=row.pk)        # what a second sweeper read before the first claimed it
    assert jobs.sweep_outbox(now=row.next_try_at) == 1
    claimed = OutboxJob.objects.filter(pk=stale.pk, sent_at__isnull=True, attempts=stale.attempts).update(attempts=9)
    assert claimed == 0 and outage.queue.pending_count() == 1


@pytest.mark.django_db(transaction=True)
def test_outbox_arguments_must_be_json(real_queue):
    with pytest.raises(ValueError):
        jobs.on_commit(jobs.ping, object())
    assert _outbox() == []


@pytest.mark.django_db(transaction=True)
def test_outbox_sweep_command(outage):
    from io import StringIO

    from django.core.management import call_command

    jobs.on_commit(jobs.ping, "cron")
    outage.down = False
    from kycuong.core.models import OutboxJob

    OutboxJob.objects.update(next_try_at=OutboxJob.objects.get().created_at)  # due now
    out = StringIO()
    call_command("outbox_sweep", stdout=out)
    assert "1" in out.getvalue() and outage.queue.pending_count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_consumer_sweeps_the_outbox_when_it_starts(outage):
    jobs.on_commit(jobs.ping, "at start")
    from kycuong.core.models import OutboxJob

    OutboxJob.objects.update(next_try_at=OutboxJob.objects.get().created_at)
    outage.down = False
    assert jobs._sweep_at_start in jobs.huey._startup.values()   # Huey runs these in each worker at start
    jobs._sweep_at_start()
    assert outage.queue.pending_count() == 1 and not OutboxJob.objects.filter(sent_at__isnull=True).exists()


def test_the_sweeper_runs_every_minute_in_the_consumer():
    names = {t.name for t in jobs.huey.read_periodic(utc(2026, 3, 7, 3, 7))}   # a Saturday, 10:07
    assert "kycuong.core.housekeeping" in names


# --- periodic ---------------------------------------------------------------------------------------

def utc(*args):
    return datetime(*args)  # naive UTC, as Huey's scheduler passes it (settings.HUEY["utc"])


@pytest.mark.parametrize("moment, expected", [
    (utc(2026, 3, 2, 1, 0), True),     # Monday 08:00 in Hà Nội
    (utc(2026, 3, 2, 1, 15), True),    # 08:15
    (utc(2026, 3, 2, 1, 5), False),    # not on a quarter hour
    (utc(2026, 3, 2, 0, 45), False),   # 07:45, before opening
    (utc(2026, 3, 2, 5, 0), True),     # 12:00, the morning window's end
    (utc(2026, 3, 2, 5, 30), False),   # 12:30, lunch
    (utc(2026, 3, 2, 10, 0), True),    # 17:00, closing
    (utc(2026, 3, 2, 10, 15), False),  # 17:15
    (utc(2026, 3, 7, 2, 0), False),    # Saturday
    (utc(2026, 1, 1, 2, 0), False),    # New Year's Day
    (utc(2026, 1, 2, 2, 0), False),    # swapped day off (override table)
    (utc(2026, 1, 10, 2, 0), True),    # make-up Saturday (override table)
])
def test_working_hours_schedule(db, moment, expected):
    assert jobs.working_hours(every_minutes=15)(moment) is expected


def test_working_hours_accepts_aware_datetimes(db):
    from zoneinfo import ZoneInfo

    hn = ZoneInfo("Asia/Ho_Chi_Minh")
    assert jobs.is_working_time(datetime(2026, 3, 2, 9, 30, tzinfo=hn))
    assert not jobs.is_working_time(datetime(2026, 3, 2, 12, 30, tzinfo=hn))


def test_working_hours_rejects_uneven_steps():
    with pytest.raises(ValueError):
        jobs.working_hours(every_minutes=7)


def test_the_due_warning_is_registered_as_periodic(db):
    import kycuong.onestop.tasks  # noqa: F401  (the consumer autodiscovers tasks modules)

    names = lambda ts: {t.name for t in jobs.huey.read_periodic(ts)}  # noqa: E731
    assert "warn_due_tomorrow" in names(utc(2026, 3, 2, 2, 15))       # Monday 09:15
    assert "warn_due_tomorrow" not in names(utc(2026, 3, 2, 5, 30))   # lunch
    assert "warn_due_tomorrow" not in names(utc(2026, 3, 8, 2, 15))   # Sunday


# --- a real consumer process (manage.py run_huey) on each storage --------------------------------

@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_run_huey_consumer_runs_queued_tasks(backend, tmp_path, monkeypatch):
    """Enqueue through the facade here; a separate `manage.py run_huey` process, configured from the
    environment as in production, takes the tasks from the same SQLite file / Redis queue."""
    queue = f"kycuong-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "KYCUONG_JOBS_IMMEDIATE"}}
    env.update(DJANGO_SETTINGS_MODULE="kycuong.settings", KYCUONG_JOBS_QUEUE=queue, KYCUONG_VAR_DIR=str(tmp_path))
    if backend == "redis":
        env["REDIS_URL"] = REDIS_URL
        storage = RedisStorage(queue, url=REDIS_URL)
    else:
        storage = SqliteStorage(queue, filename=str(tmp_path / "huey.sqlite3"))
    monkeypatch.setattr(jobs.huey, "_immediate", False)
    monkeypatch.setattr(jobs.huey, "storage", storage)
    results = [jobs.enqueue("operator.add", i, i) for i in range(5)] + [jobs.enqueue(jobs.ping, backend)]

    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread", "--no-periodic"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert [r.get(blocking=True, timeout=30) for r in results] == [0, 2, 4, 6, 8, backend]
        assert storage.queue_size() == 0
    finally:
        consumer.terminate()
        out, _ = consumer.communicate(timeout=30)
        if backend == "redis":
            storage.flush_all()
    assert consumer.returncode in (0, -15), out
