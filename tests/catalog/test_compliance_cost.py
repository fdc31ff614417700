"""Compliance cost (Standard Cost Model, TT 02/2017/TT-VPCP) by the working formula of docs/legal/reform.md §5."""
from decimal import Decimal

import pytest

from kycuong.catalog import checks, services
from kycuong.catalog.queries import hourly_rate
from kycuong.core.errors import ValidationFailed


def test_worked_example_of_vn_rules_section_5():
    """docs/legal/reform.md §5, Đồng Nai QĐ 2816/QĐ-UBND (20/11/2025): 1 h = 40,000 VND; 10 → 9 days, 10 dossiers/yr ⇒
    32,000,000 / 28,800,000 VND/yr, saving 3,200,000 VND/yr, reduction 10 %."""
    cost = checks.compliance_cost(Decimal(10), Decimal(9), "working_days", 10, 40_000)
    assert cost.cost_before_vnd == 32_000_000
    assert cost.cost_after_vnd == 28_800_000
    assert cost.saving_vnd == 3_200_000
    assert cost.reduction_percent == Decimal("10.00")


def test_half_day_and_hours():
    """docs/legal/reform.md §5 formula with halves: 2,5 → 2 working days, 100 dossiers; and a limit in hours (no ×8)."""
    cost = checks.compliance_cost(Decimal("2.5"), Decimal(2), "working_days", 100, 40_000)
    assert (cost.cost_before_vnd, cost.cost_after_vnd, cost.saving_vnd) == (80_000_000, 64_000_000, 16_000_000)
    assert cost.reduction_percent == Decimal("20.00")
    hours = checks.compliance_cost(Decimal(4), Decimal(2), "working_hours", 1_000, 40_000)
    assert (hours.cost_before_vnd, hours.saving_vnd, hours.reduction_percent) == (160_000_000, 80_000_000, Decimal("50.00"))


def test_hourly_rate_table_is_year_stamped(db):
    """docs/legal/reform.md §5: configurable hourly rate, default 40,000 VND, year-stamped (seeded for 2024)."""
    assert hourly_rate(2024) == 40_000
    assert hourly_rate(2026) == 40_000  # latest earlier year
    assert hourly_rate(2019) == 40_000  # nothing earlier: the default
    services.set_hourly_rate(2026, 45_000, "Thu nhập bình quân 2025 (giả định cho kiểm thử)")
    assert hourly_rate(2025) == 40_000
    assert hourly_rate(2026) == 45_000
    assert hourly_rate(2030) == 45_000


def test_simplification_record_stores_the_rate_it_used(make_procedure):
    """docs/legal/reform.md §5 worked example recorded on a procedure (Đồng Nai QĐ 2816/QĐ-UBND); the figures do not move later."""
    version = make_procedure(limit_amount="10", steps=[
        {"name": "Tiếp nhận", "role": "receiving_officer", "hours": 8},
        {"name": "Thẩm định", "role": "specialist", "hours": 72},
        {"name": "Trả kết quả", "role": "receiving_officer", "hours": 0, "is_return_step": True},
    ])
    record = services.record_simplification(version.procedure, time_before=10, time_after=9, dossiers_per_year=10,
                                            year=2025, basis="QĐ 2816/QĐ-UBND")
    assert record.time_unit == "working_days"
    assert (record.cost_before_vnd, record.cost_after_vnd, record.saving_vnd) == (32_000_000, 28_800_000, 3_200_000)
    assert record.reduction_percent == Decimal("10.00") and record.hourly_rate_vnd == 40_000
    services.set_hourly_rate(2025, 50_000)
    record.refresh_from_db()
    assert record.cost_before_vnd == 32_000_000


def test_simplification_cannot_lengthen(make_procedure):
    version = make_procedure()
    with pytest.raises(ValidationFailed) as exc:
        services.record_simplification(version.procedure, time_before=5, time_after=6, dossiers_per_year=10, year=2025)
    assert exc.value.code == "CATALOG_SIMPLIFICATION_LONGER"
