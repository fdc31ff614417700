"""The printed forms of the one-stop shop (docs/legal/one-stop.md §2.2) in the layout of NĐ 30/2020/NĐ-CP (docs/legal/documents.md §7).

Forms of TT 03/2025/TT-VPCP Phụ lục I (content after TT 01/2018/TT-VPCP, whose wording the 2025 forms keep):

* "01"      Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu số 01)
* "02"      Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu số 02)
* "03"      Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu số 03)
* "06"      Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu số 06; Mẫu 05 of TT 01/2018)
* "apology" Phiếu xin lỗi và hẹn lại ngày trả kết quả (content of TT 01/2018 Mẫu 04; its TT 03/2025
            number is not confirmed — docs/legal/one-stop.md §2.2 ⚠️ — so the slip carries no "Mẫu số")
* "stop"    Thông báo dừng giải quyết hồ sơ (Đ.7 TT 03/2025; Điều 21 NĐ 118/2025/NĐ-CP; number not confirmed)

and the register, Sổ theo dõi hồ sơ (Mẫu số 07), as PDF and XLSX.

Every form carries the mandatory components of Đ.8 khoản 2 NĐ 30/2020 that apply to it (Quốc hiệu và
Tiêu ngữ, tên cơ quan, số và ký hiệu, địa danh và thời gian, tên loại và trích yếu, nội dung, chức vụ họ
tên chữ ký, chỗ đóng dấu, nơi nhận) and a QR code to the public lookup page of the dossier.

Number and symbol: until outgoing documents are numbered by the clerk's register, a slip is numbered by
its dossier code (unique, printed on every form of the dossier) followed by the symbol of the form and
the issuing unit's short name, e.g. "H26.104-260302-0001/GTN-CN1".

All dates are shown in Asia/Ho_Chi_Minh whatever the active time zone; the texts go through gettext
(Vietnamese msgids) and are rendered in Vietnamese by default: an administrative document is issued in
Vietnamese (NĐ 30/2020 Đ.3) whatever language the officer's screen uses.
"""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kycuong.core import events
from kycuong.core.errors import NotFound, ValidationFailed, check_period_range
from kycuong.core.exports import as_text_cell
from kycuong.core.models import Unit
from kycuong.onestop.models import Channel, Dossier, DossierStep
from kycuong.onestop.workflow import OPEN_STATES, State

from .render import font_faces, html_to_pdf

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LOOKUP_PATH = "/tra-cuu/{code}/"
LANGUAGE = "vi"
FORMS = ("01", "02", "03", "06", "apology", "stop")
# Symbols of the slips (project convention, see the module docstring).
SYMBOLS = {"01": "GTN", "02": "YCBS", "03": "TCTN", "06": "KSGQ", "apology": "XL", "stop": "TB"}
FORM_LABELS = {
    "01": gettext_lazy("Mẫu số 01"), "02": gettext_lazy("Mẫu số 02"), "03": gettext_lazy("Mẫu số 03"),
    "06": gettext_lazy("Mẫu số 06"), "apology": "", "stop": "",
}
FORM_TITLES = {
    "01": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "06": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "apology": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "stop": gettext_lazy("Thông báo"),
}
FORM_SUBJECTS = {"stop": gettext_lazy("Về việc dừng giải quyết hồ sơ")}
FILE_SUFFIXES = {"01": "mau-01", "02": "mau-02", "03": "mau-03", "06": "mau-06", "apology": "phieu-xin-loi",
                 "stop": "thong-bao-dung"}
VERDICT_LABELS = {
    "early": gettext_lazy("Trước hạn"), "on_time": gettext_lazy("Đúng hạn"), "late": gettext_lazy("Quá hạn"),
}
# The register is a printed book: beyond this many rows the PDF becomes unusable (and slow to lay out);
# the XLSX takes more.
REGISTER_PDF_MAX_ROWS = 2000
REGISTER_XLSX_MAX_ROWS = 100_000


class UnknownForm(NotFound):
    code = "DOCUMENTS_UNKNOWN_FORM"
    message = gettext_lazy("Không có biểu mẫu này.")


class FormNotAvailable(NotFound):
    code = "DOCUMENTS_FORM_NOT_AVAILABLE"
    message = gettext_lazy("Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại.")


class RegisterTooLarge(ValidationFailed):
    code = "DOCUMENTS_REGISTER_TOO_LARGE"
    message = gettext_lazy("Sổ theo dõi có quá nhiều hồ sơ để in; hãy chọn khoảng thời gian ngắn hơn hoặc tải tệp Excel.")


class BadPeriod(ValidationFailed):
    code = "DOCUMENTS_BAD_PERIOD"
    message = gettext_lazy("Khoảng thời gian không hợp lệ: ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")


# --- formatting ---------------------------------------------------------------------------------------

def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(TZ) if moment is not None else None


def _two(n: int) -> str:
    return f"{n:02d}"


def date_words(moment, *, with_time=False) -> str:
    """"ngày 05 tháng 3 năm 2026" — NĐ 30/2020 Phụ lục I: a 0 before days < 10 and months 1 and 2."""
    if moment is None:
        return ""
    day = local(moment) if isinstance(moment, datetime) else moment
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": _two(day.day), "m": month, "y": day.year}
    if with_time and isinstance(day, datetime):
        text = _("%(h)s giờ %(mi)s phút, %(date)s") % {"h": _two(day.hour), "mi": _two(day.minute), "date": text}
    return text


def time_and_date(moment) -> str:
    """"08 giờ 30 phút, ngày 02/03/2026" (the appointment line of Mẫu 01)."""
    if moment is None:
        return ""
    t = local(moment)
    return _("%(h)s giờ %(mi)s phút, ngày %(d)s") % {"h": _two(t.hour), "mi": _two(t.minute), "d": f"{t:%d/%m/%Y}"}


def short_date(moment) -> str:
    if moment is None:
        return ""
    return f"{local(moment):%d/%m/%Y}" if isinstance(moment, datetime) else f"{moment:%d/%m/%Y}"


def short_datetime(moment) -> str:
    return f"{local(moment):%H:%M %d/%m/%Y}" if moment is not None else ""


def amount(value) -> str:
    """Decimal("10.0") → "10"; Decimal("0.5") → "0,5" (Vietnamese decimal comma)."""
    number = Decimal(value)
    text = format(number.normalize(), "f") if number != number.to_integral() else str(int(number))
    return text.replace(".", ",")


COMMUNE_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)


def agency_of(unit: Unit | None) -> dict:
    """Tên cơ quan, tổ chức ban hành and its direct parent (NĐ 30/2020 Phụ lục I, mục II.2)."""
    if unit is None:
        return {"parent": "", "name": "", "short": ""}
    if unit.kind in COMMUNE_KINDS:
        # "ỦY BAN NHÂN DÂN / PHƯỜNG HOÀN KIẾM": the commune-level People's Committee has no parent line.
        return {"parent": "", "name": _("Ủy ban nhân dân %(name)s") % {"name": unit.name}, "short": unit.short_name}
    parent = unit.parent
    return {"parent": parent.name if parent is not None else "", "name": unit.name,
            "short": unit.short_name or ""}


def place_of(unit: Unit | None) -> str:
    """Địa danh: the commune's name for commune-level units, the city's otherwise ("Hà Nội")."""
    if unit is not None and unit.kind in COMMUNE_KINDS:
        for prefix in ("Phường ", "Xã ", "Đặc khu "):
            if unit.name.startswith(prefix):
                return unit.name[len(prefix):]
        return unit.name
    city = getattr(settings, "KYCUONG_CITY_NAME", "Hà Nội")
    return city[len("Thành phố "):] if city.startswith("Thành phố ") else city


def place_date(unit, moment) -> str:
    return _("%(place)s, %(date)s") % {"place": place_of(unit), "date": date_words(moment)}


def signer_title(unit: Unit | None) -> tuple[str, str]:
    """(on behalf of, title) of the head of `unit` for letters signed by the head of the agency."""
    kind = unit.kind if unit is not None else None
    if kind in COMMUNE_KINDS or kind == Unit.Kind.CITY_COMMITTEE:
        return _("TM. Ủy ban nhân dân"), _("Chủ tịch")
    if kind in (Unit.Kind.DEPARTMENT, Unit.Kind.SERVICE_CENTRE, Unit.Kind.SERVICE_BRANCH):
        return "", _("Giám đốc")
    return "", _("Thủ trưởng cơ quan")


def lookup_url(code: str, base_url) -> str:
    return urljoin(str(base_url or "/"), LOOKUP_PATH.format(code=code))


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(border=2, dark="#000")


def number_of(dossier: Dossier, form: str) -> str:
    """Số, ký hiệu: "<dossier code>/<form symbol>"; the code already names the deciding agency."""
    return f"{dossier.code}/{SYMBOLS[form]}"


# --- what each form needs from the dossier -----------------------------------------------------------

def _events(dossier):
    return list(events.timeline("dossier", dossier.code))


def _last_event(evts, kinds, form=None):
    for event in reversed(evts):
        if event.kind in kinds and (form is None or (event.data or {}).get("form") == form):
            return event
    return None


def availability(dossier: Dossier, form: str) -> str | None:
    """None if `form` applies to the dossier as it stands, else the reason (Vietnamese) it does not."""
    if form not in FORMS:
        return str(UnknownForm.message)
    if form in ("01", "06") and dossier.received_at is None:
        return _("Hồ sơ chưa được tiếp nhận nên chưa có %(form)s.") % {"form": FORM_TITLES[form].lower()}
    if form == "02" and not dossier.supplement_requested_at:
        return _("Hồ sơ không có yêu cầu bổ sung, hoàn thiện.")
    if form == "03" and dossier.state != State.REFUSED:
        return _("Hồ sơ không bị từ chối tiếp nhận.")
    if form == "apology" and not dossier.apology_count:
        return _("Hồ sơ không có văn bản xin lỗi và hẹn lại ngày trả kết quả.")
    if form == "stop" and dossier.state not in (State.STOPPED, State.WITHDRAWN):
        return _("Hồ sơ không bị dừng giải quyết.")
    return None


@dataclass
class StepRow:
    order: int
    name: str
    unit: str
    received_at: datetime | None
    receiver: str
    due_at: datetime | None
    handed_at: datetime | None
    giver: str
    verdict: str
    note: str


def step_verdict(step: DossierStep, dossier: Dossier, now=None) -> str:
    """"early" | "on_time" | "late" | "" for one step of Mẫu 06: the one step verdict of the one-stop
    shop (`onestop.verdicts.step_verdict`), for a step handed on. The return step consumes no time
    (docs/legal/working-time.md §2.3), so its line carries the dossier's own verdict (QĐ 766 note).
    """
    if step.finished_at is None:
        return ""
    if step.is_return_step:
        from kycuong.onestop.services import timeliness

        status = timeliness(dossier, now or step.finished_at).status
        return status if status in VERDICT_LABELS else ""
    from kycuong.onestop.verdicts import step_verdict as one_step_verdict

    return one_step_verdict(step) or ""


def _person(user) -> str:
    return (user.full_name or user.get_full_name() or user.username) if user is not None else ""


def step_rows(dossier: Dossier) -> list[StepRow]:
    rows = []
    for step in dossier.steps.select_related("unit", "assignee", "finished_by").order_by("order"):
        verdict = step_verdict(step, dossier)
        # The return step takes no time of its own: its deadline is the citizen's appointment.
        due = dossier.due_at if step.is_return_step and step.started_at else step.due_at
        rows.append(StepRow(
            order=step.order, name=step.name, unit=step.unit.name if step.unit_id else "",
            received_at=step.started_at, receiver=_person(step.assignee), due_at=due,
            handed_at=step.finished_at, giver=_person(step.finished_by),
            verdict=str(VERDICT_LABELS[verdict]) if verdict else "",
            note=step.note or ("" if step.started_at else _("Chưa đến bước này")),
        ))
    return rows


def _documents(dossier: Dossier) -> list:
    ids = {int(i) for i in dossier.documents_received or ()}
    return [d for d in dossier.procedure_version.documents.all().order_by("order") if d.pk in ids]


def _limit_text(dossier: Dossier) -> str:
    from kycuong.catalog.models import LimitUnit

    try:
        unit = LimitUnit(dossier.limit_unit).label
    except ValueError:
        unit = dossier.limit_unit
    return f"{amount(dossier.limit_amount)} {unit}"


def _collect_at(dossier: Dossier) -> str:
    where = dossier.receiving_unit.name
    if dossier.channel == Channel.POSTAL:
        return _("Qua dịch vụ bưu chính công ích, tại địa chỉ: %(address)s") % {
            "address": dossier.applicant_address or "…"}
    if dossier.channel == Channel.ONLINE:
        return _("Trên Cổng Dịch vụ công hoặc tại Bộ phận Một cửa — %(unit)s") % {"unit": where}
    return _("Bộ phận Một cửa — %(unit)s") % {"unit": where}


def form_context(dossier: Dossier, form: str, *, base_url) -> dict:
    evts = _events(dossier)
    receiving = agency_of(dossier.receiving_unit)
    deciding = agency_of(dossier.unit)
    ctx = {
        "dossier": dossier, "form": form, "form_label": FORM_LABELS[form], "title": FORM_TITLES[form],
        "subject": FORM_SUBJECTS.get(form, ""), "fonts": font_faces(),
        "procedure_name": dossier.procedure_version.name, "procedure_code": dossier.procedure.code,
        "receiving_unit": dossier.receiving_unit, "deciding_unit": dossier.unit,
        "channel_label": Channel(dossier.channel).label if dossier.channel in Channel.values else "",
    }
    url = lookup_url(dossier.code, base_url)
    ctx.update(lookup_url=url, qr_data_uri=qr_data_uri(url),
               qr_position="bottom" if form in ("apology", "stop") else "float")

    received = _last_event(evts, {"received", "supplement_completed"}, form="01")
    officer = received.actor_label if received is not None else ""
    if form == "01":
        ctx.update(agency=receiving, issued_at=dossier.received_at, officer=officer,
                   documents=_documents(dossier), sets=dossier.procedure_version.dossier_sets,
                   limit_text=dossier.procedure_version.limit_note or _limit_text(dossier),
                   received_text=time_and_date(dossier.received_at),
                   due_text=time_and_date(dossier.original_due_at or dossier.due_at),
                   collect_at=_collect_at(dossier))
    elif form == "02":
        event = _last_event(evts, {"supplement_requested"})
        missing = list((event.data or {}).get("missing") or []) if event is not None else []
        reasons = [line.strip(" -•\t") for line in dossier.supplement_reason.splitlines() if line.strip(" -•\t")]
        ctx.update(agency=receiving, issued_at=dossier.supplement_requested_at,
                   officer=event.actor_label if event is not None else "", missing=missing, reasons=reasons,
                   clock_running=dossier.received_at is not None)
    elif form == "03":
        event = _last_event(evts, {"refused"})
        ctx.update(agency=receiving, issued_at=event.at if event is not None else dossier.submitted_at,
                   officer=event.actor_label if event is not None else "", reason=dossier.end_reason)
    elif form == "06":
        rows = step_rows(dossier)
        others = []
        for step in dossier.steps.select_related("unit").order_by("order"):
            if step.unit_id not in (dossier.unit_id, dossier.receiving_unit_id) and step.unit.name not in others:
                others.append(step.unit.name)
        ctx.update(agency=receiving, issued_at=dossier.received_at, rows=rows, partner_units=others,
                   receipt_number=number_of(dossier, "01"), limit_text=_limit_text(dossier),
                   due_text=time_and_date(dossier.due_at))
    elif form == "apology":
        event = _last_event(evts, {"apologized"})
        old_due = dossier.original_due_at
        if event is not None and (event.data or {}).get("old_due_at"):
            old_due = datetime.fromisoformat(event.data["old_due_at"])
        behalf, title = signer_title(dossier.unit)
        ctx.update(agency=deciding, issued_at=dossier.apologized_at, reason=dossier.apology_reason,
                   old_due_text=time_and_date(old_due), new_due_text=time_and_date(dossier.due_at),
                   received_words=date_words(dossier.received_at), signer_behalf=behalf, signer_title=title,
                   recipients=[_("Như trên;"), _("%(unit)s (để phối hợp);") % {"unit": dossier.receiving_unit.name},
                               _("Lưu: VT, %(unit)s.") % {"unit": deciding["short"] or dossier.unit.name}])
    elif form == "stop":
        event = _last_event(evts, {"stopped", "withdrawn"})
        stopped_at = event.at if event is not None else (dossier.processing_end_at or dossier.updated_at)
        behalf, title = signer_title(dossier.receiving_unit)
        ctx.update(agency=receiving, issued_at=stopped_at, reason=dossier.end_reason,
                   withdrawn=dossier.state == State.WITHDRAWN, stopped_words=date_words(stopped_at),
                   received_words=date_words(dossier.received_at or dossier.submitted_at),
                   was_received=dossier.received_at is not None, signer_behalf=behalf, signer_title=title,
                   recipients=[_("Như trên;")] + ([_("%(unit)s;") % {"unit": dossier.unit.name}]
                                                   if dossier.unit_id != dossier.receiving_unit_id else [])
                   + [_("Lưu: VT, Bộ phận Một cửa.")])
    ctx["number"] = number_of(dossier, form)
    ctx["place_date"] = place_date(dossier.unit if form == "apology" else dossier.receiving_unit, ctx["issued_at"])
    return ctx


@contextmanager
def _in_language(language):
    """Render in `language` (None: the active one) and in Asia/Ho_Chi_Minh time, whatever is active."""
    with translation.override(language or translation.get_language()), timezone.override(TZ):
        yield


def render_form_html(dossier: Dossier, form: str, *, base_url, language: str | None = LANGUAGE) -> str:
    if form not in FORMS:
        raise UnknownForm()
    with _in_language(language):
        reason = availability(dossier, form)
        if reason:
            raise FormNotAvailable(reason, details={"form": form, "state": int(dossier.state)})
        return render_to_string(f"documents/form_{form}.html", form_context(dossier, form, base_url=base_url))


def render_form(dossier: Dossier, form: str, *, base_url, language: str | None = LANGUAGE) -> bytes:
    """The PDF of `form` for `dossier`; raises UnknownForm / FormNotAvailable (both 404)."""
    return html_to_pdf(render_form_html(dossier, form, base_url=base_url, language=language), base_url)


def filename(dossier: Dossier, form: str) -> str:
    return f"{dossier.code}-{FILE_SUFFIXES[form]}.pdf"


# --- Sổ theo dõi hồ sơ (Mẫu số 07) -----------------------------------------------------------------------

REGISTER_COLUMNS = [
    # key, header, Excel width
    ("stt", gettext_lazy("STT"), 6),
    ("code", gettext_lazy("Mã hồ sơ"), 24),
    ("procedure", gettext_lazy("Tên thủ tục hành chính"), 48),
    ("applicant", gettext_lazy("Người nộp hồ sơ"), 26),
    ("received", gettext_lazy("Ngày nhận hồ sơ"), 17),
    ("due", gettext_lazy("Hẹn trả kết quả"), 17),
    ("transferred", gettext_lazy("Ngày chuyển xử lý"), 17),
    ("finished", gettext_lazy("Ngày có kết quả"), 17),
    ("returned", gettext_lazy("Ngày trả kết quả"), 17),
    ("note", gettext_lazy("Ghi chú (trước hạn / đúng hạn / quá hạn)"), 30),
]
DATE_KEYS = ("received", "due", "transferred", "finished", "returned")


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[date_from 00:00, date_to + 1 day 00:00) in Asia/Ho_Chi_Minh, as aware datetimes."""
    check_period_range(date_from, date_to)
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    return datetime.combine(date_from, time.min, TZ), datetime.combine(date_to + timedelta(days=1), time.min, TZ)


def register_queryset(dossiers, unit: Unit | None, date_from: date, date_to: date):
    """The dossiers of the register: received (or, never received, submitted) in the period, whose deciding
    or receiving unit is in `unit`'s subtree; oldest first."""
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    start, end = period_bounds(date_from, date_to)
    qs = dossiers.filter(Q(received_at__gte=start, received_at__lt=end) |
                         Q(received_at__isnull=True, submitted_at__gte=start, submitted_at__lt=end))
    if unit is not None:
        qs = qs.filter(Q(unit__path__startswith=unit.path) | Q(receiving_unit__path__startswith=unit.path))
    return (qs.select_related("procedure_version", "procedure", "receiving_unit")
            .annotate(register_day=Coalesce("received_at", "submitted_at")).order_by("register_day", "code"))


def _register_note(dossier: Dossier, now) -> str:
    from kycuong.onestop.services import timeliness

    verdict = timeliness(dossier, now)
    if verdict.status == "not_counted":
        return str(State(dossier.state).label)
    if dossier.state in OPEN_STATES and dossier.processing_end_at is None:
        text = _("Đang giải quyết")
        if verdict.status == "late":
            text = _("%(state)s, đã quá hạn") % {"state": text}
    else:
        text = str(VERDICT_LABELS[verdict.status])
        if dossier.state in (State.STOPPED, State.WITHDRAWN):
            text = f"{State(dossier.state).label} ({text.lower()})"
    if dossier.apology_count:
        text += "; " + _("đã xin lỗi, hẹn lại")
    return text


def register_rows(dossiers, now=None) -> list[dict]:
    from django.db.models import Prefetch

    now = now or timezone.now()
    rows = []
    qs = dossiers.prefetch_related(Prefetch("steps", queryset=DossierStep.objects.order_by("order")))
    for n, d in enumerate(qs, 1):
        steps = list(d.steps.all())
        transferred = steps[0].finished_at if steps and len(steps) > 1 else None
        rows.append({
            "stt": n, "code": d.code, "procedure": d.procedure_version.name, "procedure_code": d.procedure.code,
            "applicant": d.applicant_name, "received": d.received_at or d.submitted_at, "due": d.due_at,
            "transferred": transferred, "finished": d.processing_end_at if d.state in (State.FINISHED, State.RETURNED)
            else None, "returned": d.returned_at, "note": _register_note(d, now),
        })
    return rows


def _limited(dossiers, limit):
    if dossiers[limit: limit + 1].exists():
        raise RegisterTooLarge(details={"max_rows": limit})
    return dossiers


def register_context(dossiers, unit, date_from, date_to, *, base_url, now=None) -> dict:
    agency = agency_of(unit)
    now = now or timezone.now()
    return {
        "fonts": font_faces(), "agency": agency, "unit": unit, "title": _("Sổ theo dõi hồ sơ"),
        "form_label": _("Mẫu số 07"), "number": "", "place_date": place_date(unit, now),
        "period_text": _("Từ %(a)s đến %(b)s") % {"a": date_words(date_from), "b": date_words(date_to)},
        "columns": [(k, str(h)) for k, h, _w in REGISTER_COLUMNS], "rows": register_rows(dossiers, now),
        "printed_text": short_datetime(now), "lookup_url": "",
    }


def register_pdf(dossiers, unit: Unit | None, date_from: date, date_to: date, *, base_url,
                 language: str | None = LANGUAGE, now=None) -> bytes:
    """Sổ theo dõi hồ sơ (Mẫu số 07) as PDF, A4 landscape. `dossiers`: an already scoped queryset."""
    with _in_language(language):
        qs = _limited(register_queryset(dossiers, unit, date_from, date_to), REGISTER_PDF_MAX_ROWS)
        html = render_to_string("documents/register.html",
                                register_context(qs, unit, date_from, date_to, base_url=base_url, now=now))
    return html_to_pdf(html, base_url)


def register_xlsx(dossiers, unit: Unit | None, date_from: date, date_to: date, *, base_url=None,
                  language: str | None = LANGUAGE, now=None) -> bytes:
    """The same register as an Excel workbook: real datetimes (Asia/Ho_Chi_Minh wall time), frozen header."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    with _in_language(language):
        qs = _limited(register_queryset(dossiers, unit, date_from, date_to), REGISTER_XLSX_MAX_ROWS)
        rows = register_rows(qs, now)
        wb = Workbook()
        ws = wb.active
        ws.title = _("Sổ theo dõi hồ sơ")[:31]
        ncols = len(REGISTER_COLUMNS)
        title = _("SỔ THEO DÕI HỒ SƠ (Mẫu số 07)")
        as_text_cell(ws.cell(row=1, column=1, value=title)).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        subtitle = "%s — %s" % (unit.name if unit is not None else "",
                                _("Từ %(a)s đến %(b)s") % {"a": short_date(date_from), "b": short_date(date_to)})
        as_text_cell(ws.cell(row=2, column=1, value=subtitle)).font = Font(italic=True)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
        for cell in (ws["A1"], ws["A2"]):
            cell.alignment = Alignment(horizontal="center")
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        header_row = 3
        for col, (_key, header, width) in enumerate(REGISTER_COLUMNS, 1):
            cell = ws.cell(row=header_row, column=col, value=str(header))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[header_row].height = 32
        for r, row in enumerate(rows, header_row + 1):
            for col, (key, _header, _width) in enumerate(REGISTER_COLUMNS, 1):
                value = row[key]
                if key in DATE_KEYS:
                    value = local(value).replace(tzinfo=None) if value is not None else None
                cell = as_text_cell(ws.cell(row=r, column=col, value=value))  # a name is never a formula
                cell.border = border
                if key in DATE_KEYS:
                    cell.number_format = "dd/mm/yyyy hh:mm"
                    cell.alignment = Alignment(horizontal="center", vertical="top")
                else:
                    cell.alignment = Alignment(vertical="top", wrap_text=key in ("procedure", "note", "applicant"))
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{header_row + max(len(rows), 1)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        wb.properties.title = title
        wb.properties.creator = "Kỷ Cương"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def register_filename(unit: Unit | None, date_from: date, date_to: date, ext: str) -> str:
    code = unit.code if unit is not None else "tat-ca"
    return f"so-theo-doi-{code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{ext}"
