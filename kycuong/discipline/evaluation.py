"""Annual evaluation inputs per official (NĐ 90/2020/NĐ-CP + 48/2023; docs/legal/discipline.md §6.4), as XLSX.

The four classes are Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ. This platform
holds only some inputs (conduct records, admonitions, disciplinary decisions, meeting attendance, the
unit's task on-time rate); the evaluating authority decides the class. One rule is fixed here: any
disciplinary measure decided in the year ⇒ "không hoàn thành nhiệm vụ" (docs/legal/discipline.md §6.4). Otherwise the
suggested class column is left for the evaluator.
"""
from __future__ import annotations

import io
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from kycuong.core.exports import xlsx_append

from .models import Attendance, Case, Invitation
from .queries import admonitions, cases, conduct_records, on_time_rate, visible_officials

CLASSES = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ")
NOT_COMPLETED = CLASSES[3]


def suggested_class(disciplined: bool) -> str:
    """"Không hoàn thành nhiệm vụ" when a disciplinary measure was decided in the year (docs/legal/discipline.md §6.4,
    e.g. Hải Phòng QĐ 212/2025 after NĐ 90/2020); otherwise empty — the evaluator decides."""
    return NOT_COMPLETED if disciplined else ""


def rows(user, year: int) -> list[list]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time()), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time()), tz)
    officials = list(visible_officials(user).select_related("unit"))
    units = {o.unit_id: o.unit for o in officials}
    rates = {r.unit.pk: r for r in on_time_rate(list(units.values()), start, end)}
    out = []
    for o in officials:
        decided = cases(user).filter(official=o, state=Case.State.DECIDED, decided_on__year=year)
        measures = ", ".join(str(c.get_measure_display()) for c in decided)
        meeting_violations = Invitation.objects.filter(
            meeting__starts_at__gte=start, meeting__starts_at__lt=end,
            final_state__in=[Attendance.ABSENT_UNREPORTED, Attendance.LEFT_UNREPORTED, Attendance.LATE]).filter(
            official=o, delegate__isnull=True).count() + Invitation.objects.filter(
            meeting__starts_at__gte=start, meeting__starts_at__lt=end, delegate=o,
            final_state__in=[Attendance.ABSENT_UNREPORTED, Attendance.LEFT_UNREPORTED, Attendance.LATE]).count()
        rate = rates.get(o.unit_id)
        out.append([
            o.full_name, o.get_category_display(), o.position, o.unit.name,
            conduct_records(user).filter(official=o, occurred_at__gte=start, occurred_at__lt=end).count(),
            admonitions(user).filter(official=o, issued_on__year=year).count(),
            meeting_violations,
            (round(rate.rate * 100, 1) if rate and rate.rate is not None else ""),
            measures, suggested_class(decided.exists()),
        ])
    return out


def export_xlsx(user, year: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = str(year)
    xlsx_append(ws, [_("Họ và tên"), _("Đối tượng"), _("Chức vụ"), _("Đơn vị"), _("Số ghi nhận công vụ"),
               _("Số lần nhắc nhở, phê bình"), _("Vi phạm chế độ hội họp"), _("Tỷ lệ nhiệm vụ đúng hạn của đơn vị (%)"),
               _("Hình thức kỷ luật trong năm"), _("Xếp loại gợi ý (NĐ 90/2020)")])
    for row in rows(user, year):
        xlsx_append(ws, row)
    notes = wb.create_sheet(_("Ghi chú"))
    xlsx_append(notes, [_("Bốn mức xếp loại theo NĐ 90/2020/NĐ-CP:")])
    for c in CLASSES:
        xlsx_append(notes, [c])
    xlsx_append(notes, [_("Bị kỷ luật trong năm ⇒ Không hoàn thành nhiệm vụ; các mức khác do cấp có thẩm quyền đánh giá.")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
