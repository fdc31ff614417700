"""Browser check of the public discipline-score page: axe-core in Vietnamese, at 320 px, in high
contrast and in English; and the leadership dashboard for a city leader, with its charts and tables."""
import json

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "kycuong-e2e-2026"


@pytest.fixture
def city_with_staff(transactional_db, demo):
    from kycuong.core.models import Official, Unit, User
    from kycuong.core.services import create_user

    demo.restore("units")
    justice = Unit.objects.get(code="H26.104")
    for i in range(12):
        Official.objects.create(full_name=f"Cán bộ {i}", unit=justice)
    create_user("lanhdaotp", PASSWORD, role=User.Role.CITY_LEADERSHIP, unit=Unit.objects.get(code="H26"),
                full_name="Vũ Đức Thắng")


def test_public_discipline_page_is_accessible(live_server, page, axe, city_with_staff):
    base = live_server.url
    anon_ctx = page.context.browser.new_context(locale="vi-VN", viewport={"width": 320, "height": 800})
    anon = anon_ctx.new_page()
    anon.goto(base + "/bang-diem/")
    anon.get_by_role("link", name="Điểm kỷ cương của các cơ quan, đơn vị").click()
    expect(anon.locator("h1")).to_have_text("Điểm kỷ cương của các cơ quan, đơn vị")
    axe(anon, "discipline-ranking-320")
    data = json.loads(anon.request.get(base + "/bang-diem/ky-cuong/du-lieu-mo.json").text())
    assert next(r for r in data["rows"] if r["unit_code"] == "H26.104")["officials"] == 12
    anon.get_by_role("button", name="Tương phản cao").click()
    axe(anon, "discipline-ranking-contrast")
    anon.get_by_role("button", name="English").click()
    expect(anon.locator("h1")).to_have_text("Discipline score of departments and communes")
    axe(anon, "discipline-ranking-en")
    anon_ctx.close()

    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdaotp")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(base + "/bang-diem/ky-cuong/")
    page.get_by_role("link", name="Bảng điều hành của lãnh đạo").click()
    expect(page.locator("h1")).to_have_text("Bảng điều hành của lãnh đạo")
    assert page.locator("figure.kc-chart svg").count() == 3 and page.locator("table.govuk-table").count() == 3
    axe(page, "leadership-dashboard-vi")
