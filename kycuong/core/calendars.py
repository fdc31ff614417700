"""Builds working-time calendars from the `holidays` package, the override table and unit windows.

A built calendar is kept per process, keyed by the windows and a fingerprint of the override table,
so an admin's edit is seen by every process on its next request (one small aggregate query).
"""
from functools import lru_cache
import threading

from django.conf import settings
from django.db.models import Count, Max

from .models import CalendarOverride, Unit

_lock = threading.Lock()
_cache: dict = {}


def _years():
    first, _, last = settings.KYCUONG_CALENDAR_YEARS.partition("-")
    return int(first), int(last or first)


def _fingerprint():
    agg = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"].isoformat() if agg["last"] else "")


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
    windows_text = (unit.effective_windows() if unit else "") or settings.KYCUONG_WORK_WINDOWS
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


def clear_cache():
    _cache.clear()
