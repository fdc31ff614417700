"""Public and officer pages: the accessible form, bad input (HTML shown as text, disguised/oversize files,
floods), tracking, published answers with votes, and the officer workflow through the pages."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kycuong.feedback import services
from kycuong.feedback.models import Report

from .conftest import hn

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SCRIPT = '<script>alert("x")</script><b>đậm</b>'


def form(**kw):
    data = {"kind": "procedure", "title": "", "text": "Nội dung", "dossier_code": "", "procedure_code": "",
            "unit_code": "", "official_name": "", "official_description": "", "reporter_name": "",
            "reporter_phone": "", "reporter_email": ""}
    data.update(kw)
    return data


def test_pages_render(client, people):
    for url in ("/phan-anh/", "/phan-anh/gui/", "/phan-anh/tra-cuu/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert 'href="/phan-anh/"' in client.get("/").content.decode()  # the nav link


def test_anonymous_submission_gives_a_tracking_code(client, people):
    response = client.post("/phan-anh/gui/", form(text="Thủ tục rườm rà"), follow=True)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.anonymous and report.channel == "portal" and report.reporter is None
    assert report.code in response.content.decode()


def test_signed_in_citizen_is_linked(client, people):
    client.force_login(people["citizen"])
    client.post("/phan-anh/gui/", form(text="Thủ tục rườm rà"))
    assert Report.objects.get().reporter == people["citizen"]


def test_errors_are_summarised_and_linked_to_their_fields_and_input_is_kept(client, people):
    response = client.post("/phan-anh/gui/", form(kind="", text="", reporter_name="Giữ lại tên",
                                                   reporter_email="khong-phai-thu"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    for anchor in ("#id_kind_0", "#id_text", "#id_reporter_email"):
        assert f'href="{anchor}"' in html
    assert 'value="Giữ lại tên"' in html
    response = client.post("/phan-anh/gui/", form(text="Có mã hồ sơ sai", dossier_code="H26.104-000000-9999"))
    assert response.status_code == 400 and 'href="#id_dossier_code"' in response.content.decode()
    assert Report.objects.count() == 0


def test_html_and_scripts_in_report_text_are_shown_as_text(client, people):
    """Django autoescape: what a citizen typed never becomes markup, on public and officer pages."""
    client.post("/phan-anh/gui/", form(title=SCRIPT, text=SCRIPT + "\nDòng hai"))
    report = Report.objects.get()
    assert report.text.startswith(SCRIPT)  # stored as typed
    public = client.get(f"/phan-anh/tra-cuu/{report.code}/").content.decode()
    assert "<script>alert" not in public and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in public
    client.force_login(people["desk"])
    staff = client.get(f"/phan-anh/can-bo/{report.code}/").content.decode()
    assert "<script>alert" not in staff and "&lt;b&gt;đậm&lt;/b&gt;" in staff


def test_disguised_and_oversize_files_are_refused_with_the_text_kept(client, people, settings):
    settings.KYCUONG_UPLOAD_MAX_FILE_MB = 1
    exe = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post("/phan-anh/gui/", {**form(text="Văn bản giữ lại"), "files": [exe]})
    html = response.content.decode()
    assert response.status_code == 400 and 'href="#id_files"' in html and "Văn bản giữ lại" in html
    big = SimpleUploadedFile("anh.png", PNG + b"\x00" * (1024 * 1024 + 10), content_type="image/png")
    response = client.post("/phan-anh/gui/", {**form(text="Văn bản"), "files": [big]})
    assert response.status_code == 400 and "MB" in response.content.decode()
    assert Report.objects.count() == 0
    ok = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    client.post("/phan-anh/gui/", {**form(text="Văn bản"), "files": [ok]})
    assert Report.objects.get().attachments.count() == 1


def test_a_flood_from_one_address_is_refused_with_429_in_vietnamese_and_nothing_lost(client, people, settings):
    settings.KYCUONG_FEEDBACK_RATE_PER_MINUTE = 3
    for i in range(3):
        assert client.post("/phan-anh/gui/", form(text=f"Phản ánh {i} về chủ đề {i * 31}")).status_code == 302
    response = client.post("/phan-anh/gui/", form(text="Phản ánh thứ tư vẫn còn trên trang"))
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert "Bạn đã gửi quá nhiều yêu cầu" in html and "Phản ánh thứ tư vẫn còn trên trang" in html
    assert Report.objects.count() == 3
    other = client.post("/phan-anh/gui/", form(text="Từ địa chỉ khác"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_tracking_by_code_shows_state_without_personal_data(client, submit, people):
    report = submit(text="Cán bộ gọi cho tôi số 0912345678", reporter_name="Nguyễn Văn Dân",
                    reporter_phone="0912345678")
    page = client.get(f"/phan-anh/tra-cuu/?ma={report.code.lower()}", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and report.code in html
    assert "0912345678" not in html and "Nguyễn Văn Dân" not in html
    assert client.get("/phan-anh/tra-cuu/PA-KHONGCO2/").status_code == 404
    assert client.get("/phan-anh/tra-cuu/?ma=abc").status_code == 400


def test_published_answer_is_public_masked_and_readers_vote_once(client, submit, people):
    report = submit(text="Thủ tục phiền hà")
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    services.act(report.code, "answer", people["leader"], at=hn(2026, 3, 3, 9),
                 answer="Đã làm việc với ông A (ĐT 0912 345 678, CCCD 001190012345, a@b.vn).")
    assert client.get(f"/phan-anh/tra-loi/{report.code}/").status_code == 404  # not published yet
    services.act(report.code, "publish", people["leader"], at=hn(2026, 3, 3, 10))
    listing = client.get("/phan-anh/").content.decode()
    page = client.get(f"/phan-anh/tra-loi/{report.code}/").content.decode()
    for html in (listing, page):
        assert "Đã làm việc với ông A" in html
        for secret in ("0912 345 678", "001190012345", "a@b.vn"):
            assert secret not in html
    client.post(f"/phan-anh/tra-loi/{report.code}/danh-gia/", {"value": "1"})
    client.post(f"/phan-anh/tra-loi/{report.code}/danh-gia/", {"value": "1"})
    report.refresh_from_db()
    assert (report.likes, report.dislikes) == (1, 0)
    client.post(f"/phan-anh/tra-loi/{report.code}/danh-gia/", {"value": "-1"})  # changes their vote
    report.refresh_from_db()
    assert (report.likes, report.dislikes) == (0, 1)
    from django.test import Client

    Client().post(f"/phan-anh/tra-loi/{report.code}/danh-gia/", {"value": "1"})  # another reader
    report.refresh_from_db()
    assert (report.likes, report.dislikes) == (1, 1)


def test_officer_pages_queue_intake_and_actions(client, people):
    client.force_login(people["desk"])
    assert client.get("/phan-anh/can-bo/").status_code == 200
    response = client.post("/phan-anh/can-bo/tiep-nhan/", form(channel="hotline", text="Gọi đường dây nóng",
                                                                reporter_name="Người gọi"))
    report = Report.objects.get()
    assert response.status_code == 302 and report.channel == "hotline" and report.entered_by == people["desk"]
    url = f"/phan-anh/can-bo/{report.code}/"
    assert report.code in client.get("/phan-anh/can-bo/").content.decode()
    bad = client.post(url + "thao-tac/", {"action": "transfer", "version": report.version, "unit": "H26.104",
                                          "reason": ""})
    assert bad.status_code == 400 and 'href="#transfer-reason"' in bad.content.decode()
    stale = client.post(url + "thao-tac/", {"action": "confirm_unit", "version": report.version - 1, "unit": "H26"})
    assert stale.status_code == 409
    garbage = client.post(url + "thao-tac/", {"action": "confirm_unit", "version": "abc", "reason": "x\x00"})
    assert garbage.status_code == 400
    garbage = client.post(url + "thao-tac/", {"action": "confirm_unit", "version": "abc"})
    assert garbage.status_code == 400
    ok = client.post(url + "thao-tac/", {"action": "transfer", "version": report.version, "unit": "H26.104",
                                         "reason": "Thuộc lĩnh vực tư pháp"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.responsible_unit.code == "H26.104" and report.transfer_count == 1


def test_officer_pages_are_scoped_and_citizens_are_refused(client, submit, people):
    report = submit()
    client.force_login(people["other"])
    assert client.get(f"/phan-anh/can-bo/{report.code}/").status_code == 404
    client.force_login(people["citizen"])
    assert client.get("/phan-anh/can-bo/").status_code == 403
    client.logout()
    assert client.get("/phan-anh/can-bo/").status_code == 302


def test_reporter_shown_on_the_officer_page_only_to_the_handling_inspector(client, submit, people):
    report = submit(kind="conduct", procedure_code="", official_id=people["official"].pk, text="Quát tháo",
                    reporter_name="Nguyễn Văn Dân", reporter_phone="0912345678")
    services.act(report.code, "confirm_unit", people["inspector"], at=hn(2026, 3, 2, 10))
    for who in ("desk", "counter", "inspector"):
        client.force_login(people[who])
        assert "0912345678" not in client.get(f"/phan-anh/can-bo/{report.code}/").content.decode(), who
    services.act(report.code, "assign_verifier", people["inspector"], verifier=people["inspector"].pk,
                 at=hn(2026, 3, 2, 11))
    client.force_login(people["inspector"])
    assert "0912345678" in client.get(f"/phan-anh/can-bo/{report.code}/").content.decode()
    client.force_login(people["inspector2"])
    assert "0912345678" not in client.get(f"/phan-anh/can-bo/{report.code}/").content.decode()


def test_english_pages(client, people):
    client.cookies["kycuong_lang"] = "en"
    html = client.get("/phan-anh/gui/").content.decode()
    assert re.search(r"<html lang=\"en\"", html)
    assert "Send a report" in html


def test_inspector_view_lists_the_reports_they_handle(client, submit, people):
    mine = submit(kind="conduct", procedure_code="", official_id=people["official"].pk, text="Quát tháo")
    other = submit(kind="conduct", procedure_code="", official_id=people["official"].pk,
                   text="Một việc khác: đi muộn nhiều buổi sáng", at=hn(2026, 3, 3, 9))
    services.act(mine.code, "confirm_unit", people["inspector"], at=hn(2026, 3, 2, 10))
    services.act(mine.code, "assign_verifier", people["inspector"], verifier=people["inspector2"].pk,
                 at=hn(2026, 3, 2, 11))
    client.force_login(people["inspector2"])
    html = client.get("/phan-anh/can-bo/?mine=1&kind=conduct").content.decode()
    assert mine.code in html and other.code not in html
    assert other.code in client.get("/phan-anh/can-bo/").content.decode()


def test_officers_in_scope_download_attachments(client, people):
    png = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    client.post("/phan-anh/gui/", {**form(text="Có ảnh", procedure_code="HN-DEMO-CC01"), "files": [png]})
    report = Report.objects.get()
    item = report.attachments.get()
    url = f"/phan-anh/can-bo/{report.code}/tep/{item.pk}/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(people["other"])
    assert client.get(url).status_code == 404
    client.force_login(people["specialist"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert url in client.get(f"/phan-anh/can-bo/{report.code}/").content.decode()
