"""Letters in the NĐ 30/2020/NĐ-CP layout (docs/legal/documents.md §7): the criticism công văn and the conclusions notice,
as PDF (WeasyPrint, kycuong.documents.render, Liberation Serif) and DOCX (python-docx) for the clerk to edit.

The nine mandatory parts of Đ.8 k.2, in order — and the PDF paints them in that order, so text extraction
reads them a → i: a) Quốc hiệu, Tiêu ngữ; b) tên cơ quan ban hành; c) số, ký hiệu; d) địa danh, thời gian;
đ) tên loại (none for a công văn) and trích yếu ("V/v …"); e) nội dung; g) chức vụ, họ tên, chữ ký;
h) dấu, chữ ký số of the agency; i) nơi nhận. Letters are issued in Vietnamese whatever the screen language.
"""
from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kycuong.core.models import Unit
from kycuong.documents.forms import agency_of, place_date
from kycuong.documents.render import font_faces, html_to_pdf

from .models import Letter

# From 08/12/2025 the meeting provisions of QĐ 45/2018 no longer govern UBND cấp tỉnh (and its sở) and
# UBND cấp xã: NĐ 314/2025 and NĐ 315/2025 (model working regulations) replace them — their new meeting
# articles were not read (docs/legal/in-force.md §0, docs/legal/discipline.md §6.3 ❌), so the letter cites the regulations generally.
REPLACEMENT_DAY = date(2025, 12, 8)
LOCAL_COMMITTEE_KINDS = {Unit.Kind.CITY_COMMITTEE, Unit.Kind.DEPARTMENT, Unit.Kind.EQUIVALENT_BODY,
                         Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE, Unit.Kind.SERVICE_CENTRE}


def meeting_basis(unit: Unit, on: date) -> str:
    """The rule a meeting's attendees broke: QĐ 45/2018/QĐ-TTg Đ.15, or for UBND tỉnh/xã from 08/12/2025
    the working regulations under NĐ 314/2025 and NĐ 315/2025."""
    if on >= REPLACEMENT_DAY and unit.kind in LOCAL_COMMITTEE_KINDS:
        return _("Quy chế làm việc của Ủy ban nhân dân (ban hành theo Quy chế làm việc mẫu tại Nghị định số "
                 "314/2025/NĐ-CP, Nghị định số 315/2025/NĐ-CP) về trách nhiệm của người dự họp")
    return _("Điều 15 Quy chế tổ chức và xử lý văn bản, hội họp ban hành kèm theo Quyết định số 45/2018/QĐ-TTg")


def context(letter: Letter) -> dict:
    agency = agency_of(letter.unit)
    meeting = letter.body.get("meeting", {})
    return {
        "letter": letter, "agency": agency, "fonts": font_faces(), "title": letter.subject,
        "number": letter.number_text, "place_date": place_date(letter.unit, letter.issued_on),
        "named": letter.body.get("named", {}), "meeting": meeting, "body": letter.body,
        "basis": meeting_basis(letter.unit, letter.issued_on),
        "recipients": letter.recipients, "sections": sections(letter),
    }


def sections(letter: Letter) -> list[dict]:
    """The lists a criticism letter names, numbered in order of those present."""
    named = letter.body.get("named", {})
    out = []
    if named.get("units"):
        out.append({"heading": _("Các đơn vị vắng mặt không có lý do, không báo cáo người chủ trì:"),
                    "lines": [u["unit"] + (f" ({u['person']})" if u.get("person") else "") for u in named["units"]]})
    if named.get("people"):
        out.append({"heading": _("Các cá nhân vắng mặt không có lý do:"),
                    "lines": [f"{p['name']}, {p['position']}, {p['unit']}" for p in named["people"]]})
    if named.get("leavers"):
        out.append({"heading": _("Các cá nhân rời cuộc họp khi chưa kết thúc, không báo cáo và không được sự "
                                 "đồng ý của người chủ trì:"),
                    "lines": [f"{p['name']}, {p['position']}, {p['unit']}" for p in named["leavers"]]})
    return out


def _template(letter):
    return f"discipline/print/{letter.kind}.html"


def render_pdf(letter: Letter) -> bytes:
    with translation.override("vi"):
        html = render_to_string(_template(letter), context(letter))
    return html_to_pdf(html)


def filename(letter: Letter, ext: str) -> str:
    return f"{letter.kind}-{letter.year}-{letter.number:04d}.{ext}"


def render_docx(letter: Letter) -> bytes:
    """The same parts, same order, as an editable Word file (A4, the margins of Phụ lục I, Times New Roman)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    with translation.override("vi"):
        ctx = context(letter)
        doc = Document()
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
        style = doc.styles["Normal"]
        style.font.name, style.font.size = "Times New Roman", Pt(13)

        def para(text, *, bold=False, italic=False, center=False, size=None, upper=False):
            p = doc.add_paragraph()
            run = p.add_run(text.upper() if upper else text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            return p

        head = doc.add_table(rows=2, cols=2)
        left, right = head.rows[0].cells
        right.text = ""
        r = right.paragraphs[0].add_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + "\n")
        r.bold = True
        r2 = right.paragraphs[0].add_run(_("Độc lập - Tự do - Hạnh phúc"))
        r2.bold = True
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        agency = ctx["agency"]
        left.paragraphs[0].add_run(((agency["parent"] + "\n") if agency["parent"] else "").upper())
        left.paragraphs[0].add_run(agency["name"].upper()).bold = True
        left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        c_left, c_right = head.rows[1].cells
        c_left.paragraphs[0].add_run(_("Số:") + " " + ctx["number"])
        c_right.paragraphs[0].add_run(ctx["place_date"]).italic = True
        c_right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if letter.doc_type == "CV":
            c_left.add_paragraph(letter.subject).alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            para(_("THÔNG BÁO"), bold=True, center=True, size=14)
            para(letter.subject, bold=True, center=True, size=14)
        for line in content_lines(letter, ctx):
            para(line)
        para(letter.signer_title, bold=True, center=True, upper=True)
        para(_("(Chữ ký số, dấu của cơ quan)"), italic=True, center=True, size=12)
        para(letter.signer_name, bold=True, center=True)
        para(_("Nơi nhận:"), bold=True, italic=True, size=12)
        for item in letter.recipients:
            para(f"- {item};", size=11)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def content_lines(letter: Letter, ctx: dict) -> list[str]:
    """The body paragraphs (part e) as plain lines, shared by the DOCX; the PDF template says the same."""
    lines = []
    if letter.kind == Letter.Kind.CRITICISM:
        m = ctx["meeting"]
        lines.append(_("Kính gửi: Thủ trưởng các cơ quan, đơn vị có tên dưới đây."))
        lines.append(_("Ngày %(date)s, %(chair)s chủ trì %(title)s tại %(place)s. Theo kết quả điểm danh, việc "
                       "chấp hành chế độ hội họp của một số đơn vị, cá nhân như sau:")
                     % {"date": m.get("date"), "chair": m.get("chair"), "title": m.get("title"), "place": m.get("place") or "—"})
        for i, section in enumerate(ctx["sections"], 1):
            lines.append(f"{i}. {section['heading']}")
            lines += [f"- {line}" for line in section["lines"]]
        lines.append(_("Việc trên vi phạm %(basis)s. Phê bình các đơn vị, cá nhân nêu trên; đề nghị thủ trưởng các "
                       "cơ quan, đơn vị tổ chức kiểm điểm, chấn chỉnh và báo cáo kết quả.") % {"basis": ctx["basis"]})
    else:
        lines.append(letter.body.get("conclusions", ""))
        for i, t in enumerate(letter.body.get("tasks", []), 1):
            lines.append(_("%(i)s. %(unit)s: %(title)s — hoàn thành trước ngày %(due)s.")
                         % {"i": i, "unit": t["unit"], "title": t["title"], "due": t["due"]})
    return lines
