"""The 766 table, scoring function and bands — each with a worked example from its definition (docs/legal/decision-766.md §1)."""
from decimal import Decimal as D

import pytest

from kycuong.scoreboard import indicators as ind


def test_groups_add_up_to_100_in_both_online_profiles():
    """QĐ 766/QĐ-TTg: 5 groups, 100 points; portal display since 2024 splits online services 12 + payment 10."""
    assert [(g.code, g.max_points) for g in ind.GROUPS] == [
        ("CKMB", 18), ("TDGQ", 20), ("DVCTT", 12), ("TTTT", 10), ("MDHL", 18), ("SHHS", 22)]
    for profile in (ind.PROFILE_CLASSIC, ind.PROFILE_FULL_ONLINE):
        assert sum(i.max_points for i in ind.indicators_for(profile)) == 100
    classic = {i.code for i in ind.indicators_for(ind.PROFILE_CLASSIC)}
    full = {i.code for i in ind.indicators_for(ind.PROFILE_FULL_ONLINE)}
    assert {"3.1", "3.2", "3.3"} <= classic and "3.x" not in classic
    assert "3.x" in full and not ({"3.1", "3.2", "3.3"} & full)


@pytest.mark.parametrize("code, num, den, expected", [
    # VPCP note: points = min(max, max × rate ÷ target).
    ("3.3", 25, 100, D("3")),        # 6 × 0.25 ÷ 0.5
    ("3.3", 60, 100, D("6")),        # above the 50 % target: capped at 6
    ("4.2", 40, 100, D("2")),        # 4 × 0.4 ÷ 0.8
    ("5.4", 81, 100, D("5.4")),      # 6 × 0.81 ÷ 0.9
    # 2.1: 20 × on-time rate, linear (docs/legal/decision-766.md §1.2, reconciled with the portal API).
    ("2.1", 9, 10, D("18")),
    ("2.1", 0, 10, D("0")),
])
def test_points_worked_examples(code, num, den, expected):
    indicator = ind.BY_CODE[code]
    assert ind.points(indicator, ind.rate(num, den)) == expected


def test_zero_denominator_is_not_a_score():
    """docs/legal/decision-766.md §1.2: denominator 0 ⇒ N/A — never shown as 0 or as full marks."""
    assert ind.rate(0, 0) is None
    assert ind.points(ind.BY_CODE["2.1"], None) is None
    assert ind.display(None) == "—"


@pytest.mark.parametrize("total, band, mark", [
    (D("100"), "xuat_sac", "✅"), (D("90"), "xuat_sac", "✅"),   # 90–100 xuất sắc (vneconomy) ✅
    (D("89.99"), "tot", "🟡"), (D("80"), "tot", "🟡"),            # 80 – < 90 tốt 🟡
    (D("79.99"), "kha", "⚠️"), (D("70"), "kha", "⚠️"),            # inferred ⚠️
    (D("69.99"), "trung_binh", "⚠️"), (D("50"), "trung_binh", "⚠️"),
    (D("49.99"), "yeu", "✅"), (D("0"), "yeu", "✅"),              # < 50 yếu ✅
])
def test_rating_bands_of_vn_rules_1_3(total, band, mark):
    b = ind.band(total)
    assert (b.code, b.mark) == (band, mark)
