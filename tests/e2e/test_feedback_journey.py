"""Browser journey of citizens' reports (acceptance): an anonymous citizen reports an official's rudeness at a
counter; an inspector routes, verifies and concludes it founded; the answer appears publicly without
personal data. axe-core (WCAG 2.1 A/AA, serious or critical fail) on the public pages in Vietnamese and
English and in high contrast, and on the officer pages.

The test asserts that `feedback.signals.report_founded` — the contract the discipline app listens to — was
sent once, after commit, with the right report, and that the discipline app made the conduct record of the
official from it (source "complaint", linked by the report's code).
"""
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "kycuong-e2e-2026"
PHONE = "0912345678"
REPORTER = "Nguyễn Văn Dân"


@pytest.fixture
def seeded(transactional_db, demo):
    from django.core.cache import cache

    from kycuong.core.models import Official, Unit, User
    from kycuong.core.services import create_user

    cache.clear()
    demo.restore("units", "catalog")
    branch = Unit.objects.get(code="H26.200.01")
    official = Official.objects.create(full_name="Phạm Văn Quầy", unit=branch, position="Cán bộ một cửa")
    create_user("thanhtra", PASSWORD, role=User.Role.INSPECTOR, unit=Unit.objects.get(code="H26.115"),
                full_name="Đỗ Quang Huy")
    yield official
    cache.clear()


@pytest.fixture
def founded():
    from kycuong.feedback.signals import report_founded

    seen = []

    def receiver(sender, report, **kwargs):
        seen.append({"code": report.code, "official": report.official_id, "unit": report.unit.code,
                     "conclusion": report.conclusion, "by": report.concluded_by.username,
                     "findings": report.findings, "at": report.concluded_at})

    report_founded.connect(receiver, weak=False)
    yield seen
    report_founded.disconnect(receiver)


def do(page, action, button, fill=None, choose=None):
    panel = page.locator(f'details[data-action="{action}"]')
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    for label, value in (fill or {}).items():
        field = panel.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    if choose:
        panel.get_by_label(choose, exact=True).check()
    panel.get_by_role("button", name=button).click()
    expect(page.get_by_test_id("flash")).to_contain_text("Đã thực hiện")


def test_anonymous_conduct_report_verified_founded_and_answered_in_public(live_server, browser, axe, seeded,
                                                                         founded):
    base = live_server.url
    citizen = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    citizen.set_default_timeout(15000)

    # An anonymous citizen (no account) sends the report.
    citizen.goto(base + "/")
    citizen.get_by_role("link", name="Phản ánh, kiến nghị").click()
    expect(citizen.locator("h1")).to_have_text("Phản ánh, kiến nghị")
    axe(citizen, "feedback-index-vi")
    citizen.get_by_role("link", name="Gửi phản ánh").first.click()
    expect(citizen.locator("h1")).to_have_text("Gửi phản ánh, kiến nghị")
    axe(citizen, "feedback-form-vi")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi phản ánh").click()
    summary = citizen.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Chọn loại phản ánh.")
    axe(citizen, "feedback-form-errors-vi")
    summary.get_by_role("link", name="Nhập nội dung phản ánh.").click()
    expect(citizen.locator("#id_text")).to_be_focused()
    citizen.get_by_label("Về hành vi, thái độ của cán bộ, công chức, đơn vị").check()
    citizen.get_by_label("Tiêu đề (không bắt buộc)").fill("Cán bộ quầy số 3 quát tháo người dân")
    citizen.get_by_label("Nội dung phản ánh").fill(
        f"Sáng nay tại quầy số 3, cán bộ quát tháo và ném trả hồ sơ của tôi. Tôi là {REPORTER}, "
        f"điện thoại {PHONE}. <script>alert(1)</script>")
    citizen.get_by_label("Đơn vị bị phản ánh (nếu biết)").select_option(label="Chi nhánh số 1")
    citizen.get_by_label("Họ tên cán bộ (nếu biết)").fill("Phạm Văn Quầy")
    citizen.get_by_label("Họ và tên").fill(REPORTER)
    citizen.get_by_label("Số điện thoại").fill(PHONE)
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    code = citizen.get_by_test_id("report-code").inner_text().strip()
    assert re.fullmatch(r"PA-[0-9A-Z]{8}", code)
    axe(citizen, "feedback-sent-vi")
    citizen.get_by_role("link", name="Xem tình trạng phản ánh").click()
    expect(citizen.get_by_test_id("state")).to_have_text("Mới tiếp nhận, chờ phân loại")
    expect(citizen.get_by_test_id("report-text")).to_contain_text("<script>alert(1)</script>")  # as text
    expect(citizen.locator("main")).not_to_contain_text(PHONE)
    axe(citizen, "feedback-track-vi")

    # The city inspector routes, verifies and concludes.
    page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    page.goto(base + "/dang-nhap/?next=/phan-anh/can-bo/")
    page.get_by_label("Tên đăng nhập").fill("thanhtra")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Phản ánh, kiến nghị cần xử lý")
    axe(page, "feedback-staff-queue")
    page.get_by_role("link", name=code).click()
    expect(page.locator("h1")).to_have_text(f"Phản ánh {code}")
    expect(page.get_by_test_id("responsible-unit")).to_contain_text("Chi nhánh số 1")
    expect(page.get_by_test_id("reporter")).not_to_contain_text(PHONE)  # not handling it yet
    axe(page, "feedback-staff-report")
    do(page, "confirm_unit", "Xác nhận đơn vị xử lý")
    do(page, "assign_verifier", "Giao người xác minh")
    expect(page.get_by_test_id("reporter")).to_contain_text(PHONE)  # now the inspector handling it
    do(page, "record_findings", "Ghi nhận kết quả xác minh",
       fill={"Kết quả xác minh": "Camera quầy 3 và hai nhân chứng xác nhận cán bộ quát tháo công dân."})
    assert founded == []
    do(page, "conclude", "Kết luận xác minh", choose="Đúng")
    assert len(founded) == 1
    sent = founded[0]
    assert sent["code"] == code and sent["official"] == seeded.pk and sent["unit"] == "H26.200.01"
    assert sent["conclusion"] == "founded" and sent["by"] == "thanhtra" and "Camera" in sent["findings"]
    from kycuong.discipline.models import ConductRecord

    record = ConductRecord.objects.get(source_kind="complaint", source_ref=code)
    assert record.official_id == seeded.pk and record.unit.code == "H26.200.01"
    do(page, "answer", "Trả lời, chuyển chờ công khai", fill={
        "Nội dung trả lời công khai (không ghi thông tin cá nhân)":
            f"Phản ánh đúng. Cán bộ quầy số 3 đã bị kiểm điểm và xin lỗi công dân (đã liên hệ số {PHONE})."})
    do(page, "publish", "Công khai kết quả trả lời")
    expect(page.get_by_test_id("state")).to_have_text("Đã công khai")

    # The answer is public, without personal data; readers rate it.
    citizen.goto(base + "/phan-anh/")
    answers = citizen.get_by_test_id("answers")
    expect(answers).to_contain_text("Cán bộ quầy số 3 đã bị kiểm điểm")
    citizen.get_by_role("link", name="Cán bộ quầy số 3 quát tháo người dân").click()
    answer = citizen.get_by_test_id("public-answer")
    expect(answer).to_contain_text("số điện thoại đã ẩn")
    for secret in (PHONE, REPORTER, "Camera"):
        expect(citizen.locator("main")).not_to_contain_text(secret)
    axe(citizen, "feedback-answer-vi")
    citizen.get_by_role("button", name=re.compile("^Hài lòng")).click()
    expect(citizen.get_by_test_id("likes")).to_have_text("1")
    citizen.get_by_role("button", name="Tương phản cao").click()  # applied by script, no reload
    expect(citizen.locator("html")).to_have_class(re.compile(r"kc-contrast"))
    axe(citizen, "feedback-answer-contrast")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="English").click()
    expect(citizen.locator("html")).to_have_attribute("lang", "en")
    expect(citizen.get_by_role("heading", name="Answer of the competent authority")).to_be_visible()
    axe(citizen, "feedback-answer-en-contrast")
    citizen.goto(base + "/phan-anh/gui/")
    axe(citizen, "feedback-form-en-contrast")
    citizen.get_by_role("button", name="High contrast").click()  # applied by script, no reload
    expect(citizen.locator("html")).not_to_have_class(re.compile(r"kc-contrast"))
    axe(citizen, "feedback-form-en")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Send a report").click()
    expect(citizen.locator(".govuk-error-summary")).to_be_visible()
    axe(citizen, "feedback-form-errors-en")
    citizen.goto(base + "/phan-anh/tra-cuu/")
    axe(citizen, "feedback-track-en")
    citizen.goto(base + "/phan-anh/")
    axe(citizen, "feedback-index-en")
