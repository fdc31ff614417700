"""Every error code of the engine, with its Vietnamese default message (kycuong/worktime/errors.py)."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from kycuong.worktime import MESSAGES, Calendar, WorktimeError, parse_windows, vietnam_holidays

Z = ZoneInfo("Asia/Ho_Chi_Minh")
CODES = {
    "WT_NAIVE_DATETIME",
    "WT_UNKNOWN_UNIT",
    "WT_NEGATIVE_AMOUNT",
    "WT_BAD_AMOUNT",
    "WT_AMOUNT_GRANULARITY",
    "WT_BAD_CUTOFF",
    "WT_PAUSE_INVALID",
    "WT_PAUSE_OUTSIDE_PERIOD",
    "WT_BAD_RANGE",
    "WT_BAD_WINDOWS",
    "WT_OUT_OF_RANGE",
}
MON = datetime(2026, 3, 2, 10, tzinfo=Z)


def code_of(fn, *args, **kw) -> str:
    with pytest.raises(WorktimeError) as e:
        fn(*args, **kw)
    assert isinstance(e.value, ValueError)
    assert str(e.value) == e.value.message and str(e.value).strip()
    return e.value.code


def test_every_code_has_a_vietnamese_message():
    assert set(MESSAGES) == CODES
    for code in CODES:
        msg = str(WorktimeError(code))
        assert msg and "{" not in msg and "WT_" not in msg, code
        assert any(ch in msg for ch in "ạảấầậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư"), code


def test_message_interpolates_params_and_tolerates_missing_ones():
    assert "start" in str(WorktimeError("WT_NAIVE_DATETIME", field="start"))
    assert str(WorktimeError("WT_NAIVE_DATETIME")).startswith("Thời điểm")
    assert "WT_SOMETHING" in str(WorktimeError("WT_SOMETHING"))
    e = WorktimeError("WT_UNKNOWN_UNIT", unit="days")
    assert (e.code, e.params) == ("WT_UNKNOWN_UNIT", {"unit": "days"})


@pytest.mark.parametrize(
    "start",
    [datetime(2026, 3, 2, 10), date(2026, 3, 2), "2026-03-02T10:00+07:00", None],
)
def test_naive_datetime(vn_cal, start):
    assert code_of(vn_cal.due, start, 1, "working_hours") == "WT_NAIVE_DATETIME"


def test_naive_datetime_in_elapsed_and_status(vn_cal):
    assert code_of(vn_cal.elapsed, datetime(2026, 3, 2, 9), MON) == "WT_NAIVE_DATETIME"
    assert code_of(vn_cal.elapsed, MON, datetime(2026, 3, 2, 11)) == "WT_NAIVE_DATETIME"
    assert code_of(vn_cal.status, datetime(2026, 3, 2, 9), MON) == "WT_NAIVE_DATETIME"


@pytest.mark.parametrize("unit", ["days", "ngày", "", None, "WORKING_DAYS"])
def test_unknown_unit(vn_cal, unit):
    assert code_of(vn_cal.due, MON, 1, unit) == "WT_UNKNOWN_UNIT"
    assert code_of(vn_cal.due_many, np.array([0]), np.array([1]), unit) == "WT_UNKNOWN_UNIT"


@pytest.mark.parametrize("amount", [-1, -0.5, "-1", Decimal("-2"), np.int64(-1)])
@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
def test_negative_amount(vn_cal, amount, unit):
    assert code_of(vn_cal.due, MON, amount, unit) == "WT_NEGATIVE_AMOUNT"


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        ("abc", "working_hours"),
        ("", "working_days"),
        (math.nan, "working_hours"),
        (math.inf, "working_days"),
        ("Infinity", "working_hours"),
        (Decimal("NaN"), "working_days"),
        (None, "working_hours"),
        (True, "working_days"),
        ([1], "working_hours"),
        (10_001, "working_days"),  # cap: 10,000 working days
        (80_001, "working_hours"),  # = 10,000 x 8 h
        (14_001, "calendar_days"),  # ~ 10,000 working days in calendar days
        (1e300, "working_hours"),
    ],
)
def test_bad_amount(vn_cal, amount, unit):
    assert code_of(vn_cal.due, MON, amount, unit) == "WT_BAD_AMOUNT"


def test_amount_caps_are_inclusive(vn_cal):
    assert vn_cal.due(MON, 10_000, "working_days").working_seconds == 10_000 * 8 * 3600
    assert vn_cal.due(MON, 80_000, "working_hours").working_seconds == 80_000 * 3600
    vn_cal.due(MON, 14_000, "calendar_days")


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (0.25, "working_days"),  # halves only
        ("1.3", "working_days"),
        (Decimal("0.75"), "working_days"),
        (1.005, "working_hours"),  # 60.3 minutes
        ("0.001", "working_hours"),
        (0.3334, "working_hours"),  # 20.004 minutes
        (1.5, "calendar_days"),
        ("2.5", "calendar_days"),
    ],
)
def test_amount_granularity(vn_cal, amount, unit):
    assert code_of(vn_cal.due, MON, amount, unit) == "WT_AMOUNT_GRANULARITY"


def test_float_amounts_within_rounding_noise_are_whole_steps(vn_cal):
    # 1/3 h is 20 minutes exactly; the float 0.333... x 60 is 20 within 1e-6, as in due_many().
    assert vn_cal.due(MON, 1 / 3, "working_hours").working_seconds == 20 * 60


@pytest.mark.parametrize(
    "cutoff",
    [time(15, tzinfo=timezone.utc), "25:00", "15h", 15, time(15, 0, 0, 500), "abc"],
)
def test_bad_cutoff(vn_cal, cutoff):
    assert code_of(vn_cal.due, MON, 1, "working_hours", cutoff=cutoff) == "WT_BAD_CUTOFF"
    assert code_of(vn_cal.due_many, np.array([0]), np.array([1]), cutoff=cutoff) == "WT_BAD_CUTOFF"


def test_pause_codes(vn_cal):
    assert code_of(vn_cal.due, MON, 1, "working_hours", pauses=[(MON, MON)]) == "WT_PAUSE_INVALID"
    before = (MON - timedelta(hours=1), MON + timedelta(hours=1))
    assert code_of(vn_cal.due, MON, 1, "working_hours", pauses=[before]) == "WT_PAUSE_OUTSIDE_PERIOD"


def test_bad_range(vn_cal):
    assert code_of(vn_cal.elapsed, MON, MON - timedelta(seconds=1)) == "WT_BAD_RANGE"
    assert code_of(vn_cal.non_working_days, date(2026, 3, 2), date(2026, 3, 1)) == "WT_BAD_RANGE"
    assert code_of(Calendar, holidays={}, first_year=2030, last_year=2020) == "WT_BAD_RANGE"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "8-12",
        "08:00-12:00,11:00-17:00",  # overlapping
        "13:00-17:00,08:00-12:00",  # not sorted
        "12:00-08:00",
        "08:00-08:00",
        "08:00-24:00",
        "08:00-12:00;13:00-17:00",
        "08:00",
    ],
)
def test_bad_windows(text):
    assert code_of(parse_windows, text) == "WT_BAD_WINDOWS"
    assert code_of(Calendar, holidays={}, windows=text) == "WT_BAD_WINDOWS"


def test_bad_windows_objects():
    assert code_of(Calendar, holidays={}, windows=()) == "WT_BAD_WINDOWS"
    assert code_of(Calendar, holidays={}, windows=((time(8), time(12, 0, 30)),)) == "WT_BAD_WINDOWS"
    assert code_of(Calendar, holidays={}, windows=((8, 12),)) == "WT_BAD_WINDOWS"
    assert code_of(Calendar, holidays={}, windows=((time(8),),)) == "WT_BAD_WINDOWS"


def test_out_of_range(vn_cal):
    assert code_of(vn_cal.due, datetime(1989, 12, 29, 10, tzinfo=Z), 1, "working_hours") == "WT_OUT_OF_RANGE"
    assert code_of(vn_cal.due, datetime(2201, 1, 2, 10, tzinfo=Z), 1, "working_hours") == "WT_OUT_OF_RANGE"
    # due would fall after 2200
    assert code_of(vn_cal.due, datetime(2195, 1, 2, 10, tzinfo=Z), 10_000, "working_days") == "WT_OUT_OF_RANGE"
    assert code_of(vn_cal.day_info, date(2201, 1, 1)) == "WT_OUT_OF_RANGE"
    assert code_of(vn_cal.is_working_day, date(1989, 1, 1)) == "WT_OUT_OF_RANGE"
    assert code_of(vn_cal.elapsed, datetime(1980, 1, 1, tzinfo=Z), MON) == "WT_OUT_OF_RANGE"
    assert code_of(Calendar, holidays={}, first_year=1980) == "WT_OUT_OF_RANGE"
    assert code_of(vietnam_holidays, 2026, 2300) == "WT_OUT_OF_RANGE"
    early = int(datetime(1985, 1, 1, tzinfo=Z).timestamp())
    assert code_of(vn_cal.due_many, np.array([early]), np.array([1])) == "WT_OUT_OF_RANGE"
    # the calendar is still usable afterwards
    assert vn_cal.due(MON, 1, "working_hours").due == MON + timedelta(hours=1)
