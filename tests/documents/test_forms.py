"""The one-stop forms (TT 03/2025/TT-VPCP Phụ lục I) as PDF in the NĐ 30/2020/NĐ-CP layout."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kycuong.documents import forms, render

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# kind of dossier → form, and what the printed text must say (titles are printed in capitals).
CASES = [
    ("received", "01", ["Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Thành phần hồ sơ nộp gồm",
                        "Quyết định bổ nhiệm công chứng viên", "Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 02/03/2026",
                        "Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 30 phút, ngày 16/03/2026",
                        "Đăng ký nhận kết quả tại: Bộ phận Một cửa — Chi nhánh số 1", "NGƯỜI TIẾP NHẬN HỒ SƠ",
                        "Nguyễn Thị Lan", "Hà Nội, ngày 02 tháng 3 năm 2026", "CHI NHÁNH SỐ 1",
                        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG THÀNH PHỐ HÀ NỘI"]),
    ("supplement", "02", ["Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                          "Bổ sung bản sao Quyết định bổ nhiệm công chứng viên", "Ảnh chân dung 2x3 chụp trong 6 tháng",
                          "chỉ yêu cầu bổ sung, hoàn thiện hồ sơ một lần", "NGƯỜI HƯỚNG DẪN"]),
    ("refused", "03", ["Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                       "Thủ tục không thuộc thẩm quyền tiếp nhận của Chi nhánh số 1."]),
    ("returned", "06", ["Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Thẩm định hồ sơ",
                        "Trần Văn Minh", "Lê Hoàng Nam", "Phạm Thu Hà", "Trước hạn", "Đúng hạn",
                        "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp"]),
    ("apology", "apology", ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Cần xác minh thông tin với Sở Nội vụ.",
                            "08 giờ 30 phút, ngày 16/03/2026", "08 giờ 30 phút, ngày 20/03/2026", "SỞ TƯ PHÁP",
                            "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "GIÁM ĐỐC", "Nơi nhận:", "Như trên;",
                            "Hà Nội, ngày 04 tháng 3 năm 2026", "Kính gửi: Ông/bà"]),
    ("stopped", "stop", ["THÔNG BÁO", "Về việc dừng giải quyết hồ sơ", "Điều 21 Nghị định số 118/2025/NĐ-CP",
                         "Cơ quan có thẩm quyền đã có văn bản tạm dừng.", "kể từ ngày 03 tháng 3 năm 2026",
                         "Nơi nhận:"]),
    ("withdrawn", "stop", ["THÔNG BÁO", "Về việc dừng giải quyết hồ sơ", "khoản 1 Điều 21",
                           "Người nộp xin rút hồ sơ để bổ sung sau."]),
]


@pytest.mark.parametrize("kind,form,expected", CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_form_renders_with_mandatory_components(make_dossier, pdfcheck, base_url, kind, form, expected):
    dossier = make_dossier(kind)
    pdf = forms.render_form(dossier, form, base_url=base_url)
    assert pdf.startswith(b"%PDF-")
    text = pdfcheck.text(pdf)
    # Quốc hiệu, Tiêu ngữ, number and symbol, the dossier, the applicant with all her marks intact.
    for needle in [NATIONAL, MOTTO, f"Số: {dossier.code}/{forms.SYMBOLS[form]}", dossier.code,
                   "Nguyễn Thị Hồng Nhung", *expected]:
        assert needle in text, needle
    # Every page is A4 portrait.
    assert all(size == pdfcheck.A4_PORTRAIT for size in pdfcheck.page_sizes(pdf))


def test_every_font_is_embedded_liberation_serif(make_dossier, pdfcheck, base_url):
    pdf = forms.render_form(make_dossier("returned"), "06", base_url=base_url)
    found = pdfcheck.fonts(pdf)
    assert found, "no font in the PDF"
    assert all(name.startswith("Liberation-Serif") or name.startswith("LiberationSerif") for name in found), found
    assert all(found.values()), f"a font is not embedded: {found}"
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= set(found)


def test_page_set_up_follows_decree_30(make_dossier, pdfcheck, base_url):
    """A4; nothing printed in the margins: top/bottom 20 mm, left 30 mm, right 15 mm (NĐ 30/2020 Phụ lục I)."""
    pdf = forms.render_form(make_dossier("received"), "01", base_url=base_url)
    width, height = pdfcheck.page_sizes(pdf)[0]
    assert (width, height) == pdfcheck.A4_PORTRAIT
    page = pdfcheck.words(pdf)[0]
    mm = pdfcheck.MM
    assert min(w["x0"] for w in page) >= 30 * mm - 0.5
    assert max(w["x1"] for w in page) <= width - 15 * mm + 0.5
    assert min(w["y0"] for w in page) >= 20 * mm - 0.5
    assert max(w["y1"] for w in page) <= height - 20 * mm + 0.5
    # The agency sits left of the Quốc hiệu, on the same band at the top of the page.
    agency = next(w for w in page if w["text"] == "CHI")
    national = next(w for w in page if w["text"] == "CỘNG")
    assert agency["x1"] < national["x0"] and abs(agency["y0"] - national["y0"]) < 40
    # The form number is flush right.
    label = [w for w in page if w["text"] in ("Mẫu", "số", "01")][:3]
    assert abs(max(w["x1"] for w in label) - (width - 15 * mm)) < 1


def test_page_numbers_from_page_two_centred_in_the_top_margin(pdfcheck):
    """Decree 30: page numbers centred in the top margin, the first page unnumbered."""
    from django.template import Context, Template

    html = Template(
        '{% extends "documents/base_print.html" %}{% block body %}'
        '{% for i in rows %}<p>Đoạn văn thử số {{ i }}: Quyết định về việc công bố thủ tục hành chính.</p>{% endfor %}'
        '{% endblock %}'
    ).render(Context({"fonts": render.font_faces(), "title": "Thử nghiệm", "rows": range(120),
                      "agency": {"name": "Sở Tư pháp", "parent": "Ủy ban nhân dân Thành phố Hà Nội"}}))
    pdf = render.html_to_pdf(html, "http://testserver/")
    pages = pdfcheck.words(pdf)
    assert len(pages) >= 3
    width = pdfcheck.A4_PORTRAIT[0]
    top = 20 * pdfcheck.MM
    assert not [w for w in pages[0] if w["y1"] <= top]
    for number, page in enumerate(pages[1:], 2):
        in_margin = [w for w in page if w["y1"] <= top]
        assert [w["text"] for w in in_margin] == [str(number)]
        # centred between the 30 mm left and 15 mm right margins
        centre = (30 * pdfcheck.MM + width - 15 * pdfcheck.MM) / 2
        assert abs((in_margin[0]["x0"] + in_margin[0]["x1"]) / 2 - centre) < 3


def test_qr_code_encodes_the_public_lookup_url(make_dossier, pdfcheck, base_url, monkeypatch):
    import segno

    encoded = []
    real_make = segno.make

    def spy(content, *args, **kwargs):
        encoded.append(content)
        return real_make(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    for kind, form in [("received", "01"), ("apology", "apology")]:
        dossier = make_dossier(kind)
        pdf = forms.render_form(dossier, form, base_url=base_url)
        url = f"https://kycuong.example.vn/tra-cuu/{dossier.code}/"
        assert encoded[-1] == url
        assert url in pdfcheck.link_targets(pdf)
        assert url in pdfcheck.text(pdf)


@pytest.mark.parametrize("kind,forms_available", [
    ("received", {"01", "06"}),
    ("supplement", {"02"}),                    # at intake: no receipt, no clock yet
    ("refused", {"03"}),
    ("processing", {"01", "06"}),
    ("apology", {"01", "06", "apology"}),
    ("stopped", {"01", "06", "stop"}),
    ("withdrawn", {"01", "06", "stop"}),
    ("returned", {"01", "06"}),
])
def test_a_form_that_does_not_fit_the_state_is_refused(make_dossier, base_url, kind, forms_available):
    dossier = make_dossier(kind)
    for form in forms.FORMS:
        if form in forms_available:
            assert forms.availability(dossier, form) is None, form
        else:
            with pytest.raises(forms.FormNotAvailable) as info:
                forms.render_form(dossier, form, base_url=base_url)
            assert info.value.status == 404
            assert str(info.value.message)


def test_unknown_form(make_dossier, base_url):
    with pytest.raises(forms.UnknownForm):
        forms.render_form(make_dossier("received"), "04", base_url=base_url)


def test_late_steps_and_dossier_marked_in_the_control_slip(make_dossier, pdfcheck, base_url):
    dossier = make_dossier("late")
    rows = forms.step_rows(dossier)
    assert [r.verdict for r in rows] == ["Đúng hạn", "Quá hạn", "Trước hạn", "Đúng hạn", "Quá hạn"]
    assert rows[-1].due_at == dossier.due_at      # the return step answers to the appointment
    text = pdfcheck.text(forms.render_form(dossier, "06", base_url=base_url))
    assert "Quá hạn" in text and "Trước hạn" in text


def test_step_verdict_rule():
    from kycuong.onestop.models import DossierStep

    due = datetime(2026, 3, 10, 17, 0, tzinfo=TZ)
    step = DossierStep(due_at=due, is_return_step=False)
    step.finished_at = datetime(2026, 3, 9, 16, 0, tzinfo=TZ)
    assert forms.step_verdict(step, None) == "early"
    step.finished_at = datetime(2026, 3, 10, 8, 0, tzinfo=TZ)      # same local day, before the hour
    assert forms.step_verdict(step, None) == "on_time"
    step.finished_at = due
    assert forms.step_verdict(step, None) == "on_time"
    step.finished_at = datetime(2026, 3, 10, 17, 1, tzinfo=TZ)
    assert forms.step_verdict(step, None) == "late"
    # 23:30 UTC on the 9th is 06:30 on the 10th in Hà Nội: the due day itself, so on time (not early).
    step.finished_at = datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert forms.step_verdict(step, None) == "on_time"
    step.finished_at = None
    assert forms.step_verdict(step, None) == ""


def test_dates_follow_decree_30_and_hanoi_time():
    assert forms.date_words(datetime(2026, 3, 5, 9, 0, tzinfo=TZ)) == "ngày 05 tháng 3 năm 2026"
    assert forms.date_words(datetime(2026, 2, 15, 9, 0, tzinfo=TZ)) == "ngày 15 tháng 02 năm 2026"
    assert forms.date_words(datetime(2026, 12, 1, 9, 0, tzinfo=TZ)) == "ngày 01 tháng 12 năm 2026"
    # 20:00 UTC on 31/01 is already 1 February in Hà Nội.
    assert forms.date_words(datetime(2026, 1, 31, 20, 0, tzinfo=ZoneInfo("UTC"))) == "ngày 01 tháng 02 năm 2026"
    assert forms.time_and_date(datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC"))) == "08 giờ 30 phút, ngày 02/03/2026"


def test_times_are_hanoi_time_whatever_zone_is_active(make_dossier, pdfcheck, base_url):
    dossier = make_dossier("returned")
    with timezone.override(ZoneInfo("America/New_York")):
        text = pdfcheck.text(forms.render_form(dossier, "06", base_url=base_url))
        text01 = pdfcheck.text(forms.render_form(dossier, "01", base_url=base_url))
    assert "08:30 02/03/2026" in text        # step 1 received at 08:30 Hà Nội time
    assert "08 giờ 30 phút, ngày 02/03/2026" in text01


def test_forms_are_issued_in_vietnamese_whatever_the_screen_language(make_dossier, pdfcheck, base_url):
    from django.utils import translation

    with translation.override("en"):
        text = pdfcheck.text(forms.render_form(make_dossier("received"), "01", base_url=base_url))
    assert NATIONAL in text and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text


def test_citizen_text_is_printed_not_interpreted(people, base_url, pdfcheck):
    from kycuong.onestop import services

    dossier = services.receive_at_counter(
        people["receiver"], procedure_code="HN-DEMO-CC01",
        applicant=services.Applicant(name='Lê Văn <b>Bảo</b> <img src="http://169.254.169.254/">'),
        documents=[], outcome="refuse", reason='<link rel="stylesheet" href="file:///etc/passwd">Sai thẩm quyền',
        at=datetime(2026, 3, 2, 9, 0, tzinfo=TZ))
    text = pdfcheck.text(forms.render_form(dossier, "03", base_url=base_url))
    assert 'Lê Văn <b>Bảo</b>' in text
    assert '<link rel="stylesheet" href="file:///etc/passwd">Sai thẩm quyền' in text


def test_renderer_fetches_nothing_but_data_uris_and_its_fonts(settings):
    def fetch(url):
        result = render.url_fetcher(url)
        if "file_obj" in result:
            with result["file_obj"] as f:
                return f.read()
        return result["string"]

    faces = render.font_faces()
    assert fetch(faces[0]["url"])[:4] == b"\x00\x01\x00\x00"  # the TrueType font itself
    for url in ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "https://example.org/x.css",
                faces[0]["url"].replace("LiberationSerif-Regular.ttf", "../../../../etc/passwd")]:
        with pytest.raises(ValueError):
            render.url_fetcher(url)
    assert fetch("data:text/plain;base64,SGVsbG8=") == b"Hello"


def test_missing_font_fails_loudly(settings, tmp_path):
    settings.KYCUONG_PDF_FONT_DIR = str(tmp_path)
    with pytest.raises(render.FontMissing, match="fonts-liberation2"):
        render.html_to_pdf("<p>x</p>", None)

