"""The only code that changes a report (docs/design.md rule 1).

Every public function is one transaction: it asks `policy.REPORT` (the one place that decides), writes
the new state, appends one chained event (`core.events`) and schedules side effects with on_commit.
`Report.version` is bumped by every write (optimistic concurrency, as in onestop/services.py).
"""
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.catalog.models import Procedure
from kycuong.core import events, jobs
from kycuong.core.calendars import calendar_for
from kycuong.core.models import Official, Unit, User
from kycuong.core.text import fold, nfc
from kycuong.core.uploads import check_files
from kycuong.onestop.models import Dossier

from . import policy, queries, repeats
from .errors import Invalid, ReportNotFound, StaleVersion, TransitionNotAllowed
from .models import (
    FOUNDED_CONCLUSIONS, ApiKey, Attachment, Channel, Conclusion, Kind, Report, Routing, Vote,
)
from .policy import REPORT
from .signals import report_founded
from .workflow import State

SUBJECT = "feedback_report"
# docs/legal/decision-766.md §1.4 (VPCP note on QĐ 766/QĐ-TTg), in working days.
REFUSE_DAYS, INFO_DAYS, HANDLE_DAYS, PUBLISH_DAYS = 2, 5, 15, 2
MAX_TEXT = 4000  # Open311 GeoReport v2: description up to 4,000 characters
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the hotline


# --- helpers -----------------------------------------------------------------------------------------

def _now(at):
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        raise Invalid(_("Thời điểm phải có múi giờ."), code="FEEDBACK_NAIVE_DATETIME")
    return moment


def _due(unit, start, days):
    """`days` working days after `start` on the unit's calendar (core.calendars, worktime)."""
    return calendar_for(unit).due(start, days, "working_days").due


def _start_clocks(report, unit, start):
    """The three clocks that run from submission or the latest transfer (docs/legal/decision-766.md §1.4)."""
    report.clock_start_at = start
    report.refuse_due_at = _due(unit, start, REFUSE_DAYS)
    report.info_due_at = _due(unit, start, INFO_DAYS)
    report.handle_due_at = _due(unit, start, HANDLE_DAYS)


def _mark_late(report, clock, moment, due):
    if due is not None and moment > due and clock not in report.overdue:
        report.overdue = [*report.overdue, clock]


def actor_kind(user) -> str:
    return policy.actor_of(user)


def _event(report, kind, actor, data=None, public=True, at=None):
    return events.append(
        SUBJECT, report.code, kind, data=data or {}, actor=actor,
        unit=(actor.unit if actor is not None and getattr(actor, "unit_id", None) else None),
        public=public, at=at, actor_label=None if actor is not None else "", state=report.state,
    )


def _save(report, fields):
    """Write the changed fields and bump the version in one UPDATE guarded by the version read."""
    fields = set(fields) | {"version", "updated_at"}
    old = report.version
    report.version = old + 1
    report.updated_at = timezone.now()
    rows = Report.objects.filter(pk=report.pk, version=old).update(**{f: getattr(report, f) for f in fields})
    if rows != 1:
        raise StaleVersion()


def _new_code() -> str:
    return "PA-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


def desk_unit() -> Unit:
    """Where a report lands when it names nothing: settings KYCUONG_FEEDBACK_DESK_UNIT, else the city."""
    code = getattr(settings, "KYCUONG_FEEDBACK_DESK_UNIT", "")
    unit = Unit.objects.filter(code=code).first() if code else None
    return unit or Unit.objects.filter(parent__isnull=True).order_by("path").first()


def suggest_unit(*, dossier=None, procedure=None, named_unit=None, official=None, on_date=None) -> Unit | None:
    """The unit a report is suggested to: the official's unit (conduct is their unit's matter), else the
    dossier's deciding unit, else the named unit, else the deciding unit of the procedure's current version."""
    if official is not None:
        return official.unit
    if dossier is not None:
        return dossier.unit
    if named_unit is not None:
        return named_unit
    if procedure is not None:
        from kycuong.catalog.queries import procedure_by_code

        try:
            version = procedure_by_code(procedure.code, on_date=on_date)
        except Exception:  # no version in force: nothing to suggest
            return None
        return version.deciding_units.order_by("path").first()
    return None


# --- submission ----------------------------------------------------------------------------------------

@dataclass
class ReportInput:
    kind: str
    title: str
    text: str
    channel: str = Channel.PORTAL
    dossier_code: str = ""
    procedure_code: str = ""
    unit_code: str = ""
    official_id: int | None = None
    official_name: str = ""
    official_description: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    address: str = ""
    lat: str | None = None
    long: str | None = None
    media_url: str = ""
    attributes: dict = field(default_factory=dict)
    files: list = field(default_factory=list)


def _resolve(data: ReportInput):
    """Look up what the report names; an unknown code is a clear error, never a silent drop."""
    dossier = procedure = unit = official = None
    if data.dossier_code.strip():
        dossier = Dossier.objects.filter(code=data.dossier_code.strip().upper()).select_related("unit").first()
        if dossier is None:
            raise Invalid(_("Không có hồ sơ nào mang mã “%(code)s”.") % {"code": data.dossier_code.strip()},
                          code="FEEDBACK_UNKNOWN_DOSSIER", details={"field": "dossier_code"})
    if data.procedure_code.strip():
        procedure = Procedure.objects.filter(code=data.procedure_code.strip()).first()
        if procedure is None:
            raise Invalid(_("Không có thủ tục nào mang mã “%(code)s”.") % {"code": data.procedure_code.strip()},
                          code="FEEDBACK_UNKNOWN_PROCEDURE", details={"field": "procedure_code"})
    if data.unit_code.strip():
        unit = Unit.objects.filter(code=data.unit_code.strip()).first()
        if unit is None:
            raise Invalid(_("Không có đơn vị nào mang mã “%(code)s”.") % {"code": data.unit_code.strip()},
                          code="FEEDBACK_UNKNOWN_UNIT", details={"field": "unit_code"})
    if data.official_id:
        official = Official.objects.filter(pk=data.official_id).select_related("unit").first()
        if official is None:
            raise Invalid(_("Không tìm thấy cán bộ được chọn."), code="FEEDBACK_UNKNOWN_OFFICIAL",
                          details={"field": "official"})
    elif data.official_name.strip():
        # A name matches only when it is unambiguous (in the named unit if one is given).
        qs = Official.objects.filter(full_name_folded=fold(data.official_name), active=True)
        if unit is not None:
            qs = qs.filter(unit=unit)
        found = list(qs[:2])
        official = found[0] if len(found) == 1 else None
    return dossier, procedure, unit, official


def _coordinate(value, limit, name):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise Invalid(_("Tọa độ không hợp lệ."), code="FEEDBACK_BAD_COORDINATE", details={"field": name}) from exc
    if not number.is_finite() or abs(number) > limit:
        raise Invalid(_("Tọa độ không hợp lệ."), code="FEEDBACK_BAD_COORDINATE", details={"field": name})
    return number.quantize(Decimal("0.000001"))


def _no_nul(values):
    """PostgreSQL refuses NUL in text (a 500 there, silently stored on SQLite): refuse it on both."""
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            raise Invalid(_("Nội dung chứa ký tự không hợp lệ."), code="FEEDBACK_NUL_CHARACTER")


def _validate(data: ReportInput):
    _no_nul([*(getattr(data, f) for f in ReportInput.__dataclass_fields__), *data.attributes.keys(),
             *data.attributes.values()])
    if data.kind not in Kind.values:
        raise Invalid(_("Chọn loại phản ánh."), code="FEEDBACK_KIND_REQUIRED", details={"field": "kind"})
    if data.channel not in Channel.values:
        raise Invalid(_("Kênh tiếp nhận không hợp lệ."), code="FEEDBACK_BAD_CHANNEL")
    title, text = nfc(data.title).strip(), nfc(data.text).strip()
    if not text:
        raise Invalid(_("Nhập nội dung phản ánh."), code="FEEDBACK_TEXT_REQUIRED", details={"field": "text"})
    if len(text) > MAX_TEXT:
        raise Invalid(_("Nội dung phản ánh dài quá %(n)s ký tự.") % {"n": MAX_TEXT}, code="FEEDBACK_TEXT_TOO_LONG",
                      details={"field": "text"})
    if not title:
        title = text.split("\n", 1)[0][:120]
    if len(title) > 200:
        raise Invalid(_("Tiêu đề dài quá 200 ký tự."), code="FEEDBACK_TITLE_TOO_LONG", details={"field": "title"})
    email = data.reporter_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Invalid(_("Địa chỉ thư điện tử không hợp lệ."), code="FEEDBACK_BAD_EMAIL",
                          details={"field": "reporter_email"}) from exc
    phone = data.reporter_phone.strip()
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in " +.-()" for c in phone)):
        raise Invalid(_("Số điện thoại không hợp lệ."), code="FEEDBACK_BAD_PHONE", details={"field": "reporter_phone"})
    return title, text, email, phone


@transaction.atomic
def submit(data: ReportInput, *, user: User | None = None, api_key: ApiKey | None = None, at=None) -> Report:
    """A new report from the portal (citizen signed in or anonymous), staff (hotline, walk-in) or Open311.

    Everything is checked before anything is written: a refused file or an unknown code leaves no trace.
    """
    moment = _now(at)
    title, text, email, phone = _validate(data)
    staff = user is not None and user.is_officer
    policy.require_intake(user, data.channel)
    checked = check_files(data.files) if data.files else []
    dossier, procedure, named_unit, official = _resolve(data)
    lat = _coordinate(data.lat, 90, "lat")
    long = _coordinate(data.long, 180, "long")

    suggested = suggest_unit(dossier=dossier, procedure=procedure, named_unit=named_unit, official=official,
                             on_date=timezone.localtime(moment).date())
    responsible = suggested or desk_unit()
    name = nfc(data.reporter_name).strip()[:150]
    report = Report(
        kind=data.kind, channel=data.channel, state=State.RECEIVED, title=title, text=text,
        words=repeats.words_key(title, text), dossier=dossier, procedure=procedure, named_unit=named_unit,
        official=official, official_description=nfc(data.official_description or data.official_name).strip()[:200],
        suggested_unit=suggested, responsible_unit=responsible,
        reporter=(user if user is not None and not staff else None),
        reporter_name=name, reporter_phone=phone, reporter_email=email,
        anonymous=not (name or phone or email or (user is not None and not staff)),
        entered_by=user if staff else None, address=nfc(data.address).strip()[:300], lat=lat, long=long,
        media_url=(data.media_url or "").strip()[:500], attributes=data.attributes or {}, api_key=api_key,
        submitted_at=moment,
    )
    _start_clocks(report, responsible, moment)
    if data.channel == Channel.OPEN311:
        report.open311_token = secrets.token_hex(16)
    report.repeat_of = find_repeat_of(report, moment)
    for _attempt in range(5):
        report.code = _new_code()
        try:
            with transaction.atomic():
                report.save()
            break
        except IntegrityError:
            report.pk = None
    else:  # pragma: no cover - 32^8 codes
        raise RuntimeError("could not allocate a report code")
    Routing.objects.create(report=report, step=Routing.Step.SUGGESTED, to_unit=responsible, at=moment, by=user,
                           reason="" if suggested else "desk")
    for upload, info in zip(data.files, checked, strict=True):  # one check per file
        _attach(report, upload, info, Attachment.Purpose.REPORT, moment)
    _event(report, "submitted", user if staff else None, {
        "kind": report.kind, "channel": report.channel, "responsible_unit": responsible.code,
        "suggested_unit": suggested.code if suggested else None,
        "refuse_due_at": report.refuse_due_at, "info_due_at": report.info_due_at,
        "handle_due_at": report.handle_due_at, "repeat_of": report.repeat_of.code if report.repeat_of else None,
        "files": len(checked)}, at=moment)
    return report


def _attach(report, upload, info, purpose, moment):
    attachment = Attachment(report=report, purpose=purpose, name=info.name[:255], size=info.size, mime=info.mime,
                            uploaded_at=moment)
    upload.seek(0)
    attachment.file.save(f"{report.code}-{secrets.token_hex(4)}.{info.extension}", upload, save=False)
    attachment.save()
    return attachment


def find_repeat_of(report: Report, moment) -> Report | None:
    """The earliest report of the same matter (repeats.py explains the rule), or None."""
    since = moment - timedelta(days=repeats.REPEAT_WINDOW_DAYS)
    base = Report.objects.filter(submitted_at__gte=since, submitted_at__lte=moment).exclude(state=State.REFUSED)
    mine = set(report.words.split())
    match = None
    if report.dossier_id:
        match = base.filter(dossier_id=report.dossier_id).order_by("submitted_at", "id").first()
    if match is None and report.official_id:
        for other in base.filter(official_id=report.official_id).order_by("submitted_at", "id")[:repeats.MAX_CANDIDATES]:
            if repeats.similarity(mine, set(other.words.split())) >= repeats.LOOSE:
                match = other
                break
    if match is None:
        candidates = base.filter(kind=report.kind).order_by("-submitted_at", "-id")[:repeats.MAX_CANDIDATES]
        similar = [o for o in candidates if repeats.similarity(mine, set(o.words.split())) >= repeats.CLOSE]
        match = min(similar, key=lambda o: (o.submitted_at, o.pk)) if similar else None
    if match is None:
        return None
    return match.repeat_of or match


# --- transitions -------------------------------------------------------------------------------------

def _load_for_update(code, user, expected_version=None) -> Report:
    """The report, locked; outside the user's scope it does not exist for them (policy.in_scope)."""
    from django.db import connection

    qs = Report.objects.select_related("responsible_unit__successor", "official__unit", "named_unit")
    try:
        report = (qs.select_for_update(of=("self",)) if connection.features.has_select_for_update else qs).get(code=code)
    except Report.DoesNotExist as exc:
        raise ReportNotFound() from exc
    if user is not None and not REPORT.in_scope(user, report):
        raise ReportNotFound()
    if expected_version in (None, ""):
        return report
    try:
        expected = int(expected_version)
    except (TypeError, ValueError) as exc:
        raise Invalid(_("Phiên bản không hợp lệ; hãy tải lại trang."), code="FEEDBACK_BAD_VERSION") from exc
    if expected != report.version:
        raise StaleVersion(details={"expected_version": expected, "current_version": report.version})
    return report


def act(code: str, action: str, user: User | None, *, expected_version=None, at=None, **params) -> Report:
    """Take `action` on report `code` (one transaction)."""
    handler = _HANDLERS.get(action)
    if handler is None:
        raise TransitionNotAllowed(_("Không có thao tác “%(a)s”.") % {"a": action}, code="FEEDBACK_UNKNOWN_ACTION")
    _no_nul(params.values())
    with transaction.atomic():
        report = _load_for_update(code, user, expected_version)
        moment = _now(at)
        # The one gate (docs/design.md rule 2); scope was checked when loading.
        transition = REPORT.require(user, report, action, moment, params=params, check_scope=False)
        if moment < report.submitted_at:
            raise Invalid(_("Thời điểm thao tác trước thời điểm gửi phản ánh."), code="FEEDBACK_TIME_BEFORE_SUBMISSION")
        handler(report, user, moment, **params)
        if transition.target is not None and report.state != transition.target:
            report.state = transition.target
            _save(report, ["state"])
        return report


def _unit_by_code(code):
    unit = Unit.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        raise Invalid(_("Chọn đơn vị xử lý."), code="FEEDBACK_UNIT_REQUIRED", details={"field": "unit"})
    return unit


def _confirm_unit(report, user, moment, unit=None, reason=""):
    """The receiving officer confirms the suggested unit or picks another; the clock keeps its start."""
    target = _unit_by_code(unit) if unit else report.responsible_unit
    previous = report.responsible_unit
    report.responsible_unit, report.unit_confirmed, report.state = target, True, State.PROCESSING
    _save(report, ["responsible_unit", "unit_confirmed", "state"])
    Routing.objects.create(report=report, step=Routing.Step.CONFIRMED, from_unit=previous, to_unit=target,
                           reason=nfc(reason).strip(), at=moment, by=user)
    _event(report, "unit_confirmed", user, {"from": previous.code, "to": target.code, "changed": previous != target},
           at=moment)


def _transfer(report, user, moment, unit=None, reason=""):
    """Transfer to another unit: refusal, information and handling clocks restart from now (docs/legal/decision-766.md §1.4)."""
    target = _unit_by_code(unit)
    if target == report.responsible_unit:
        raise Invalid(_("Đơn vị nhận chuyển phải khác đơn vị đang xử lý."), code="FEEDBACK_SAME_UNIT",
                      details={"field": "unit"})
    reason = nfc(reason).strip()
    if not reason:
        raise Invalid(_("Ghi rõ lý do chuyển."), code="FEEDBACK_REASON_REQUIRED", details={"field": "reason"})
    previous = report.responsible_unit
    report.responsible_unit, report.unit_confirmed, report.state = target, False, State.RECEIVED
    report.transfer_count += 1
    _start_clocks(report, target, moment)
    _save(report, ["responsible_unit", "unit_confirmed", "state", "transfer_count", "clock_start_at",
                   "refuse_due_at", "info_due_at", "handle_due_at"])
    Routing.objects.create(report=report, step=Routing.Step.TRANSFERRED, from_unit=previous, to_unit=target,
                           reason=reason, at=moment, by=user)
    _event(report, "transferred", user, {"from": previous.code, "to": target.code, "reason": reason,
                                         "refuse_due_at": report.refuse_due_at, "handle_due_at": report.handle_due_at},
           at=moment)


def _refuse(report, user, moment, reason=""):
    reason = nfc(reason).strip()
    if not reason:
        raise Invalid(_("Ghi rõ lý do từ chối."), code="FEEDBACK_REASON_REQUIRED", details={"field": "reason"})
    report.refusal_reason, report.refused_at, report.state = reason, moment, State.REFUSED
    _mark_late(report, "refuse", moment, report.refuse_due_at)
    _save(report, ["refusal_reason", "refused_at", "state", "overdue"])
    _event(report, "refused", user, {"reason": reason, "on_time": moment <= report.refuse_due_at}, at=moment)


def _request_info(report, user, moment, message=""):
    message = nfc(message).strip()
    if not message:
        raise Invalid(_("Ghi rõ thông tin cần bổ sung."), code="FEEDBACK_REASON_REQUIRED", details={"field": "message"})
    first = report.info_requested_at is None
    if first:
        report.info_requested_at = moment
        _mark_late(report, "info", moment, report.info_due_at)
    report.info_request, report.state = message, State.INFO_REQUESTED
    _save(report, ["info_requested_at", "info_request", "state", "overdue"])
    _event(report, "info_requested", user, {"message": message, "first": first,
                                            "on_time": moment <= report.info_due_at}, at=moment)


def _provide_info(report, user, moment, text="", files=()):
    text = nfc(text).strip()
    if not text and not files:
        raise Invalid(_("Nhập thông tin bổ sung."), code="FEEDBACK_TEXT_REQUIRED", details={"field": "text"})
    already = sum(a.size for a in report.attachments.all())
    checked = check_files(files, already_bytes=already) if files else []
    if text:
        stamp = timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
        report.text = f"{report.text}\n\n[{stamp}] {text}"[: MAX_TEXT * 2]
    report.state = State.PROCESSING
    _save(report, ["text", "state"])
    for upload, info in zip(files, checked, strict=True):
        _attach(report, upload, info, Attachment.Purpose.REPORT, moment)
    _event(report, "info_provided", user, {"files": len(checked)}, at=moment)


def _assign_verifier(report, user, moment, verifier=None):
    person = User.objects.filter(pk=verifier, is_active=True, role=User.Role.INSPECTOR).first() if verifier else None
    if person is None:
        raise Invalid(_("Chọn người xác minh."), code="FEEDBACK_VERIFIER_REQUIRED", details={"field": "verifier"})
    report.inspector, report.verifier, report.state = user, person, State.VERIFYING
    _save(report, ["inspector", "verifier", "state"])
    _event(report, "verifier_assigned", user, {"verifier": person.pk}, public=False, at=moment)
    _event(report, "verification_started", None, {}, at=moment)


def _record_findings(report, user, moment, findings="", files=()):
    findings = nfc(findings).strip()
    if not findings and not files:
        raise Invalid(_("Nhập kết quả xác minh."), code="FEEDBACK_FINDINGS_REQUIRED", details={"field": "findings"})
    checked = check_files(files) if files else []
    if findings:
        report.findings = findings
    _save(report, ["findings"])
    for upload, info in zip(files, checked, strict=True):
        _attach(report, upload, info, Attachment.Purpose.EVIDENCE, moment)
    _event(report, "findings_recorded", user, {"evidence_files": len(checked)}, public=False, at=moment)


def _conclude(report, user, moment, conclusion="", findings=""):
    if conclusion not in Conclusion.values:
        raise Invalid(_("Chọn kết luận xác minh."), code="FEEDBACK_CONCLUSION_REQUIRED",
                      details={"field": "conclusion"})
    if nfc(findings).strip():
        report.findings = nfc(findings).strip()
    if not report.findings:
        raise Invalid(_("Ghi nhận kết quả xác minh trước khi kết luận."), code="FEEDBACK_FINDINGS_REQUIRED",
                      details={"field": "findings"})
    report.conclusion, report.concluded_at, report.concluded_by = conclusion, moment, user
    report.state = State.CONCLUDED
    _save(report, ["findings", "conclusion", "concluded_at", "concluded_by", "state"])
    _event(report, "concluded", user, {"conclusion": conclusion}, at=moment)
    if conclusion in FOUNDED_CONCLUSIONS:
        # The discipline app listens and opens the conduct record; only once the conclusion is committed.
        pk = report.pk
        transaction.on_commit(lambda: report_founded.send(sender=Report, report=Report.objects.get(pk=pk)))


def _answer(report, user, moment, answer=""):
    answer = nfc(answer).strip()
    if not answer:
        raise Invalid(_("Nhập nội dung trả lời công khai."), code="FEEDBACK_ANSWER_REQUIRED",
                      details={"field": "answer"})
    report.public_answer, report.answered_by = answer[:MAX_TEXT], user
    report.handled_at, report.state = moment, State.AWAITING_PUBLICATION
    report.publish_due_at = _due(report.responsible_unit, moment, PUBLISH_DAYS)
    _mark_late(report, "handle", moment, report.handle_due_at)
    _save(report, ["public_answer", "answered_by", "handled_at", "state", "publish_due_at", "overdue"])
    _event(report, "answered", user, {"on_time": moment <= report.handle_due_at,
                                      "publish_due_at": report.publish_due_at}, at=moment)


def _publish(report, user, moment):
    report.published_at, report.state = moment, State.PUBLISHED
    _mark_late(report, "publish", moment, report.publish_due_at)
    _save(report, ["published_at", "state", "overdue"])
    _event(report, "published", user, {"on_time": moment <= report.publish_due_at}, at=moment)
    jobs.on_commit("kycuong.feedback.tasks.tell_reporter", report.pk)


_HANDLERS = {
    "confirm_unit": _confirm_unit, "transfer": _transfer, "refuse": _refuse, "request_info": _request_info,
    "provide_info": _provide_info, "assign_verifier": _assign_verifier, "record_findings": _record_findings,
    "conclude": _conclude, "answer": _answer, "publish": _publish,
}


@transaction.atomic
def provide_info_by_code(code: str, *, text: str = "", files=(), at=None) -> Report:
    """The reporter answers a request for information with the tracking code (the code is the ticket)."""
    _no_nul([text])
    report = _load_for_update((code or "").strip().upper(), None)
    moment = _now(at)
    REPORT.require(AnonymousUser(), report, "provide_info", moment, check_scope=False)  # the reporter, by code
    _provide_info(report, None, moment, text=text, files=list(files))
    return report


# --- readers' votes (indicator 5.3) ------------------------------------------------------------------

def voter_key(request) -> str:
    """One vote per reader: the account when signed in, else a hash of the session (a cookie)."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    if not request.session.session_key:
        request.session["fb_reader"] = True
        request.session.save()
    return "s:" + hashlib.sha256(request.session.session_key.encode()).hexdigest()[:64]


@transaction.atomic
def vote(code: str, voter: str, value: int, at=None) -> Report:
    """Like (+1) or dislike (−1) a published answer; voting again replaces the reader's earlier vote."""
    if value not in (1, -1):
        raise Invalid(_("Đánh giá không hợp lệ."), code="FEEDBACK_BAD_VOTE")
    report = Report.objects.select_for_update().filter(code=code, state=State.PUBLISHED).first()
    if report is None:
        raise ReportNotFound()
    moment = _now(at)
    existing = Vote.objects.filter(report=report, voter=voter).first()
    if existing is not None and existing.value == value:
        return report
    if existing is None:
        try:
            with transaction.atomic():
                Vote.objects.create(report=report, voter=voter, value=value, at=moment)
        except IntegrityError:  # the same reader in two tabs at once: the first vote stands
            return report
    else:
        Vote.objects.filter(pk=existing.pk).update(value=value, at=moment)
    likes = Vote.objects.filter(report=report, value=1).count()
    dislikes = Vote.objects.filter(report=report, value=-1).count()
    Report.objects.filter(pk=report.pk).update(likes=likes, dislikes=dislikes)
    report.likes, report.dislikes = likes, dislikes
    _event(report, "voted", None, {"value": value, "likes": likes, "dislikes": dislikes}, public=False, at=moment)
    return report


# --- Open311 API keys ----------------------------------------------------------------------------------

def hash_key(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


def issue_api_key(name: str) -> tuple[ApiKey, str]:
    """Create a key; the raw key is returned once and only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=nfc(name).strip() or "Open311", prefix=raw[:8], key_hash=hash_key(raw))
    return key, raw


def use_api_key(raw: str) -> ApiKey | None:
    """The active key matching `raw`, with its last use stamped (bookkeeping, not a state change)."""
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=hash_key(raw), active=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


# --- clocks: warnings and overdue marks (tasks.py runs these periodically) ---------------------------

def mark_overdue(now=None) -> int:
    """Mark every open clock that has run out (once per clock), each with an event. Returns marks made."""
    now = _now(now)
    made = 0
    for report_id, clock in queries.clocks_run_out(now):
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=report_id).first()
            if report is None or clock in report.overdue:
                continue
            report.overdue = [*report.overdue, clock]
            _save(report, ["overdue"])
            _event(report, "overdue_marked", None, {"clock": clock}, public=False, at=now)
            made += 1
    return made
