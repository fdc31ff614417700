"""Scoping (docs/design.md rule 4): an officer never sees another subtree's data."""
import pytest

from kycuong.core.models import Unit, User
from kycuong.core.queries import visible_to, visible_units
from kycuong.core.services import save_unit

pytestmark = pytest.mark.django_db

OFFICER_ROLES = [r for r in User.Role if r not in (User.Role.CITIZEN, User.Role.ADMINISTRATOR, User.Role.CITY_LEADERSHIP)]


@pytest.mark.parametrize("role", OFFICER_ROLES)
def test_department_officer_sees_only_own_subtree(demo_city, make_officer, role):
    officer = make_officer(role, "H26.104")  # Sở Tư pháp
    codes = set(visible_units(officer).values_list("code", flat=True))
    assert codes == {"H26.104"}
    assert "H26.105" not in codes and "H26" not in codes


@pytest.mark.parametrize("role", OFFICER_ROLES)
def test_branch_officer_sees_branch_and_its_points_only(demo_city, make_officer, role):
    officer = make_officer(role, "H26.200.01")
    codes = set(visible_units(officer).values_list("code", flat=True))
    assert codes == {"H26.200.01", "H26.200.01.1", "H26.200.01.2", "H26.200.01.3"}
    assert not any(c.startswith("H26.200.02") for c in codes)


def test_city_leadership_sees_the_whole_city(demo_city, make_officer):
    leader = make_officer(User.Role.CITY_LEADERSHIP, "H26")
    assert visible_units(leader).count() == Unit.objects.count()


def test_administrator_without_unit_sees_everything(demo_city, make_officer):
    admin = make_officer(User.Role.ADMINISTRATOR, None)
    assert visible_units(admin).count() == Unit.objects.count()


def test_citizen_and_anonymous_see_no_officer_data(demo_city, make_officer):
    from django.contrib.auth.models import AnonymousUser

    citizen = make_officer(User.Role.CITIZEN, None)
    assert visible_units(citizen).count() == 0
    assert visible_units(AnonymousUser()).count() == 0


def test_ward_officer_sees_dissolved_district_it_succeeded(demo_city, make_officer):
    """docs/legal/units.md §9: units dissolved on 1/7/2025 keep a successor; their records follow the successor."""
    ward = Unit.objects.get(name="Phường Hoàn Kiếm")
    officer = make_officer(User.Role.SPECIALIST, ward.code)
    names = set(visible_units(officer).values_list("name", flat=True))
    assert names == {"Phường Hoàn Kiếm", "Quận Hoàn Kiếm (trước 01/7/2025)"}


def test_scoped_rows_through_a_foreign_key(demo_city, make_officer):
    """visible_to filters any model by its unit: users here, dossiers and cases later."""
    a = make_officer(User.Role.SPECIALIST, "H26.104")
    b = make_officer(User.Role.SPECIALIST, "H26.105")
    seen = set(visible_to(a, User.objects.all()).values_list("pk", flat=True))
    assert a.pk in seen and b.pk not in seen


def test_object_permission_matches_the_queryset_rule(demo_city, make_officer):
    officer = make_officer(User.Role.UNIT_LEADER, "H26.200.01")
    own_point = Unit.objects.get(code="H26.200.01.2")
    other = Unit.objects.get(code="H26.200.02")
    assert officer.has_perm("core.view_unit_data", own_point)
    assert not officer.has_perm("core.view_unit_data", other)


def test_moving_a_unit_moves_its_subtree_in_scope(demo_city, make_officer):
    branch = Unit.objects.get(code="H26.200.03")
    branch.parent = Unit.objects.get(code="H26.104")
    save_unit(branch)
    officer = make_officer(User.Role.SPECIALIST, "H26.104")
    codes = set(visible_units(officer).values_list("code", flat=True))
    assert {"H26.200.03", "H26.200.03.1", "H26.200.03.2", "H26.200.03.3"} <= codes


def test_demo_city_has_the_shape_of_hanoi_after_reform(demo_city):
    """docs/legal/units.md §9: 126 communes (51 wards + 75 communes), 16 departments and equivalents, 12 branches."""
    assert Unit.objects.filter(kind=Unit.Kind.WARD).count() == 51
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNE).count() == 75
    assert Unit.objects.filter(kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.EQUIVALENT_BODY]).count() == 16
    assert Unit.objects.filter(kind=Unit.Kind.SERVICE_BRANCH).count() == 12
    assert Unit.objects.filter(kind=Unit.Kind.SERVICE_POINT).count() == 30


def test_scope_measured_from_another_unit_keeps_the_successor_rule(demo_city, make_officer):
    """`from_unit` (a role whose remit is wider than its unit, e.g. the city inspectorate) uses the same rule:
    the Q and the predicate agree, successors included (docs/legal/units.md §9)."""
    from kycuong.core.scope import unit_in_scope, unit_scope_q

    ward = Unit.objects.get(name="Phường Hoàn Kiếm")
    officer = make_officer(User.Role.INSPECTOR, "H26.115")
    for root in (Unit.objects.get(code="H26"), ward, None):
        by_q = set(Unit.objects.filter(unit_scope_q(officer, "", from_unit=root)).values_list("code", flat=True))
        by_predicate = {u.code for u in Unit.objects.all() if unit_in_scope(officer, u, from_unit=root)}
        assert by_q == by_predicate
    assert set(Unit.objects.filter(unit_scope_q(officer, "", from_unit=ward)).values_list("name", flat=True)) == {
        "Phường Hoàn Kiếm", "Quận Hoàn Kiếm (trước 01/7/2025)"}
