"""Semantics of the working-time engine, one rule per test (docs/legal/working-time.md §2.3 time computation, §8).

The week used is Mon 02/03 - Fri 06/03/2026 (no holiday), Sat 07 / Sun 08, Mon 09/03...
"""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from kycuong.worktime import (
    UNITS,
    Calendar,
    DayInfo,
    DueResult,
    Status,
    WorktimeError,
    parse_windows,
    vietnam_holidays,
)

Z = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = timezone.utc
PLUS7 = timezone(timedelta(hours=7))


def at(y, m, d, hh=0, mm=0, ss=0, tz=Z):
    return datetime(y, m, d, hh, mm, ss, tzinfo=tz)


def mon(hh=0, mm=0, ss=0):
    return at(2026, 3, 2, hh, mm, ss)


def due(cal, start, amount, unit="working_hours", **kw):
    return cal.due(start, amount, unit, **kw).due


# --------------------------------------------------------------------------- interface


def test_units_constant():
    assert UNITS == ("working_days", "working_hours", "calendar_days")


def test_result_shape(vn_cal):
    r = vn_cal.due(mon(10), 90, "working_hours")
    assert isinstance(r, DueResult)
    assert r == DueResult(mon(10), mon(10), at(2026, 3, 17, 12), 90 * 3600)
    assert r.working_minutes == 90 * 60
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.due = mon(8)  # type: ignore[misc]


def test_status_is_a_str_enum():
    assert Status.ON_TRACK == "on_track" and Status.DUE_SOON == "due_soon" and Status.OVERDUE == "overdue"


def test_package_imports_no_django():
    """The engine must stay usable without Django (brief: no Django import in kycuong/worktime)."""
    pkg = Path(__file__).resolve().parents[2] / "kycuong" / "worktime"
    for py in pkg.rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, py
    code = "import sys, kycuong.worktime; assert not any(m.split('.')[0] == 'django' for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=pkg.parents[1])


# --------------------------------------------------------------------------- instants and zones


def test_results_are_in_the_calendar_zone(vn_cal):
    """Instants in any zone are converted; results are Asia/Ho_Chi_Minh (+07:00)."""
    for start in (mon(8), at(2026, 3, 2, 1, tz=UTC), at(2026, 3, 2, 8, tz=PLUS7)):
        r = vn_cal.due(start, 1, "working_hours")
        assert r.due == mon(9)
        assert r.due.tzinfo is Z and r.effective_start.tzinfo is Z and r.start.tzinfo is Z
        assert r.due.utcoffset() == timedelta(hours=7)


def test_other_zone_start_is_converted(vn_cal):
    # 08:00 in Paris (UTC+1 in March) = 14:00 in Hà Nội.
    assert due(vn_cal, at(2026, 3, 2, 8, tz=ZoneInfo("Europe/Paris")), 1) == mon(15)


def test_sub_second_part_is_dropped(vn_cal):
    r = vn_cal.due(mon(10).replace(microsecond=999_999), 1, "working_hours")
    assert r.effective_start == mon(10) and r.due == mon(11)
    assert r.start == mon(10).replace(microsecond=999_999)


# --------------------------------------------------------------------------- effective start


def test_start_inside_window_is_its_own_effective_start(vn_cal):
    assert vn_cal.due(mon(10, 17), 0, "working_hours").effective_start == mon(10, 17)


@pytest.mark.parametrize(
    ("start", "effective"),
    [
        (mon(7), mon(8)),  # before opening
        (mon(12), mon(13)),  # 12:00 is the end of the morning window, not inside it
        (mon(12, 30), mon(13)),  # lunch
        (mon(17), at(2026, 3, 3, 8)),  # closing
        (mon(18), at(2026, 3, 3, 8)),  # after hours
        (at(2026, 3, 7, 10), at(2026, 3, 9, 8)),  # Saturday
        (at(2026, 3, 8, 23, 59, 59), at(2026, 3, 9, 8)),  # Sunday night
        (at(2026, 4, 30, 10), at(2026, 5, 4, 8)),  # holiday (30/4) before the 1/5 + weekend
    ],
)
def test_start_outside_window_moves_to_next_opening(vn_cal, start, effective):
    """docs/legal/working-time.md §2.3 [DVC-TH CaculateTime.cs]: receipt outside windows moves to the next window."""
    r = vn_cal.due(start, 1, "working_hours")
    assert r.effective_start == effective
    assert r.due == effective + timedelta(hours=1)


def test_after_hours_start_examples(vn_cal):
    """docs/legal/working-time.md §2.3: after-hours, Saturday and holiday receipts count from the next opening."""
    assert due(vn_cal, mon(18), 1) == at(2026, 3, 3, 9)
    assert due(vn_cal, at(2026, 3, 7, 10), 1) == at(2026, 3, 9, 9)
    assert due(vn_cal, at(2026, 4, 30, 10), 1) == at(2026, 5, 4, 9)


# --------------------------------------------------------------------------- lunch, halves, ends


def test_lunch_break_is_skipped(vn_cal):
    """docs/legal/working-time.md §2.3: a 4-hour limit started at 10:00 is due 15:00 (lunch 12-13 not counted)."""
    assert due(vn_cal, mon(10), 4) == mon(15)


def test_limit_ending_exactly_at_1700_is_due_1700_not_next_morning(vn_cal):
    assert due(vn_cal, mon(13), 4) == mon(17)
    assert due(vn_cal, mon(8), 1, "working_days") == mon(17)
    assert due(vn_cal, at(2026, 3, 6, 8), 1, "working_days") == at(2026, 3, 6, 17)  # Friday


def test_limit_ending_exactly_at_1200_is_due_1200_not_1300(vn_cal):
    assert due(vn_cal, mon(8), 4) == mon(12)
    assert due(vn_cal, mon(11), 1) == mon(12)


def test_half_days(vn_cal):
    """docs/legal/working-time.md §2.3: half-day steps ("1/2 ngày"), 1 working day = 8 h (Hà Nội, Nghệ An)."""
    assert due(vn_cal, mon(8), 0.5, "working_days") == mon(12)
    assert due(vn_cal, mon(10), 0.5, "working_days") == mon(15)
    assert due(vn_cal, mon(8), 1.5, "working_days") == at(2026, 3, 3, 12)
    assert due(vn_cal, mon(8), Decimal("2.5"), "working_days") == at(2026, 3, 4, 12)


def test_one_working_day_is_eight_working_hours(vn_cal):
    """docs/legal/working-time.md §2.3: "30 ngày = 240 giờ" (Hà Nội QĐ 1594/QĐ-TTPVHCC)."""
    assert vn_cal.day_seconds == 8 * 3600
    assert due(vn_cal, mon(9, 30), 30, "working_days") == due(vn_cal, mon(9, 30), 240)


@pytest.mark.parametrize("amount", [3, 3.0, Decimal("3"), "3", " 3.00 ", np.int64(3), np.float32(3)])
def test_amount_types(vn_cal, amount):
    assert due(vn_cal, mon(10), amount) == mon(14)


def test_minutes_in_hours(vn_cal):
    assert due(vn_cal, mon(10), 1.25) == mon(11, 15)
    assert due(vn_cal, mon(10), "0.1") == mon(10, 6)
    assert due(vn_cal, mon(10), 0.1) == mon(10, 6)


def test_zero_amount_is_due_at_effective_start(vn_cal):
    assert vn_cal.due(mon(10), 0, "working_hours").due == mon(10)
    r = vn_cal.due(mon(18), 0, "working_days")
    assert r.due == r.effective_start == at(2026, 3, 3, 8) and r.working_seconds == 0


def test_fast_path_equals_general_path(vn_cal):
    """due() has a fast path (int amount, start in the zone); other input shapes take the general
    path: both must agree."""
    for hh in (7, 8, 10, 12, 13, 16, 17, 18):
        for amount in (0, 1, 4, 8, 9, 16, 41):
            fast = vn_cal.due(mon(hh), amount, "working_hours")
            slow = vn_cal.due(mon(hh).astimezone(UTC), Decimal(amount), "working_hours")
            assert fast == slow


# --------------------------------------------------------------------------- cut-off


@pytest.mark.parametrize(
    ("start", "effective"),
    [
        (mon(14, 59), mon(14, 59)),
        (mon(15, 0, 0), mon(15)),  # exactly 15:00:00 is not after 15:00
        (mon(15, 0, 1), at(2026, 3, 3, 8)),
        (mon(15, 1), at(2026, 3, 3, 8)),
        (mon(18), at(2026, 3, 3, 8)),
        (mon(7), mon(8)),  # before the cut-off and before opening: same day
        (at(2026, 3, 6, 15, 1), at(2026, 3, 9, 8)),  # Friday -> Monday
        (at(2026, 3, 7, 16), at(2026, 3, 9, 8)),  # non-working day: simply the next working day
    ],
)
def test_cutoff_1500(vn_cal, start, effective):
    """docs/legal/working-time.md §2.3 (birth-registration interlink, QĐ 1872/QĐ-BTP): received after 15:00 counts
    from the next working day."""
    r = vn_cal.due(start, 1, "working_hours", cutoff=time(15))
    assert r.effective_start == effective
    assert r.due == effective + timedelta(hours=1)


def test_cutoff_as_text(vn_cal):
    assert due(vn_cal, mon(15, 1), 1, cutoff="15:00") == at(2026, 3, 3, 9)


def test_cutoff_with_calendar_days(vn_cal):
    assert due(vn_cal, mon(16), 1, "calendar_days", cutoff=time(15)) == at(2026, 3, 4, 17)
    assert due(vn_cal, mon(14), 1, "calendar_days", cutoff=time(15)) == at(2026, 3, 3, 17)


# --------------------------------------------------------------------------- calendar days


def test_calendar_days(vn_cal):
    """docs/legal/working-time.md §2.3: calendar-day procedures never end on a day off [DVC-TH]."""
    assert due(vn_cal, mon(10), 4, "calendar_days") == at(2026, 3, 6, 17)
    assert due(vn_cal, mon(10), 5, "calendar_days") == at(2026, 3, 9, 17)  # Saturday -> Monday
    assert due(vn_cal, mon(10), 6, "calendar_days") == at(2026, 3, 9, 17)  # Sunday -> Monday
    assert due(vn_cal, mon(10), 0, "calendar_days") == mon(17)  # by the end of the day
    assert due(vn_cal, at(2026, 3, 7, 10), 1, "calendar_days") == at(2026, 3, 10, 17)  # from Mon
    assert due(vn_cal, at(2026, 4, 24, 10), 3, "calendar_days") == at(2026, 4, 28, 17)  # holiday


def test_calendar_days_working_seconds(vn_cal):
    r = vn_cal.due(mon(10), 4, "calendar_days")
    assert r.working_seconds == (6 + 4 * 8) * 3600


def test_calendar_days_pause_adds_spanned_dates(vn_cal):
    """Documented choice: a pause adds (to.date() - from.date()) calendar days."""
    pause = (at(2026, 3, 3, 10), at(2026, 3, 5, 10))  # Tue -> Thu: 2 dates
    r = vn_cal.due(mon(10), 4, "calendar_days", pauses=[pause])
    assert r.due == at(2026, 3, 9, 17)  # Mon + 6 = Sun 08/03 -> Mon 09/03
    assert r.working_seconds == (6 + 5 * 8 - 16) * 3600
    same_day = (at(2026, 3, 3, 10), at(2026, 3, 3, 11))
    assert due(vn_cal, mon(10), 4, "calendar_days", pauses=[same_day]) == at(2026, 3, 6, 17)
    at_due = (at(2026, 3, 6, 17), at(2026, 3, 9, 10))
    assert due(vn_cal, mon(10), 4, "calendar_days", pauses=[at_due]) == at(2026, 3, 6, 17)
    with pytest.raises(WorktimeError) as e:
        vn_cal.due(mon(10), 4, "calendar_days", pauses=[(at(2026, 3, 6, 17, 1), at(2026, 3, 9))])
    assert e.value.code == "WT_PAUSE_OUTSIDE_PERIOD"


# --------------------------------------------------------------------------- pauses


def test_pause_across_weekend(vn_cal):
    """docs/legal/working-time.md §2.3: after a supplement request the appointment shifts by the suspension
    ("Yêu cầu bổ sung giấy tờ" = clock paused, docs/legal/one-stop.md §2.1 status 5)."""
    start = at(2026, 3, 6, 10)  # Friday; without pause 8 h is due Mon 09/03 10:00
    assert due(vn_cal, start, 8) == at(2026, 3, 9, 10)
    pause = (at(2026, 3, 6, 11), at(2026, 3, 9, 11))  # 5 h on Friday + 3 h on Monday inside it
    r = vn_cal.due(start, 8, "working_hours", pauses=[pause])
    assert r.due == at(2026, 3, 10, 10)
    assert r.working_seconds == 8 * 3600


def test_pause_starting_at_lunch(vn_cal):
    # 12:30 -> 14:00 contains 1 working hour (13-14).
    assert due(vn_cal, mon(8), 8, pauses=[(mon(12, 30), mon(14))]) == at(2026, 3, 3, 9)


def test_two_pauses_in_any_order(vn_cal):
    p1 = (mon(9), mon(10))  # 1 h
    p2 = (at(2026, 3, 3, 15), at(2026, 3, 4, 9))  # 2 h + 1 h
    assert due(vn_cal, mon(8), 16) == at(2026, 3, 3, 17)
    assert due(vn_cal, mon(8), 16, pauses=[p1, p2]) == at(2026, 3, 4, 12)
    assert due(vn_cal, mon(8), 16, pauses=(p2, p1)) == at(2026, 3, 4, 12)


def test_second_pause_checked_against_due_moved_by_the_first(vn_cal):
    pauses = [(mon(8, 30), mon(9, 30)), (mon(9, 45), mon(10))]
    # first pause moves the due from 09:00 to 10:00; the second starts before that
    assert due(vn_cal, mon(8), 1, pauses=pauses) == mon(10, 15)


def test_touching_pauses_are_not_overlapping(vn_cal):
    assert due(vn_cal, mon(8), 1, pauses=[(mon(8, 30), mon(9)), (mon(9), mon(9, 30))]) == mon(10)


def test_pause_starting_exactly_at_due_changes_nothing(vn_cal):
    assert due(vn_cal, mon(8), 1, pauses=[(mon(9), mon(10))]) == mon(9)
    assert due(vn_cal, mon(8), 8, pauses=[(mon(17), at(2026, 3, 3, 10))]) == mon(17)


def test_pause_starting_at_start(vn_cal):
    assert due(vn_cal, mon(8), 1, pauses=[(mon(8), mon(9))]) == mon(10)


def test_pause_before_clock_starts(vn_cal):
    # Received Saturday 10:00 (clock starts Mon 08:00), paused Sat 11:00 - Mon 10:00.
    assert due(vn_cal, at(2026, 3, 7, 10), 1, pauses=[(at(2026, 3, 7, 11), at(2026, 3, 9, 10))]) == at(
        2026, 3, 9, 11
    )
    # a pause entirely outside working time changes nothing
    assert due(vn_cal, at(2026, 3, 6, 16), 2, pauses=[(at(2026, 3, 6, 18), at(2026, 3, 8, 12))]) == at(
        2026, 3, 9, 9
    )


def test_pause_in_other_zone(vn_cal):
    pause = (mon(9).astimezone(UTC), mon(10).astimezone(UTC))
    assert due(vn_cal, mon(8), 2, pauses=[pause]) == mon(11)


def test_pause_before_start_is_rejected(vn_cal):
    with pytest.raises(WorktimeError) as e:
        vn_cal.due(mon(10), 1, "working_hours", pauses=[(mon(9), mon(11))])
    assert e.value.code == "WT_PAUSE_OUTSIDE_PERIOD"


def test_pause_after_due_is_rejected(vn_cal):
    with pytest.raises(WorktimeError) as e:
        vn_cal.due(mon(8), 1, "working_hours", pauses=[(mon(10), mon(11))])
    assert e.value.code == "WT_PAUSE_OUTSIDE_PERIOD"


def test_overlapping_pauses_are_rejected(vn_cal):
    with pytest.raises(WorktimeError) as e:
        vn_cal.due(mon(8), 8, "working_hours", pauses=[(mon(9), mon(11)), (mon(10), mon(14))])
    assert e.value.code == "WT_PAUSE_INVALID"


@pytest.mark.parametrize(
    "pause",
    [
        (mon(10), mon(10)),  # to == from
        (mon(11), mon(10)),  # to < from
        (datetime(2026, 3, 2, 9), mon(10)),  # naive
        (mon(9), datetime(2026, 3, 2, 10)),
        (mon(9),),  # not a pair
        ("09:00", "10:00"),
    ],
)
def test_invalid_pause(vn_cal, pause):
    with pytest.raises(WorktimeError) as e:
        vn_cal.due(mon(8), 8, "working_hours", pauses=[pause])
    assert e.value.code == "WT_PAUSE_INVALID"


# --------------------------------------------------------------------------- elapsed


def test_elapsed(vn_cal):
    assert vn_cal.elapsed(mon(11), mon(14)) == timedelta(hours=2)  # lunch skipped
    assert vn_cal.elapsed(at(2026, 3, 6, 16), at(2026, 3, 9, 9)) == timedelta(hours=2)  # weekend
    assert vn_cal.elapsed(at(2026, 3, 6, 18), at(2026, 3, 9, 8)) == timedelta(0)  # both clamp
    assert vn_cal.elapsed(mon(8), mon(8)) == timedelta(0)
    assert vn_cal.elapsed(mon(8), at(2026, 3, 9, 8)) == timedelta(hours=40)
    assert vn_cal.elapsed(at(2026, 2, 13, 8), at(2026, 2, 24, 8)) == timedelta(hours=16)  # Tết
    assert vn_cal.elapsed(at(2026, 3, 2, 1, tz=UTC), mon(10)) == timedelta(hours=2)


def test_elapsed_bad_range(vn_cal):
    with pytest.raises(WorktimeError) as e:
        vn_cal.elapsed(mon(10), mon(9))
    assert e.value.code == "WT_BAD_RANGE"


# --------------------------------------------------------------------------- status


def test_status(vn_cal):
    """docs/legal/one-stop.md §2.2: the agency must warn at the latest 1 day before the due date: DUE_SOON when at most
    one working day (8 h) remains."""
    d = at(2026, 3, 4, 17)  # Wed 17:00
    assert vn_cal.status(mon(9), d) is Status.ON_TRACK
    assert vn_cal.status(at(2026, 3, 3, 16, 59), d) is Status.ON_TRACK  # 8 h 01 min left
    assert vn_cal.status(at(2026, 3, 3, 17), d) is Status.DUE_SOON  # exactly 8 h left
    assert vn_cal.status(at(2026, 3, 4, 9), d) is Status.DUE_SOON
    assert vn_cal.status(d, d) is Status.DUE_SOON  # not yet overdue at the due instant
    assert vn_cal.status(d + timedelta(seconds=1), d) is Status.OVERDUE
    assert vn_cal.status(at(2026, 3, 5, 8), d) is Status.OVERDUE


def test_status_counts_working_time_not_calendar_time(vn_cal):
    # Fri 16:30, due Mon 10:00: 2.7 calendar days but 2.5 working hours.
    assert vn_cal.status(at(2026, 3, 6, 16, 30), at(2026, 3, 9, 10)) is Status.DUE_SOON
    # Before Tết 2026: Fri 13/02 17:00 -> due Tue 24/02 17:00 = 16 working hours.
    assert vn_cal.status(at(2026, 2, 13, 17), at(2026, 2, 24, 17)) is Status.ON_TRACK


# --------------------------------------------------------------------------- days


def test_day_info_kinds(vn_cal):
    assert vn_cal.day_info(date(2026, 3, 2)) == DayInfo(date(2026, 3, 2), True, "workday", None)
    assert vn_cal.day_info(date(2026, 3, 7)) == DayInfo(date(2026, 3, 7), False, "weekend", None)
    assert vn_cal.day_info(date(2026, 9, 2)) == DayInfo(date(2026, 9, 2), False, "holiday", "Quốc khánh")


def test_non_working_days_range(vn_cal):
    assert vn_cal.non_working_days(mon(), mon()) == []  # a single working day
    assert [i.date for i in vn_cal.non_working_days(date(2026, 3, 2), date(2026, 3, 9))] == [
        date(2026, 3, 7),
        date(2026, 3, 8),
    ]
    with pytest.raises(WorktimeError) as e:
        vn_cal.non_working_days(date(2026, 3, 9), date(2026, 3, 2))
    assert e.value.code == "WT_BAD_RANGE"


def test_makeup_wins_over_holiday_and_weekend():
    """docs/legal/working-time.md §8.3: a make-up working Saturday must count as a working day."""
    sat = date(2026, 3, 7)
    cal = Calendar(holidays={sat: "x"}, makeup_workdays={sat: "Làm bù"})
    assert cal.is_working_day(sat)
    assert cal.day_info(sat).kind == "makeup_workday"
    assert cal.due(at(2026, 3, 7, 8), 1, "working_days").due == at(2026, 3, 7, 17)


def test_holiday_kinds_default_to_holiday():
    d = date(2026, 3, 3)
    cal = Calendar(holidays={d: "Nghỉ"})
    assert cal.day_info(d).kind == "holiday"
    cal = Calendar(holidays={d: "Nghỉ"}, holiday_kinds={d: "day_off"})
    assert cal.day_info(d).kind == "day_off"
    with pytest.raises(ValueError):
        Calendar(holidays={d: "Nghỉ"}, holiday_kinds={d: "fiesta"})


# --------------------------------------------------------------------------- windows, span


def test_parse_windows():
    assert parse_windows("08:00-12:00,13:00-17:00") == ((time(8), time(12)), (time(13), time(17)))
    assert parse_windows(" 7:00-11:30 , 13:30-17:00 ") == ((time(7), time(11, 30)), (time(13, 30), time(17)))


def test_custom_windows_of_a_province():
    """docs/legal/working-time.md §8.3: 07:00-11:30 / 13:30-17:00 (Hải Dương summer; DVC-TH default)."""
    cal = Calendar(holidays={}, windows="07:00-11:30,13:30-17:00")
    assert cal.day_seconds == 8 * 3600
    assert cal.due(mon(10), 4, "working_hours").due == mon(16)  # 1 h 30 + 2 h 30
    assert cal.due(mon(7), 1, "working_days").due == mon(17)
    assert cal.due(mon(7), 0.5, "working_days").due == mon(11)
    assert cal.due(mon(11, 45), 0, "working_hours").effective_start == mon(13, 30)


def test_custom_weekend():
    cal = Calendar(holidays={}, weekend=(6,))  # Saturdays worked
    assert cal.due(at(2026, 3, 6, 8), 2, "working_days").due == at(2026, 3, 7, 17)


def test_span_extends_lazily(calendar_factory):
    small = calendar_factory(2025, 2026)
    big = calendar_factory(2024, 2031)
    # holidays for the years outside the small span are not known to `small`: compare inside the
    # data it has, but with instants and dues outside its precomputed tables.
    assert (small.first_year, small.last_year) == (2025, 2026)
    r = small.due(at(2026, 12, 30, 10), 5, "working_days")
    assert small.last_year >= 2027
    assert r.due == at(2027, 1, 6, 10)  # 01/01/2027 is only a holiday in the big calendar's data
    assert big.due(at(2026, 12, 30, 10), 5, "working_days").due == at(2027, 1, 7, 10)
    small.due(at(2024, 6, 3, 8), 1, "working_days")
    assert small.first_year == 2024
    assert small.due(at(2026, 2, 13, 17, 30), 1, "working_days").due == at(2026, 2, 23, 17)
    huge = small.due(mon(8), 10_000, "working_days")
    assert huge.due.year > 2060 and small.elapsed(mon(8), huge.due) == timedelta(hours=80_000)


def test_vietnam_holidays():
    h = vietnam_holidays(2026, 2026)
    assert h[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert date(2026, 1, 2) not in h  # the package misses CV 12729/VPCP-KGVX: the override file has it
    assert all(d.year == 2026 for d in h)


def test_error_is_picklable():
    e = WorktimeError("WT_NAIVE_DATETIME", field="start")
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.code, e2.params, str(e2)) == (e.code, e.params, str(e))


def test_due_result_pickles(vn_cal):
    r = vn_cal.due(mon(10), 3, "working_hours")
    assert pickle.loads(pickle.dumps(r)) == r


def test_status_str_is_its_value():
    assert str(Status.DUE_SOON) == "due_soon" and f"{Status.OVERDUE}" == "overdue"


def test_concurrent_span_extensions(calendar_factory):
    """A Calendar is shared by request threads; lazy extensions in both directions must not lose
    each other's tables or change any result."""
    import threading

    years = list(range(2016, 2046, 3))
    shared = calendar_factory(2025, 2026)
    got, errors = {}, []

    def work(order):
        try:
            for y in order:
                got[(y, tuple(order))] = shared.due(at(y, 6, 3, 10), 7, "working_days").due
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    orders = [years, years[::-1], years[1::2] + years[::2], years[::-2]]
    threads = [threading.Thread(target=work, args=(o,)) for o in orders]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    # sequential reference with the same holiday data (2025-2026 only)
    ref = calendar_factory(2025, 2026)
    assert len(got) == sum(len(o) for o in orders)
    for (y, _), due_ in got.items():
        assert due_ == ref.due(at(y, 6, 3, 10), 7, "working_days").due
    assert shared.first_year <= 2016 and shared.last_year >= 2043
