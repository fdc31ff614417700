"""Golden appointment dates over the official 2025-2026 calendars (docs/legal/working-time.md §8.2).

Every expected value below was worked out by hand from the announced day-off schedule; default
working windows 08:00-12:00 / 13:00-17:00 (8 h = 1 working day, docs/legal/working-time.md §2.3).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

Z = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=Z)


def kinds(cal, a, b):
    return [(i.date, i.kind) for i in cal.non_working_days(a, b)]


# --------------------------------------------------------------------------- Tết Bính Ngọ 2026


class TestTet2026:
    """docs/legal/working-time.md §8.2: Tết Bính Ngọ 2026, off Sat 14/02 - Sun 22/02, holidays Mon 16 - Fri 20/02
    (CV 9859/VPCP-KGVX, CV 8764/BNV-CVL)."""

    def test_days_off(self, vn_cal):
        got = kinds(vn_cal, date(2026, 2, 13), date(2026, 2, 23))
        assert got == [
            (date(2026, 2, 14), "weekend"),
            (date(2026, 2, 15), "weekend"),
            (date(2026, 2, 16), "holiday"),
            (date(2026, 2, 17), "holiday"),
            (date(2026, 2, 18), "holiday"),
            (date(2026, 2, 19), "holiday"),
            (date(2026, 2, 20), "holiday"),
            (date(2026, 2, 21), "weekend"),
            (date(2026, 2, 22), "weekend"),
        ]
        assert vn_cal.day_info(date(2026, 2, 17)).name == "Tết Nguyên Đán"
        assert vn_cal.is_working_day(date(2026, 2, 13)) and vn_cal.is_working_day(date(2026, 2, 23))

    def test_received_friday_after_hours_one_day_due_monday_23_1700(self, vn_cal):
        r = vn_cal.due(at(2026, 2, 13, 17, 30), 1, "working_days")
        assert r.effective_start == at(2026, 2, 23, 8)
        assert r.due == at(2026, 2, 23, 17)

    def test_received_friday_after_cutoff_one_day_due_monday_23_1700(self, vn_cal):
        """Cut-off 15:00 (docs/legal/working-time.md §2.3, QĐ 1872/QĐ-BTP): 16:00 on Fri 13/02 counts from Mon 23/02."""
        r = vn_cal.due(at(2026, 2, 13, 16), 1, "working_days", cutoff=time(15))
        assert r.effective_start == at(2026, 2, 23, 8)
        assert r.due == at(2026, 2, 23, 17)

    def test_received_friday_opening_one_day_due_same_friday_1700(self, vn_cal):
        assert vn_cal.due(at(2026, 2, 13, 8), 1, "working_days").due == at(2026, 2, 13, 17)

    def test_received_friday_1000_one_day_due_monday_23_1000(self, vn_cal):
        # Fri 10-12 + 13-17 = 6 h, the remaining 2 h on Mon 23/02 after the 9-day break.
        assert vn_cal.due(at(2026, 2, 13, 10), 1, "working_days").due == at(2026, 2, 23, 10)

    def test_three_days_from_friday_1400(self, vn_cal):
        # Fri 3 h + Mon 23 8 h + Tue 24 8 h + Wed 25 5 h (8-12, 13-14).
        assert vn_cal.due(at(2026, 2, 13, 14), 3, "working_days").due == at(2026, 2, 25, 14)

    def test_calendar_days_landing_in_tet_move_to_monday_23(self, vn_cal):
        assert vn_cal.due(at(2026, 2, 13, 10), 3, "calendar_days").due == at(2026, 2, 23, 17)
        assert vn_cal.due(at(2026, 2, 12, 10), 10, "calendar_days").due == at(2026, 2, 23, 17)

    def test_received_during_tet(self, vn_cal):
        r = vn_cal.due(at(2026, 2, 18, 9), 4, "working_hours")
        assert (r.effective_start, r.due) == (at(2026, 2, 23, 8), at(2026, 2, 23, 12))


# --------------------------------------------------------------------------- Tết Dương lịch 2026


class TestNewYear2026Swap:
    """docs/legal/working-time.md §8.2: Tết Dương lịch 2026, holiday Thu 01/01, rest Fri 02/01, work Sat 10/01
    (CV 12729/VPCP-KGVX of 25/12/2025; not in the holidays package, from the override file)."""

    def test_day_kinds(self, vn_cal):
        assert kinds(vn_cal, date(2025, 12, 29), date(2026, 1, 11)) == [
            (date(2026, 1, 1), "holiday"),
            (date(2026, 1, 2), "day_off"),
            (date(2026, 1, 3), "weekend"),
            (date(2026, 1, 4), "weekend"),
            (date(2026, 1, 10), "makeup_workday"),
            (date(2026, 1, 11), "weekend"),
        ]
        info = vn_cal.day_info(date(2026, 1, 2))
        assert (info.working, info.name) == (False, "Nghỉ hoán đổi dịp Tết Dương lịch 2026")
        info = vn_cal.day_info(date(2026, 1, 10))
        assert (info.working, info.name) == (True, "Làm bù cho ngày 2/1/2026")
        assert vn_cal.day_info(date(2026, 1, 1)).name == "Tết Dương lịch"

    def test_two_days_from_new_year_eve(self, vn_cal):
        # Wed 31/12 10:00: 6 h, then Mon 05/01 8 h, Tue 06/01 2 h.
        assert vn_cal.due(at(2025, 12, 31, 10), 2, "working_days").due == at(2026, 1, 6, 10)

    def test_after_hours_new_year_eve(self, vn_cal):
        r = vn_cal.due(at(2025, 12, 31, 17, 30), 1, "working_days")
        assert (r.effective_start, r.due) == (at(2026, 1, 5, 8), at(2026, 1, 5, 17))

    def test_makeup_saturday_is_worked(self, vn_cal):
        # Fri 09/01 + Sat 10/01 (make-up): due on the Saturday, not Mon 12/01.
        assert vn_cal.due(at(2026, 1, 9, 8), 2, "working_days").due == at(2026, 1, 10, 17)
        # 1 h into the week-end: Fri 09/01 16:00 + 2 h = Sat 10/01 09:00.
        assert vn_cal.due(at(2026, 1, 9, 16), 2, "working_hours").due == at(2026, 1, 10, 9)

    def test_received_on_makeup_saturday_counts_from_itself(self, vn_cal):
        r = vn_cal.due(at(2026, 1, 10, 9), 1, "working_days")
        assert r.effective_start == at(2026, 1, 10, 9)
        assert r.due == at(2026, 1, 12, 9)  # Sat 3 h + 4 h, Mon 1 h

    def test_received_on_sunday_after_makeup(self, vn_cal):
        assert vn_cal.due(at(2026, 1, 11, 9), 0, "working_days").effective_start == at(2026, 1, 12, 8)


# --------------------------------------------------------------------------- Giỗ Tổ, 30/4-1/5 2026


class TestGioTo2026And30Thang4:
    """docs/legal/working-time.md §8.2: Giỗ Tổ 2026 = Sun 26/4 observed Mon 27/4 (k.3 Đ.111 BLLĐ); 30/4 - 1/5 on Thu -
    Fri, off Thu 30/4 - Sun 03/5."""

    def test_day_kinds(self, vn_cal):
        assert kinds(vn_cal, date(2026, 4, 24), date(2026, 5, 4)) == [
            (date(2026, 4, 25), "weekend"),
            (date(2026, 4, 26), "holiday"),  # a Sunday, reported as the holiday it is
            (date(2026, 4, 27), "holiday"),
            (date(2026, 4, 30), "holiday"),
            (date(2026, 5, 1), "holiday"),
            (date(2026, 5, 2), "weekend"),
            (date(2026, 5, 3), "weekend"),
        ]
        assert "Giỗ Tổ" in vn_cal.day_info(date(2026, 4, 27)).name

    def test_three_days_skip_compensatory_monday(self, vn_cal):
        # Fri 24/4, Tue 28/4, Wed 29/4.
        assert vn_cal.due(at(2026, 4, 24, 8), 3, "working_days").due == at(2026, 4, 29, 17)

    def test_four_days_across_both_breaks_ends_at_noon(self, vn_cal):
        # Fri 24/4 13:00: 4 h; Tue 28 8 h; Wed 29 8 h; Mon 04/5 8 h; Tue 05/5 08-12.
        assert vn_cal.due(at(2026, 4, 24, 13), 4, "working_days").due == at(2026, 5, 5, 12)

    def test_received_on_30_april(self, vn_cal):
        r = vn_cal.due(at(2026, 4, 30, 10), 1, "working_hours")
        assert (r.effective_start, r.due) == (at(2026, 5, 4, 8), at(2026, 5, 4, 9))

    def test_calendar_days_on_compensatory_monday(self, vn_cal):
        assert vn_cal.due(at(2026, 4, 24, 10), 3, "calendar_days").due == at(2026, 4, 28, 17)


# --------------------------------------------------------------------------- Quốc khánh 2026


class TestNationalDay2026Swap:
    """docs/legal/working-time.md §8.2: Quốc khánh 2026, work Sat 22/8, rest Mon 31/8, holidays Tue 01 - Wed 02/9
    (CV 9859/VPCP-KGVX, CV 8764/BNV-CVL)."""

    def test_day_kinds(self, vn_cal):
        assert kinds(vn_cal, date(2026, 8, 21), date(2026, 9, 3)) == [
            (date(2026, 8, 22), "makeup_workday"),
            (date(2026, 8, 23), "weekend"),
            (date(2026, 8, 29), "weekend"),
            (date(2026, 8, 30), "weekend"),
            (date(2026, 8, 31), "day_off"),
            (date(2026, 9, 1), "holiday"),
            (date(2026, 9, 2), "holiday"),
        ]

    def test_makeup_saturday_22_8(self, vn_cal):
        assert vn_cal.due(at(2026, 8, 21, 8), 2, "working_days").due == at(2026, 8, 22, 17)
        # calendar days: Sat 22/8 is a working day, so the limit may fall due on it
        assert vn_cal.due(at(2026, 8, 21, 10), 1, "calendar_days").due == at(2026, 8, 22, 17)

    def test_friday_before_the_long_weekend(self, vn_cal):
        # Fri 28/8 10:00: 6 h, then Thu 03/9 2 h.
        assert vn_cal.due(at(2026, 8, 28, 10), 1, "working_days").due == at(2026, 9, 3, 10)

    def test_friday_after_cutoff_half_day(self, vn_cal):
        r = vn_cal.due(at(2026, 8, 28, 16), 0.5, "working_days", cutoff=time(15))
        assert (r.effective_start, r.due) == (at(2026, 9, 3, 8), at(2026, 9, 3, 12))


# --------------------------------------------------------------------------- 2025


class Test30Thang4Nam2025Swap:
    """docs/legal/working-time.md §8.2: 30/4-1/5/2025, work Sat 26/4, rest Fri 02/5 (CV 8726/VPCP-KGVX)."""

    def test_day_kinds(self, vn_cal):
        assert kinds(vn_cal, date(2025, 4, 25), date(2025, 5, 5)) == [
            (date(2025, 4, 26), "makeup_workday"),
            (date(2025, 4, 27), "weekend"),
            (date(2025, 4, 30), "holiday"),
            (date(2025, 5, 1), "holiday"),
            (date(2025, 5, 2), "day_off"),
            (date(2025, 5, 3), "weekend"),
            (date(2025, 5, 4), "weekend"),
        ]

    def test_makeup_saturday_26_4(self, vn_cal):
        assert vn_cal.due(at(2025, 4, 25, 8), 2, "working_days").due == at(2025, 4, 26, 17)

    def test_tuesday_afternoon_to_monday_noon(self, vn_cal):
        # Tue 29/4 13:00: 4 h; the next working day is Mon 05/5: 08-12.
        assert vn_cal.due(at(2025, 4, 29, 13), 1, "working_days").due == at(2025, 5, 5, 12)


class TestTet2025:
    """docs/legal/working-time.md §8.2: Tết Ất Tỵ 2025, off Sat 25/01 - Sun 02/02 (TB 6150/TB-BLĐTBXH)."""

    def test_days_off(self, vn_cal):
        off = [i.date for i in vn_cal.non_working_days(date(2025, 1, 24), date(2025, 2, 3))]
        assert off == [date(2025, 1, 25) + timedelta(k) for k in range(9)]

    def test_friday_afternoon_to_monday_3_feb_noon(self, vn_cal):
        assert vn_cal.due(at(2025, 1, 24, 13), 1, "working_days").due == at(2025, 2, 3, 12)

    def test_two_days_from_thursday(self, vn_cal):
        assert vn_cal.due(at(2025, 1, 23, 8), 2, "working_days").due == at(2025, 1, 24, 17)

    def test_calendar_days_inside_tet(self, vn_cal):
        assert vn_cal.due(at(2025, 1, 24, 10), 7, "calendar_days").due == at(2025, 2, 3, 17)


class TestNationalDay2025:
    """docs/legal/working-time.md §8.2: Quốc khánh 2025, off Sat 30/8 - Tue 02/9."""

    def test_friday_afternoon_to_wednesday_noon(self, vn_cal):
        assert vn_cal.due(at(2025, 8, 29, 13), 1, "working_days").due == at(2025, 9, 3, 12)


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (date(2026, 1, 2), False),  # CV 12729/VPCP-KGVX
        (date(2026, 1, 10), True),  # CV 12729/VPCP-KGVX
        (date(2026, 8, 22), True),
        (date(2026, 8, 31), False),
        (date(2025, 4, 26), True),  # CV 8726/VPCP-KGVX
        (date(2025, 5, 2), False),
        (date(2024, 5, 4), True),
        (date(2024, 4, 29), False),
    ],
)
def test_override_file_applied(vn_cal, d, working):
    """docs/legal/working-time.md §8.2 + kycuong/core/data/vn-calendar-overrides.json: every swap in the file."""
    assert vn_cal.is_working_day(d) is working
