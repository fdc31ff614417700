"""Batch path ``Calendar.due_many`` (recomputing open dossiers when a calendar changes)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from kycuong.worktime import Calendar, WorktimeError

Z = ZoneInfo("Asia/Ho_Chi_Minh")


def ep(*a) -> int:
    return int(datetime(*a, tzinfo=Z).timestamp())


def test_golden_rows(vn_cal):
    """docs/legal/working-time.md §8.2 (Tết 2026, CV 12729/VPCP-KGVX swap) through the batch path."""
    starts = np.array([ep(2026, 2, 13, 17, 30), ep(2026, 3, 2, 10), ep(2026, 1, 9, 8), ep(2026, 3, 2, 8)])
    got = vn_cal.due_many(starts, np.array([8, 4, 16, 0]), "working_hours")
    assert got.tolist() == [ep(2026, 2, 23, 17), ep(2026, 3, 2, 15), ep(2026, 1, 10, 17), ep(2026, 3, 2, 8)]
    got = vn_cal.due_many(starts, np.array([1, 0.5, 2, 1]), "working_days")
    assert got.tolist() == [ep(2026, 2, 23, 17), ep(2026, 3, 2, 15), ep(2026, 1, 10, 17), ep(2026, 3, 2, 17)]
    got = vn_cal.due_many(starts, np.array([0, 5, 1, 0]), "calendar_days")
    assert got.tolist() == [ep(2026, 2, 23, 17), ep(2026, 3, 9, 17), ep(2026, 1, 10, 17), ep(2026, 3, 2, 17)]


def test_cutoff(vn_cal):
    starts = np.array([ep(2026, 3, 2, 14, 59), ep(2026, 3, 2, 15), ep(2026, 3, 2, 15, 1)])
    got = vn_cal.due_many(starts, np.array([1, 1, 1]), "working_hours", cutoff=time(15))
    assert got.tolist() == [ep(2026, 3, 2, 15, 59), ep(2026, 3, 2, 16), ep(2026, 3, 3, 9)]


def test_broadcast_scalar_amount_and_shapes(vn_cal):
    starts = np.array([[ep(2026, 3, 2, 8), ep(2026, 3, 3, 8)]])
    got = vn_cal.due_many(starts, 1, "working_days")
    assert got.shape == (1, 2)
    assert got.tolist() == [[ep(2026, 3, 2, 17), ep(2026, 3, 3, 17)]]
    assert vn_cal.due_many(np.array([], dtype=np.int64), np.array([]), "working_days").size == 0


def test_decimal_and_string_amounts(vn_cal):
    starts = np.array([ep(2026, 3, 2, 8)] * 2)
    amounts = np.array([Decimal("0.5"), "1.5"], dtype=object)
    assert vn_cal.due_many(starts, amounts, "working_days").tolist() == [ep(2026, 3, 2, 12), ep(2026, 3, 3, 12)]


@pytest.mark.parametrize(
    ("amounts", "unit", "code", "row"),
    [
        ([1, -1], "working_hours", "WT_NEGATIVE_AMOUNT", 1),
        ([1.0, np.nan], "working_hours", "WT_BAD_AMOUNT", 1),
        ([1, 10_001], "working_days", "WT_BAD_AMOUNT", 1),
        ([1.0, 0.25], "working_days", "WT_AMOUNT_GRANULARITY", 1),
        ([1.0, 1.5], "calendar_days", "WT_AMOUNT_GRANULARITY", 1),
        ([True, False], "working_days", "WT_BAD_AMOUNT", None),
    ],
)
def test_bad_amounts_name_the_row(vn_cal, amounts, unit, code, row):
    with pytest.raises(WorktimeError) as e:
        vn_cal.due_many(np.array([ep(2026, 3, 2, 8)] * 2), np.array(amounts), unit)
    assert e.value.code == code
    assert e.value.params.get("row") == row


def test_starts_must_be_integer_epoch_seconds(vn_cal):
    with pytest.raises(TypeError):
        vn_cal.due_many(np.array([1.5e9]), np.array([1]))


def test_extends_span(calendar_factory):
    cal = calendar_factory(2025, 2026)
    starts = np.array([ep(2040, 3, 5, 8), ep(2021, 3, 5, 8)])
    got = cal.due_many(starts, np.array([1, 1]), "working_days")
    assert got.tolist() == [ep(2040, 3, 5, 17), ep(2021, 3, 5, 17)]
    assert cal.first_year <= 2021 and cal.last_year >= 2040
    far = cal.due_many(np.array([ep(2026, 3, 2, 8)]), np.array([10_000]), "working_days")
    assert far[0] == int(cal.due(datetime(2026, 3, 2, 8, tzinfo=Z), 10_000, "working_days").due.timestamp())


def test_zone_with_changing_offset_falls_back_to_exact_scalar_loop():
    """The vectorised path assumes a constant UTC offset (true for Asia/Ho_Chi_Minh since 1975);
    a DST zone must still give the scalar results."""
    cal = Calendar(holidays={date(2026, 3, 30): "x"}, tz="Europe/Berlin", first_year=2026, last_year=2026)
    berlin = ZoneInfo("Europe/Berlin")
    starts = [datetime(2026, 3, 27, 16, tzinfo=berlin), datetime(2026, 10, 23, 9, tzinfo=berlin)]
    epoch = np.array([int(s.timestamp()) for s in starts])
    got = cal.due_many(epoch, np.array([3, 30]), "working_hours", cutoff=time(15))
    want = [int(cal.due(s, a, "working_hours", cutoff=time(15)).due.timestamp()) for s, a in zip(starts, [3, 30], strict=True)]
    assert got.tolist() == want
    assert datetime.fromtimestamp(int(got[0]), berlin) == datetime(2026, 3, 31, 11, tzinfo=berlin)


def test_large_batch_matches_sampled_scalar(vn_cal):
    rng = np.random.default_rng(7)
    starts = rng.integers(ep(2024, 1, 1), ep(2027, 12, 31), 20_000)
    amounts = rng.integers(0, 400, 20_000) / 4  # quarter hours
    got = vn_cal.due_many(starts, amounts, "working_hours", cutoff=time(15))
    for k in range(0, 20_000, 401):
        s = datetime.fromtimestamp(int(starts[k]), Z)
        assert got[k] == int(vn_cal.due(s, float(amounts[k]), "working_hours", cutoff=time(15)).due.timestamp())
