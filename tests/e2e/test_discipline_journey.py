"""Browser journey of the discipline work (acceptance): a secretary creates a conference inviting 30 units; invitees
check in and out with their personal QR codes on a phone-sized screen (one latecomer is marked by the
secretary on a tablet); 4 units never come, one head reports his absence, 14 officials leave without
reporting and one leaves with the chair's consent recorded; the secretary closes the meeting and drafts
the criticism letter with one click; the clerk opens it — it names exactly those 4 units and 14 people —
and its PDF shows the nine parts of NĐ 30/2020 Đ.8 k.2 in order, Vietnamese intact. axe-core (WCAG 2.1
A/AA) on the form, the meeting page, the invitation and attendance pages (phone) and the letter page.

The web acts "now": the test moves Django's clock (`timezone.now`, read by the views and services in the
live server's thread) through the morning of the conference.
"""
import io
import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "kycuong-e2e-2026"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
TITLE = "Hội nghị triển khai nhiệm vụ cải cách hành chính quý II"


def hn(*args):
    return datetime(*args, tzinfo=HN)


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch, settings):
    from django.utils import timezone

    fake = Clock(hn(2026, 4, 6, 14, 0))  # Monday afternoon: the invitation goes out for Thursday 9/4
    monkeypatch.setattr(timezone, "now", fake)
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    return fake


@pytest.fixture
def seeded(transactional_db, demo):
    from kycuong.core.models import Official, Unit, User
    from kycuong.core.services import create_user

    demo.restore("units")
    city = Unit.objects.get(code="H26")
    create_user("thuky", PASSWORD, role=User.Role.CLERK, unit=city, full_name="Phạm Thu Hà")
    create_user("vanthu", PASSWORD, role=User.Role.CLERK, unit=city, full_name="Lê Thị Văn")
    Official.objects.create(full_name="Trần Sỹ Thanh", unit=city, position="Chủ tịch", rank="head", category="can_bo")
    units = list(Unit.objects.filter(code__regex=r"^H26\.1\d\d$").order_by("code")) + \
        list(Unit.objects.filter(kind=Unit.Kind.WARD).order_by("code")[:14])
    assert len(units) == 30
    heads = {}
    for i, unit in enumerate(units):
        title = "Chủ tịch UBND" if unit.kind == Unit.Kind.WARD else "Giám đốc"
        heads[unit.name] = Official.objects.create(full_name=f"Người Đứng Đầu Số {i + 1:02d}", unit=unit,
                                                   position=title, rank="head", category="cong_chuc")
    return units, heads


def sign_in(page, base, username):
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_conference_attendance_and_criticism_letter(live_server, browser, page, axe, seeded, clock):
    import segno

    units, heads = seeded
    base = live_server.url
    names = [u.name for u in units]
    never = names[3:5] + names[20:22]             # 4 units that never come
    reported = names[10]                          # the head reports to the chair and does not come
    late = names[29]                              # marked on the tablet by the secretary, 20 minutes late
    attendees = [n for n in names if n not in never and n != reported]
    leavers = attendees[:14]                      # leave without reporting
    consented = attendees[14]                     # leaves with the chair's consent
    assert late not in leavers and late != consented

    # --- the secretary creates the conference --------------------------------------------------------------
    sign_in(page, base, "thuky")
    page.goto(base + "/ky-luat/hop/moi/")
    axe(page, "discipline-meeting-new")
    page.get_by_label("Tên cuộc họp").fill(TITLE)
    page.get_by_label("Người chủ trì").select_option(label="Trần Sỹ Thanh (Chủ tịch)")
    page.get_by_label("Ngày họp").fill("2026-04-09")
    page.get_by_label("Giờ bắt đầu").fill("08:00")
    page.get_by_label("Giờ kết thúc").fill("11:00")
    page.get_by_label("Địa điểm").fill("Hội trường tầng 3, số 12 Lê Lai, phường Hoàn Kiếm")
    page.get_by_label("Người đứng đầu").check()
    for name in names:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Tạo cuộc họp và gửi giấy mời").click()
    expect(page.get_by_test_id("flash")).to_contain_text("Đã tạo cuộc họp")
    expect(page.locator("h1")).to_have_text(TITLE)
    meeting_url = page.url
    links = {}
    for row in page.locator("tr[data-invitation]").all():
        unit_name = row.locator("th").inner_text().split("(")[0].strip()
        links[unit_name] = row.get_by_test_id("invitation-link").get_attribute("href")
    assert sorted(links) == sorted(names)
    axe(page, "discipline-meeting")

    # --- invitees on their phones: the head who cannot come reports to the chair ----------------------------
    phone_ctx = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    phone.set_default_timeout(15000)
    phone.goto(base + links[reported])
    axe(phone, "discipline-invitation-phone")
    phone.get_by_label("Tôi không dự được — báo cáo người chủ trì").check()
    phone.get_by_label("Lý do vắng mặt").fill("Dự họp tại Bộ Nội vụ theo giấy triệu tập")
    phone.get_by_role("button", name="Gửi trả lời").click()
    expect(phone.get_by_test_id("flash")).to_contain_text("Đã gửi trả lời")

    # --- 07:50 Thursday: check-in with the personal QR code ---------------------------------------------------
    clock.at = hn(2026, 4, 9, 7, 50)
    attend_urls = {}
    for n, name in enumerate(a for a in attendees if a != late):
        phone.goto(base + links[name])
        expect(phone.get_by_test_id("attendee")).to_have_text(heads[name].full_name)
        link = phone.get_by_test_id("checkin-link").get_attribute("href")
        # the QR code on the screen encodes exactly this personal, signed check-in address
        assert phone.get_by_test_id("qr").get_attribute("src") == segno.make(link, error="m").svg_data_uri(border=2, dark="#000")
        attend_urls[name] = link
        phone.goto(link)
        if n == 0:
            axe(phone, "discipline-attend-phone")
        phone.get_by_role("button", name="Điểm danh vào họp").click()
        expect(phone.get_by_test_id("flash")).to_have_text("Đã điểm danh vào họp.")
        expect(phone.get_by_test_id("in")).to_have_text("07:50")

    # --- 08:20: the secretary marks the latecomer on a tablet ------------------------------------------------
    clock.at = hn(2026, 4, 9, 8, 20)
    tablet_ctx = browser.new_context(locale="vi-VN", viewport=TABLET, has_touch=True,
                                     storage_state=page.context.storage_state())
    tablet = tablet_ctx.new_page()
    tablet.goto(meeting_url)
    tablet.get_by_role("button", name=f"Vào — {late}", exact=True).click()
    expect(tablet.get_by_test_id("flash")).to_have_text("Đã thực hiện.")

    # --- 09:30: 14 leave without reporting; the chair agrees to one early departure --------------------------
    clock.at = hn(2026, 4, 9, 9, 30)
    for name in leavers:
        phone.goto(attend_urls[name])
        expect(phone.locator(".govuk-warning-text")).to_contain_text("Cuộc họp chưa kết thúc")
        phone.get_by_role("button", name="Điểm danh ra (rời cuộc họp)").click()
        expect(phone.get_by_test_id("flash")).to_have_text("Đã ghi nhận giờ rời cuộc họp.")
    tablet.goto(meeting_url)
    tablet.get_by_role("button", name=f"Chủ trì đồng ý về sớm — {consented}", exact=True).click()
    expect(tablet.get_by_test_id("flash")).to_have_text("Đã thực hiện.")
    clock.at = hn(2026, 4, 9, 9, 40)
    phone.goto(attend_urls[consented])
    expect(phone.locator(".govuk-warning-text")).to_contain_text("đã đồng ý")
    phone.get_by_role("button", name="Điểm danh ra (rời cuộc họp)").click()
    phone_ctx.close()
    tablet_ctx.close()

    # --- 11:05: close and draft with one click --------------------------------------------------------------
    clock.at = hn(2026, 4, 9, 11, 5)
    page.goto(meeting_url)
    page.get_by_role("button", name="Kết thúc cuộc họp, chốt điểm danh").click()
    expect(page.get_by_test_id("meeting-state")).to_contain_text("Đã kết thúc")
    counts = page.get_by_test_id("counts").inner_text()
    for label, n in (("Vắng không lý do", 4), ("Về sớm không báo cáo", 14), ("Vắng có lý do (đã báo cáo chủ trì)", 1),
                     ("Về sớm có sự đồng ý của chủ trì", 1), ("Đến muộn", 1), ("Có mặt", 9)):
        assert f"{label}: {n}" in counts, counts
    clock.at = hn(2026, 4, 10, 8, 30)
    page.get_by_role("button", name="Dự thảo công văn phê bình").click()
    expect(page.get_by_test_id("flash")).to_have_text("Đã dự thảo công văn phê bình.")

    # --- the clerk opens the drafted letter ------------------------------------------------------------------
    page.get_by_role("button", name=re.compile(r"^Đăng xuất")).click()
    sign_in(page, base, "vanthu")
    page.goto(meeting_url)
    page.get_by_role("link", name=re.compile(r"V.v phê bình")).click()
    expect(page.locator("h1")).to_have_text("Số: 1/UBND-NC")
    units_listed = page.get_by_test_id("named-1").locator("li").all_inner_texts()
    people_listed = page.get_by_test_id("named-2").locator("li").all_inner_texts()
    assert sorted(u.split(" (")[0] for u in units_listed) == sorted(never)
    assert sorted(p.split(",")[0] for p in people_listed) == sorted(heads[n].full_name for n in leavers)
    axe(page, "discipline-letter")

    response = page.request.get(base + page.get_by_test_id("pdf").get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    parts = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",            # a) Quốc hiệu, Tiêu ngữ
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",                                              # b) tên cơ quan
        "Số: 1/UBND-NC",                                                                # c) số, ký hiệu
        "Hà Nội, ngày 10 tháng 4 năm 2026",                                             # d) địa danh, thời gian
        f"V/v phê bình việc chấp hành chế độ hội họp tại {TITLE}",                      # đ) trích yếu
        "Kính gửi", "Các đơn vị vắng mặt không có lý do",                                # e) nội dung
        "CHỦ TỊCH",                                                                     # g) chức vụ, họ tên, chữ ký
        "(Chữ ký số, dấu của cơ quan)",                                                  # h) dấu, chữ ký số
        "Nơi nhận:",                                                                    # i) nơi nhận
    ]
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        assert found > at, f"{part!r} missing or out of order"
        at = found
    for name in never:
        assert name in text
    for name in leavers:
        assert heads[name].full_name in text
    for name in attendees[14:] + [reported]:
        assert heads[name].full_name not in text and name not in text.split("Nơi nhận:")[0].split("như sau:")[1]

    # --- the same pages in English -------------------------------------------------------------------------
    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("pdf")).to_have_text("Open the PDF")
    axe(page, "discipline-letter-en")
    page.goto(meeting_url)
    expect(page.get_by_test_id("meeting-state")).to_contain_text("deadline for the conclusions notice")
    axe(page, "discipline-meeting-en")


def test_leader_sees_the_late_task_and_the_reminder_from_the_periodic_job(live_server, page, axe, transactional_db,
                                                                          demo, clock):
    """Acceptance: a late task and a report reminder go through the periodic job (jobs facade) and
    the unit's leader sees both on the tasks page; the leader opens a staff member's conduct history."""
    from datetime import date

    from kycuong.core import jobs
    from kycuong.core.models import Official, Unit, User
    from kycuong.core.services import create_user
    from kycuong.discipline import services

    demo.restore("units")
    city, sotp = Unit.objects.get(code="H26"), Unit.objects.get(code="H26.104")
    issuer = create_user("lanhdaotp", PASSWORD, role=User.Role.CITY_LEADERSHIP, unit=city, full_name="Vũ Đức Thắng")
    leader = create_user("lanhdao", PASSWORD, role=User.Role.UNIT_LEADER, unit=sotp, full_name="Lê Hoàng Nam")
    Official.objects.create(full_name="Lê Hoàng Nam", unit=sotp, rank="head", position="Giám đốc", user=leader)
    staff = Official.objects.create(full_name="Trần Văn Minh", unit=sotp, position="Chuyên viên")
    services.record_conduct(leader, unit=sotp, official=staff, source_kind="inspection", source_ref="KT-07/2026",
                            description="Không đeo thẻ công chức khi tiếp dân", rule_code="NĐ118-TRANGPHUC")
    services.create_directive(issuer, number="04/KH-UBND", issued_on=date(2026, 3, 2), doc_type="KH",
                              title="Kế hoạch cải cách hành chính", unit=city,
                              tasks=[(sotp, "Báo cáo rà soát thủ tục", hn(2026, 4, 3, 17)),
                                     (sotp, "Báo cáo quý II", hn(2026, 4, 7, 17))])
    assert jobs.enqueue("kycuong.discipline.tasks.remind_tasks", hn(2026, 4, 6, 14)).get() == {"reminded": 1, "overdue": 1}

    base = live_server.url
    sign_in(page, base, "lanhdao")
    page.goto(base + "/ky-luat/nhiem-vu/")
    notes = page.get_by_test_id("task-notifications")
    expect(notes).to_contain_text("Nhiệm vụ “Báo cáo rà soát thủ tục” (04/KH-UBND) của Sở Tư pháp đã quá hạn")
    expect(notes).to_contain_text("Sắp đến hạn báo cáo nhiệm vụ “Báo cáo quý II”")
    row = page.get_by_test_id("tasks").locator("tr", has_text="Báo cáo rà soát thủ tục")
    expect(row).to_contain_text("Quá hạn, chưa hoàn thành")
    axe(page, "discipline-tasks-leader")
    page.goto(base + "/ky-luat/can-bo/")
    page.get_by_role("link", name="Trần Văn Minh").click()
    expect(page.get_by_test_id("records")).to_contain_text("Không đeo thẻ công chức khi tiếp dân")
    axe(page, "discipline-official-history")
