"""/dossiers… (signed in): intake, the queue, one dossier, its actions and timeline.

Handlers only read through `queries` and write through `services` (docs/design.md rules 1 and 4); they never save.
What an officer may do now comes from the rulebook (`onestop.policy.DOSSIER`). Every datetime goes out in
ISO 8601 at +07:00 (Asia/Ho_Chi_Minh, rule 5).
"""
import inspect
from datetime import timedelta
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from kycuong.catalog.queries import procedure_by_code
from kycuong.core import events
from kycuong.core.duedates import worktime_error
from kycuong.core.errors import NotFound, ValidationFailed
from kycuong.core.idempotency import idempotent
from kycuong.core.models import Unit
from kycuong.core.tokens import api_auth
from kycuong.worktime import WorktimeError
from kycuong.onestop import lookup as public_lookup  # the one lookup service (page and API)

from .. import queries, services
from ..labels import CLOCK_LABELS, EVENT_LABELS, TIMELINESS_LABELS
from ..errors import DossierNotFound, Invalid
from ..models import Channel, DossierStep
from ..policy import ACT_ACTIONS, DOSSIER, open_to_actor
from ..verdicts import step_verdict
from ..workflow import OPEN_STATES, State
from .schemas import ActionIn, DossierOut, DossierPage, ErrorOut, EventOut, IntakeIn

router = Router(tags=["dossiers"], auth=api_auth)
# Dossier codes are `<electronic ID>-YYMMDD-<seq>`; anything else cannot exist, so it never reaches the database.
CODE_RE = public_lookup.CODE_RE  # one pattern for the lookup and the signed-in operations
FUTURE_TOLERANCE = timedelta(minutes=5)


# --- helpers ---------------------------------------------------------------------------------------------

def _t(moment):
    return timezone.localtime(moment) if moment is not None else None


def _ref(unit) -> dict:
    return {"code": unit.code, "name": unit.name}


def _person(user):
    return {"id": user.pk, "name": user.get_full_name() or user.full_name or user.username} if user else None


def _state(value) -> dict:
    return {"code": int(value), "label": str(State(value).label)}


def _check_code(code: str) -> str:
    if not CODE_RE.match(code or ""):
        raise DossierNotFound()
    return code


def _visible(user, code: str):
    dossier = queries.dossier_for(user, _check_code(code))
    if dossier is None:
        raise DossierNotFound()  # same answer whether the code exists elsewhere or not at all
    return dossier


def _clock(clock) -> dict:
    remaining = int(clock.remaining.total_seconds() // 60) if clock.remaining is not None else None
    return {"status": clock.status, "label": str(CLOCK_LABELS.get(clock.status, clock.status)),
            "due_at": _t(clock.due), "remaining_working_minutes": remaining}


def _row_clock(dossier, now, edge) -> dict:
    """The queue's clock for one row, by the same due_at ranges as `queries.queue(clock=…)` filters with,
    so a row listed under clock=overdue also says "overdue". One calendar for the whole page, where
    `queries.clock_of` would build one per row (the detail uses clock_of)."""
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        status = "paused"
    elif dossier.state not in OPEN_STATES:
        status = "ended"
    elif dossier.state == State.SUBMITTED_ONLINE or dossier.due_at is None:
        status = "not_started"
    elif dossier.due_at < now:
        status = "overdue"
    elif dossier.due_at <= edge:
        status = "due_soon"
    else:
        status = "on_track"
    return {"status": status, "label": str(CLOCK_LABELS[status]), "due_at": _t(dossier.due_at),
            "remaining_working_minutes": None}


def _actions(dossier, user, now) -> tuple[list[dict], list[dict]]:
    """The rulebook's answer for this user now: allowed, and refused-with-why among those the table would
    let this actor kind take in this state. Only the actions this API's `/actions/{action}` takes."""
    allowed, refused = [], []
    for d in DOSSIER.decisions(user, dossier, now):
        if d.action not in ACT_ACTIONS:
            continue
        if d.allowed:
            allowed.append({"action": d.action, "label": str(d.label)})
        elif open_to_actor(d, user, dossier):
            refused.append({"action": d.action, "label": str(d.label), **d.refusal.as_dict()})
    return allowed, refused


def _detail(dossier, user, now=None) -> dict:
    now = now or timezone.now()
    steps = list(DossierStep.objects.filter(dossier=dossier).select_related("unit", "assignee").order_by("order"))
    verdict = services.timeliness(dossier, now)
    overruns = services.accountability(dossier, now) if verdict.status == "late" else []
    allowed, refused = _actions(dossier, user, now)
    return {
        "code": dossier.code, "version": dossier.version,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "state": _state(dossier.state), "unit": _ref(dossier.unit), "receiving_unit": _ref(dossier.receiving_unit),
        "channel": {"code": dossier.channel, "label": str(Channel(dossier.channel).label)},
        "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
                      "phone": dossier.applicant_phone, "email": dossier.applicant_email,
                      "address": dossier.applicant_address},
        "documents_received": list(dossier.documents_received or []), "note": dossier.note,
        "submitted_at": _t(dossier.submitted_at), "received_at": _t(dossier.received_at),
        "clock_start_at": _t(dossier.clock_start_at), "due_at": _t(dossier.due_at),
        "original_due_at": _t(dossier.original_due_at), "processing_end_at": _t(dossier.processing_end_at),
        "returned_at": _t(dossier.returned_at),
        "supplement": {"count": dossier.supplement_count, "requested_at": _t(dossier.supplement_requested_at),
                       "completed_at": _t(dossier.supplement_completed_at), "reason": dossier.supplement_reason},
        "apology": {"count": dossier.apology_count, "at": _t(dossier.apologized_at), "reason": dossier.apology_reason},
        "end_reason": dossier.end_reason, "fee_total_vnd": dossier.fee_total_vnd, "paid_online": dossier.paid_online,
        "result_is_electronic": dossier.result_is_electronic,
        "clock": _clock(queries.clock_of(dossier, now)),
        "steps": [{
            "order": s.order, "name": s.name, "unit": _ref(s.unit), "assignee": _person(s.assignee),
            "started_at": _t(s.started_at), "due_at": _t(s.due_at), "finished_at": _t(s.finished_at),
            "allotted_minutes": s.allotted_minutes, "used_minutes": s.used_minutes, "is_return_step": s.is_return_step,
            "current": s.pk == dossier.current_step_id, "verdict": step_verdict(s, now),
        } for s in steps],
        "allowed_actions": allowed, "refused_actions": refused,
        "timeliness": {"status": verdict.status, "label": str(TIMELINESS_LABELS.get(verdict.status, verdict.status)),
                       "end": _t(verdict.end), "due": _t(verdict.due), "reason": verdict.reason},
        "accountability": [{
            "step_order": o.step.order, "step_name": o.step.name, "unit": _ref(o.step.unit),
            "assignee": _person(o.step.assignee or o.step.finished_by), "allotted_minutes": o.step.allotted_minutes,
            "used_minutes": o.used_minutes, "overrun_minutes": o.overrun_minutes,
        } for o in overruns],
    }


def _fresh(user, code):
    """Re-read after a write: the answer shows what was committed, with its new version."""
    return _visible(user, code)


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def _version_from_if_match(value: str | None):
    if value is None or value.strip() in ("", "*"):
        return None
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit() or len(text) > 10:
        raise Invalid(_("Header If-Match phải là phiên bản hồ sơ, ví dụ \"3\"."), code="ONESTOP_BAD_IF_MATCH")
    return int(text)


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- /dossiers ---------------------------------------------------------------------------------------------

@router.post(
    "", response={201: DossierOut, **ERRORS}, summary="Tiếp nhận hồ sơ (tại quầy, bưu chính, hoặc công dân nộp trực tuyến)",
    description=(
        "Cán bộ một cửa: kiểm tra thành phần hồ sơ rồi tiếp nhận (Mẫu 01), yêu cầu bổ sung một lần (Mẫu 02) "
        "hoặc từ chối (Mẫu 03). Công dân: nộp trực tuyến, hồ sơ ở trạng thái 1 chờ tiếp nhận "
        "(không dùng outcome, channel, received_at)."
    ),
)
@idempotent
def create_dossier(request, payload: IntakeIn, response: HttpResponse):
    user = request.auth
    deciding = None
    if payload.deciding_unit_code:
        deciding = Unit.objects.filter(code=payload.deciding_unit_code.strip()).first()
        if deciding is None:
            raise NotFound(_("Không có đơn vị mã %(c)s.") % {"c": payload.deciding_unit_code}, code="CORE_UNIT_NOT_FOUND")
    a = payload.applicant
    applicant = services.Applicant(name=a.name, id_number=a.id_number, phone=a.phone, email=a.email, address=a.address)
    now = timezone.now()
    try:
        if user.is_officer:
            at = payload.received_at or now
            if at > now + FUTURE_TOLERANCE:
                raise Invalid(_("Thời điểm tiếp nhận không được ở tương lai."), code="ONESTOP_TIME_IN_FUTURE")
            dossier = services.receive_at_counter(
                user, procedure_code=payload.procedure_code, applicant=applicant, documents=payload.documents,
                outcome=payload.outcome, reason=payload.reason, deciding_unit=deciding, channel=payload.channel, at=at)
        else:
            if payload.outcome != "receive" or payload.received_at is not None or payload.channel != Channel.DIRECT:
                raise Invalid(_("Công dân nộp trực tuyến không dùng các trường outcome, channel, received_at."),
                              code="ONESTOP_FIELD_NOT_ALLOWED")
            if deciding is None:
                version = procedure_by_code(payload.procedure_code, on_date=timezone.localdate(now))
                units = list(version.deciding_units.all())
                if len(units) != 1:
                    raise Invalid(_("Hãy chọn đơn vị giải quyết hồ sơ."), code="ONESTOP_UNIT_REQUIRED")
                deciding = units[0]
            dossier = services.submit_online(user, procedure_code=payload.procedure_code, applicant=applicant,
                                             deciding_unit=deciding, documents=payload.documents, at=now)
    except WorktimeError as exc:
        raise worktime_error(exc) from exc
    dossier = _fresh(user, dossier.code)
    _etag(response, dossier.version)
    response["Location"] = f"{request.path.rstrip('/')}/{dossier.code}"
    return Status(201, _detail(dossier, user, now))


@router.get(
    "", response={200: DossierPage, 401: ErrorOut, 422: ErrorOut}, summary="Hàng đợi hồ sơ (theo phạm vi người dùng)",
    description=(
        "Hồ sơ người dùng được xem: cán bộ — hồ sơ do đơn vị mình (và cấp dưới) giải quyết hoặc tiếp nhận; "
        "công dân — hồ sơ của mình. Sắp xếp theo hạn trả kết quả. Tìm theo mã hoặc tên người nộp, không cần dấu."
    ),
)
def list_dossiers(
    request,
    state: int | None = Query(None, ge=1, le=10, description="Trạng thái 1–10 (QĐ 766)"),
    procedure: str | None = Query(None, max_length=64, description="Mã thủ tục"),
    clock: Literal["on_track", "due_soon", "overdue", "paused"] | None = Query(None, description="Tình trạng thời hạn"),
    q: str | None = Query(None, max_length=200, description="Mã hồ sơ hoặc tên người nộp (không cần dấu)"),
    mine: bool = Query(False, description="Chỉ hồ sơ đang ở bước giao cho tôi"),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=100),
    with_count: bool = Query(True, description=f"Đếm số hồ sơ khớp bộ lọc (tới {queries.COUNT_CAP})"),
):
    user = request.auth
    now = timezone.now()
    qs = queries.queue(user, mine=mine, state=state, procedure=_no_nul_or_none(procedure), clock=clock,
                       q=_no_nul_or_none(q) or "", now=now)
    result = queries.page(qs, page, page_size, count=with_count)
    rows = result.rows
    edge = queries._one_working_day_ahead(now) if rows else now  # the queue's own "within a working day" edge
    items = [{
        "code": d.code, "version": d.version,
        "procedure": {"code": d.procedure.code, "name": d.procedure_version.name},
        "state": _state(d.state), "unit": _ref(d.unit), "applicant_name": d.applicant_name, "channel": d.channel,
        "submitted_at": _t(d.submitted_at), "received_at": _t(d.received_at), "due_at": _t(d.due_at),
        "clock": _row_clock(d, now, edge), "current_step": d.current_step.name if d.current_step else None,
    } for d in rows]
    return {"items": items, "count": result.count, "count_capped": result.capped, "has_next": result.has_next,
            "page": page, "page_size": page_size}


def _no_nul_or_none(value):
    return value.replace("\x00", "") if value else value


@router.get("/{code}", response={200: DossierOut, **ERRORS}, summary="Chi tiết hồ sơ")
def get_dossier(request, code: str, response: HttpResponse):
    dossier = _visible(request.auth, code)
    _etag(response, dossier.version)
    return _detail(dossier, request.auth)


# Which body fields each action takes: read from the services' own handler signatures, so the two never drift.
ACTION_FIELDS = {
    name: tuple(p for p in inspect.signature(handler).parameters if p not in ("dossier", "user", "moment"))
    for name, handler in services._HANDLERS.items()
}


@router.post(
    "/{code}/actions/{action}", response={200: DossierOut, **ERRORS}, summary="Thực hiện một thao tác trên hồ sơ",
    description=(
        "Thao tác: " + ", ".join(f"`{n}` ({', '.join(ACTION_FIELDS[n]) or '—'})" for n in ACT_ACTIONS) + ". "
        "Gửi expected_version (hoặc header If-Match: \"<version>\") để không ghi đè thay đổi của người khác: "
        "phiên bản cũ → 409 ONESTOP_STALE_VERSION. Thao tác không được phép ở trạng thái hiện tại → 409; "
        "người dùng không được làm (vai trò, bước do người khác thực hiện, phân tách nhiệm vụ) → 403 "
        "với mã ổn định (ONESTOP_NOT_STEP_ASSIGNEE, ONESTOP_WRONG_STEP_ROLE, ONESTOP_LEADER_STEP, "
        "ONESTOP_SAME_PERSON…); xem refused_actions của hồ sơ."
    ),
)
@idempotent
def act_on_dossier(request, code: str, action: str, response: HttpResponse, payload: ActionIn | None = None,
                   if_match: str | None = Header(None, alias="If-Match")):
    user = request.auth
    if action not in ACT_ACTIONS:
        raise NotFound(_("Không có thao tác “%(a)s”.") % {"a": action[:60]}, code="ONESTOP_UNKNOWN_ACTION",
                       details={"actions": list(ACT_ACTIONS)})
    _check_code(code)
    payload = payload or ActionIn()
    sent = payload.dict(exclude_none=True)
    expected = sent.pop("expected_version", None)
    if expected is None:
        expected = _version_from_if_match(if_match)
    unexpected = sorted(set(sent) - set(ACTION_FIELDS[action]))
    if unexpected:
        raise ValidationFailed(
            _("Thao tác %(a)s không dùng các trường: %(f)s.") % {"a": action, "f": ", ".join(unexpected)},
            code="ONESTOP_UNEXPECTED_FIELDS", details={"unexpected": unexpected, "accepted": list(ACTION_FIELDS[action])})
    try:
        services.act(code, action, user, expected_version=expected, **sent)
    except WorktimeError as exc:
        raise worktime_error(exc) from exc
    dossier = _fresh(user, code)
    _etag(response, dossier.version)
    return _detail(dossier, user)


@router.get("/{code}/timeline", response={200: list[EventOut], **ERRORS}, summary="Dòng thời gian của hồ sơ")
def dossier_timeline(request, code: str):
    user = request.auth
    dossier = _visible(user, code)
    # Citizens see the public part of their own dossier's timeline (docs/design.md rule 3).
    rows = events.timeline("dossier", dossier.code, public_only=not user.is_officer).select_related("unit")
    return [{
        "seq": e.seq, "kind": e.kind, "label": str(EVENT_LABELS.get(e.kind, e.kind)), "at": _t(e.at),
        "actor_label": e.actor_label, "unit": _ref(e.unit) if e.unit_id else None, "public": e.public, "data": e.data,
    } for e in rows]
