"""One place that turns a due-date request (from the API, the CLI or the public page) into an answer.

The engine (`kycuong.worktime`) knows nothing of Django; here its error codes get their translated
messages and the unit code selects the unit's calendar.
"""
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kycuong.worktime import UNITS, DayInfo, WorktimeError

from .calendars import calendar_for
from .errors import NotFound, ValidationFailed
from .models import Unit

WORKTIME_MESSAGES = {
    "WT_NAIVE_DATETIME": _("Thời điểm phải có múi giờ (ví dụ 2026-02-13T09:00:00+07:00)."),
    "WT_BAD_DATETIME": _("Thời điểm không đúng định dạng ISO 8601 (ví dụ 2026-02-13T09:00:00+07:00)."),
    "WT_UNKNOWN_UNIT": _("Đơn vị tính thời hạn không hợp lệ; chọn working_days, working_hours hoặc calendar_days."),
    "WT_NEGATIVE_AMOUNT": _("Thời hạn không được là số âm."),
    "WT_BAD_AMOUNT": _("Thời hạn phải là một số hợp lệ (tối đa 10.000 ngày làm việc)."),
    "WT_AMOUNT_GRANULARITY": _("Ngày làm việc tính theo bội số của nửa ngày; giờ làm việc tính tròn phút; ngày lịch là số nguyên."),
    "WT_BAD_CUTOFF": _("Giờ chốt tiếp nhận không hợp lệ; viết dạng HH:MM, ví dụ 15:00."),
    "WT_PAUSE_INVALID": _("Khoảng tạm dừng không hợp lệ: cần thời điểm bắt đầu và kết thúc có múi giờ, kết thúc sau bắt đầu, các khoảng không chồng nhau."),
    "WT_PAUSE_OUTSIDE_PERIOD": _("Khoảng tạm dừng nằm ngoài thời gian giải quyết (bắt đầu trước khi tiếp nhận hoặc sau hạn)."),
    "WT_BAD_RANGE": _("Thời điểm kết thúc phải sau thời điểm bắt đầu."),
    "WT_BAD_WINDOWS": _("Khung giờ làm việc không hợp lệ."),
    "WT_OUT_OF_RANGE": _("Ngày nằm ngoài phạm vi lịch hỗ trợ (1990–2200)."),
}

UNIT_LABELS = {
    "working_days": _("ngày làm việc"),
    "working_hours": _("giờ làm việc"),
    "calendar_days": _("ngày (theo lịch)"),
}


def worktime_error(exc: WorktimeError) -> ValidationFailed:
    message = WORKTIME_MESSAGES.get(exc.code, _("Yêu cầu tính hạn không hợp lệ."))
    return ValidationFailed(message, code=exc.code, details=dict(getattr(exc, "params", {}) or {}))


def parse_instant(value, field="start") -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise worktime_error(WorktimeError("WT_BAD_DATETIME", field=field)) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise worktime_error(WorktimeError("WT_NAIVE_DATETIME", field=field))
    return moment


def parse_cutoff(value) -> time | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value
    try:
        hh, mm = str(value).strip().split(":")
        return time(int(hh), int(mm))
    except ValueError as exc:
        raise worktime_error(WorktimeError("WT_BAD_CUTOFF")) from exc


def parse_amount(value) -> Decimal:
    try:
        # Vietnamese writes the decimal comma ("0,5 ngày"); both separators are accepted.
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise worktime_error(WorktimeError("WT_BAD_AMOUNT")) from exc
    if not amount.is_finite():
        raise worktime_error(WorktimeError("WT_BAD_AMOUNT"))
    return amount


def unit_by_code(unit_code) -> Unit | None:
    if not unit_code:
        return None
    unit = Unit.objects.select_related("parent").filter(code=unit_code).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị có mã %(code)s.") % {"code": unit_code}, code="CORE_UNIT_NOT_FOUND")
    return unit


@dataclass
class DueAnswer:
    start: datetime
    effective_start: datetime
    due: datetime
    working_minutes: int
    unit: Unit | None
    skipped: list[DayInfo]

    def as_dict(self):
        local = ZoneInfo(settings.TIME_ZONE)
        return {
            "start": self.start.astimezone(local).isoformat(),
            "effective_start": self.effective_start.astimezone(local).isoformat(),
            "due": self.due.astimezone(local).isoformat(),
            "working_minutes": self.working_minutes,
        }


def compute_due(*, start, amount, unit, cutoff=None, unit_code=None, pauses=()) -> DueAnswer:
    """Validate raw input, pick the unit's calendar, compute, and list the days that were skipped."""
    start_dt = parse_instant(start)
    if unit not in UNITS:
        raise worktime_error(WorktimeError("WT_UNKNOWN_UNIT", unit=str(unit)))
    amount_dec = parse_amount(amount)
    cutoff_t = parse_cutoff(cutoff)
    pause_pairs = []
    for i, pair in enumerate(pauses or ()):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise worktime_error(WorktimeError("WT_PAUSE_INVALID", index=i))
        pause_pairs.append((parse_instant(pair[0], f"pauses[{i}][0]"), parse_instant(pair[1], f"pauses[{i}][1]")))
    work_unit = unit_by_code(unit_code)
    cal = calendar_for(work_unit)
    try:
        result = cal.due(start_dt, amount_dec, unit, cutoff=cutoff_t, pauses=pause_pairs)
        local = ZoneInfo(settings.TIME_ZONE)
        skipped = cal.non_working_days(result.start.astimezone(local).date(), result.due.astimezone(local).date())
    except WorktimeError as exc:
        raise worktime_error(exc) from exc
    return DueAnswer(
        start=result.start, effective_start=result.effective_start, due=result.due,
        working_minutes=result.working_minutes, unit=work_unit, skipped=skipped,
    )
