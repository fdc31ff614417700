"""Sổ theo dõi hồ sơ (Mẫu số 07, TT 03/2025/TT-VPCP) as PDF and XLSX."""
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kycuong.core.models import Unit
from kycuong.documents import forms
from kycuong.onestop.models import Dossier

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
KINDS = ["received", "supplement", "refused", "returned", "apology", "stopped", "late"]


@pytest.fixture
def book(make_dossier):
    return {kind: make_dossier(kind) for kind in KINDS}


def test_register_rows_and_verdicts(book):
    unit = Unit.objects.get(code="H26.104")
    rows = forms.register_rows(forms.register_queryset(Dossier.objects.all(), unit, *MARCH),
                               now=datetime(2026, 3, 20, 12, 0, tzinfo=TZ))
    by_code = {r["code"]: r for r in rows}
    assert set(by_code) == {d.code for d in book.values()}
    assert [r["stt"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["code"] for r in rows] == sorted(by_code)          # same receipt minute: by code
    returned = by_code[book["returned"].code]
    assert returned["note"] == "Trước hạn"
    assert returned["transferred"] == datetime(2026, 3, 2, 10, 0, tzinfo=TZ)   # first hand-over
    assert returned["finished"] == datetime(2026, 3, 6, 10, 0, tzinfo=TZ)
    assert returned["returned"] == datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
    assert by_code[book["late"].code]["note"] == "Quá hạn"
    assert by_code[book["received"].code]["note"] == "Đang giải quyết, đã quá hạn"
    assert by_code[book["refused"].code]["note"] == "Không được tiếp nhận"
    assert by_code[book["supplement"].code]["note"] == "Yêu cầu bổ sung giấy tờ"
    assert "đã xin lỗi, hẹn lại" in by_code[book["apology"].code]["note"]
    assert by_code[book["stopped"].code]["note"].startswith("Dừng xử lý")


def test_register_period_and_unit(book):
    everything = Dossier.objects.all()
    assert not forms.register_queryset(everything, Unit.objects.get(code="H26.104"),
                                       date(2026, 3, 3), date(2026, 3, 31)).exists()
    assert not forms.register_queryset(everything, Unit.objects.get(code="H26.105"), *MARCH).exists()
    # The receiving branch keeps the same book for what it received.
    branch = forms.register_queryset(everything, Unit.objects.get(code="H26.200.01"), *MARCH)
    assert branch.count() == len(KINDS)
    with pytest.raises(forms.BadPeriod):
        forms.register_queryset(everything, None, date(2026, 3, 31), date(2026, 3, 1))


def test_register_pdf(book, pdfcheck, base_url):
    unit = Unit.objects.get(code="H26.104")
    pdf = forms.register_pdf(Dossier.objects.all(), unit, *MARCH, base_url=base_url)
    assert pdf.startswith(b"%PDF-")
    assert all(size == (841.89, 595.28) for size in pdfcheck.page_sizes(pdf))   # A4 landscape
    text = pdfcheck.text(pdf)
    for needle in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỔ THEO DÕI HỒ SƠ", "Mẫu số 07", "SỞ TƯ PHÁP",
                   "Từ ngày 01 tháng 3 năm 2026 đến ngày 31 tháng 3 năm 2026", "Mã hồ sơ",
                   "Nguyễn Thị Hồng Nhung", "Đăng ký hành nghề và cấp Thẻ công chứng viên", "Quá hạn",
                   f"Tổng số: {len(KINDS)} hồ sơ"]:
        assert needle in text, needle
    for dossier in book.values():
        assert dossier.code in text
    assert all(name.startswith("Liberation-Serif") for name in pdfcheck.fonts(pdf))


def test_register_xlsx(book):
    from openpyxl import load_workbook

    unit = Unit.objects.get(code="H26.104")
    content = forms.register_xlsx(Dossier.objects.all(), unit, *MARCH)
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.freeze_panes == "A4"
    header = [c.value for c in ws[3]]
    assert header == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Người nộp hồ sơ", "Ngày nhận hồ sơ",
                      "Hẹn trả kết quả", "Ngày chuyển xử lý", "Ngày có kết quả", "Ngày trả kết quả",
                      "Ghi chú (trước hạn / đúng hạn / quá hạn)"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == len(KINDS)
    by_code = {r[1]: r for r in rows}
    returned = by_code[book["returned"].code]
    # Real Excel date-times, in Hà Nội wall-clock time.
    assert returned[4] == datetime(2026, 3, 2, 8, 30)
    assert returned[5] == book["returned"].due_at.astimezone(TZ).replace(tzinfo=None)
    assert returned[8] == datetime(2026, 3, 9, 9, 0)
    assert returned[9] == "Trước hạn" and returned[3] == "Nguyễn Thị Hồng Nhung"
    assert ws.cell(row=4, column=5).number_format == "dd/mm/yyyy hh:mm"
    assert ws.column_dimensions["C"].width == 48 and ws.column_dimensions["B"].width == 24
    assert "SỔ THEO DÕI HỒ SƠ" in ws["A1"].value


def test_register_too_large_for_print(book, monkeypatch, base_url):
    monkeypatch.setattr(forms, "REGISTER_PDF_MAX_ROWS", 3)
    with pytest.raises(forms.RegisterTooLarge):
        forms.register_pdf(Dossier.objects.all(), None, *MARCH, base_url=base_url)


def test_register_xlsx_writes_an_applicant_named_like_a_formula_as_text(book):
    """OWASP CSV injection: citizens choose their own names; the register shows them, never runs them."""
    from tests.exportcheck import xlsx_formulas

    evil = '=HYPERLINK("http://x.example","Nhung")'
    Dossier.objects.filter(code=book["returned"].code).update(applicant_name=evil)
    content = forms.register_xlsx(Dossier.objects.all(), Unit.objects.get(code="H26.104"), *MARCH)
    assert xlsx_formulas(content) == []
    from openpyxl import load_workbook

    names = {row[3] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=4, values_only=True)}
    assert evil in names
