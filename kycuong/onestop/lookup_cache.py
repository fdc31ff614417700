"""The public lookup's answer (GET /api/v1/lookup/{code}), cached per dossier code and language.

Only the PUBLIC body is ever stored — never the applicant's name or phone: a visitor who sends
`phone_last4` is answered from the database and the personal part is added to that answer only.

Invalidation: every write of the services bumps `Dossier.version` and `updated_at` in the write's own
transaction (services._save; intake creates the row). An entry remembers the stamp (version,
updated_at) read before its answer was built, and is served only while the database still holds that
stamp — one indexed read per request, so a write is seen from the instant it commits, by every
process, whatever the cache backend. (The answer is built after the stamp is read, so it is never
older than its stamp.) Entries live in each process: no network round trip, no shared cache needed.

What the lookup shows also changes with time alone — "early" becomes "on time" at the start of the
appointment's day and "late" after it — so an entry also says until when it holds (`valid_until`).
Catalog names (procedure, unit) are reference data: bounded by CACHE_SECONDS.
"""
from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, time as dtime, timedelta
import threading
import time

from django.db import connection
from django.utils import timezone

from .models import Dossier
from .workflow import State

CACHE_SECONDS = 300           # upper bound for anything a dossier write does not change (catalog names)
UNTIMED_SECONDS = 60          # open dossier without appointment: its verdict moves with working time
MAX_ENTRIES = 5000            # per process; least recently used go first (~1-2 KB each)

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def stamp(code: str):
    """The dossier's (version, updated_at) now, or None if no dossier has this code (raw SQL: the ORM
    would cost more than the whole cached answer)."""
    table = connection.ops.quote_name(Dossier._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "version", "updated_at" FROM {table} WHERE "code" = %s', [code])
        row = cursor.fetchone()
    return tuple(row) if row else None


def get(code: str, language: str, version) -> bytes | None:
    key = (code, language)
    entry = _entries.get(key)
    if entry is None:
        return None
    if entry[0] != version or time.time() >= entry[1]:
        with _lock:
            _entries.pop(key, None)
        return None
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
    return entry[2]


def put(code: str, language: str, version, valid_until: float, body: bytes) -> None:
    if valid_until <= time.time():
        return
    with _lock:
        _entries[(code, language)] = (version, min(valid_until, time.time() + CACHE_SECONDS), body)
        _entries.move_to_end((code, language))
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()


def valid_until(dossier, now: datetime) -> float:
    """Epoch seconds until which services.timeliness(dossier, …) keeps the answer it gives at `now`
    (mirrors its rules: only a dossier whose end is "now" can change verdict without a write)."""
    limit = now.timestamp() + CACHE_SECONDS
    running = (dossier.received_at is not None and dossier.processing_end_at is None
               and dossier.state != State.SUPPLEMENT_REQUESTED and dossier.supplement_count <= 1)
    if not running:
        return limit
    due = dossier.original_due_at
    if due is None:
        return now.timestamp() + UNTIMED_SECONDS
    if now > due:
        return limit  # late, and stays late until a write
    day_start = timezone.make_aware(datetime.combine(timezone.localtime(due).date(), dtime.min))
    edges = [t for t in (day_start, due + timedelta(microseconds=1)) if t > now]
    return min([limit] + [t.timestamp() for t in edges])
