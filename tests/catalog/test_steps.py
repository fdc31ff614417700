"""Internal steps against the legal limit (docs/legal/working-time.md §2.3)."""
from decimal import Decimal

import pytest

from kycuong.catalog.checks import check_steps
from kycuong.core.errors import ValidationFailed


def s(name, role, hours, ret=False, unit=None):
    return {"name": name, "role": role, "hours": hours, "is_return_step": ret, "unit": unit}


RETURN = s("Trả kết quả", "receiving_officer", "0", ret=True)


def codes(result):
    return [p.code for p in result.problems]


def test_steps_equal_to_working_day_limit():
    """Hà Nội QĐ 1594/QĐ-TTPVHCC: 1 ngày làm việc = 8 giờ; 5 ngày = 40 giờ; trả kết quả không tính thời gian."""
    result = check_steps(Decimal(5), "working_days", [
        s("Tiếp nhận hồ sơ", "receiving_officer", "4"), s("Thẩm định", "specialist", "28"),
        s("Phê duyệt", "unit_leader", "8"), RETURN,
    ])
    assert result.ok, result.problems
    assert result.total_hours == 40 and result.required_hours == 40


def test_steps_short_of_limit():
    """docs/legal/working-time.md §2.3: the steps must add up to the limit; 36 h for 5 working days (40 h) is 4 h short."""
    result = check_steps(5, "working_days", [s("Tiếp nhận", "receiving_officer", "4"), s("Thẩm định", "specialist", "32"), RETURN])
    assert codes(result) == ["CATALOG_STEPS_SHORT"]
    message = str(result.problems[0].message)
    assert "36 giờ" in message and "40 giờ" in message and "thiếu 4 giờ" in message and "05 ngày làm việc" in message


def test_steps_over_limit():
    """docs/legal/working-time.md §2.3: steps over the limit (44 h for 5 working days) are rejected."""
    result = check_steps(5, "working_days", [s("Tiếp nhận", "receiving_officer", "4"), s("Thẩm định", "specialist", "40"), RETURN])
    assert codes(result) == ["CATALOG_STEPS_OVER"]
    assert "thừa 4 giờ" in str(result.problems[0].message)


def test_return_step_with_time_is_rejected():
    """Hà Nội QĐ 1594 / Nghệ An QĐ 3857: bước trả kết quả "không tính thời gian"."""
    result = check_steps(1, "working_days", [s("Xử lý", "specialist", "8"), s("Trả kết quả", "receiving_officer", "2", ret=True)])
    assert "CATALOG_RETURN_STEP_HAS_TIME" in codes(result)
    assert "không tính thời gian" in str(result.problems[0].message)


def test_half_day_steps():
    """Nghệ An QĐ 3857/QĐ-UBND: "1/2 ngày" steps (4 h); 1,5 working days = 12 h = 4 + 4 + 4."""
    result = check_steps(Decimal("1.5"), "working_days", [
        s("Tiếp nhận", "receiving_officer", "4"), s("Thẩm định", "specialist", "4"), s("Ký", "unit_leader", "4"), RETURN,
    ])
    assert result.ok, result.problems
    assert result.required_hours == 12


def test_half_hour_steps_for_same_day_limit():
    """Same-day procedures in working hours (docs/legal/working-time.md §2.3): 0,5 + 1 + 0,5 = 2 giờ làm việc."""
    result = check_steps(2, "working_hours", [
        s("Tiếp nhận", "receiving_officer", "0.5"), s("Xử lý", "specialist", "1"), s("Ký", "unit_leader", "0.5"), RETURN,
    ])
    assert result.ok


def test_calendar_days_steps_must_not_exceed_n_times_8():
    """docs/legal/working-time.md §2.3 (calendar-day limits): steps planned in working hours ≤ N × 8 h; fewer is fine."""
    under = check_steps(10, "calendar_days", [s("Tiếp nhận", "receiving_officer", "4"), s("Thẩm định", "specialist", "60"), RETURN])
    assert under.ok and not under.exact
    exact = check_steps(10, "calendar_days", [s("Thẩm định", "specialist", "80"), RETURN])
    assert exact.ok
    over = check_steps(10, "calendar_days", [s("Thẩm định", "specialist", "81"), RETURN])
    assert codes(over) == ["CATALOG_STEPS_OVER"]
    assert "80 giờ" in str(over.problems[0].message)


@pytest.mark.parametrize("steps, code", [
    ([s("Xử lý", "specialist", "8")], "CATALOG_RETURN_STEP_MISSING"),
    ([RETURN, s("Xử lý", "specialist", "8")], "CATALOG_RETURN_STEP_NOT_LAST"),
    ([s("Xử lý", "specialist", "8"), RETURN, RETURN], "CATALOG_RETURN_STEP_DUPLICATE"),
    ([s("Xử lý", "citizen", "8"), RETURN], "CATALOG_STEP_BAD_ROLE"),
    ([s("Xử lý", "", "8"), RETURN], "CATALOG_STEP_NO_ACTOR"),
    ([s("Xử lý", "specialist", "8"), s("Chờ", "specialist", "0"), RETURN], "CATALOG_STEP_ZERO_HOURS"),
    ([], "CATALOG_STEPS_MISSING"),
])
def test_step_shape_rules(steps, code):
    """docs/legal/working-time.md §2.3: exactly one return step, last; every other step takes time and has an officer role or a unit."""
    assert code in codes(check_steps(1, "working_days", steps))


def test_unit_instead_of_role_is_an_actor():
    """A step may be assigned to a unit instead of a role (brief, part 4)."""
    assert check_steps(1, "working_days", [s("Thẩm định", "", "8", unit="H26.104"), RETURN]).ok


def test_service_rejects_bad_steps_and_writes_nothing(make_procedure, vdata):
    """Services validate before writing: a short process raises CATALOG_STEPS_SHORT and no procedure is created."""
    from kycuong.catalog.models import Procedure

    bad = vdata()["steps"][:1] + [vdata()["steps"][-1]]
    with pytest.raises(ValidationFailed) as exc:
        make_procedure(steps=bad)
    assert exc.value.code == "CATALOG_STEPS_SHORT"
    assert exc.value.details["problems"][0]["code"] == "CATALOG_STEPS_SHORT"
    assert not Procedure.objects.exists()


def test_changing_the_limit_rechecks_existing_steps(make_procedure):
    """A limit change must keep the steps summing to it (docs/legal/working-time.md §2.3)."""
    from kycuong.catalog import services

    version = make_procedure()
    with pytest.raises(ValidationFailed) as exc:
        services.update_version(version, limit_amount="6")
    assert exc.value.code == "CATALOG_STEPS_SHORT"
    version.refresh_from_db()
    assert version.limit_amount == 5


def test_set_steps_replaces_the_process(make_procedure, units):
    from kycuong.catalog import services

    version = make_procedure()
    services.set_steps(version, [
        {"name": "Tiếp nhận", "role": "receiving_officer", "hours": 8},
        {"name": "Thẩm định", "role": "", "unit": "H26.104", "hours": 32},
        {"name": "Trả kết quả", "role": "receiving_officer", "hours": 0, "is_return_step": True},
    ])
    steps = list(version.steps.order_by("order"))
    assert [st.hours for st in steps] == [8, 32, 0]
    assert steps[1].unit == units["H26.104"] and steps[2].is_return_step


def test_unknown_step_unit_is_rejected(make_procedure, units):
    from kycuong.catalog import services

    version = make_procedure()
    with pytest.raises(ValidationFailed) as exc:
        services.set_steps(version, [{"name": "Thẩm định", "unit": "H26.999", "hours": 40},
                                     {"name": "Trả kết quả", "role": "receiving_officer", "hours": 0, "is_return_step": True}])
    assert exc.value.code == "CATALOG_UNKNOWN_UNIT"
    assert version.steps.count() == 4
