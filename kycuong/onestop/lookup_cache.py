"""The public lookup's answer (GET /api/v1/lookup/{code}), cached per dossier code and language.

Only the PUBLIC body is ever stored — never the applicant's name or phone: a visitor who sends
`phone_last4` is answered from the database and the personal part is added to that answer only.

Invalidation, race-free: each code has a generation token in the cache. The services replace it after
every write commits (`forget`, called from services._event: every change of a dossier appends an
event). A reader takes the token BEFORE reading the database and stores its body under that token, so
a body read before a write commits carries the old token and is never served after the write.

What the lookup shows also changes with time alone — "early" becomes "on time" at the start of the
appointment's day and "late" after it — so each entry also says until when it holds (`valid_until`).
Catalog names (procedure, unit) are reference data: bounded by CACHE_SECONDS.

The cache must be shared by every process that writes dossiers and every process that answers
lookups (Redis): with Django's per-process LocMem cache a write in one process could not reach the
others' entries. So it is on only with a shared cache backend, or when KYCUONG_LOOKUP_CACHE says so.
"""
from __future__ import annotations

from datetime import datetime, time as dtime, timedelta
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .workflow import State

CACHE_SECONDS = 300           # upper bound for anything not invalidated by a dossier write (catalog names)
UNTIMED_SECONDS = 60          # open dossier without appointment: its verdict moves with working time
TOKEN_SECONDS = 24 * 3600     # longer than any entry; a lost token only makes every entry a miss
_PER_PROCESS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


def enabled() -> bool:
    explicit = getattr(settings, "KYCUONG_LOOKUP_CACHE", None)
    if explicit is not None:
        return bool(explicit)
    return settings.CACHES.get("default", {}).get("BACKEND") not in _PER_PROCESS


def _token_key(code: str) -> str:
    return f"kc:lookup:gen:{code}"


def _body_key(code: str, language: str) -> str:
    return f"kc:lookup:body:{code}:{language}"


def read(code: str, language: str) -> tuple[bytes | None, str]:
    """(cached public body or None, the code's current token) in one cache round trip."""
    token_key, body_key = _token_key(code), _body_key(code, language)
    got = cache.get_many([token_key, body_key])
    token = got.get(token_key)
    if token is None:
        token = secrets.token_hex(8)
        if not cache.add(token_key, token, TOKEN_SECONDS):
            token = cache.get(token_key) or token
        return None, token
    entry = got.get(body_key)
    if entry is not None and entry[0] == token and time.time() < entry[1]:
        return entry[2], token
    return None, token


def store(code: str, language: str, token: str, body: bytes, valid_until: float) -> None:
    timeout = int(min(CACHE_SECONDS, valid_until - time.time()))
    if timeout > 0:
        cache.set(_body_key(code, language), (token, valid_until, body), timeout)


def forget(code: str) -> None:
    """Make every cached answer for `code` stale (a new generation token)."""
    cache.set(_token_key(code), secrets.token_hex(8), TOKEN_SECONDS)


def forget_on_commit(code: str) -> None:
    if enabled():
        transaction.on_commit(lambda: forget(code))


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
