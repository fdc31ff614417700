"""Fixtures for the working-time engine tests. No Django: the engine is pure Python + numpy.

The calendar is built exactly as the Django side builds it: the `holidays` package's Vietnamese
public holidays, with the official swap file (kycuong/core/data/vn-calendar-overrides.json) merged on
top - day_off entries into ``holidays`` (kind "day_off"), makeup_workday entries into
``makeup_workdays``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kycuong.worktime import Calendar, vietnam_holidays

OVERRIDES = Path(__file__).resolve().parents[2] / "kycuong" / "core" / "data" / "vn-calendar-overrides.json"


def load_overrides() -> tuple[dict[date, str], dict[date, str]]:
    """(day_offs, makeup_workdays) from the override file."""
    data = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    day_offs, makeups = {}, {}
    for row in data["days"]:
        d = date.fromisoformat(row["date"])
        if row["kind"] == "day_off":
            day_offs[d] = row["name"]
        elif row["kind"] == "makeup_workday":
            makeups[d] = row["name"]
        else:  # pragma: no cover - the file format is fixed
            raise AssertionError(f"unknown kind {row['kind']!r}")
    return day_offs, makeups


def build_vn_calendar(first_year: int = 2020, last_year: int = 2035, **kwargs) -> Calendar:
    day_offs, makeups = load_overrides()
    holidays = vietnam_holidays(first_year, last_year)
    kinds = {d: "holiday" for d in holidays}
    holidays.update(day_offs)  # the official announcement's name wins over the package's
    kinds.update({d: "day_off" for d in day_offs})
    return Calendar(
        holidays=holidays,
        makeup_workdays=makeups,
        holiday_kinds=kinds,
        first_year=first_year,
        last_year=last_year,
        **kwargs,
    )


@pytest.fixture(scope="session")
def vn_cal() -> Calendar:
    # Session-scoped: hypothesis forbids function-scoped fixtures, and the calendar is immutable
    # (a lazy span extension rebuilds tables but never changes a result).
    return build_vn_calendar()


@pytest.fixture(scope="session")
def calendar_factory():
    return build_vn_calendar


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Shadows the autouse fixture of the same name in tests/conftest.py, which needs
    pytest-django's ``settings``: these tests must also run without Django (``-p no:django``),
    and the engine hashes no password."""
    yield
