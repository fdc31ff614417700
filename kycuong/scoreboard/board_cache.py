"""The public ranking, rendered once and shared by every server process (issue 14: the page the press and
every department head open the day rankings are published).

Two clocks bound how old a served ranking may be:
- the counters: every change to them (a dossier's or report's fact, a rebuild, a value entered by hand)
  moves a version; a ranking rendered before the change is served at most FRESH seconds more, so a burst of
  intakes at peak time costs one render per FRESH seconds, not one per request;
- the wall clock: the live parts (open dossiers and reports turning late at their due instant) change with
  time alone, so no ranking is older than MAX_AGE seconds.
The page says when its numbers were computed. The cache is Django's (shared by every worker when
configured so; see settings CACHES); losing it costs renders, never correctness.
"""
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "scoreboard:version"


def _fresh() -> float:
    return float(getattr(settings, "KYCUONG_SCOREBOARD_FRESH_SECONDS", 15))


def _max_age() -> float:
    return float(getattr(settings, "KYCUONG_SCOREBOARD_MAX_AGE_SECONDS", 60))


def version() -> int:
    # A lost key restarts from the clock, never from a number an old entry may still carry.
    return cache.get_or_set(VERSION_KEY, lambda: time.time_ns(), None)


def changed() -> None:
    """The counters changed (called after commit): rankings rendered before now are stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)


def changed_on_commit() -> None:
    transaction.on_commit(changed)


def cached(name: str, period_key: str, profile: str, render):
    """`render()`'s result for this page, period, profile and language, or the stored one while it may serve.
    Returns (value, computed_at as a Unix time)."""
    if _max_age() <= 0:
        return render(), time.time()
    key = f"scoreboard:{name}:{period_key}:{profile}:{get_language()}"
    now, current = time.time(), version()
    entry = cache.get(key)
    if entry is not None:
        stored_version, computed_at, value = entry
        age = now - computed_at
        if age < _max_age() and (stored_version == current or age < _fresh()):
            return value, computed_at
    value = render()
    cache.set(key, (current, now, value), int(_max_age()) + 1)
    return value, now
