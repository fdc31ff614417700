"""Browser journey of the citizen portal (acceptance): a citizen signs up with a one-time code read from the mail outbox,
submits a dossier online with two uploads, pays through the demo gateway (VNPay-style, real HTTP callback),
an officer accepts and processes it, the citizen sees each state, downloads the electronic result and rates
it; the dislike reaches the unit leader's queue. axe-core (WCAG 2.1 A/AA; serious or critical fail) on every
public page in Vietnamese, English and high contrast; a keyboard-only run of the submission form; every
public page at 320 px width without horizontal scrolling (screenshots in test-artifacts/ with
KYCUONG_E2E_SCREENSHOTS=1).
"""
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.pdfs import PDF  # a real one-page PDF: uploads open every PDF with pypdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "kycuong-e2e-2026"
PROCEDURE = "Đăng ký thành lập doanh nghiệp tư nhân"  # 2.001610: toàn trình, 2 documents, 150.000 đồng
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def seeded(transactional_db, demo, settings, tmp_path):
    from django.core.cache import cache

    from kycuong.core.models import Unit, User
    from kycuong.core.services import create_user

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 1000
    cache.clear()
    demo.restore("units", "catalog")
    unit = Unit.objects.get(code="H26.103")
    create_user("canbo", PASSWORD, role=User.Role.RECEIVING_OFFICER, unit=unit, full_name="Trần Thu Trang")
    create_user("lanhdao", PASSWORD, role=User.Role.UNIT_LEADER, unit=unit, full_name="Lê Văn Hùng")
    # Each internal step by its own people (onestop.policy): examined, signed by the leader, issued.
    create_user("chuyenvien", PASSWORD, role=User.Role.SPECIALIST, unit=unit, full_name="Phạm Văn Thẩm")
    create_user("vanthu", PASSWORD, role=User.Role.CLERK, unit=unit, full_name="Vũ Thị Thư")
    yield
    cache.clear()


def last_code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def focus_ring(page):
    """The focused element shows a visible indicator (outline or box-shadow), WCAG 2.4.7."""
    return page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }""")


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            assert focus_ring(page), f"no visible focus on {selector}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def officer_do(page, action, button, check=None):
    panel = page.locator(f'details[data-action="{action}"]')
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    if check:
        panel.get_by_label(check, exact=True).check()
    panel.get_by_role("button", name=button).click()
    expect(page.get_by_test_id("flash")).to_contain_text("Đã thực hiện")


def test_citizen_journey(live_server, browser, axe, seeded):
    base = live_server.url
    citizen = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    citizen.set_default_timeout(15000)

    # --- sign up with a one-time code -------------------------------------------------------------------
    citizen.goto(base + "/")
    citizen.get_by_role("link", name="Đăng ký", exact=True).click()
    expect(citizen.locator("h1")).to_have_text("Đăng ký tài khoản")
    citizen.get_by_role("button", name="Gửi mã xác thực").click()
    summary = citizen.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Nhập họ và tên hoặc tên doanh nghiệp.")
    axe(citizen, "citizen-signup-error")
    citizen.get_by_label("Họ và tên (hoặc tên doanh nghiệp)").fill("Hoàng Thị Mai")
    citizen.get_by_label("Công dân", exact=True).check()
    citizen.get_by_label("Thư điện tử hoặc số điện thoại di động").fill("mai@vidu.vn")
    citizen.get_by_role("button", name="Gửi mã xác thực").click()
    expect(citizen.locator("h1")).to_have_text("Nhập mã xác thực")
    axe(citizen, "citizen-verify")
    citizen.get_by_label("Mã xác thực (6 chữ số)").fill("000000")
    citizen.get_by_role("button", name="Xác nhận và tạo tài khoản").click()
    expect(citizen.locator(".govuk-error-summary")).to_contain_text("Mã xác thực không đúng")
    citizen.get_by_label("Mã xác thực (6 chữ số)").fill(last_code())
    citizen.get_by_role("button", name="Xác nhận và tạo tài khoản").click()
    expect(citizen.locator("h1")).to_have_text("Hồ sơ của tôi")
    axe(citizen, "citizen-mine-empty")

    # --- choose the procedure; the applicant step by keyboard only -----------------------------------------
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    citizen.get_by_label("Tìm thủ tục nộp được trực tuyến").fill("doanh nghiep tu nhan")
    citizen.get_by_role("button", name="Tìm kiếm").click()
    axe(citizen, "citizen-catalogue")
    citizen.get_by_role("button", name=f"Nộp hồ sơ {PROCEDURE}").click()
    expect(citizen.locator("h1")).to_have_text("Người nộp hồ sơ")
    expect(citizen.get_by_label("Họ và tên người nộp")).to_have_value("Hoàng Thị Mai")  # pre-filled
    axe(citizen, "citizen-applicant")
    citizen.locator("body").focus()
    tab_to(citizen, "#id_id_number")
    citizen.keyboard.type("12ab")
    tab_to(citizen, "button[type=submit]:not([name])")
    citizen.keyboard.press("Enter")
    summary = citizen.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Số định danh cá nhân gồm 12 chữ số.")
    expect(summary).to_contain_text("Nhập địa chỉ liên hệ.")
    axe(citizen, "citizen-applicant-errors")
    citizen.locator("body").focus()
    tab_to(citizen, '.govuk-error-summary a[href="#id_id_number"]')
    citizen.keyboard.press("Enter")
    expect(citizen.locator("#id_id_number")).to_be_focused()
    citizen.keyboard.press("Control+A")
    citizen.keyboard.type("001190012345")
    tab_to(citizen, "#id_phone")
    citizen.keyboard.type("0912345678")
    tab_to(citizen, "#id_address")
    citizen.keyboard.type("Số 1 phố Tràng Tiền, phường Hoàn Kiếm")
    tab_to(citizen, "button[type=submit]:not([name])")
    citizen.keyboard.press("Enter")
    expect(citizen.locator("h1")).to_have_text("Giấy tờ")

    # --- documents: a renamed executable is refused, two real uploads shown back with names and sizes ---------
    inputs = citizen.locator("input[type=file]")
    inputs.nth(0).set_input_files({"name": "don.pdf", "mimeType": "application/pdf",
                                   "buffer": b"MZ\x90\x00" + b"\x00" * 200})
    citizen.get_by_role("button", name=re.compile("^Tải lên Giấy đề nghị")).click()
    expect(citizen.locator(".govuk-error-summary")).to_contain_text("không phải PDF hoặc ảnh")
    axe(citizen, "citizen-documents-error")
    # Choosing a file is the operating system's dialog; everything else by keyboard: Tab to the upload button.
    for n, (name, mime, content) in enumerate((("giay-de-nghi.pdf", "application/pdf", PDF),
                                               ("cccd.png", "image/png", PNG))):
        field = citizen.locator("input[type=file]").nth(n)
        field.set_input_files({"name": name, "mimeType": mime, "buffer": content})
        field.focus()
        citizen.keyboard.press("Tab")
        assert citizen.evaluate("document.activeElement.textContent").startswith("Tải lên")
        assert focus_ring(citizen)
        citizen.keyboard.press("Enter")
        expect(citizen.get_by_test_id("flash")).to_contain_text("Đã tải lên")
    uploaded = citizen.get_by_test_id("uploaded")
    expect(uploaded).to_have_count(2)
    expect(uploaded.nth(0)).to_have_text("giay-de-nghi.pdf (1 KB)")
    expect(uploaded.nth(1)).to_have_text("cccd.png (1 KB)")
    axe(citizen, "citizen-documents")
    citizen.locator("body").focus()
    tab_to(citizen, "form:has(input[value=next]) button")
    citizen.keyboard.press("Enter")
    expect(citizen.get_by_test_id("fee-total")).to_have_text("150.000 đồng")
    axe(citizen, "citizen-fees")
    citizen.locator("body").focus()
    tab_to(citizen, "main form button[type=submit]")
    citizen.keyboard.press("Enter")
    expect(citizen.locator("h1")).to_have_text("Kiểm tra lại và nộp")
    axe(citizen, "citizen-review")
    stale = citizen.context.new_page()  # the same review page in a second tab: a back button or double click
    stale.goto(citizen.url)
    citizen.locator("body").focus()
    tab_to(citizen, "#submit")
    citizen.keyboard.press("Enter")
    code = citizen.get_by_test_id("dossier-code").inner_text()
    assert re.fullmatch(r"H26\.103-\d{6}-\d{4}", code)
    assert any(code in m.body and f"/tra-cuu/{code}/" in m.body for m in mail.outbox)  # receipt + lookup link
    axe(citizen, "citizen-submitted")
    stale.get_by_role("button", name="Nộp hồ sơ").click()  # submitted again from the stale page
    expect(stale.locator("main")).to_contain_text("không nộp lại lần thứ hai")
    stale.close()
    from kycuong.onestop.models import Dossier

    assert Dossier.objects.count() == 1

    # --- pay through the demo gateway ------------------------------------------------------------------------
    mine_url = f"{base}/ho-so-cua-toi/{code}/"
    citizen.goto(mine_url)
    expect(citizen.get_by_test_id("my-state")).to_have_text("Mới đăng ký")
    axe(citizen, "citizen-dossier-new")
    citizen.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(citizen.get_by_test_id("bank-amount")).to_have_text("150.000 đồng")
    axe(citizen, "citizen-bank")
    citizen.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(citizen.locator("h1")).to_have_text("Thanh toán thành công")
    expect(citizen.get_by_test_id("receipt-no")).to_have_text(re.compile(r"^BL-\d{6}-\d{6}$"))
    axe(citizen, "citizen-paid")
    citizen.goto(mine_url)
    expect(citizen.get_by_test_id("my-fee")).to_contain_text("Đã thanh toán trực tuyến")
    citizen.get_by_test_id("receipt-link").click()
    expect(citizen.get_by_test_id("receipt")).to_contain_text("150.000")
    axe(citizen, "citizen-receipt")

    # --- the officer accepts and processes; the citizen sees each state -------------------------------------
    officer = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    officer.set_default_timeout(15000)
    officer.goto(base + "/dang-nhap/")
    officer.get_by_label("Tên đăng nhập").fill("canbo")
    officer.get_by_label("Mật khẩu").fill(PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    officer.goto(f"{base}/mot-cua/{code}/")
    files = officer.get_by_test_id("online-files")
    expect(files).to_contain_text("giay-de-nghi.pdf")
    expect(files).to_contain_text("cccd.png")
    with officer.expect_download() as got:
        files.get_by_role("link", name="cccd.png").click()
    assert open(got.value.path(), "rb").read() == PNG
    expect(officer.get_by_test_id("digital-flags")).to_contain_text("Qua cổng thanh toán của địa phương")

    def citizen_sees(state):
        citizen.goto(base + "/ho-so-cua-toi/")
        expect(citizen.get_by_test_id("my-dossiers")).to_contain_text(state)
        citizen.goto(mine_url)
        expect(citizen.get_by_test_id("my-state")).to_have_text(state)

    officer_do(officer, "accept", "Tiếp nhận hồ sơ trực tuyến")
    citizen_sees("Được tiếp nhận")
    officer_do(officer, "start_processing", "Chuyển xử lý")
    citizen_sees("Đang xử lý")
    for username, action, button in (("chuyenvien", "handover", "Hoàn thành bước, chuyển bước tiếp theo"),
                                     ("lanhdao", "handover", "Hoàn thành bước, chuyển bước tiếp theo"),
                                     ("vanthu", "finish", "Hoàn thành xử lý")):
        colleague = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
        colleague.set_default_timeout(15000)
        colleague.goto(base + "/dang-nhap/")
        colleague.get_by_label("Tên đăng nhập").fill(username)
        colleague.get_by_label("Mật khẩu").fill(PASSWORD)
        colleague.get_by_role("button", name="Đăng nhập").click()
        colleague.goto(f"{base}/mot-cua/{code}/")
        officer_do(colleague, action, button)
        colleague.context.close()
    citizen_sees("Đã xử lý xong")
    officer.goto(f"{base}/mot-cua/{code}/")
    officer.locator("#result-file").set_input_files({"name": "giay-chung-nhan.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF + b"% ket qua"})
    officer.get_by_role("button", name="Đính kèm kết quả điện tử").click()
    expect(officer.get_by_test_id("result-state")).to_have_text("Đã đính kèm")
    officer_do(officer, "return_result", "Trả kết quả", check="Đã trả bản điện tử của kết quả")
    citizen_sees("Đã trả kết quả")
    citizen.goto(base + "/ho-so-cua-toi/")
    expect(citizen.get_by_test_id("notifications")).to_contain_text("Trả kết quả")
    assert any("Đã trả kết quả" in m.body for m in mail.outbox)
    citizen.goto(mine_url)
    expect(citizen.get_by_test_id("my-timeline")).to_contain_text("Tiếp nhận hồ sơ")
    axe(citizen, "citizen-dossier-returned")

    # --- the result, only for the applicant; the rating ------------------------------------------------
    with citizen.expect_download() as got:
        citizen.get_by_test_id("result-download").click()
    assert open(got.value.path(), "rb").read() == PDF + b"% ket qua"
    stranger = officer.request.get(f"{base}/ho-so-cua-toi/{code}/ket-qua/")
    assert stranger.status == 404
    citizen.get_by_role("button", name="Không hài lòng").click()
    expect(citizen.get_by_test_id("rating-done")).to_have_text("Bạn đã đánh giá: không hài lòng.")
    citizen.get_by_text("Khảo sát ngắn theo 5 tiêu chí SIPAS (không bắt buộc)").click()
    citizen.get_by_role("button", name="Gửi khảo sát").click()
    expect(citizen.locator(".govuk-error-summary")).to_contain_text("Chọn mức hài lòng cho tiêu chí này.")
    axe(citizen, "citizen-survey-errors")
    for group in ("Tiếp cận dịch vụ", "Thủ tục hành chính", "Công chức trực tiếp giải quyết công việc",
                  "Kết quả dịch vụ", "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị"):
        citizen.get_by_role("group", name=group).get_by_label("2 — Không hài lòng").check()
    citizen.get_by_label("Góp ý thêm (không bắt buộc)").fill("Chờ lâu ở bước thẩm định")
    citizen.get_by_role("button", name="Gửi khảo sát").click()
    expect(citizen.get_by_test_id("flash")).to_contain_text("Cảm ơn bạn đã đánh giá")
    from kycuong.portal.models import Rating

    rating = Rating.objects.get()
    assert rating.liked is False and rating.officer == 2 and rating.unit.code == "H26.103"

    # --- the leader's queue --------------------------------------------------------------------------------
    officer.get_by_role("button", name=re.compile(r"^Đăng xuất")).click()
    officer.goto(base + "/dang-nhap/")
    officer.get_by_label("Tên đăng nhập").fill("lanhdao")
    officer.get_by_label("Mật khẩu").fill(PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    officer.get_by_role("link", name="Đánh giá không hài lòng").click()
    queue = officer.get_by_test_id("leader-queue")
    expect(queue).to_contain_text(code)
    expect(queue).to_contain_text("Chờ lâu ở bước thẩm định")
    axe(officer, "leader-queue")
    officer.context.close()
    citizen.context.close()


def test_public_pages_in_english_high_contrast_and_320px(live_server, browser, axe, seeded):
    """Every public page of the portal: axe in vi, en and high contrast; 320 px wide without horizontal scroll."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from kycuong.catalog.queries import procedure_by_code
    from kycuong.core.models import User
    from kycuong.core.services import create_user
    from kycuong.integrations import demo_gateway
    from kycuong.integrations import services as payments
    from kycuong.onestop import services as onestop
    from kycuong.portal import services
    from kycuong.portal.models import Profile

    base = live_server.url
    user = create_user("an@vidu.vn", None, role=User.Role.CITIZEN, full_name="Trần Văn An", email="an@vidu.vn")
    Profile.objects.create(user=user, id_number="001190012346", address="Hà Nội")
    version = procedure_by_code("2.001610")
    draft = services.start_draft(user, "2.001610")
    services.save_applicant(user, draft.pk, applicant=draft.applicant | {"phone": "0912000111"},
                            deciding_unit=version.deciding_units.get())
    docs = list(version.documents.all())
    services.add_files(user, draft.pk, docs[0].pk, [SimpleUploadedFile("a.pdf", PDF)])
    services.add_files(user, draft.pk, docs[1].pk, [SimpleUploadedFile("b.png", PNG)])
    dossier = services.submit_draft(user, draft.pk, str(draft.idempotency_key))
    officer = User.objects.get(username="canbo")
    onestop.act(dossier.code, "accept", officer)
    open_draft = services.start_draft(user, "1.001193")
    _pending, bank_url = payments.start_payment(user, dossier.code, gateway_key="demo",
                                                return_url=base + "/thanh-toan/demo/ket-qua/")
    paid, bank = payments.start_payment(user, dossier.code, gateway_key="demo",
                                        return_url=base + "/thanh-toan/demo/ket-qua/")
    result = demo_gateway.bank_result(dict(parse_qsl(urlsplit(bank).query)),
                                      "pay", "4242")
    payments.handle_callback("demo", result)
    paid.refresh_from_db()
    client = Client()
    client.force_login(user)
    pending = client.session
    pending["portal_otp"] = {"purpose": "sign_in", "contact": "an@vidu.vn", "next": "/ho-so-cua-toi/"}
    pending.save()
    session = client.cookies["sessionid"].value

    anonymous = ["/tai-khoan/dang-ky/", "/tai-khoan/dang-nhap/", "/nop-truc-tuyen/?q=khai+sinh", bank_url,
                 "/thanh-toan/demo/ket-qua/?" + urlencode(result)]
    signed_in = ["/ho-so-cua-toi/", f"/ho-so-cua-toi/{dossier.code}/", "/tai-khoan/",
                 f"/nop-truc-tuyen/{open_draft.pk}/nguoi-nop/", f"/nop-truc-tuyen/{open_draft.pk}/giay-to/",
                 f"/nop-truc-tuyen/{open_draft.pk}/phi/", f"/nop-truc-tuyen/{open_draft.pk}/kiem-tra/",
                 f"/nop-truc-tuyen/da-nop/{dossier.code}/", f"/ho-so-cua-toi/{dossier.code}/bien-lai/{paid.txn_ref}/",
                 "/tai-khoan/nhap-ma/"]
    for lang, contrast, width in (("vi", "high", 1280), ("en", "normal", 1280), ("en", "high", 1280),
                                  ("vi", "normal", 320), ("en", "normal", 320)):
        context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 800})
        context.add_cookies([{"name": "kycuong_lang", "value": lang, "url": base},
                             {"name": "kc_contrast", "value": contrast, "url": base},
                             {"name": "sessionid", "value": session, "url": base}])
        page = context.new_page()
        page.set_default_timeout(15000)
        for path in anonymous + signed_in:
            page.goto(base + path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            if contrast == "high":
                expect(page.locator("html")).to_have_class(re.compile(r"kc-contrast"))
            label = f"portal-{lang}-{contrast}-{width}-" + re.sub(r"[^a-z0-9]+", "-", path.strip("/"))[:60]
            axe(page, label)
            if width == 320:
                overflow = page.evaluate("document.documentElement.scrollWidth")
                assert overflow <= 320, f"{path} scrolls sideways at 320 px ({overflow} px)"
        if lang == "en" and width == 1280 and contrast == "normal":
            page.goto(base + "/ho-so-cua-toi/")
            expect(page.locator("h1")).to_have_text("My applications")
            page.goto(base + f"/nop-truc-tuyen/{open_draft.pk}/nguoi-nop/")
            expect(page.locator("h1")).to_have_text("Applicant")
        context.close()
    # A+ works on a portal page too (the control is in the shared layout).
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    page.goto(base + "/ho-so-cua-toi/")
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize)")
    page.get_by_role("button", name="Chữ lớn").click()
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize)")
    assert after > before
    context.close()
