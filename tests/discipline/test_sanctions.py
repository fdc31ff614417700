"""The disciplinary rules, article by article (NĐ 172/2025/NĐ-CP; viên chức NĐ 112/2020 + 71/2023).
Pure functions: no database."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kycuong.discipline import sanctions as s

HN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_d7_measures_for_can_bo_include_bai_nhiem_and_cach_chuc_only_with_a_post():
    """NĐ 172/2025 Đ.7 k.1: cán bộ — khiển trách, cảnh cáo, cách chức (post by approval/appointment), bãi nhiệm."""
    assert s.measures_for("can_bo", is_leader=True) == (s.KHIEN_TRACH, s.CANH_CAO, s.CACH_CHUC, s.BAI_NHIEM)
    assert s.measures_for("can_bo") == (s.KHIEN_TRACH, s.CANH_CAO, s.BAI_NHIEM)


def test_d7_measures_for_cong_chuc_cach_chuc_only_for_leaders():
    """NĐ 172/2025 Đ.7 k.2: công chức — khiển trách, cảnh cáo, cách chức (leaders), buộc thôi việc;
    no hạ bậc lương, no giáng chức in 2025."""
    assert s.measures_for("cong_chuc") == (s.KHIEN_TRACH, s.CANH_CAO, s.BUOC_THOI_VIEC)
    assert s.measures_for("cong_chuc", is_leader=True) == (s.KHIEN_TRACH, s.CANH_CAO, s.CACH_CHUC, s.BUOC_THOI_VIEC)
    assert "ha_bac_luong" not in s.WEIGHT and "giang_chuc" not in s.WEIGHT


def test_nd112_vien_chuc_measures_marked_unverified():
    """NĐ 112/2020 as amended by NĐ 71/2023 (viên chức): ⚠️ not re-verified, so flagged for the screen."""
    assert s.measures_for("vien_chuc") == (s.KHIEN_TRACH, s.CANH_CAO, s.BUOC_THOI_VIEC)
    assert "vien_chuc" in s.UNVERIFIED and "cong_chuc" not in s.UNVERIFIED
    assert s.measures_for("lao_dong") == ()


def test_d2_k2_several_acts_one_measure_the_heaviest():
    """NĐ 172/2025 Đ.2 k.2: several violations in one case → one measure, the heaviest."""
    assert s.heaviest([s.KHIEN_TRACH, s.CANH_CAO, s.KHIEN_TRACH]) == s.CANH_CAO
    assert s.heaviest([s.CANH_CAO, s.BUOC_THOI_VIEC]) == s.BUOC_THOI_VIEC
    assert s.heaviest([]) is None


def test_d2_k3_one_level_heavier_during_an_active_decision():
    """NĐ 172/2025 Đ.2 k.3: a violation while a decision is in force → one level heavier (the next measure
    the person may receive; a công chức without a post goes from cảnh cáo to buộc thôi việc)."""
    assert s.one_level_heavier(s.KHIEN_TRACH, "cong_chuc") == s.CANH_CAO
    assert s.one_level_heavier(s.CANH_CAO, "cong_chuc") == s.BUOC_THOI_VIEC
    assert s.one_level_heavier(s.CANH_CAO, "cong_chuc", is_leader=True) == s.CACH_CHUC
    assert s.one_level_heavier(s.BAI_NHIEM, "can_bo") == s.BAI_NHIEM


def test_d8_to_d11_suggested_measure_from_severity_and_repetition():
    """Đ.8 (first, minor → khiển trách), Đ.9 (serious or repeat after khiển trách → cảnh cáo), Đ.10–11
    (very serious or repeat after cảnh cáo → cách chức for leaders, else buộc thôi việc)."""
    assert s.suggested_measure(s.MINOR, "cong_chuc") == s.KHIEN_TRACH
    assert s.suggested_measure(s.SERIOUS, "cong_chuc") == s.CANH_CAO
    assert s.suggested_measure(s.MINOR, "cong_chuc", prior=s.KHIEN_TRACH) == s.CANH_CAO
    assert s.suggested_measure(s.VERY_SERIOUS, "cong_chuc", is_leader=True) == s.CACH_CHUC
    assert s.suggested_measure(s.MINOR, "cong_chuc", prior=s.CANH_CAO) == s.BUOC_THOI_VIEC


def test_d5_k3_limitation_5_years_for_khien_trach_10_years_otherwise():
    """NĐ 172/2025 Đ.5 k.3: 60 months for violations warranting khiển trách, 120 months otherwise,
    counted from the end of the violation; a notice after the expiry is out of time."""
    end = date(2020, 3, 15)
    assert s.limitation_expiry(end, s.KHIEN_TRACH) == date(2025, 3, 15)
    assert s.limitation_expiry(end, s.CANH_CAO) == date(2030, 3, 15)
    assert not s.limitation_expired(date(2025, 3, 15), date(2025, 3, 15))
    assert s.limitation_expired(date(2025, 3, 16), date(2025, 3, 15))


def test_d5_k3_limitation_restarts_on_a_new_violation():
    """NĐ 172/2025 Đ.5 k.3: a new violation within the period restarts it from the new violation."""
    assert s.limitation_expiry(date(2020, 1, 10), s.KHIEN_TRACH, later_violations=[date(2023, 6, 1)]) == date(2028, 6, 1)
    # a "new" violation after the expiry does not revive an expired period
    assert s.limitation_expiry(date(2015, 1, 10), s.KHIEN_TRACH, later_violations=[date(2023, 6, 1)]) == date(2020, 1, 10)


@pytest.mark.parametrize("reason", sorted(s.NO_LIMITATION_REASONS))
def test_d5_k4_cases_without_limitation(reason):
    """NĐ 172/2025 Đ.5 k.4: no limitation for party expulsion, internal political protection, national
    interests in defence/security/foreign affairs, forged or illegal diplomas."""
    assert s.limitation_expiry(date(1990, 1, 1), s.KHIEN_TRACH, no_limitation_reason=reason) is None
    assert not s.limitation_expired(date(2026, 1, 1), None)


def test_d5_k5_processing_limit_90_days_150_if_complex():
    """NĐ 172/2025 Đ.5 k.5: decided within 90 days of discovery, 150 for a complex case."""
    assert s.processing_deadline(date(2026, 1, 1)) == date(2026, 3, 31)       # day 1 = 1/1, day 90 = 31/3
    assert s.processing_deadline(date(2026, 1, 1), complex_case=True) == date(2026, 5, 30)


def test_d5_k6_and_d3_deferral_periods_are_not_counted():
    """NĐ 172/2025 Đ.5 k.6 (with Đ.3): deferral time (illness, maternity, prosecution), criminal
    proceedings, complaints are excluded — the deadline moves by their length; overlaps count once and
    a period before discovery or after the deadline moves nothing."""
    base = s.processing_deadline(date(2026, 1, 1))
    leave = s.Period(date(2026, 2, 1), date(2026, 2, 10))  # 10 days
    assert s.processing_deadline(date(2026, 1, 1), excluded=[leave]) == date(2026, 4, 10)
    overlapping = [leave, s.Period(date(2026, 2, 5), date(2026, 2, 14))]  # 1/2–14/2 = 14 days
    assert s.processing_deadline(date(2026, 1, 1), excluded=overlapping) == date(2026, 4, 14)
    assert s.processing_deadline(date(2026, 1, 1), excluded=[s.Period(date(2025, 12, 1), date(2025, 12, 31))]) == base
    assert s.processing_deadline(date(2026, 1, 1), excluded=[s.Period(date(2026, 6, 1), date(2026, 6, 30))]) == base


def test_d3_no_step_during_a_deferral():
    """NĐ 172/2025 Đ.3: while a deferral lasts the case takes no step."""
    periods = [s.Period(date(2026, 2, 1), date(2026, 2, 10))]
    assert s.deferred_on(date(2026, 2, 10), periods)
    assert not s.deferred_on(date(2026, 2, 11), periods)


def test_d16_to_d21_step_limits_3_5_5_5_5_working_days():
    """NĐ 172/2025 Đ.16–21: report 3 wd, council 5 wd, invitation ≥ 5 wd before, recommendation 5 wd,
    decision 5 wd — each on the working-day clock (the worktime engine skips weekends and Tết)."""
    from kycuong.worktime import Calendar, parse_windows, vietnam_holidays

    cal = Calendar(holidays=vietnam_holidays(2026, 2026), windows=parse_windows("08:00-12:00,13:00-17:00"),
                   tz="Asia/Ho_Chi_Minh", first_year=2026, last_year=2026)
    assert [st.working_days for st in s.STEPS] == [3, 5, 5, 5, 5]
    start = datetime(2026, 3, 6, 9, 0, tzinfo=HN)  # a Friday
    assert s.step_due(cal, start, "report").astimezone(HN) == datetime(2026, 3, 11, 9, 0, tzinfo=HN)
    assert s.step_due(cal, start, "decision").astimezone(HN) == datetime(2026, 3, 13, 9, 0, tzinfo=HN)
    assert s.invitation_in_time(cal, start, datetime(2026, 3, 13, 9, 0, tzinfo=HN))
    assert not s.invitation_in_time(cal, start, datetime(2026, 3, 12, 9, 0, tzinfo=HN))


def test_d17_and_d2_k11_council_of_three_without_the_person_or_relatives():
    """NĐ 172/2025 Đ.17: a council of 3; Đ.2 k.11: the person's relatives (spouse, parents, children,
    siblings and in-laws) may not sit on it."""
    assert s.council_problems(1, [2, 3, 4], relatives=set()) == []
    assert s.council_problems(1, [2, 3], relatives=set()) == ["size"]
    assert s.council_problems(1, [1, 3, 4], relatives=set()) == ["subject"]
    assert s.council_problems(1, [2, 3, 4], relatives={4}) == ["relative"]


def test_d2_k8_recidivism_same_violation_within_12_months_of_effect():
    """NĐ 172/2025 Đ.2 k.8: tái phạm = the same violation within 12 months of the decision taking effect."""
    effective = date(2025, 5, 20)
    assert s.is_recidivism(effective, "CBCC14-BOVIEC", date(2026, 5, 19), "CBCC14-BOVIEC")
    assert not s.is_recidivism(effective, "CBCC14-BOVIEC", date(2026, 5, 20), "CBCC14-BOVIEC")
    assert not s.is_recidivism(effective, "CBCC14-BOVIEC", date(2025, 12, 1), "CBCC14-PHANBIET")


def test_d2_k9_decision_in_force_12_months_then_lapses_unless_new_violation():
    """NĐ 172/2025 Đ.2 k.9: a decision is in force 12 months from its effect and then lapses automatically
    if no new violation was committed in that time."""
    effective = date(2025, 1, 31)
    assert s.decision_lapses_on(effective) == date(2026, 1, 31)
    assert s.decision_in_force(effective, date(2026, 1, 30))
    assert not s.decision_in_force(effective, date(2026, 1, 31))
    assert s.decision_in_force(effective, date(2026, 3, 1), new_violations=[date(2025, 9, 1)])
    assert not s.decision_in_force(effective, date(2025, 1, 30))
