"""Browser journey of the scoreboard (acceptance, part): leadership opens the ranking, drills from a unit's progress
score (2.1) to the late dossiers behind it, exports XLSX and the PDF report (Vietnamese text intact); the public
page and the open data show the same numbers. axe-core on each page, in Vietnamese, English and high contrast."""
import io
import json
import re

import pytest
from playwright.sync_api import expect

from tests.documents.pdfcheck import text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "kycuong-e2e-2026"


@pytest.fixture
def march(transactional_db, demo):
    """Sở Tư pháp: two dossiers of March 2026, one finished on time, one late; through the services."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kycuong.catalog.queries import procedure_by_code
    from kycuong.core.models import Unit, User
    from kycuong.core.services import create_user
    from kycuong.onestop.services import Applicant, act, receive_at_counter

    hn = ZoneInfo("Asia/Ho_Chi_Minh")
    demo.restore("units", "catalog")
    R = User.Role
    counter = create_user("tiepnhan", PASSWORD, role=R.RECEIVING_OFFICER, unit=Unit.objects.get(code="H26.200.01"))
    clerk = create_user("vanthu", PASSWORD, role=R.CLERK, unit=Unit.objects.get(code="H26.104"))
    # Each internal step by its own people (onestop.policy): examined, signed by the leader, issued.
    specialist = create_user("chuyenvien", PASSWORD, role=R.SPECIALIST, unit=Unit.objects.get(code="H26.104"))
    leader = create_user("lanhdao", PASSWORD, role=R.UNIT_LEADER, unit=Unit.objects.get(code="H26.104"))
    create_user("lanhdaotp", PASSWORD, role=R.CITY_LEADERSHIP, unit=Unit.objects.get(code="H26"),
                full_name="Vũ Đức Thắng")
    docs = [d.pk for d in procedure_by_code("HN-DEMO-CC01", on_date=datetime(2026, 3, 2).date()).documents.all()]
    codes = []
    for finish_day in (5, 27):
        d = receive_at_counter(counter, procedure_code="HN-DEMO-CC01", documents=docs,
                               applicant=Applicant(name="Hoàng Thị Mai", phone="0912345678"),
                               at=datetime(2026, 3, 2, 9, tzinfo=hn))
        d = act(d.code, "start_processing", counter, at=datetime(2026, 3, 2, 10, tzinfo=hn))
        d = act(d.code, "handover", specialist, at=datetime(2026, 3, 2, 11, tzinfo=hn))
        d = act(d.code, "handover", leader, at=datetime(2026, 3, 2, 14, tzinfo=hn))
        codes.append(act(d.code, "finish", clerk, at=datetime(2026, 3, finish_day, 9, tzinfo=hn)).code)
    return codes


def test_leadership_drills_down_and_exports(live_server, page, axe, march):
    on_time, late = march
    base = live_server.url
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdaotp")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(base + "/bang-diem/?ky=2026-03")
    expect(page.locator("h1")).to_have_text("Bảng điểm phục vụ người dân, doanh nghiệp")
    axe(page, "scoreboard-ranking-vi")
    page.get_by_role("link", name="Sở Tư pháp").click()
    expect(page.locator("h1")).to_have_text("Sở Tư pháp")
    axe(page, "scoreboard-unit-vi")
    progress = page.locator("#chi-tieu-21")
    expect(progress).to_contain_text("Hồ sơ xử lý trước hạn, đúng hạn")
    expect(progress).to_contain_text("10,00 / 20")
    progress.get_by_role("link", name="1 / 2").click()
    expect(page.locator("h1")).to_contain_text("hồ sơ bị trừ điểm")
    expect(page.get_by_role("link", name=late)).to_be_visible()
    expect(page.get_by_role("link", name=on_time)).to_have_count(0)
    axe(page, "scoreboard-behind-vi")
    page.get_by_role("link", name=late).click()
    expect(page.locator("h1")).to_have_text(f"Hồ sơ {late}")

    page.goto(base + "/bang-diem/?ky=2026-03")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng xếp hạng (XLSX)").click()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    row = next(r for r in book["Sở, ban, ngành"].iter_rows(min_row=2, values_only=True) if r[1] == "H26.104")
    report = page.request.get(base + "/bang-diem/bao-cao.pdf?ky=2026-03")
    assert report.ok and report.headers["content-type"] == "application/pdf"
    words = text(report.body())
    assert "BÁO CÁO" in words and "Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp" in words
    assert "Sở Tư pháp" in words and "Nơi nhận:" in words

    # The public page (no account) and the open data show the same total as the export.
    public = page.context.browser.new_context(locale="vi-VN", viewport={"width": 320, "height": 800})
    anon = public.new_page()
    anon.goto(base + "/bang-diem/?ky=2026-03")
    axe(anon, "scoreboard-ranking-320")
    data = json.loads(anon.request.get(base + "/bang-diem/du-lieu-mo.json?ky=2026-03").text())
    total = next(r for r in data["rows"] if r["unit_code"] == "H26.104")["estimate_total"]
    assert float(total) == pytest.approx(row[9])
    row_html = anon.get_by_role("row", name=re.compile(r"Sở Tư pháp"))
    expect(row_html).to_contain_text(total.replace(".", ","))
    anon.get_by_role("button", name="Tương phản cao").click()
    axe(anon, "scoreboard-ranking-contrast")
    anon.get_by_role("button", name="English").click()
    expect(anon.locator("h1")).to_have_text("Service quality scoreboard")
    axe(anon, "scoreboard-ranking-en")
    anon.goto(base + "/bang-diem/H26.104/?ky=2026-03")  # the public unit page, English + high contrast
    expect(anon.locator("h1")).to_have_text("Sở Tư pháp")
    axe(anon, "scoreboard-unit-en-contrast")
    public.close()
