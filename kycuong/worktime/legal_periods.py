"""Periods in days, weeks, months and years counted as the Civil Code counts them (Bộ luật Dân sự 2015,
Điều 144–148, 151) — the one module for every such period (docs/design.md, rule 10). Working time (hours and
working days of a dossier's clock) is `engine.Calendar`; this module is for limitation periods (thời hiệu),
handling time limits (thời hạn) and deadlines given in days, months or years.

The rules, as implemented:
- Điều 147 k.2–3: when a period is given in days, weeks, months or years from a day or from an event, that day
  is not counted; the period starts on the next day.
- Điều 148 k.1: a period in days ends at the end of its last day.
  k.2: in weeks, at the end of the corresponding weekday of the last week.
  k.3: in months, at the end of the corresponding day of the last month; a month without that day ends the
  period on its last day (31/1 + 1 month → 28/2 or 29/2).
  k.4: in years, at the end of the corresponding day and month of the last year (29/2 + 1 year → 28/2, by the
  month-end rule of k.3 applied to the same question — the Code is silent; docs/legal/working-time.md).
  k.5: when the last day is a weekly rest day or a public holiday, the period ends at the end of the next
  working day. Applied when `move_off_days` is true (the caller decides whether the period is one to which the
  rule applies; the reading chosen for each kind of period is written in docs/legal/).
  k.6: the end of the last day is 24:00 of that day.
- Periods that the law excludes (e.g. NĐ 172/2025 Điều 5 k.6) are given as inclusive date intervals: a day of
  the running period that falls in one is not counted, so the end moves later by the days excluded.

"Corresponding day" is read from the day of the event (the day not counted), the way Vietnamese courts and
agencies count ("01 tháng kể từ ngày 15/3" ends at 24:00 on 15/4).
"""
from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Callable, Iterable

UNITS = ("days", "weeks", "months", "years")


@dataclass(frozen=True)
class LegalPeriod:
    event_day: date        # the day the period is counted from (not itself counted, Điều 147)
    first_day: date        # the first day counted
    last_day: date         # the last day by Điều 148 k.1–4, after exclusions, before k.5
    end_day: date          # the day at whose end (24:00) the period ends, after k.5
    excluded_days: int = 0  # days of the running period not counted (excluded intervals)

    @property
    def moved(self) -> bool:
        """True when Điều 148 k.5 moved the end off a weekly rest day or holiday."""
        return self.end_day != self.last_day

    def ends_at(self, tz: tzinfo) -> datetime:
        """24:00 of the end day (Điều 148 k.6), i.e. 00:00 of the next day, aware in `tz`."""
        return datetime.combine(self.end_day + timedelta(days=1), time(0), tzinfo=tz)

    def expired_on(self, day: date) -> bool:
        """Has the period run out by the start of `day`? (The whole end day still belongs to it.)"""
        return day > self.end_day


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later; the last day of the month where it has no such day (Điều 148 k.3)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def _nominal_last_day(event_day: date, amount: int, unit: str) -> date:
    if unit == "days":
        return event_day + timedelta(days=amount)
    if unit == "weeks":
        return event_day + timedelta(weeks=amount)
    if unit == "months":
        return add_months(event_day, amount)
    if unit == "years":
        return add_months(event_day, 12 * amount)
    raise ValueError(f"unit must be one of {UNITS}")


def _merged(intervals: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    spans = sorted((a, b) for a, b in intervals if a <= b)
    merged: list[tuple[date, date]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _excluded_within(spans, first: date, last: date) -> int:
    return sum(max(0, (min(b, last) - max(a, first)).days + 1) for a, b in spans)


def period(event_day: date, amount: int, unit: str = "days", *,
           is_working_day: Callable[[date], bool] | None = None, move_off_days: bool = True,
           excluded: Iterable[tuple[date, date]] = ()) -> LegalPeriod:
    """The period of `amount` `unit` counted from `event_day` (BLDS 2015 Điều 147–148).

    `is_working_day` (e.g. `Calendar.is_working_day`) is needed for Điều 148 k.5; without it, or with
    `move_off_days=False`, the end stays on the last day. `excluded`: inclusive (from, to) date intervals not
    counted. For days and weeks every excluded day adds a day; for months and years the nominal last day moves
    later by the number of excluded days (the excluded time is added back, as NĐ 172/2025 Điều 5 k.6 reads
    "không tính vào thời hiệu, thời hạn").
    """
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("amount must be a whole number ≥ 0")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}")
    first_day = event_day + timedelta(days=1)
    last_day = _nominal_last_day(event_day, amount, unit)
    spans = _merged(excluded)
    skipped = 0
    if spans and amount:
        # Extend until the days added back are themselves counted (an excluded interval may start later).
        while True:
            wanted = _excluded_within(spans, first_day, _nominal_last_day(event_day, amount, unit)
                                      + timedelta(days=skipped))
            if wanted == skipped:
                break
            skipped = wanted
        last_day = last_day + timedelta(days=skipped)
    end_day = last_day
    if move_off_days and is_working_day is not None and amount:
        for _ in range(366):  # Tết and its swaps never reach a year; a bound, not a rule
            if is_working_day(end_day):
                break
            end_day += timedelta(days=1)
        else:
            raise ValueError("no working day within a year after the last day")
    return LegalPeriod(event_day, first_day, last_day, end_day, skipped)


def days_remaining(p: LegalPeriod, today: date) -> int:
    """Whole days left after `today` until the period ends (0 on the end day, negative once expired)."""
    return (p.end_day - today).days
