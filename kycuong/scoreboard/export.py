"""Exports of the board: XLSX (rankings + definitions) and a PDF report in the Decree 30 "Báo cáo" layout.

Both take their numbers from `queries.board`, so they show what the pages show.
"""
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kycuong.core.exports import xlsx_append
from kycuong.core.models import Unit
from kycuong.documents import forms as doc
from kycuong.documents.render import font_faces, html_to_pdf

from . import indicators as ind
from . import queries


def _tables(period, profile, now=None):
    out = []
    both = queries.boards(period, profile, now=now)
    for key, title in ((queries.DEPARTMENTS, _("Sở, ban, ngành")), (queries.COMMUNES, _("Phường, xã"))):
        out.append({"key": key, "title": title, "scores": both[key]})
    return out


def ranking_xlsx(period, profile, now=None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    codes = [i for i in ind.indicators_for(profile)]
    for table in _tables(period, profile, now):
        sheet = book.create_sheet(str(table["title"])[:31])
        header = [_("Hạng"), _("Mã đơn vị"), _("Đơn vị")] + [f"{g.name} /{g.max_points}" for g in ind.GROUPS] + [
            _("Điểm (thang 100)"), _("Xếp loại")] + [f"{i.code} {_('tử/mẫu')}" for i in codes]
        xlsx_append(sheet, [str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for rank, score in enumerate(table["scores"], start=1):
            band = ind.band(score.estimate)
            row = [rank, score.unit.code, score.unit.name]
            row += [_num(score.group_points(g.code)) for g in ind.GROUPS]
            row += [_num(score.estimate), str(band.name) if band else ""]
            row += ["" if r.denominator is None else f"{r.numerator}/{r.denominator}" for r in score.rows]
            xlsx_append(sheet, row)
        sheet.freeze_panes = "D2"
        sheet.column_dimensions["C"].width = 48
    defs = book.create_sheet(_("Định nghĩa"))
    xlsx_append(defs, [_("Mã"), _("Nhóm"), _("Chỉ tiêu"), _("Điểm tối đa"), _("Tỷ lệ đạt điểm tối đa"),
                       _("Nguồn"), _("Định nghĩa"), _("Độ tin cậy")])
    for i in ind.indicators_for(profile):
        target = None if i.target is None else float(i.target)
        xlsx_append(defs, [i.code, i.group, str(i.name), float(i.max_points), target, i.source, str(i.definition),
                           i.mark])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _num(value):
    return None if value is None else float(value.quantize(ind.TWO_PLACES))


def report_pdf(period, profile, *, base_url=None, now=None) -> bytes:
    """Báo cáo (BC) of UBND Thành phố: the rankings of the period, with the nine parts of NĐ 30/2020 Đ.8.2.

    The number is left for the clerk (a draft is numbered when it is registered as outgoing).
    Official documents are Vietnamese whatever the reader's interface language.
    """
    with translation.override("vi"):
        return _report_pdf(period, profile, base_url=base_url, now=now or timezone.now())


def _report_pdf(period, profile, *, base_url, now) -> bytes:
    city = Unit.objects.filter(kind=Unit.Kind.CITY_COMMITTEE).order_by("pk").first()
    on_behalf, title = doc.signer_title(city)
    tables = []
    for table in _tables(period, profile, now):
        rows = []
        for rank, score in enumerate(table["scores"], start=1):
            band = ind.band(score.estimate)
            rows.append({"rank": rank, "name": score.unit.name,
                         "groups": [ind.display(score.group_points(g.code)).replace(".", ",") for g in ind.GROUPS],
                         "total": ind.display(score.estimate).replace(".", ","),
                         "band": (str(band.name) + (" *" if band.mark == "⚠️" else "")) if band else "—"})
        tables.append({"title": table["title"], "rows": rows})
    context = {
        "fonts": font_faces(), "agency": doc.agency_of(city),
        "number": "\u00a0" * 8 + f"/BC-{(city.short_name if city else '') or 'UBND'}",  # blank for the clerk
        "place_date": doc.place_date(city, now), "title": _("Báo cáo"),
        "subject": _("Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Bộ chỉ số 766, kỳ %(p)s")
        % {"p": period.key},
        "groups": ind.GROUPS, "tables": tables, "on_behalf": on_behalf, "signer_title": title,
        "printed": doc.short_datetime(now),
    }
    return html_to_pdf(render_to_string("scoreboard/report_print.html", context), base_url=base_url)
