"""Hypothesis properties of the working-time engine (docs/legal/working-time.md §2.3 time computation, §8 calendar).

Starts are drawn over 2024-2027 (all announced swaps, two Tết breaks) with a bias to window edges
and the 15:00 cut-off, where off-by-one errors live.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

Z = ZoneInfo("Asia/Ho_Chi_Minh")
SETTINGS = settings(max_examples=200, deadline=None)
WINDOWS = [(8 * 3600, 12 * 3600), (13 * 3600, 17 * 3600)]

EDGE_TIMES = [
    time(0),
    time(7, 59, 59),
    time(8),
    time(8, 0, 1),
    time(11, 59, 59),
    time(12),
    time(12, 30),
    time(13),
    time(14, 59, 59),
    time(15),
    time(15, 0, 1),
    time(16, 59, 59),
    time(17),
    time(17, 0, 1),
    time(23, 59, 59),
]
days = st.dates(date(2024, 1, 1), date(2027, 6, 30))
times = st.one_of(st.sampled_from(EDGE_TIMES), st.times().map(lambda t: t.replace(microsecond=0)))
starts = st.builds(lambda d, t: datetime.combine(d, t, tzinfo=Z), days, times)
cutoffs = st.one_of(st.none(), st.sampled_from([time(15), time(11, 30), time(16, 59)]))

# (unit, amount, working seconds or None for calendar days); hours in whole minutes as floats,
# days in halves, both as the Django side may send them.
hours = st.integers(0, 300 * 60).map(lambda m: ("working_hours", m / 60, m * 60))
whole_hours = st.integers(0, 300).map(lambda h: ("working_hours", h, h * 3600))
work_days = st.integers(0, 80).map(lambda h: ("working_days", h / 2, h * 4 * 3600))
whole_days = st.integers(0, 40).map(lambda d: ("working_days", d, d * 8 * 3600))
cal_days = st.integers(0, 60).map(lambda d: ("calendar_days", d, None))
working_amounts = st.one_of(hours, whole_hours, work_days, whole_days)
any_amounts = st.one_of(working_amounts, cal_days)


def sod(dt: datetime) -> int:
    return dt.hour * 3600 + dt.minute * 60 + dt.second


@SETTINGS
@given(start=starts, ua=any_amounts, cutoff=cutoffs)
def test_due_is_in_a_window_of_a_working_day(vn_cal, start, ua, cutoff):
    unit, amount, secs = ua
    r = vn_cal.due(start, amount, unit, cutoff=cutoff)
    assert r.due.tzinfo is Z and r.effective_start.tzinfo is Z
    assert vn_cal.is_working_day(r.due.date())
    assert vn_cal.is_working_day(r.effective_start.date())
    s = sod(r.due)
    if secs == 0:  # amount 0: due at the effective start, a window opening or inside a window
        assert any(a <= s < b for a, b in WINDOWS)
    else:  # the moment the last working second is used: inside a window or at its end
        assert any(a < s <= b for a, b in WINDOWS)
    assert any(a <= sod(r.effective_start) < b for a, b in WINDOWS)
    assert start <= r.effective_start <= r.due
    if unit == "calendar_days":
        assert s == 17 * 3600
        assert r.due.date() >= r.effective_start.date() + timedelta(days=amount)


@SETTINGS
@given(start=starts, ua1=any_amounts, ua2=any_amounts, cutoff=cutoffs)
def test_due_is_monotonic_in_amount(vn_cal, start, ua1, ua2, cutoff):
    unit = ua1[0]
    a1 = ua1[1]
    a2 = ua2[1] if ua2[0] == unit else a1
    lo, hi = sorted([a1, a2])
    d_lo = vn_cal.due(start, lo, unit, cutoff=cutoff).due
    d_hi = vn_cal.due(start, hi, unit, cutoff=cutoff).due
    assert d_lo <= d_hi


@SETTINGS
@given(start=starts, ua=working_amounts, cutoff=cutoffs)
def test_elapsed_from_effective_start_to_due_is_the_amount(vn_cal, start, ua, cutoff):
    unit, amount, secs = ua
    r = vn_cal.due(start, amount, unit, cutoff=cutoff)
    assert r.working_seconds == secs
    assert vn_cal.elapsed(r.effective_start, r.due) == timedelta(seconds=secs)
    if cutoff is None:  # W(start) == W(effective start) without a cut-off
        assert vn_cal.elapsed(start, r.due) == timedelta(seconds=secs)


@SETTINGS
@given(
    start=starts,
    ua=any_amounts,
    frac=st.floats(0, 1),
    length=st.integers(1, 12 * 86400),
    frac2=st.floats(0, 1),
    length2=st.integers(1, 3 * 86400),
)
def test_a_pause_never_makes_a_dossier_due_earlier(vn_cal, start, ua, frac, length, frac2, length2):
    unit, amount, secs = ua
    base = vn_cal.due(start, amount, unit)
    span = int((base.due - start).total_seconds())
    p_from = start + timedelta(seconds=int(span * frac))
    p1 = (p_from, p_from + timedelta(seconds=length))
    with_one = vn_cal.due(start, amount, unit, pauses=[p1])
    assert with_one.due >= base.due
    if secs is not None:
        assert with_one.working_seconds == secs
        eff = with_one.effective_start
        paused = vn_cal.elapsed(max(p1[0], eff), min(max(p1[1], eff), with_one.due))
        assert vn_cal.elapsed(with_one.effective_start, with_one.due) == timedelta(seconds=secs) + paused
    # a second pause after the first one, before the due reached so far
    gap = int((with_one.due - p1[1]).total_seconds())
    if gap >= 0:
        q_from = p1[1] + timedelta(seconds=int(gap * frac2))
        p2 = (q_from, q_from + timedelta(seconds=length2))
        with_two = vn_cal.due(start, amount, unit, pauses=[p2, p1])
        assert with_two.due >= with_one.due


@SETTINGS
@given(start=starts, ua=working_amounts, cutoff=cutoffs)
def test_general_path_equals_fast_path(vn_cal, start, ua, cutoff):
    """Other zones and Decimal/str amounts take the general path; ints in the zone the fast one."""
    unit, amount, _ = ua
    exact = Decimal(repr(amount))
    if exact * 60 != int(exact * 60):
        exact = amount  # e.g. 1/60 h: no finite decimal is whole minutes; the float is (±1e-6)
    a = vn_cal.due(start, amount, unit, cutoff=cutoff)
    b = vn_cal.due(start.astimezone(timezone.utc), exact, unit, cutoff=cutoff)
    text = str(exact) if isinstance(exact, Decimal) else amount
    c = vn_cal.due(start.astimezone(timezone(timedelta(hours=7))), text, unit, cutoff=cutoff)
    assert a == b == c


@SETTINGS
@given(a=starts, b=starts, c=starts)
def test_elapsed_is_additive_and_status_consistent(vn_cal, a, b, c):
    a, b, c = sorted([a, b, c])
    assert vn_cal.elapsed(a, b) + vn_cal.elapsed(b, c) == vn_cal.elapsed(a, c)
    st_ = vn_cal.status(a, b)
    if a > b:
        assert st_ == "overdue"
    elif vn_cal.elapsed(a, b) <= timedelta(hours=8):
        assert st_ == "due_soon"
    else:
        assert st_ == "on_track"
    assert vn_cal.status(c, a) == ("overdue" if c > a else "due_soon")


@SETTINGS
@given(d=days)
def test_day_info_is_consistent(vn_cal, d):
    info = vn_cal.day_info(d)
    assert info.working == vn_cal.is_working_day(d)
    assert info.kind in ("workday", "weekend", "holiday", "day_off", "makeup_workday")
    listed = vn_cal.non_working_days(d, d)
    assert listed == ([] if info.kind == "workday" else [info])


@st.composite
def batches(draw):
    unit, _, _ = draw(any_amounts)
    n = draw(st.integers(1, 20))
    rows = draw(st.lists(st.tuples(starts, any_amounts), min_size=n, max_size=n))
    cutoff = draw(cutoffs)
    # one unit per batch (as due_many takes it): re-draw the amount in that unit
    amounts = []
    for _, (u, a, _s) in rows:
        if u != unit:
            a = {"working_hours": 1.5, "working_days": 2, "calendar_days": 3}[unit]
        amounts.append(a)
    return unit, [s for s, _ in rows], amounts, cutoff


@SETTINGS
@given(batch=batches())
def test_due_many_equals_due(vn_cal, batch):
    unit, start_list, amounts, cutoff = batch
    epoch = np.array([int(s.timestamp()) for s in start_list], dtype=np.int64)
    got = vn_cal.due_many(epoch, np.array(amounts), unit, cutoff=cutoff)
    want = [int(vn_cal.due(s, a, unit, cutoff=cutoff).due.timestamp()) for s, a in zip(start_list, amounts, strict=True)]
    assert got.dtype == np.int64
    assert got.tolist() == want
