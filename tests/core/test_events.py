"""The event chain (docs/design.md rule 3): append-only, hash-chained per subject, and `audit verify` finds any edit.

Every test runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…).
"""
import datetime as dt
import os
import subprocess
import sys
import threading
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, OperationalError, connection, transaction

from kycuong.core import events
from kycuong.core.events import GENESIS_HASH, Break
from kycuong.core.models import Event, User
from kycuong.core.services import create_user
from tests.tamper import as_table_owner

ROOT = Path(__file__).resolve().parents[2]
CODE = "H26.104-260302-0001"
VN_TZ = dt.timezone(dt.timedelta(hours=7))


def chain(n, subject_id=CODE, subject_type="dossier", **kw):
    with transaction.atomic():
        return [events.append(subject_type, subject_id, f"step{i}", data={"i": i}, **kw) for i in range(1, n + 1)]


def reloaded(event):
    return Event.objects.get(pk=event.pk)


@pytest.fixture
def officer(db):
    from tests.factories import CommuneFactory, ReceivingOfficerFactory

    ward = CommuneFactory(name="Phường Hoàn Kiếm")
    return ReceivingOfficerFactory(username="tiepnhan", unit=ward, full_name="Nguyễn Thị Hằng")


# --- building the chain ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_chain_numbers_from_one_and_links_each_event_to_the_one_before():
    made = chain(5)
    stored = list(events.timeline("dossier", CODE))
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == GENESIS_HASH
    for before, after in zip(stored, stored[1:], strict=False):  # neighbours
        assert after.prev_hash == before.hash
    assert [e.hash for e in stored] == [e.hash for e in made]
    assert all(events.event_hash(e) == e.hash for e in stored)
    assert len({e.hash for e in stored}) == 5
    assert events.verify() == []


@pytest.mark.django_db
def test_first_event_of_a_new_subject_skips_the_read_but_can_never_fork_a_chain():
    with transaction.atomic():
        first = events.append("dossier", CODE, "received", first=True)
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    chain(1)  # the next one links to it as usual
    # Claiming "first" on a chain that already has events is refused by the (subject, seq) constraint,
    # and the caller's whole transaction rolls back.
    with pytest.raises(IntegrityError), transaction.atomic():
        events.append("dossier", CODE, "received", first=True)
    assert [e.seq for e in events.timeline("dossier", CODE)] == [1, 2]
    assert events.verify() == []


@pytest.mark.django_db
def test_subjects_have_separate_chains():
    chain(2, "A")
    chain(3, "B")
    chain(1, "A", subject_type="complaint")
    assert [e.seq for e in events.timeline("dossier", "A")] == [1, 2]
    assert [e.seq for e in events.timeline("dossier", "B")] == [1, 2, 3]
    assert events.timeline("complaint", "A").get().prev_hash == GENESIS_HASH
    stats = {}
    assert events.verify(stats=stats) == []
    assert stats == {"events": 6, "chains": 3}


@pytest.mark.django_db
def test_actor_name_and_unit_are_kept_as_they_were(officer):
    with transaction.atomic():
        first = events.append("dossier", CODE, "received", actor=officer, unit=officer.unit, public=True)
        system = events.append("dossier", CODE, "overdue", actor_label="Hệ thống")
    officer.full_name = "Nguyễn Thị Hằng (đã đổi tên)"
    officer.save()
    first = reloaded(first)
    assert (first.actor, first.unit, first.actor_label) == (officer, officer.unit, "Nguyễn Thị Hằng")
    assert (system.actor, system.actor_label) == (None, "Hệ thống")
    assert events.verify() == []


@pytest.mark.django_db
def test_public_timeline_hides_internal_events():
    with transaction.atomic():
        events.append("dossier", CODE, "received", public=True)
        events.append("dossier", CODE, "assigned", data={"to": "chuyên viên"})
        events.append("dossier", CODE, "supplement_requested", public=True)
    assert [e.kind for e in events.timeline("dossier", CODE)] == ["received", "assigned", "supplement_requested"]
    assert [e.kind for e in events.timeline("dossier", CODE, public_only=True)] == ["received", "supplement_requested"]


@pytest.mark.django_db
def test_time_is_stored_as_the_instant_in_utc():
    local = dt.datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=VN_TZ)
    with transaction.atomic():
        event = events.append("dossier", CODE, "received", at=local)
    stored = reloaded(event)
    assert stored.at == local and stored.at.microsecond == 123456
    assert events.event_hash(stored) == event.hash


# --- data that survives both databases ---------------------------------------------------------------

@pytest.mark.django_db
def test_vietnamese_nested_and_typed_data_rehash_identically_after_reload():
    data = {
        "zeta": 1, "alpha": "Đăng ký khai sinh — Phường Hoàn Kiếm", "lý_do": "Thiếu bản sao giấy chứng sinh",
        "nested": {"b": [1, "hai", {"ba": None, "bốn": True}], "a": {"deep": {"deeper": "ươ ữ ỹ 𝔘 😀"}}},
        "fee_vnd": 1_000_000_000_000, "ratio": Decimal("0.75"), "due": dt.datetime(2026, 3, 4, 17, 0, tzinfo=VN_TZ),
        "day": dt.date(2026, 3, 2), "pair": ("x", 2), "role": User.Role.SPECIALIST, "empty": {}, "none": [],
        "quote\"and\\slash": "tab\tnewline\n",
    }
    with transaction.atomic():
        event = events.append("dossier", CODE, "supplement_requested", data=data, public=True)
    stored = reloaded(event)
    assert stored.data == event.data  # what was hashed is exactly what came back
    assert stored.data["due"] == "2026-03-04T17:00:00+07:00"
    assert stored.data["ratio"] == "0.75" and stored.data["day"] == "2026-03-02" and stored.data["pair"] == ["x", 2]
    assert type(stored.data["role"]) is str and stored.data["role"] == "specialist"
    assert events.event_hash(stored) == stored.hash == event.hash
    assert events.verify() == []


@pytest.mark.django_db
@pytest.mark.parametrize("bad, error", [
    ({"amount": 1.5}, TypeError),
    ({"deep": {"list": [1, 2.0]}}, TypeError),
    ({1: "int key"}, TypeError),
    ({"value": {1, 2}}, TypeError),
    ({"value": object()}, TypeError),
    ({"when": dt.datetime(2026, 3, 2, 8, 0)}, ValueError),  # naive
    ({"text": "nul\x00byte"}, ValueError),
    (["not", "a", "dict"], TypeError),
])
def test_data_that_would_not_round_trip_is_refused(bad, error):
    with transaction.atomic():
        with pytest.raises(error):
            events.append("dossier", CODE, "received", data=bad)
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_bad_arguments_are_refused():
    with transaction.atomic():
        with pytest.raises(ValueError):
            events.append("dossier", "x" * 65, "received")
        with pytest.raises(ValueError):
            events.append("dossier", CODE, "")
        with pytest.raises(ValueError):
            events.append("dossier", CODE, "received", at=dt.datetime(2026, 3, 2, 8, 0))
    assert not Event.objects.exists()


# --- append-only -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_existing_events_cannot_be_saved_again_or_deleted():
    first = chain(2)[0]
    first.kind = "edited"
    with pytest.raises(RuntimeError):
        first.save()
    with pytest.raises(RuntimeError):
        reloaded(first).save()
    with pytest.raises(RuntimeError):
        first.delete()
    with pytest.raises(RuntimeError):
        Event.objects.filter(pk=first.pk).delete()
    # A copy carrying an existing pk must not become an UPDATE.
    copy = Event(pk=first.pk, subject_type="dossier", subject_id=CODE, seq=9, kind="forged",
                 prev_hash=GENESIS_HASH, hash=GENESIS_HASH)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert reloaded(first).kind == "step1"
    assert events.verify() == []


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="transaction"):
        events.append("dossier", CODE, "received")
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_an_event_rolls_back_with_the_callers_transaction():
    chain(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.append("dossier", CODE, "step2")
        raise RuntimeError("the caller fails after the append")
    assert [e.seq for e in events.timeline("dossier", CODE)] == [1]
    with transaction.atomic():
        assert events.append("dossier", CODE, "step2").seq == 2


# --- verification ------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("field, value, reason", [
    ("data", {"i": 99}, "hash_mismatch"),
    ("kind", "finished", "hash_mismatch"),
    ("at", dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc), "hash_mismatch"),
    ("actor", "officer", "hash_mismatch"),
    ("actor_label", "Người khác", "hash_mismatch"),
    ("public", True, "hash_mismatch"),
    ("subject_id", "H26.104-260302-0002", "seq_gap"),  # moved to a chain of its own: both chains break
    ("prev_hash", "f" * 64, "prev_hash_mismatch"),
    ("hash", "e" * 64, "hash_mismatch"),
])
def test_an_edit_is_found_at_its_event_and_reported_once(officer, field, value, reason):
    chain(5)
    chain(3, "OTHER")
    value = officer if value == "officer" else value
    with as_table_owner():
        Event.objects.filter(subject_id=CODE, seq=3).update(**{field: value})

    found = events.verify()
    if field == "subject_id":
        assert found == [Break("dossier", CODE, 3, "seq_gap"), Break("dossier", value, 1, "seq_gap")]
    else:
        assert found == [Break("dossier", CODE, 3, reason)]
    assert events.verify("dossier", "OTHER") == []


@pytest.mark.django_db
def test_a_deleted_middle_event_is_a_gap():
    chain(5)
    with as_table_owner(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE subject_id = %s AND seq = 3", [CODE])
    assert events.verify() == [Break("dossier", CODE, 3, "seq_gap")]


@pytest.mark.django_db
def test_a_deleted_and_renumbered_chain_breaks_the_prev_link():
    chain(5)
    with as_table_owner():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE subject_id = %s AND seq = 3", [CODE])
        for seq in (4, 5):
            Event.objects.filter(subject_id=CODE, seq=seq).update(seq=seq - 1)
    assert events.verify() == [Break("dossier", CODE, 3, "prev_hash_mismatch")]


@pytest.mark.django_db
def test_a_missing_first_event_is_a_gap_at_one():
    chain(3)
    with as_table_owner(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE seq = 1")
    assert events.verify() == [Break("dossier", CODE, 1, "seq_gap")]


@pytest.mark.django_db
def test_verify_filters_by_subject_and_walks_many_chains():
    with transaction.atomic():
        for n in range(300):
            for k in range(1 + n % 4):
                events.append("dossier" if n % 2 else "complaint", f"S{n:04d}", "step", data={"k": k})
    with as_table_owner():
        Event.objects.filter(subject_id="S0151", seq=2).update(data={"k": "forged"})
        Event.objects.filter(subject_id="S0200", seq=1).update(kind="forged")
    stats = {}
    assert events.verify(stats=stats) == [
        Break("complaint", "S0200", 1, "hash_mismatch"), Break("dossier", "S0151", 2, "hash_mismatch"),
    ]
    assert stats == {"events": sum(1 + n % 4 for n in range(300)), "chains": 300}
    assert events.verify("dossier") == [Break("dossier", "S0151", 2, "hash_mismatch")]
    assert events.verify("dossier", "S0153") == []
    assert events.verify(subject_id="S0200") == [Break("complaint", "S0200", 1, "hash_mismatch")]


# --- the back office -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_admin_shows_events_but_cannot_add_change_or_delete_them(client, officer):
    from django.urls import reverse

    event = chain(2)[0]
    root = create_user("root", "pw-Abc12345!", role=User.Role.ADMINISTRATOR, is_superuser=True)
    client.force_login(root)
    listing = client.get(reverse("admin:core_event_changelist"))
    assert listing.status_code == 200 and CODE in listing.content.decode()
    change_url = reverse("admin:core_event_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # view-only page
    assert client.post(change_url, {"kind": "forged"}).status_code == 403
    assert client.get(reverse("admin:core_event_add")).status_code == 403
    assert client.get(reverse("admin:core_event_delete", args=[event.pk])).status_code == 403
    assert reloaded(event).kind == "step1" and events.verify() == []


# --- the command -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_audit_verify_says_ok_and_exits_zero():
    chain(4)
    chain(2, "OTHER")
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("OK: 6 events in 2 chains verified")
    assert "đã kiểm tra 6 sự kiện trong 2 chuỗi" in out.getvalue()
    out = StringIO()
    call_command("audit", "verify", "--subject-type", "dossier", "--subject-id", "OTHER", stdout=out)
    assert out.getvalue().startswith("OK: 2 events in 1 chains verified")


@pytest.mark.django_db
def test_audit_verify_names_each_broken_chain_and_exits_one():
    chain(4)
    chain(2, "OTHER")
    chain(2, "FINE")
    with as_table_owner():
        Event.objects.filter(subject_id=CODE, seq=3).update(data={"i": "forged"})
        Event.objects.filter(subject_id="OTHER", seq=2).update(seq=7)
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", stdout=out)
    assert exc.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert [line.split(" — ")[0] for line in lines] == [
        f"BROKEN dossier {CODE} at event 3: hash_mismatch",
        "BROKEN dossier OTHER at event 2: seq_gap",
    ]
    out = StringIO()
    call_command("audit", "verify", "--subject-id", "FINE", stdout=out)
    assert out.getvalue().startswith("OK: 2 events in 1 chains verified")


@pytest.mark.django_db
def test_audit_without_a_subcommand_is_a_usage_error():
    with pytest.raises(CommandError):
        call_command("audit")


# --- concurrency ---------------------------------------------------------------------------------------

def _writers_queue():
    """PostgreSQL (advisory lock) and SQLite on a file (IMMEDIATE + busy timeout) make a second writer wait.

    A shared-cache in-memory SQLite database refuses it at once instead ("table is locked").
    """
    return connection.vendor == "postgresql" or not connection.is_in_memory_db()


def _in_thread(target):
    """Run `target` in a thread with its own database connection; return (thread, result dict)."""
    result = {}

    def run():
        try:
            result["value"] = target()
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_or_fails_but_never_takes_the_same_seq():
    chain(1)
    a_appended, a_may_commit = threading.Event(), threading.Event()

    def writer_a():
        with transaction.atomic():
            event = events.append("dossier", CODE, "from_a")
            a_appended.set()
            assert a_may_commit.wait(10)
        return event.seq

    def writer_b():
        with transaction.atomic():
            return events.append("dossier", CODE, "from_b").seq

    thread_a, result_a = _in_thread(writer_a)
    assert a_appended.wait(10)
    thread_b, result_b = _in_thread(writer_b)
    time.sleep(0.5)
    b_finished_early = not thread_b.is_alive()
    a_may_commit.set()
    thread_a.join(10)
    thread_b.join(30)

    assert result_a == {"value": 2}
    if _writers_queue():
        # B waits for A's commit, then reads A's event: no error, no retry.
        assert not b_finished_early and result_b == {"value": 3}
    else:
        assert isinstance(result_b.get("error"), OperationalError), result_b  # refused, not a second seq 2
    seqs = list(Event.objects.filter(subject_id=CODE).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert events.verify() == []


@pytest.mark.django_db(transaction=True)
def test_threads_appending_to_one_subject_leave_a_gap_free_chain():
    threads, per_thread = 4, 10
    start = threading.Barrier(threads)
    retries = []

    def worker(tag):
        def run():
            start.wait(10)
            for i in range(per_thread):
                for _attempt in range(200):  # the caller's service retries the whole transaction
                    try:
                        with transaction.atomic():
                            events.append("dossier", CODE, "step", data={"worker": tag, "i": i})
                        break
                    except (IntegrityError, OperationalError):
                        retries.append(tag)
                        time.sleep(0.005)
                else:
                    raise AssertionError("gave up")
        return run

    started = [_in_thread(worker(t)) for t in range(threads)]
    for thread, _result in started:
        thread.join(60)
    assert all("error" not in result for _thread, result in started), started
    seqs = list(events.timeline("dossier", CODE).values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    assert events.verify() == []
    if _writers_queue():
        assert retries == []  # appends queue instead of failing


WORKER = """
import os, sys, time
import django
django.setup()
from django.db import transaction
from kycuong.core import events
tag, count, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
open(go + "." + tag + ".ready", "w").close()
while not os.path.exists(go):
    time.sleep(0.01)
for i in range(count):
    with transaction.atomic():  # no retry: on the production settings appends must queue, not fail
        events.append("dossier", "RACE", "step", data={"worker": tag, "i": i})
"""


@pytest.mark.django_db(transaction=True)
def test_processes_appending_to_one_subject_queue_and_leave_a_gap_free_chain(tmp_path):
    """Separate processes on the production database settings: PostgreSQL, or SQLite WAL + IMMEDIATE on a file."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kycuong.settings", "PYTHONPATH": str(ROOT)}
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    elif not connection.is_in_memory_db():
        env["DATABASE_URL"] = f"sqlite:///{s['NAME']}"
    else:  # an in-memory test database cannot be shared between processes: a file copy of its migrated
        # schema (SQLite's backup API: instant, where `manage.py migrate` in a subprocess took ~4 s); the
        # workers open it with the production settings (WAL, IMMEDIATE) as they would have the migrated file.
        import sqlite3

        copy = sqlite3.connect(tmp_path / "race.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"

    processes, per_process = 4, 15
    go = tmp_path / "go"
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(t), str(per_process), str(go)], cwd=ROOT, env=env,
                         stderr=subprocess.PIPE, text=True)
        for t in range(processes)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.*.ready"))) < processes and time.monotonic() < deadline:
        time.sleep(0.02)
    go.touch()
    failures = [(w.wait(120), w.stderr.read()) for w in workers]
    assert all(code == 0 for code, _err in failures), failures

    verify = subprocess.run([sys.executable, "manage.py", "audit", "verify"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith(f"OK: {processes * per_process} events in 1 chains verified")
