"""The demo catalog: ≥ 25 real, common procedures; each passes the step-sum rule and the 7-part check."""
from datetime import date

import pytest

from kycuong.catalog import checks
from kycuong.catalog.models import Procedure, ProcedureVersion
from kycuong.catalog.queries import procedure_by_code, search_procedures


@pytest.fixture
def demo_catalog(demo_city, demo):
    return demo.catalog()  # the loader itself, on the demo units


def test_demo_loads_and_every_version_passes(demo_catalog):
    """docs/legal/working-time.md §2.3 (steps sum to the limit) and k.2 Đ.8 NĐ 63/2010/NĐ-CP (7 parts) for every demo version."""
    assert demo_catalog >= 25
    assert Procedure.objects.count() == demo_catalog
    for version in ProcedureVersion.objects.select_related("procedure"):
        steps = list(version.steps.all())
        result = checks.check_steps(version.limit_amount, version.limit_unit, steps)
        assert result.ok, (version.procedure.code, result.problems)
        assert checks.missing_parts(version) == [], version.procedure.code
        assert version.procedure.source_note


def test_demo_is_idempotent(demo_catalog, demo):
    assert demo.catalog() == 0
    assert Procedure.objects.count() == demo_catalog


def test_demo_contents(demo_catalog):
    """Đăng ký khai sinh: same day with the 15:00 cut-off (docs/legal/working-time.md §2.3); business household moved to communes on 1/7/2025 (docs/legal/units.md §9)."""
    birth = procedure_by_code("1.001193")
    assert birth.cutoff.strftime("%H:%M") == "15:00" and not birth.procedure.is_demo
    assert birth.all_communes and birth.level == "commune"
    household_before = procedure_by_code("1.001612", date(2025, 6, 30))
    household_after = procedure_by_code("1.001612", date(2025, 7, 1))
    assert household_before.level == "district" and household_after.level == "commune"
    assert household_after.limit_amount == 3 and household_after.limit_unit == "working_days"
    codes = {v.procedure.code for v in search_procedures(unit="H26.501")}
    assert {"1.001193", "1.000894", "1.000656", "2.000815"} <= codes
    assert "2.001610" in {v.procedure.code for v in search_procedures(unit="H26.103")}
    assert {v.procedure.code for v in search_procedures("phieu ly lich tu phap")} == {"3.000333"}
    levels = {v.level for v in search_procedures()}
    assert levels == {"province", "commune"}


def test_demo_loads_into_an_empty_tree(db, demo):
    """Units that do not exist yet are skipped, so the loader never fails on a partial organisation tree."""
    assert demo.catalog() >= 25
