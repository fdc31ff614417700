"""Builds working-time calendars from the `holidays` package, the override table and unit windows.

A built calendar is kept per process, keyed by the windows and a fingerprint of the override table.
The fingerprint (one small aggregate query) is re-read at most once every FINGERPRINT_TTL_S per process,
so an admin's edit is seen by every other process within that second; the process that made the edit
drops its calendars at once (core/signals.py → clear_cache) and re-reads the fingerprint on every call
until the edit commits, so a rolled-back edit cannot leave a stale memo behind.
"""
from functools import lru_cache
import threading
import time

from django.db import transaction

from django.conf import settings
from django.db.models import Count, Max

from .models import CalendarOverride, Unit

_lock = threading.Lock()
_cache: dict = {}
FINGERPRINT_TTL_S = 1.0
_clock = time.monotonic  # tests move it
_memo: dict = {"at": None, "value": None, "dirty": 0}


def _years():
    first, _, last = settings.KYCUONG_CALENDAR_YEARS.partition("-")
    return int(first), int(last or first)


def _read_fingerprint():
    agg = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"].isoformat() if agg["last"] else "")


def _fingerprint():
    now = _clock()
    if _memo["dirty"] or _memo["at"] is None or now - _memo["at"] >= FINGERPRINT_TTL_S:
        _memo["value"] = _read_fingerprint()
        _memo["at"] = now
    return _memo["value"]


@lru_cache(maxsize=4)
def _base_holidays(first, last):
    from kycuong.worktime import vietnam_holidays

    return vietnam_holidays(first, last)


def _build(windows_text: str):
    from kycuong.worktime import Calendar, parse_windows

    first, last = _years()
    holidays = dict(_base_holidays(first, last))
    kinds = {d: "holiday" for d in holidays}
    makeup = {}
    for override in CalendarOverride.objects.all():
        if override.kind == CalendarOverride.Kind.DAY_OFF:
            holidays[override.date] = override.name
            kinds[override.date] = "day_off"
        else:
            makeup[override.date] = override.name
            holidays.pop(override.date, None)
    return Calendar(
        holidays=holidays, makeup_workdays=makeup, windows=parse_windows(windows_text),
        tz=settings.TIME_ZONE, first_year=first, last_year=last, holiday_kinds=kinds,
    )


def calendar_for(unit: Unit | None = None):
    """The calendar a unit works by (its own windows, else its ancestors', else the city default)."""
    return _calendar((unit.effective_windows() if unit else "") or settings.KYCUONG_WORK_WINDOWS)


def _calendar(windows_text: str):
    key = (windows_text, _fingerprint())
    cal = _cache.get(key)
    if cal is None:
        with _lock:
            cal = _cache.get(key)
            if cal is None:
                cal = _build(windows_text)
                # Old fingerprints are dead weight: keep only the current generation.
                for stale in [k for k in _cache if k[1] != key[1]]:
                    del _cache[stale]
                _cache[key] = cal
    return cal


def calendars_for_units(unit_ids) -> dict:
    """{unit id: its calendar} for many units at once (a page of dossiers): one query over the small
    unit table for everyone's windows, where `calendar_for` walks each unit's ancestors row by row."""
    rows = {pk: (parent, windows) for pk, parent, windows in Unit.objects.values_list("pk", "parent_id", "work_windows")}

    def windows_of(pk):
        while pk is not None and pk in rows:
            parent, windows = rows[pk]
            if windows:
                return windows
            pk = parent
        return ""

    out = {}
    for pk in set(unit_ids):
        windows_text = windows_of(pk) or settings.KYCUONG_WORK_WINDOWS
        out[pk] = _calendar(windows_text)
    return out


def clear_cache():
    """An override or unit was written in this process: forget every calendar now, and re-read the
    fingerprint on each call until that write commits."""
    with _lock:
        _cache.clear()
        _memo["at"] = None
        _memo["dirty"] += 1
    transaction.on_commit(_committed)


def _committed():
    with _lock:
        _memo["dirty"] = max(0, _memo["dirty"] - 1)
        _memo["at"] = None
