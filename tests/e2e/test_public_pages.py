"""Browser journey of the public pages: search without marks, open a procedure, A+ and contrast, language switch,
the due-date calculator — with axe-core (WCAG 2.1 A/AA rules) on every page and state."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(transactional_db, demo):

    demo.restore("units", "catalog")


def test_search_open_procedure_text_size_contrast_language(live_server, page, axe, seeded):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    axe(page, "home-vi")

    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    result = page.get_by_role("link", name=re.compile(r"^Đăng ký khai sinh"))
    expect(result.first).to_be_visible()
    axe(page, "search-vi")

    result.first.click()
    expect(page.locator("h1")).to_contain_text("Đăng ký khai sinh")
    for part in ("Trình tự thực hiện", "Cách thức thực hiện", "Thành phần, số lượng hồ sơ",
                 "Thời hạn giải quyết", "Đối tượng thực hiện", "Cơ quan thực hiện"):
        expect(page.get_by_role("heading", name=part).first).to_be_visible()
    axe(page, "procedure-vi")

    size_before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main dd')).fontSize)")
    page.get_by_role("button", name="Chữ lớn").click()
    expect(page.locator("html")).to_have_class(re.compile(r"kc-text-large"))
    size_after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main dd')).fontSize)")
    assert size_after > size_before * 1.15
    axe(page, "procedure-large")

    page.get_by_role("button", name="Tương phản cao").click()
    expect(page.locator("html")).to_have_class(re.compile(r"kc-contrast"))
    axe(page, "procedure-contrast")

    # Both choices are remembered on the next page.
    page.get_by_role("link", name="Tính hạn giải quyết").first.click()
    expect(page.locator("html")).to_have_class(re.compile(r"kc-text-large.*kc-contrast|kc-contrast.*kc-text-large"))
    axe(page, "due-contrast")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Due date calculator")
    axe(page, "due-en-contrast")

    page.get_by_role("button", name="High contrast").click()  # toggles off
    page.get_by_role("button", name="Normal text").click()
    page.get_by_role("link", name="Administrative procedures").first.click()
    expect(page.locator("html")).not_to_have_class(re.compile(r"kc-contrast"))
    axe(page, "search-en")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_due_calculator_explains_tet_2026(live_server, page, axe, seeded):
    """docs/legal/working-time.md §8.2 (CV 9859/VPCP-KGVX): received Fri 13/02/2026 09:00, 1 working day → Mon 23/02 09:00."""
    page.goto(live_server.url + "/tinh-han/")
    page.get_by_label("Ngày tiếp nhận hồ sơ").fill("2026-02-13")
    page.get_by_label("Giờ tiếp nhận").fill("09:00")
    page.get_by_label("Thời hạn giải quyết").fill("1")
    page.get_by_role("button", name="Tính hạn").click()
    expect(page.get_by_test_id("due")).to_have_text("09:00 Thứ Hai, 23/02/2026")
    table = page.get_by_role("table")
    expect(table).to_contain_text("17/02/2026")
    expect(table).to_contain_text("Ngày lễ, Tết")
    axe(page, "due-result-vi")

    page.get_by_label("Thời hạn giải quyết").fill("-2")
    page.get_by_role("button", name="Tính hạn").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Thời hạn không được là số âm")
    axe(page, "due-error-vi")
