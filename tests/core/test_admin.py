"""The back office: every admin screen opens in Vietnamese, and officers see only their subtree there too."""
import pytest
from django.contrib import admin
from django.urls import reverse

from kycuong.core.models import Unit, User

pytestmark = pytest.mark.django_db


def test_every_admin_screen_opens_for_the_administrator(client, demo_city_with_catalog, make_officer):
    root = make_officer(User.Role.ADMINISTRATOR, None, is_superuser=True)
    client.force_login(root)
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        r = client.get(reverse("admin:%s_%s_changelist" % info))
        assert r.status_code == 200, (info, r.status_code)
        if model_admin.has_add_permission(r.wsgi_request):
            assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200, info
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse("admin:%s_%s_change" % info, args=[first.pk])).status_code == 200, info
    index = client.get(reverse("admin:index")).content.decode()
    assert "Kỷ Cương — Quản trị" in index and "Đơn vị" in index


@pytest.mark.parametrize("role", [User.Role.UNIT_LEADER, User.Role.SPECIALIST, User.Role.INSPECTOR])
def test_officer_sees_only_own_subtree_in_the_back_office(client, demo_city, make_officer, role):
    officer = make_officer(role, "H26.200.02")
    client.force_login(officer)
    r = client.get(reverse("admin:core_unit_changelist"))
    assert r.status_code == 200
    shown = set(r.context["cl"].queryset.values_list("code", flat=True))
    assert shown == {"H26.200.02", "H26.200.02.1", "H26.200.02.2", "H26.200.02.3"}
    other = Unit.objects.get(code="H26.104")
    assert client.get(reverse("admin:core_unit_change", args=[other.pk])).status_code in (302, 404)


def test_officers_cannot_edit_units_or_the_calendar(client, demo_city, make_officer):
    officer = make_officer(User.Role.UNIT_LEADER, "H26.104")
    client.force_login(officer)
    assert client.get(reverse("admin:core_unit_add")).status_code == 403
    assert client.get(reverse("admin:core_calendaroverride_add")).status_code == 403
    assert client.get(reverse("admin:catalog_procedure_changelist")).status_code == 200


def test_citizens_have_no_back_office(client, make_officer):
    citizen = make_officer(User.Role.CITIZEN, None)
    client.force_login(citizen)
    assert client.get(reverse("admin:index")).status_code == 302
