"""Periods in days, weeks, months and years (Bộ luật Dân sự 2015, Điều 147–148): worked examples and
properties. Each test names the article and clause it proves."""
from __future__ import annotations

import calendar as cal
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kycuong.worktime.legal_periods import add_months, days_remaining, period

from .conftest import build_vn_calendar

VN = build_vn_calendar(2020, 2035)
HN = ZoneInfo("Asia/Ho_Chi_Minh")
days = st.dates(min_value=date(2021, 1, 1), max_value=date(2033, 12, 31))
units = st.sampled_from(["days", "weeks", "months", "years"])


def test_dieu_147_k2_the_day_of_the_event_is_not_counted():
    p = period(date(2026, 3, 10), 10, "days")
    assert p.first_day == date(2026, 3, 11) and p.last_day == date(2026, 3, 20)


def test_dieu_148_k1_k6_a_period_in_days_ends_at_24h_of_its_last_day():
    p = period(date(2026, 3, 10), 10, "days")
    assert p.ends_at(HN).isoformat() == "2026-03-21T00:00:00+07:00"
    assert not p.expired_on(date(2026, 3, 20)) and p.expired_on(date(2026, 3, 21))
    assert days_remaining(p, date(2026, 3, 20)) == 0


def test_dieu_148_k2_weeks_end_on_the_corresponding_weekday():
    p = period(date(2026, 3, 11), 2, "weeks")  # a Wednesday
    assert p.last_day == date(2026, 3, 25) and p.last_day.weekday() == 2


def test_dieu_148_k3_months_end_on_the_corresponding_day_or_the_month_end():
    assert period(date(2026, 3, 15), 1, "months").last_day == date(2026, 4, 15)
    assert period(date(2026, 1, 31), 1, "months").last_day == date(2026, 2, 28)
    assert period(date(2028, 1, 31), 1, "months").last_day == date(2028, 2, 29)  # leap year
    assert period(date(2026, 8, 31), 3, "months").last_day == date(2026, 11, 30)


def test_dieu_148_k4_years_end_on_the_corresponding_day_and_month():
    assert period(date(2025, 7, 1), 2, "years").last_day == date(2027, 7, 1)
    assert period(date(2024, 2, 29), 1, "years").last_day == date(2025, 2, 28)  # k.3's month-end rule
    assert period(date(2024, 2, 29), 4, "years").last_day == date(2028, 2, 29)


def test_dieu_148_k5_a_last_day_on_a_weekend_moves_to_the_next_working_day():
    p = period(date(2026, 1, 31), 1, "months", is_working_day=VN.is_working_day)  # 28/2/2026 is a Saturday
    assert p.last_day == date(2026, 2, 28) and p.end_day == date(2026, 3, 2) and p.moved


def test_dieu_148_k5_a_last_day_on_a_public_holiday_moves_past_the_holiday():
    # 30/4 and 1/5/2026 are public holidays (Thursday, Friday), then the weekend: the next working day is 4/5.
    p = period(date(2026, 4, 20), 10, "days", is_working_day=VN.is_working_day)
    assert p.last_day == date(2026, 4, 30) and p.end_day == date(2026, 5, 4)


def test_dieu_148_k5_is_applied_only_when_asked():
    p = period(date(2026, 1, 31), 1, "months", is_working_day=VN.is_working_day, move_off_days=False)
    assert p.end_day == date(2026, 2, 28) and not p.moved


def test_excluded_intervals_are_not_counted_nd172_dieu5_k6():
    # 10 days from 1/3; 3/3–5/3 excluded (3 days): the period ends 3 days later.
    p = period(date(2026, 3, 1), 10, "days", excluded=[(date(2026, 3, 3), date(2026, 3, 5))])
    assert p.excluded_days == 3 and p.last_day == date(2026, 3, 14)
    # An interval reached only because of the extension counts too.
    p = period(date(2026, 3, 1), 10, "days",
               excluded=[(date(2026, 3, 3), date(2026, 3, 5)), (date(2026, 3, 12), date(2026, 3, 13))])
    assert p.excluded_days == 5 and p.last_day == date(2026, 3, 16)
    # Excluded time before the period or after its end changes nothing.
    assert period(date(2026, 3, 1), 10, "days", excluded=[(date(2026, 2, 1), date(2026, 3, 1)),
                                                          (date(2026, 4, 1), date(2026, 4, 9))]).excluded_days == 0


@pytest.mark.parametrize("amount", [-1, 1.5, True])
def test_amount_must_be_a_whole_number(amount):
    with pytest.raises(ValueError):
        period(date(2026, 3, 1), amount, "days")


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        period(date(2026, 3, 1), 1, "fortnights")


# --- properties --------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(days, st.integers(0, 400))
def test_property_days_count_exactly_amount_days_after_the_event(event, n):
    p = period(event, n, "days")
    assert (p.last_day - event).days == n and p.first_day == event + timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(0, 60))
def test_property_months_land_on_the_corresponding_day_or_the_month_end(event, n):
    last = period(event, n, "months").last_day
    assert (last.year * 12 + last.month) - (event.year * 12 + event.month) == n
    assert last.day == min(event.day, cal.monthrange(last.year, last.month)[1])


@settings(max_examples=300, deadline=None)
@given(days, st.integers(0, 30), units)
def test_property_a_longer_period_never_ends_earlier(event, n, unit):
    a = period(event, n, unit, is_working_day=VN.is_working_day)
    b = period(event, n + 1, unit, is_working_day=VN.is_working_day)
    assert b.end_day >= a.end_day and b.last_day > a.last_day


@settings(max_examples=300, deadline=None)
@given(days, st.integers(1, 120), units)
def test_property_k5_moves_to_the_first_working_day_on_or_after_the_last_day(event, n, unit):
    p = period(event, n, unit, is_working_day=VN.is_working_day)
    assert VN.is_working_day(p.end_day)
    d = p.last_day
    while d < p.end_day:
        assert not VN.is_working_day(d)
        d += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(1, 200),
       st.lists(st.tuples(days, st.integers(0, 40)), max_size=4))
def test_property_counted_days_equal_amount_with_exclusions(event, n, raw):
    spans = [(a, a + timedelta(days=k)) for a, k in raw]
    p = period(event, n, "days", excluded=spans)
    counted = sum(1 for i in range((p.last_day - event).days)
                  if not any(a <= event + timedelta(days=i + 1) <= b for a, b in spans))
    assert counted == n
    assert p.last_day == event + timedelta(days=n + p.excluded_days)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(0, 48), st.integers(0, 48))
def test_property_add_months_composes_when_no_month_end_clips(event, a, b):
    if event.day <= 28:
        assert add_months(add_months(event, a), b) == add_months(event, a + b)
