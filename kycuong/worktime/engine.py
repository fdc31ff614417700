"""Working-time calendar: appointment dates ("ngày hẹn trả kết quả") for one-stop-shop dossiers.

Rules encoded (docs/legal/working-time.md §2.3, §8):

* Civil service works Monday-Friday (QĐ 188/1999/QĐ-TTg); the clock runs only inside the daily
  working windows of working days. A working day is a weekday that is not in ``holidays`` (public
  holidays + official day-off swaps), or any date in ``makeup_workdays`` (make-up Saturdays): a
  make-up date is a working day even if it is a weekend or is also listed as a holiday.
* 1 working day = the length of a full day's windows (8 h by default); half days are allowed; hours
  must be whole minutes (Hà Nội / Nghệ An processes: "mỗi ngày 08 giờ làm việc", steps of 1/2 day).
* Effective start: an instant inside a window counts from itself; outside a window (before opening,
  at lunch, after closing, non-working day) it counts from the next window opening. With a per-procedure
  ``cutoff`` (e.g. 15:00), a receipt strictly after the cut-off on a working day counts from the next
  working day's first window; 15:00:00 itself is not after 15:00.
* The due instant is the moment the last working second is used: a limit ending exactly at a window end
  is due at that end (17:00, or 12:00), never at the next opening. Amount 0 is due at the effective start.
* ``calendar_days`` (for procedures whose limit is in days, not working days): the due instant is the
  end of the last window of ``effective_start.date() + N``; if that date is not a working day it moves
  to the end of the next working day (a dossier is never due on a day off). N = 0 therefore means "by
  the end of the effective start's day" (the formula wins over "amount 0 = effective start", which only
  holds for the working units). Pauses with calendar days add, per pause, the number of calendar dates
  the pause spans (``to.date() - from.date()`` in local time) to N: a pause inside one day adds nothing,
  a pause from Friday to Monday adds 3 days. This mirrors how the legal text counts calendar days
  (whole days, not hours) and keeps the result a day-end.
* Pauses (``[from, to)``, e.g. "yêu cầu bổ sung"): the clock stops; the working time left at ``from``
  is spent from ``to`` onwards. A pause starting before the start, or after the due instant reached so
  far (pauses are applied in time order), is ``WT_PAUSE_OUTSIDE_PERIOD``; one starting exactly at that
  due instant is allowed and changes nothing.

Instants are truncated to whole seconds (receipt slips show minutes; sub-second parts would only make
the cut-off and window edges ambiguous). Internally an instant is mapped to ``W`` = working seconds
since the first working day of the precomputed span; ``W`` is non-decreasing in time and constant across
non-working gaps, so a due date is ``W(start) + amount`` mapped back, which costs two bisects.
"""

from __future__ import annotations

import math
import operator
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Mapping
from zoneinfo import ZoneInfo

import numpy as np

from .errors import WorktimeError

__all__ = [
    "UNITS",
    "Calendar",
    "DayInfo",
    "DueResult",
    "Status",
    "parse_windows",
]

UNITS = ("working_days", "working_hours", "calendar_days")

MAX_WORKING_DAYS = 10_000
# "or equivalent" for calendar days: 10,000 working days are about 14,000 calendar days (5 of 7).
MAX_CALENDAR_DAYS = 14_000
_MIN_YEAR, _MAX_YEAR = 1990, 2200
_MIN_ORD = date(_MIN_YEAR, 1, 1).toordinal()
_MAX_ORD = date(_MAX_YEAR, 12, 31).toordinal()
_EPOCH_ORD = date(1970, 1, 1).toordinal()
_DAY = 86_400
# Float amounts are accepted if they are within this distance of a whole step; numpy applies the
# very same IEEE operations, so the scalar and batch paths accept exactly the same floats.
_FLOAT_TOL = 1e-6
_KINDS = ("holiday", "day_off")

_DEFAULT_WINDOWS = ((time(8), time(12)), (time(13), time(17)))


@dataclass(frozen=True)
class DueResult:
    start: datetime
    effective_start: datetime
    due: datetime
    working_seconds: int

    @property
    def working_minutes(self) -> int:
        return self.working_seconds // 60


_new = object.__new__


def _due_result(start, effective_start, due, working_seconds):
    # Same object as DueResult(...), built without the frozen dataclass's four object.__setattr__
    # calls: this is ~1/4 of a scalar due() call.
    r = _new(DueResult)
    d = r.__dict__
    d["start"] = start
    d["effective_start"] = effective_start
    d["due"] = due
    d["working_seconds"] = working_seconds
    return r


class Status(str, Enum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    def __str__(self) -> str:  # templates and logs show the stored value, not "Status.ON_TRACK"
        return self.value


@dataclass(frozen=True)
class DayInfo:
    date: date
    working: bool
    kind: str  # "workday" | "weekend" | "holiday" | "day_off" | "makeup_workday"
    name: str | None


# timedelta(0, s) costs ~0.4 µs; a due() needs one or two, so they are memoised (at most 86,401).
_TD: dict[int, timedelta] = {}


def _td(s: int) -> timedelta:
    td = _TD.get(s)
    if td is None:
        td = _TD[s] = timedelta(0, s)
    return td


def _parse_hhmm(text: str, raw: str) -> time:
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        raise WorktimeError("WT_BAD_WINDOWS", windows=raw)
    h, m = int(parts[0]), int(parts[1])
    if h > 23 or m > 59:
        raise WorktimeError("WT_BAD_WINDOWS", windows=raw)
    return time(h, m)


def parse_windows(text: str) -> tuple[tuple[time, time], ...]:
    """``"08:00-12:00,13:00-17:00"`` -> ``((time(8), time(12)), (time(13), time(17)))``."""
    if not isinstance(text, str) or not text.strip():
        raise WorktimeError("WT_BAD_WINDOWS", windows=text)
    out = []
    for chunk in text.split(","):
        if chunk.count("-") != 1:
            raise WorktimeError("WT_BAD_WINDOWS", windows=text)
        a, b = chunk.split("-")
        out.append((_parse_hhmm(a, text), _parse_hhmm(b, text)))
    return _check_windows(tuple(out), text)


def _check_windows(windows, raw) -> tuple[tuple[time, time], ...]:
    try:
        pairs = tuple((a, b) for a, b in windows)
    except (TypeError, ValueError):
        raise WorktimeError("WT_BAD_WINDOWS", windows=raw) from None
    if not pairs:
        raise WorktimeError("WT_BAD_WINDOWS", windows=raw)
    prev_end = -1
    for a, b in pairs:
        for t in (a, b):
            # Whole minutes keep half a day a whole number of seconds (and match the legal texts).
            if type(t) is not time or t.tzinfo is not None or t.second or t.microsecond:
                raise WorktimeError("WT_BAD_WINDOWS", windows=raw)
        sa, sb = a.hour * 3600 + a.minute * 60, b.hour * 3600 + b.minute * 60
        if sb <= sa or sa < prev_end:
            raise WorktimeError("WT_BAD_WINDOWS", windows=raw)
        prev_end = sb
    return pairs


class _SpanMiss(Exception):
    """Raised inside the engine when the precomputed tables ``t`` do not cover an instant (an
    ``ordinal``) or a working-time position (``w``, relative to ``t``)."""

    def __init__(self, t: _Tables, ordinal: int | None = None, w: int | None = None):
        self.t = t
        self.ordinal = ordinal
        self.w = w


class _Tables:
    """Immutable lookup tables for one span of years; swapped whole when the span is extended, so
    concurrent readers (threads sharing a Calendar) always see a consistent set."""

    __slots__ = (
        "first_year", "last_year", "ord0", "last_k", "nxt", "wd_ord", "n", "cum", "midnight", "closing",
        "const_off", "_np",
    )


class Calendar:
    def __init__(
        self,
        *,
        holidays: Mapping[date, str],
        makeup_workdays: Mapping[date, str] = {},  # noqa: B006 - read-only, copied below
        windows=_DEFAULT_WINDOWS,
        tz: str = "Asia/Ho_Chi_Minh",
        weekend=(5, 6),
        first_year: int = 2020,
        last_year: int = 2035,
        holiday_kinds: Mapping[date, str] | None = None,
    ) -> None:
        if isinstance(windows, str):
            windows = parse_windows(windows)
        self.windows = _check_windows(windows, windows)
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.weekend = tuple(sorted({operator.index(w) for w in weekend}))
        if any(not 0 <= w <= 6 for w in self.weekend):
            raise ValueError(f"weekend days must be 0..6 (Monday=0), got {weekend!r}")
        if not (isinstance(first_year, int) and isinstance(last_year, int)):
            raise TypeError("first_year and last_year must be int")
        if first_year > last_year:
            raise WorktimeError("WT_BAD_RANGE", a=first_year, b=last_year)
        if first_year < _MIN_YEAR or last_year > _MAX_YEAR:
            raise WorktimeError("WT_OUT_OF_RANGE", first_year=first_year, last_year=last_year)

        self._holidays = {_as_date(d): str(n) for d, n in holidays.items()}
        self._makeup = {_as_date(d): str(n) for d, n in makeup_workdays.items()}
        kinds = {_as_date(d): k for d, k in (holiday_kinds or {}).items()}
        bad = {k for k in kinds.values() if k not in _KINDS}
        if bad:
            raise ValueError(f"holiday_kinds values must be 'holiday' or 'day_off', got {bad!r}")
        self._kinds = kinds
        self._hol_ords = frozenset(d.toordinal() for d in self._holidays)
        self._mk_ords = frozenset(d.toordinal() for d in self._makeup)

        # Windows as seconds: (start, end, working seconds before it, working seconds at its end).
        wins, acc = [], 0
        for a, b in self.windows:
            sa, sb = a.hour * 3600 + a.minute * 60, b.hour * 3600 + b.minute * 60
            wins.append((sa, sb, acc, acc + sb - sa))
            acc += sb - sa
        self._wins = tuple(wins)
        self.day_seconds = acc  # 1 working day (8 h with the default windows)
        self._close = wins[-1][1]  # end of the last window: where calendar-day limits fall due
        self._per = {"working_days": acc, "working_hours": 3600}
        self._cap_seconds = MAX_WORKING_DAYS * acc
        self._lock = threading.Lock()
        self._t = self._build(first_year, last_year)

    # ------------------------------------------------------------------ tables

    @property
    def first_year(self) -> int:
        return self._t.first_year

    @property
    def last_year(self) -> int:
        return self._t.last_year

    def _build(self, first_year: int, last_year: int) -> _Tables:
        ord0 = date(first_year, 1, 1).toordinal()
        ord_last = date(last_year, 12, 31).toordinal()
        hol, mk, weekend = self._hol_ords, self._mk_ords, set(self.weekend)
        nxt = [0] * (ord_last - ord0 + 2)
        wd_ord: list[int] = []
        append = wd_ord.append
        for o in range(ord0, ord_last + 1):
            # Index of the first working day >= o: o itself if it is working, else the next one.
            nxt[o - ord0] = len(wd_ord)
            if o in mk or ((o + 6) % 7 not in weekend and o not in hol):
                append(o)
        n = len(wd_ord)
        nxt[-1] = n  # the day after the span: "next working day" is outside, forces an extension
        t = _Tables()
        t.first_year, t.last_year, t.ord0, t.last_k = first_year, last_year, ord0, ord_last - ord0
        t.nxt, t.wd_ord, t.n = nxt, wd_ord, n
        # Cumulative working seconds at each working day's opening (n + 1 entries; the last is the
        # total). Every day has the same windows today, but due() only ever bisects this list, so a
        # per-day profile (seasonal hours) would only change how it is filled.
        dl = self.day_seconds
        t.cum = [i * dl for i in range(n + 1)]
        # Local midnights by wall-clock addition (aware + timedelta never calls zoneinfo; replace()
        # per day would cost ~1 µs each).
        zone, one = self.zone, timedelta(1)
        d = datetime.fromordinal(ord0).replace(tzinfo=zone)
        midnights = []
        for _ in range(ord_last - ord0 + 2):
            midnights.append(d)
            d += one
        t.midnight = [midnights[o - ord0] for o in wd_ord]
        close = timedelta(seconds=self._close)
        t.closing = [m + close for m in t.midnight]
        # Constant UTC offset over the span (checked at every local midnight, plus the day after the
        # span) allows the batch path to do plain integer arithmetic, and the scalar path to skip
        # zoneinfo when an instant arrives with a fixed +07:00 offset.
        offs = {m.utcoffset() for m in midnights}
        t.const_off = offs.pop() if len(offs) == 1 else None
        t._np = None
        return t

    def _extend(self, miss: _SpanMiss) -> None:
        # Serialised so that two threads extending in opposite directions keep both extensions
        # (each reads the tables the other just published).
        with self._lock:
            self._extend_locked(miss)

    def _extend_locked(self, miss: _SpanMiss) -> None:
        t = self._t
        if miss.t is not t:
            return  # another thread replaced the tables meanwhile: the caller retries on them
        fy, ly = t.first_year, t.last_year
        if miss.ordinal is not None:
            if not _MIN_ORD <= miss.ordinal <= _MAX_ORD:
                raise WorktimeError("WT_OUT_OF_RANGE", date=_safe_date(miss.ordinal))
            y = date.fromordinal(miss.ordinal).year
            # +1 year of margin: the "next working day" of 31 December lives in the next year.
            fy, ly = min(fy, y), max(ly, y + 1)
        else:
            # A target W past the end: grow by the missing working time (>= 200 working days a year).
            missing = miss.w - t.cum[-1]
            ly += missing // (self.day_seconds * 200) + 1
        fy, ly = max(fy, _MIN_YEAR), min(ly, _MAX_YEAR)
        if (fy, ly) == (t.first_year, t.last_year):
            raise WorktimeError("WT_OUT_OF_RANGE", first_year=fy, last_year=ly)
        self._t = self._build(fy, ly)

    # ------------------------------------------------------------------ conversions

    def _local(self, x, field: str) -> datetime:
        """An aware datetime as wall time in the calendar's zone (tzinfo = the zone)."""
        if not isinstance(x, datetime):
            raise WorktimeError("WT_NAIVE_DATETIME", field=field)
        tzi = x.tzinfo
        if tzi is self.zone:
            return x
        if tzi is None:
            raise WorktimeError("WT_NAIVE_DATETIME", field=field)
        off = tzi.utcoffset(x)
        if off is None:
            raise WorktimeError("WT_NAIVE_DATETIME", field=field)
        t = self._t
        if t.const_off is not None and off == t.const_off and t.first_year <= x.year <= t.last_year:
            # Same wall clock as the zone's: the zone's offset is constant over the span, so a
            # fixed +07:00 instant needs no zoneinfo conversion.
            return x.replace(tzinfo=self.zone)
        try:
            return x.astimezone(self.zone)
        except OverflowError:
            raise WorktimeError("WT_OUT_OF_RANGE", field=field) from None

    def _w(self, t: _Tables, o: int, s: int) -> tuple[int, bool]:
        """Working seconds since the span's first working day at local (ordinal, second-of-day),
        and whether the instant is inside a window (i.e. is its own effective start)."""
        k = o - t.ord0
        if k < 0 or k > t.last_k:
            raise _SpanMiss(t, ordinal=o)
        i = t.nxt[k]
        if i >= t.n:
            raise _SpanMiss(t, ordinal=o + 366)
        if t.wd_ord[i] != o:
            return t.cum[i], False
        for ws, we, cb, _ce in self._wins:
            if s < we:
                if s >= ws:
                    return t.cum[i] + cb + s - ws, True
                return t.cum[i] + cb, False
        return t.cum[i] + self.day_seconds, False

    def _at_end(self, t: _Tables, w: int) -> tuple[int, int]:
        """Earliest instant at which W reaches w (w > 0): (working-day index, second-of-day).
        A w on a day boundary maps to the end of the earlier day's last window (17:00, not 08:00)."""
        i = bisect_left(t.cum, w) - 1
        if i >= t.n or i < 0:
            raise _SpanMiss(t, w=w)
        r = w - t.cum[i]
        for _ws, we, _cb, ce in self._wins:
            if r <= ce:
                return i, we - (ce - r)
        raise AssertionError("unreachable: r <= day_seconds")

    def _at_open(self, t: _Tables, w: int) -> tuple[int, int]:
        """Latest instant with W == w, i.e. the working moment from which w counts (a window
        opening when w sits on a window boundary): the effective start."""
        i = bisect_right(t.cum, w) - 1
        if i >= t.n:
            raise _SpanMiss(t, w=w + 1)
        r = w - t.cum[i]
        for ws, _we, cb, ce in self._wins:
            if r < ce:
                return i, ws + (r - cb)
        raise AssertionError("unreachable: r < day_seconds")

    def _amount(self, amount, unit: str) -> int:
        """Amount in ``unit`` -> working seconds (working units) or whole days (calendar_days)."""
        if unit == "working_days":
            cap, step = MAX_WORKING_DAYS, 2  # halves
        elif unit == "working_hours":
            cap, step = MAX_WORKING_DAYS * self.day_seconds / 3600, 60  # minutes
        else:
            cap, step = MAX_CALENDAR_DAYS, 1
        if isinstance(amount, bool):
            raise WorktimeError("WT_BAD_AMOUNT", amount=amount)
        if isinstance(amount, np.floating):
            amount = float(amount)
        if isinstance(amount, float):
            if not math.isfinite(amount):
                raise WorktimeError("WT_BAD_AMOUNT", amount=amount)
            if amount < 0:
                raise WorktimeError("WT_NEGATIVE_AMOUNT", amount=amount)
            if amount > cap:
                raise WorktimeError("WT_BAD_AMOUNT", amount=amount)
            m = amount * step
            steps = round(m)
            if abs(m - steps) > _FLOAT_TOL:
                raise WorktimeError("WT_AMOUNT_GRANULARITY", amount=amount, unit=unit)
        else:
            if isinstance(amount, str):
                try:
                    amount = Decimal(amount.strip())
                except InvalidOperation:
                    raise WorktimeError("WT_BAD_AMOUNT", amount=amount) from None
            elif not isinstance(amount, Decimal):
                try:
                    amount = operator.index(amount)  # int, numpy integers
                except TypeError:
                    raise WorktimeError("WT_BAD_AMOUNT", amount=amount) from None
            if isinstance(amount, Decimal) and not amount.is_finite():
                raise WorktimeError("WT_BAD_AMOUNT", amount=str(amount))
            if amount < 0:
                raise WorktimeError("WT_NEGATIVE_AMOUNT", amount=str(amount))
            if amount > cap:
                raise WorktimeError("WT_BAD_AMOUNT", amount=str(amount))
            m = amount * step
            if m != int(m):
                raise WorktimeError("WT_AMOUNT_GRANULARITY", amount=str(amount), unit=unit)
            steps = int(m)
        if unit == "working_days":
            return steps * self.day_seconds // 2
        if unit == "working_hours":
            return steps * 60
        return steps

    @staticmethod
    def _cutoff_seconds(cutoff) -> int | None:
        if cutoff is None:
            return None
        if isinstance(cutoff, str):
            try:
                h, m = cutoff.strip().split(":")
                cutoff = time(int(h), int(m))
            except ValueError:
                raise WorktimeError("WT_BAD_CUTOFF", cutoff=cutoff) from None
        if type(cutoff) is not time or cutoff.tzinfo is not None or cutoff.microsecond:
            raise WorktimeError("WT_BAD_CUTOFF", cutoff=str(cutoff))
        return cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second

    # ------------------------------------------------------------------ due

    def due(self, start: datetime, amount, unit: str, cutoff: time | None = None, pauses=()) -> DueResult:
        # Fast path, the shape of nearly every call: an int amount of a working unit, a start inside
        # a window of a working day in the calendar's own zone, no cut-off, no pause. Same arithmetic
        # as _due() (tests compare both), minus the generality; anything else falls through.
        if (
            type(amount) is int
            and type(start) is datetime
            and start.tzinfo is self.zone
            and cutoff is None
            and not pauses
            and not start.microsecond
        ):
            per = self._per.get(unit)
            if per is not None:
                q = amount * per
                t = self._t
                k = start.toordinal() - t.ord0
                if 0 <= q <= self._cap_seconds and 0 <= k <= t.last_k:
                    i = t.nxt[k]
                    if i < t.n and t.wd_ord[i] == k + t.ord0:
                        s = start.hour * 3600 + start.minute * 60 + start.second
                        cum = t.cum
                        for ws, we, cb, _ce in self._wins:
                            if s < we:
                                if s >= ws:
                                    if q == 0:
                                        return _due_result(start, start, start, 0)
                                    w = cum[i] + cb + s - ws + q
                                    j = bisect_left(cum, w) - 1
                                    if j < t.n:
                                        r = w - cum[j]
                                        if r == self.day_seconds:
                                            due = t.closing[j]  # whole days end at closing time
                                        else:
                                            for _ws, we2, _cb, ce in self._wins:
                                                if r <= ce:
                                                    sd = we2 - (ce - r)
                                                    break
                                            td = _TD.get(sd)
                                            if td is None:
                                                td = _td(sd)
                                            due = t.midnight[j] + td
                                        # inlined _due_result(): a call is ~5 % of this path
                                        res = _new(DueResult)
                                        d = res.__dict__
                                        d["start"] = start
                                        d["effective_start"] = start
                                        d["due"] = due
                                        d["working_seconds"] = q
                                        return res
                                break
        while True:
            try:
                return self._due(start, amount, unit, cutoff, pauses)
            except _SpanMiss as miss:
                self._extend(miss)

    def _due(self, start, amount, unit, cutoff, pauses, q=None) -> DueResult:
        t = self._t  # one consistent table set for the whole computation
        pauses = tuple(pauses) if pauses else ()  # may be a generator; read more than once
        # --- amount -> q (working seconds, or days for calendar_days); ints skip Decimal entirely.
        if unit == "working_days":
            if q is not None:
                pass
            elif type(amount) is int and 0 <= amount <= MAX_WORKING_DAYS:
                q = amount * self.day_seconds
            else:
                q = self._amount(amount, unit)
        elif unit == "working_hours":
            if q is not None:
                pass
            elif type(amount) is int and 0 <= amount * 3600 <= MAX_WORKING_DAYS * self.day_seconds:
                q = amount * 3600
            else:
                q = self._amount(amount, unit)
        elif unit == "calendar_days":
            if q is None:
                q = self._amount(amount, unit)
        else:
            raise WorktimeError("WT_UNKNOWN_UNIT", unit=unit)

        # --- start -> local wall time; no zoneinfo work when it already is in the calendar's zone.
        if type(start) is datetime and start.tzinfo is self.zone:
            loc = start
        else:
            loc = self._local(start, "start")
        o = loc.toordinal()
        s = loc.hour * 3600 + loc.minute * 60 + loc.second

        # --- effective start
        w0, inside = self._w(t, o, s)
        if cutoff is not None:
            cut = self._cutoff_seconds(cutoff)
            if s > cut:
                i = t.nxt[o - t.ord0]  # in range: _w() checked it
                if t.wd_ord[i] == o:
                    # After the cut-off on a working day: the next working day's first window.
                    w0, inside = t.cum[i + 1], False
        if inside and not loc.microsecond:
            eff = loc  # the common case: start inside a window, nothing to build
        else:
            i0, s0 = self._at_open(t, w0)
            eff = t.midnight[i0] + _td(s0)

        if unit != "calendar_days":
            if pauses:
                w_due, worked = self._apply_pauses_working(t, o * _DAY + s, w0, w0 + q, pauses)
            else:
                w_due, worked = w0 + q, q
            if w_due == w0:
                due = eff
            else:
                i, sd = self._at_end(t, w_due)
                due = t.midnight[i] + _td(sd)
            return _due_result(loc, eff, due, worked)

        # --- calendar days
        eff_ord = eff.toordinal()
        i = self._calendar_due(t, eff_ord + q)
        if pauses:
            i = self._apply_pauses_calendar(t, o * _DAY + s, eff_ord, q, i, pauses)
        w_due = t.cum[i + 1]
        worked = w_due - w0
        if pauses:
            worked -= self._paused(self._pauses(t, pauses, o * _DAY + s), w0, w_due)
        return _due_result(loc, eff, t.midnight[i] + _td(self._close), worked)

    def _calendar_due(self, t: _Tables, target_ord: int) -> int:
        """Working-day index of ``target_ord`` or, if it is a day off, of the next working day (the
        due instant is the end of that day's last window)."""
        k = target_ord - t.ord0
        if k < 0 or k > t.last_k:
            raise _SpanMiss(t, ordinal=target_ord)
        i = t.nxt[k]
        if i >= t.n:
            raise _SpanMiss(t, ordinal=target_ord + 366)
        return i

    def _pauses(self, t: _Tables, pauses, start_key: int) -> list[tuple]:
        """Validate and sort pauses: list of (from_key, to_key, W(from), W(to), from_ord, to_ord);
        keys are local wall seconds (comparable instants in a constant-offset zone)."""
        out = []
        for p in pauses:
            try:
                a, b = p
            except (TypeError, ValueError):
                raise WorktimeError("WT_PAUSE_INVALID", pause=repr(p)) from None
            if not (isinstance(a, datetime) and isinstance(b, datetime)):
                raise WorktimeError("WT_PAUSE_INVALID", pause=repr(p))
            if a.utcoffset() is None or b.utcoffset() is None:
                raise WorktimeError("WT_PAUSE_INVALID", pause=repr(p))
            la, lb = self._local(a, "pause"), self._local(b, "pause")
            oa, ob = la.toordinal(), lb.toordinal()
            sa = la.hour * 3600 + la.minute * 60 + la.second
            sb = lb.hour * 3600 + lb.minute * 60 + lb.second
            ka, kb = oa * _DAY + sa, ob * _DAY + sb
            if kb <= ka:
                raise WorktimeError("WT_PAUSE_INVALID", pause=repr(p))
            out.append((ka, kb, self._w(t, oa, sa)[0], self._w(t, ob, sb)[0], oa, ob))
        out.sort()
        for prev, cur in zip(out, out[1:], strict=False):  # neighbours
            if cur[0] < prev[1]:
                raise WorktimeError("WT_PAUSE_INVALID", reason="overlap")
        if out and out[0][0] < start_key:
            raise WorktimeError("WT_PAUSE_OUTSIDE_PERIOD", reason="before_start")
        return out

    def _apply_pauses_working(self, t, start_key, w0, w_due, pauses) -> tuple[int, int]:
        ps = self._pauses(t, pauses, start_key)
        for ka, _kb, wa, wb, _oa, _ob in ps:
            if w_due == w0:
                i, sd = self._at_open(t, w0)
            else:
                i, sd = self._at_end(t, w_due)
            if ka > t.wd_ord[i] * _DAY + sd:
                raise WorktimeError("WT_PAUSE_OUTSIDE_PERIOD", reason="after_due")
            left = w_due - max(wa, w0)  # working time still to spend when the pause begins
            if left > 0:
                # The clock stops at `from` and resumes at `to` (or at the effective start if the
                # pause ends before the clock ever started).
                w_due = max(wb, w0) + left
        return w_due, w_due - w0 - self._paused(ps, w0, w_due)

    def _apply_pauses_calendar(self, t, start_key, eff_ord, q, i, pauses) -> int:
        n_days = q
        for ka, _kb, _wa, _wb, oa, ob in self._pauses(t, pauses, start_key):
            due_key = t.wd_ord[i] * _DAY + self._close
            if ka > due_key:
                raise WorktimeError("WT_PAUSE_OUTSIDE_PERIOD", reason="after_due")
            if ka == due_key:
                continue  # starts as the limit expires: nothing left to suspend
            n_days += ob - oa
            i = self._calendar_due(t, eff_ord + n_days)
        return i

    @staticmethod
    def _paused(ps, w0, w_due) -> int:
        """Working seconds inside the pauses and inside [w0, w_due]."""
        total = 0
        for _ka, _kb, wa, wb, _oa, _ob in ps:
            lo, hi = max(wa, w0), min(max(wb, w0), w_due)
            if hi > lo:
                total += hi - lo
        return total

    # ------------------------------------------------------------------ elapsed / status

    def _w_many(self, *pairs) -> list[int]:
        """W of several (instant, field) pairs, all read from the same tables."""
        locs = [(self._local(x, f)) for x, f in pairs]
        keys = [(x.toordinal(), x.hour * 3600 + x.minute * 60 + x.second) for x in locs]
        while True:
            t = self._t
            try:
                return [self._w(t, o, s)[0] for o, s in keys]
            except _SpanMiss as miss:
                self._extend(miss)

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Working time between two aware instants (an instant outside a window counts as the next
        window opening)."""
        wa, wb = self._w_many((a, "a"), (b, "b"))
        if a > b:
            raise WorktimeError("WT_BAD_RANGE", a=a.isoformat(), b=b.isoformat())
        return timedelta(seconds=wb - wa)

    def status(self, now: datetime, due: datetime) -> Status:
        """OVERDUE after the due instant; DUE_SOON when at most one full working day (8 h) remains."""
        wn, wd = self._w_many((now, "now"), (due, "due"))
        if now > due:
            return Status.OVERDUE
        if wd - wn <= self.day_seconds:
            return Status.DUE_SOON
        return Status.ON_TRACK

    # ------------------------------------------------------------------ days

    def _day(self, d, field: str) -> date:
        if isinstance(d, datetime):
            d = self._local(d, field).date()
        elif not isinstance(d, date):
            raise TypeError(f"{field} must be a date")
        if not _MIN_YEAR <= d.year <= _MAX_YEAR:
            raise WorktimeError("WT_OUT_OF_RANGE", date=d.isoformat())
        return d

    def is_working_day(self, d: date) -> bool:
        d = self._day(d, "d")
        return d in self._makeup or (d.weekday() not in self.weekend and d not in self._holidays)

    def day_info(self, d: date) -> DayInfo:
        d = self._day(d, "d")
        if d in self._makeup:
            return DayInfo(d, True, "makeup_workday", self._makeup[d])
        if d in self._holidays:
            return DayInfo(d, False, self._kinds.get(d, "holiday"), self._holidays[d])
        if d.weekday() in self.weekend:
            return DayInfo(d, False, "weekend", None)
        return DayInfo(d, True, "workday", None)

    def non_working_days(self, a: date, b: date) -> list[DayInfo]:
        """Every non-working day in [a, b] and every make-up working day in [a, b], in date order."""
        a, b = self._day(a, "a"), self._day(b, "b")
        if a > b:
            raise WorktimeError("WT_BAD_RANGE", a=a.isoformat(), b=b.isoformat())
        out = []
        for o in range(a.toordinal(), b.toordinal() + 1):
            info = self.day_info(date.fromordinal(o))
            if info.kind != "workday":
                out.append(info)
        return out

    # ------------------------------------------------------------------ batch

    def _np_tables(self, t: _Tables) -> dict:
        # Built on first batch use only; racing threads build identical arrays, harmless.
        if t._np is None:
            dl = self.day_seconds
            sod = np.arange(_DAY, dtype=np.int64)
            worked_at = np.zeros(_DAY, dtype=np.int64)
            inv_end = np.zeros(dl + 1, dtype=np.int64)
            inv_open = np.zeros(dl, dtype=np.int64)
            inside = np.zeros(_DAY, dtype=bool)
            for ws, we, cb, ce in self._wins:
                worked_at += np.clip(sod - ws, 0, we - ws)
                inside |= (sod >= ws) & (sod < we)
                r = np.arange(cb + 1, ce + 1)
                inv_end[r] = we - (ce - r)
                r = np.arange(cb, ce)
                inv_open[r] = ws + (r - cb)
            t._np = {
                "nxt": np.asarray(t.nxt, dtype=np.int64),
                # sentinel -1 at index n: "no working day" never equals an ordinal
                "wd_ord": np.asarray(t.wd_ord + [-1], dtype=np.int64),
                "cum": np.asarray(t.cum, dtype=np.int64),
                "worked_at": worked_at,
                "inv_end": inv_end,
                "inv_open": inv_open,
            }
        return t._np

    def _amounts_np(self, amounts, unit: str) -> np.ndarray:
        """Vectorised ``_amount``: same rules, same float tolerance, same error codes."""
        a = np.asarray(amounts)
        if a.dtype == bool or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
            if a.dtype == object or a.dtype.kind in "USO":
                # Decimal / str rows: exact scalar rules, row by row.
                return np.fromiter((self._amount(x, unit) for x in a.ravel()), dtype=np.int64, count=a.size)
            raise WorktimeError("WT_BAD_AMOUNT", amount=str(a.dtype))
        if unit == "working_days":
            cap, step = MAX_WORKING_DAYS, 2
        elif unit == "working_hours":
            cap, step = MAX_WORKING_DAYS * self.day_seconds / 3600, 60
        else:
            cap, step = MAX_CALENDAR_DAYS, 1
        if np.issubdtype(a.dtype, np.floating):
            a = a.astype(np.float64, copy=False)
            bad = ~np.isfinite(a)
            if bad.any():
                raise WorktimeError("WT_BAD_AMOUNT", row=int(np.argmax(bad)))
            if (a < 0).any():
                raise WorktimeError("WT_NEGATIVE_AMOUNT", row=int(np.argmax(a < 0)))
            if (a > cap).any():
                raise WorktimeError("WT_BAD_AMOUNT", row=int(np.argmax(a > cap)))
            m = a * step
            steps = np.rint(m)
            off = np.abs(m - steps) > _FLOAT_TOL
            if off.any():
                raise WorktimeError("WT_AMOUNT_GRANULARITY", row=int(np.argmax(off)), unit=unit)
            steps = steps.astype(np.int64)
        else:
            a = a.astype(np.int64)
            if (a < 0).any():
                raise WorktimeError("WT_NEGATIVE_AMOUNT", row=int(np.argmax(a < 0)))
            if (a > cap).any():
                raise WorktimeError("WT_BAD_AMOUNT", row=int(np.argmax(a > cap)))
            steps = a * step
        if unit == "working_days":
            return steps * self.day_seconds // 2
        if unit == "working_hours":
            return steps * 60
        return steps

    def due_many(self, starts, amounts, unit: str = "working_hours", cutoff=None) -> np.ndarray:
        """Batch ``due(...).due`` for recomputing every open dossier when a calendar changes.

        ``starts``: int64 UTC epoch seconds; ``amounts``: amounts in ``unit``; returns int64 UTC
        epoch seconds of the due instants, equal to the scalar ``due()``. No pauses here."""
        if unit not in UNITS:
            raise WorktimeError("WT_UNKNOWN_UNIT", unit=unit)
        starts = np.asarray(starts)
        if not np.issubdtype(starts.dtype, np.integer):
            # Epoch seconds are UTC by definition; anything else is a programming error.
            raise TypeError("starts must be an integer array of UTC epoch seconds")
        starts = starts.astype(np.int64, copy=False)
        q = self._amounts_np(amounts, unit)
        starts, q = np.broadcast_arrays(starts, q)
        cut = self._cutoff_seconds(cutoff)
        if starts.size == 0:
            return np.zeros(starts.shape, dtype=np.int64)
        if self._t.const_off is None:
            return self._due_many_scalar(starts, q, unit, cutoff)
        while True:
            t = self._t
            if t.const_off is None:  # an extension reached a span with an offset change
                return self._due_many_scalar(starts, q, unit, cutoff)
            try:
                return self._due_many_np(t, starts, q, unit, cut)
            except _SpanMiss as miss:
                self._extend(miss)

    def _due_many_scalar(self, starts, q, unit, cutoff) -> np.ndarray:
        # Fallback for zones whose UTC offset changes inside the span: exact, not fast.
        out = np.empty(starts.shape, dtype=np.int64)
        flat = out.reshape(-1)
        for idx, (s0, qi) in enumerate(zip(starts.ravel().tolist(), q.ravel().tolist(), strict=True)):
            st = datetime.fromtimestamp(s0, self.zone)
            while True:
                try:
                    r = self._due(st, None, unit, cutoff, (), q=qi)
                    break
                except _SpanMiss as miss:
                    self._extend(miss)
            flat[idx] = int(r.due.timestamp())
        return out

    def _due_many_np(self, t: _Tables, starts, q, unit, cut) -> np.ndarray:
        a = self._np_tables(t)
        off = int(t.const_off.total_seconds())
        loc = starts + off
        o = loc // _DAY + _EPOCH_ORD
        s = loc - (o - _EPOCH_ORD) * _DAY
        lo, hi = int(o.min()), int(o.max())
        if lo < _MIN_ORD or hi > _MAX_ORD:
            raise WorktimeError("WT_OUT_OF_RANGE", date=_safe_date(lo if lo < _MIN_ORD else hi))
        if lo < t.ord0:
            raise _SpanMiss(t, ordinal=lo)
        if hi - t.ord0 > t.last_k:
            raise _SpanMiss(t, ordinal=hi)
        nxt, wd_ord, cum = a["nxt"], a["wd_ord"], a["cum"]
        i = nxt[o - t.ord0]
        if int(i.max()) >= t.n:
            raise _SpanMiss(t, ordinal=hi + 366)
        is_wd = wd_ord[i] == o
        w0 = cum[i] + np.where(is_wd, a["worked_at"][s], 0)
        if cut is not None:
            w0 = np.where(is_wd & (s > cut), cum[i + 1], w0)
        if int(w0.max()) >= int(cum[-1]):
            raise _SpanMiss(t, w=int(w0.max()) + 1)
        # effective start: latest instant with W == w0
        j0 = np.searchsorted(cum, w0, side="right") - 1
        if unit == "calendar_days":
            target = wd_ord[j0] + q
            tmax = int(target.max())
            if tmax - t.ord0 > t.last_k:
                raise _SpanMiss(t, ordinal=tmax)
            i2 = nxt[target - t.ord0]
            if int(i2.max()) >= t.n:
                raise _SpanMiss(t, ordinal=tmax + 366)
            return (wd_ord[i2] - _EPOCH_ORD) * _DAY + self._close - off
        w = w0 + q
        if int(w.max()) > int(cum[-1]):
            raise _SpanMiss(t, w=int(w.max()))
        # working units: earliest instant with W == w (end of window on day boundaries)
        j = np.searchsorted(cum, w, side="left") - 1
        zero = q == 0
        j = np.where(zero, j0, j)
        r = w - cum[j]
        sod = np.where(zero, a["inv_open"][np.minimum(r, self.day_seconds - 1)], a["inv_end"][r])
        return (wd_ord[j] - _EPOCH_ORD) * _DAY + sod - off


def _as_date(d) -> date:
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, str):
        return date.fromisoformat(d)
    raise TypeError(f"expected a date, got {d!r}")


def _safe_date(o: int) -> str:
    try:
        return date.fromordinal(o).isoformat()
    except (ValueError, OverflowError):
        return str(o)
