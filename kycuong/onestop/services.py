"""The only code that changes a dossier (docs/design.md rule 1).

Every public function is one transaction that asks the rulebook (`policy.DOSSIER.require`: the state
table, its guards, scope and the step rules) before it writes anything, then writes the new state,
appends one chained event, and bumps `Dossier.version` (optimistic concurrency: a caller that read
version N and acts with expected_version=N loses cleanly with 409 if someone else wrote in between).
The handlers still check their *input* (a reason, an amount, a date): that is not authority.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.catalog.models import ProcedureVersion
from kycuong.catalog.queries import procedure_for_intake
from kycuong.core import events
from kycuong.core.calendars import calendar_for
from kycuong.core.models import Unit, User
from kycuong.core.text import fold, nfc

from .errors import DossierNotFound, Invalid, StaleVersion, TransitionNotAllowed
from . import signals
from .models import Channel, DailyCounter, Dossier, DossierStep
from .policy import ACT_ACTIONS, DOSSIER, WORKING_DAY_MINUTES, may_hold_step, require_intake
from .verdicts import step_verdict
from .workflow import State

SUBJECT = "dossier"


# --- helpers -----------------------------------------------------------------------------------------

def _now(at):
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        raise Invalid(_("Thời điểm phải có múi giờ."), code="ONESTOP_NAIVE_DATETIME")
    return moment


def _local_date(moment):
    return timezone.localtime(moment).date()


def _event(dossier, kind, actor, data=None, public=True, at=None, first=False):
    """Append the dossier's event and tell the apps that follow dossiers (`signals.dossier_event`).

    `first`: the dossier was created in this transaction, so its chain is empty (saves a read at intake)."""
    event = events.append(
        SUBJECT, dossier.code, kind, data=data or {}, actor=actor,
        unit=(actor.unit if actor is not None and getattr(actor, "unit_id", None) else None),
        public=public, at=at, first=first, state=dossier.state,  # the head seals the state reached
    )
    signals.dossier_event.send(sender=Dossier, dossier=dossier, event=event)
    return event


def next_code(unit: Unit, moment: datetime) -> str:
    """`<electronic ID>-YYMMDD-<daily sequence ≥ 4 digits>` (TT 04/2025/TT-VPCP, k.3 Đ.13 TT 03/2025).

    The counter row is incremented with UPDATE … SET last = last + 1 inside the caller's transaction,
    so two processes can never take the same number (the row lock serialises them on PostgreSQL;
    SQLite's IMMEDIATE transactions serialise all writers). One statement: `RETURNING` gives the new
    value (PostgreSQL; SQLite ≥ 3.35).
    """
    day = _local_date(moment)
    for _attempt in range(3):
        seq = _increment(unit, day)
        if seq is None:
            try:
                with transaction.atomic():
                    DailyCounter.objects.create(unit=unit, day=day, last=1)
                seq = 1
            except IntegrityError:
                continue  # another process created today's row first: increment it
        return f"{unit.code}-{day:%y%m%d}-{seq:04d}"
    raise RuntimeError("daily counter contention")


_COUNTER_SQL = 'UPDATE {t} SET "last" = "last" + 1 WHERE "unit_id" = %s AND "day" = %s RETURNING "last"'


def _increment(unit, day):
    """Today's counter + 1, or None when the unit has no row for `day` yet."""
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute(_COUNTER_SQL.format(t=connection.ops.quote_name(DailyCounter._meta.db_table)),
                           [unit.pk, connection.ops.adapt_datefield_value(day)])
            row = cursor.fetchone()
        return row[0] if row else None
    if not DailyCounter.objects.filter(unit=unit, day=day).update(last=F("last") + 1):
        return None
    return DailyCounter.objects.filter(unit=unit, day=day).values_list("last", flat=True).get()


def _calendar(dossier):
    return calendar_for(dossier.receiving_unit)


def _limit_minutes(dossier) -> int:
    if dossier.limit_unit == "working_hours":
        return int(Decimal(dossier.limit_amount) * 60)
    return int(Decimal(dossier.limit_amount) * WORKING_DAY_MINUTES)


def _step_due(cal, start, minutes):
    return cal.due(start, Decimal(minutes) / 60, "working_hours").due


def _load_for_update(code, user, expected_version=None) -> Dossier:
    qs = Dossier.objects.select_related("unit", "receiving_unit", "current_step", "procedure_version")
    try:
        dossier = qs.select_for_update(of=("self",)).get(code=code) if _supports_for_update() else qs.get(code=code)
    except Dossier.DoesNotExist as exc:
        raise DossierNotFound() from exc
    if not DOSSIER.in_scope(user, dossier):
        raise DossierNotFound()  # never reveal that a code exists outside one's scope
    if expected_version is not None and int(expected_version) != dossier.version:
        raise StaleVersion(details={"expected_version": int(expected_version), "current_version": dossier.version})
    return dossier


def _supports_for_update():
    from django.db import connection

    return connection.features.has_select_for_update


def _save(dossier, fields):
    """Write the changed fields and bump the version in one UPDATE guarded by the version read."""
    fields = set(fields) | {"version", "updated_at"}
    old = dossier.version
    dossier.version = old + 1
    dossier.updated_at = timezone.now()
    values = {f: getattr(dossier, f) for f in fields}
    rows = Dossier.objects.filter(pk=dossier.pk, version=old).update(**values)
    if rows != 1:
        raise StaleVersion()


# --- intake --------------------------------------------------------------------------------------------

@dataclass
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _version_and_unit(procedure_code, deciding_unit, receiving_unit, moment):
    # Cached per process and read-only (catalog.queries.procedure_for_intake): never modify `version`.
    version = procedure_for_intake(procedure_code, on_date=_local_date(moment))
    if deciding_unit is None:
        deciding = list(version.deciding_units.all())
        if len(deciding) == 1:
            deciding_unit = deciding[0]
        elif version.all_communes and receiving_unit.tier == Unit.Tier.COMMUNE:
            deciding_unit = receiving_unit
        elif receiving_unit in deciding:
            deciding_unit = receiving_unit
        else:
            raise Invalid(_("Hãy chọn đơn vị giải quyết hồ sơ."), code="ONESTOP_UNIT_REQUIRED")
    return version, deciding_unit


def missing_documents(version: ProcedureVersion, received_ids) -> list[str]:
    """Mandatory documents of the procedure not in `received_ids` (completeness check at intake)."""
    received = _document_ids(version, received_ids)
    return [d.name for d in version.documents.all() if d.mandatory and d.pk not in received]


def _document_ids(version, ids) -> set[int]:
    """`ids` as a set, each a document of this procedure version (else ONESTOP_UNKNOWN_DOCUMENT)."""
    try:
        received = {int(i) for i in ids or ()}
    except (TypeError, ValueError) as exc:
        raise Invalid(_("Mã giấy tờ không hợp lệ."), code="ONESTOP_UNKNOWN_DOCUMENT") from exc
    unknown = sorted(received - {d.pk for d in version.documents.all()})
    if unknown:
        raise Invalid(_("Giấy tờ không thuộc thành phần hồ sơ của thủ tục này: %(ids)s")
                      % {"ids": ", ".join(map(str, unknown))}, code="ONESTOP_UNKNOWN_DOCUMENT",
                      details={"unknown": unknown})
    return received


def _new_dossier(version, deciding_unit, receiving_unit, applicant, channel, moment, documents, state, user,
                 start_clock=False):
    """Insert a new dossier; with `start_clock`, received now: appointment and steps (`_start_clock`) are
    written with the INSERT and the steps' one, so only `current_step` needs a (one-column) UPDATE."""
    fee = sum(f.amount_vnd for f in version.fees.all())
    dossier = Dossier(
        code=next_code(deciding_unit, moment), procedure_id=version.procedure_id, procedure_version=version,
        unit=deciding_unit, receiving_unit=receiving_unit, channel=channel, state=state,
        applicant_name=nfc(applicant.name).strip(), applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(), applicant_email=applicant.email.strip(),
        applicant_address=nfc(applicant.address).strip(),
        applicant=(user if user is not None and not user.is_officer else None),
        documents_received=sorted(_document_ids(version, documents)),
        limit_amount=version.limit_amount, limit_unit=version.limit_unit, cutoff=version.cutoff,
        submitted_at=moment, fee_total_vnd=fee, digitised=channel == Channel.ONLINE,
    )
    dossier.applicant_name_folded = fold(dossier.applicant_name)
    if not dossier.applicant_name:
        raise Invalid(_("Nhập họ tên người nộp hồ sơ."), code="ONESTOP_APPLICANT_REQUIRED")
    if not start_clock:
        dossier.save()
        return dossier
    _start_clock(dossier, moment, user)
    if dossier.current_step is not None:
        Dossier.objects.filter(pk=dossier.pk).update(current_step=dossier.current_step)
    return dossier


def _start_clock(dossier, moment, user):
    """Receipt of a complete dossier: appointment date and the internal steps' clocks (docs/legal/working-time.md §2.3).

    The caller saves the dossier's clock fields and `current_step`; a dossier not inserted yet is
    inserted here, clock fields included (its steps need its id)."""
    cal = _calendar(dossier)
    result = cal.due(moment, dossier.limit_amount, dossier.limit_unit, cutoff=dossier.cutoff)
    dossier.received_at = moment
    dossier.clock_start_at = result.effective_start
    dossier.due_at = dossier.original_due_at = result.due
    if dossier.pk is None:
        dossier.save()
    steps = []
    for s in _procedure_steps(dossier.procedure_version):
        unit = s.unit or (dossier.receiving_unit if s.role == User.Role.RECEIVING_OFFICER else dossier.unit)
        steps.append(DossierStep(dossier=dossier, order=s.order, name=s.name, role=s.role, unit=unit,
                                 allotted_minutes=int(Decimal(s.hours) * 60), is_return_step=s.is_return_step,
                                 requires_second_person=s.requires_second_person))
    if steps:  # the first step opens with the clock: written open in the same INSERT
        first = steps[0]
        first.started_at = result.effective_start
        first.assignee = user if may_hold_step(user, first) else None
        first.due_at = _step_due(cal, result.effective_start, first.allotted_minutes)
    DossierStep.objects.bulk_create(steps)  # sets the pks (RETURNING) on both databases
    dossier.current_step = steps[0] if steps else None
    return result


def _procedure_steps(version):
    """The version's internal steps in order: the prefetched list when intake's cached version has one."""
    if "steps" in getattr(version, "_prefetched_objects_cache", {}):
        return sorted(version.steps.all(), key=lambda s: s.order)
    return list(version.steps.select_related("unit").order_by("order"))


@transaction.atomic
def receive_at_counter(officer: User, *, procedure_code: str, applicant: Applicant, documents=(),
                       outcome: str = "receive", reason: str = "", receiving_unit: Unit | None = None,
                       deciding_unit: Unit | None = None, channel: int = Channel.DIRECT, at=None) -> Dossier:
    """Intake at the one-stop counter: receipt (Mẫu 01), supplement request (Mẫu 02) or refusal (Mẫu 03)."""
    moment = _now(at)
    receiving_unit = receiving_unit or (officer.unit if officer is not None and officer.unit_id else None)
    require_intake(officer, receiving_unit)
    version, deciding_unit = _version_and_unit(procedure_code, deciding_unit, receiving_unit, moment)
    missing = missing_documents(version, documents)
    if outcome == "receive":
        if missing:
            raise Invalid(_("Hồ sơ chưa đủ giấy tờ bắt buộc; hãy yêu cầu bổ sung: %(docs)s")
                          % {"docs": "; ".join(missing)}, code="ONESTOP_DOCUMENTS_MISSING",
                          details={"missing": missing})
        dossier = _new_dossier(version, deciding_unit, receiving_unit, applicant, channel, moment, documents,
                               State.RECEIVED, officer, start_clock=True)
        _event(dossier, "received", officer, {
            "channel": int(channel), "procedure": version.procedure.code, "due_at": dossier.due_at.isoformat(),
            "effective_start": dossier.clock_start_at.isoformat(), "form": "01"}, at=moment, first=True)
    elif outcome == "supplement":
        if not reason.strip():
            raise Invalid(_("Ghi rõ giấy tờ cần bổ sung, hoàn thiện."), code="ONESTOP_REASON_REQUIRED")
        dossier = _new_dossier(version, deciding_unit, receiving_unit, applicant, channel, moment, documents,
                               State.SUPPLEMENT_REQUESTED, officer)
        dossier.state_before_supplement = State.SUBMITTED_ONLINE
        dossier.supplement_requested_at = moment
        dossier.supplement_count = 1
        dossier.supplement_reason = reason.strip()
        dossier.save(update_fields=["state_before_supplement", "supplement_requested_at", "supplement_count",
                                    "supplement_reason"])
        _event(dossier, "supplement_requested", officer,
               {"reason": dossier.supplement_reason, "missing": missing, "form": "02", "at_intake": True}, at=moment,
               first=True)
    elif outcome == "refuse":
        if not reason.strip():
            raise Invalid(_("Ghi rõ lý do từ chối tiếp nhận."), code="ONESTOP_REASON_REQUIRED")
        dossier = _new_dossier(version, deciding_unit, receiving_unit, applicant, channel, moment, documents,
                               State.REFUSED, officer)
        dossier.end_reason = reason.strip()
        dossier.save(update_fields=["end_reason"])
        _event(dossier, "refused", officer, {"reason": dossier.end_reason, "form": "03"}, at=moment, first=True)
    else:
        raise Invalid(_("Kết quả tiếp nhận không hợp lệ."), code="ONESTOP_BAD_OUTCOME")
    return dossier


@transaction.atomic
def submit_online(citizen: User | None, *, procedure_code: str, applicant: Applicant, deciding_unit: Unit,
                  documents=(), at=None) -> Dossier:
    """An online submission lands in state 1, awaiting acceptance (docs/legal/one-stop.md §2.1)."""
    moment = _now(at)
    version, deciding_unit = _version_and_unit(procedure_code, deciding_unit, deciding_unit, moment)
    if not version.channel_online:
        raise Invalid(_("Thủ tục này chưa cung cấp dịch vụ nộp trực tuyến."), code="ONESTOP_NOT_ONLINE")
    dossier = _new_dossier(version, deciding_unit, deciding_unit, applicant, Channel.ONLINE, moment, documents,
                           State.SUBMITTED_ONLINE, citizen)
    _event(dossier, "submitted_online", citizen, {"procedure": version.procedure.code}, at=moment, first=True)
    return dossier


# --- transitions -------------------------------------------------------------------------------------

def act(code: str, action: str, user: User | None, *, expected_version=None, at=None, **params) -> Dossier:
    """Take `action` on dossier `code` (one transaction). Unknown action → 404-like error."""
    handler = _HANDLERS.get(action)
    if handler is None:
        raise TransitionNotAllowed(_("Không có thao tác “%(a)s”.") % {"a": action}, code="ONESTOP_UNKNOWN_ACTION")
    with transaction.atomic():
        dossier = _load_for_update(code, user, expected_version)
        moment = _now(at)
        if moment < dossier.submitted_at:
            raise Invalid(_("Thời điểm thao tác trước thời điểm nộp hồ sơ."), code="ONESTOP_TIME_BEFORE_SUBMISSION")
        DOSSIER.require(user, dossier, action, moment, check_scope=False)  # scope: _load_for_update
        return handler(dossier, user, moment, **params)


def _accept(dossier, user, moment, documents=None):
    if documents is not None:
        dossier.documents_received = sorted({int(i) for i in documents})
    missing = missing_documents(dossier.procedure_version, dossier.documents_received)
    if missing:
        raise Invalid(_("Hồ sơ chưa đủ giấy tờ bắt buộc; hãy yêu cầu bổ sung: %(docs)s") % {"docs": "; ".join(missing)},
                      code="ONESTOP_DOCUMENTS_MISSING", details={"missing": missing})
    result = _start_clock(dossier, moment, user)
    dossier.state = State.RECEIVED
    _save(dossier, ["state", "received_at", "clock_start_at", "due_at", "original_due_at", "current_step_id",
                    "documents_received"])
    _event(dossier, "received", user, {"due_at": result.due.isoformat(), "form": "01"}, at=moment)
    return dossier


def _refuse(dossier, user, moment, reason=""):
    if not reason.strip():
        raise Invalid(_("Ghi rõ lý do từ chối tiếp nhận."), code="ONESTOP_REASON_REQUIRED")
    dossier.state = State.REFUSED
    dossier.end_reason = reason.strip()
    _save(dossier, ["state", "end_reason"])
    _event(dossier, "refused", user, {"reason": dossier.end_reason, "form": "03"}, at=moment)
    return dossier


def _request_supplement(dossier, user, moment, reason=""):
    if not reason.strip():
        raise Invalid(_("Ghi rõ giấy tờ cần bổ sung, hoàn thiện."), code="ONESTOP_REASON_REQUIRED")
    dossier.state_before_supplement = dossier.state
    dossier.state = State.SUPPLEMENT_REQUESTED
    dossier.supplement_requested_at = moment
    dossier.supplement_count += 1
    dossier.supplement_reason = reason.strip()
    _save(dossier, ["state", "state_before_supplement", "supplement_requested_at", "supplement_count",
                    "supplement_reason"])
    _event(dossier, "supplement_requested", user, {"reason": dossier.supplement_reason, "form": "02"}, at=moment)
    return dossier


def _shift(cal, due, pause_from, pause_to):
    """The working time left at `pause_from` is spent from `pause_to` on (docs/legal/working-time.md §2.3, [DVC-TH])."""
    if due is None or pause_from >= due:
        return due
    left = cal.elapsed(pause_from, due)
    return cal.due(pause_to, Decimal(int(left.total_seconds())) / 3600, "working_hours").due


def _complete_supplement(dossier, user, moment, documents=None):
    if documents is not None:
        added = _document_ids(dossier.procedure_version, documents)
        dossier.documents_received = sorted(set(dossier.documents_received) | added)
    dossier.supplement_completed_at = moment
    fields = ["state", "supplement_completed_at", "documents_received"]
    data = {}
    if dossier.state_before_supplement == State.SUBMITTED_ONLINE or dossier.received_at is None:
        # Completed at intake: the clock starts now, from a complete dossier.
        missing = missing_documents(dossier.procedure_version, dossier.documents_received)
        if missing:
            raise Invalid(_("Hồ sơ vẫn chưa đủ giấy tờ bắt buộc: %(docs)s") % {"docs": "; ".join(missing)},
                          code="ONESTOP_DOCUMENTS_MISSING", details={"missing": missing})
        result = _start_clock(dossier, moment, user if user is not None and user.is_officer else None)
        dossier.state = State.RECEIVED
        fields += ["received_at", "clock_start_at", "due_at", "original_due_at", "current_step_id"]
        data = {"due_at": result.due.isoformat(), "form": "01"}
    else:
        cal = _calendar(dossier)
        start = dossier.supplement_requested_at
        old_due = dossier.due_at
        dossier.due_at = _shift(cal, dossier.due_at, start, moment)
        dossier.original_due_at = _shift(cal, dossier.original_due_at, start, moment)
        step = dossier.current_step
        if step is not None and step.due_at is not None:
            step.due_at = _shift(cal, step.due_at, start, moment)
            step.save(update_fields=["due_at"])
        dossier.state = dossier.state_before_supplement
        if dossier.due_at != old_due:
            dossier.warned_at = None  # a new due time gets its own D-1 warning (queries.due_for_warning)
        fields += ["due_at", "original_due_at", "warned_at"]
        paused = cal.elapsed(start, moment)
        data = {"old_due_at": old_due.isoformat() if old_due else None,
                "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
                "paused_working_minutes": int(paused.total_seconds() // 60)}
    _save(dossier, fields)
    _event(dossier, "supplement_completed", user, data, at=moment)
    return dossier


def _close_step(cal, step, user, moment):
    step.finished_at = moment
    step.finished_by = user
    # A step received after hours starts at the next window; handing it on before then used no time.
    used = cal.elapsed(step.started_at, moment) if step.started_at and step.started_at < moment else timedelta(0)
    dossier = step.dossier
    if (dossier.supplement_requested_at and dossier.supplement_completed_at and step.started_at
            and step.started_at <= dossier.supplement_requested_at < moment):
        used -= cal.elapsed(dossier.supplement_requested_at, min(dossier.supplement_completed_at, moment))
    step.used_minutes = max(0, int(used.total_seconds() // 60))
    step.save(update_fields=["finished_at", "finished_by", "used_minutes"])
    return step_verdict(step)


def _open_step(cal, dossier, step, moment, assignee=None):
    step.started_at = moment
    step.assignee = assignee
    step.due_at = _step_due(cal, moment, step.allotted_minutes) if step.allotted_minutes else moment
    step.save(update_fields=["started_at", "assignee", "due_at"])
    dossier.current_step = step


def _assignee(assignee_id, dossier, step):
    """The officer a step is given to: of the step's unit and holding its role (policy.may_hold_step)."""
    if not assignee_id:
        return None
    user = User.objects.filter(pk=assignee_id, role__in=User.OFFICER_ROLES).select_related("unit").first()
    if user is None or not may_hold_step(user, step):
        raise Invalid(_("Người được giao không thuộc đơn vị thực hiện bước này hoặc không có vai trò của bước."),
                      code="ONESTOP_BAD_ASSIGNEE")
    return user


def _advance(dossier, user, moment, assignee_id=None, note="", kind="handover"):
    cal = _calendar(dossier)
    current = dossier.current_step
    data = {}
    if current is not None:
        current.dossier = dossier
        if note:
            current.note = note
            current.save(update_fields=["note"])
        data.update(step=current.order, step_name=current.name, verdict=_close_step(cal, current, user, moment))
    nxt = dossier.steps.filter(order__gt=current.order if current else 0).order_by("order").first()
    if nxt is not None:
        _open_step(cal, dossier, nxt, moment, _assignee(assignee_id, dossier, nxt))
        data.update(next_step=nxt.order, next_step_name=nxt.name,
                    assignee=nxt.assignee.get_full_name() if nxt.assignee else "")
    else:
        dossier.current_step = None
    return data


def _start_processing(dossier, user, moment, assignee_id=None, note=""):
    data = _advance(dossier, user, moment, assignee_id, note)
    dossier.state = State.PROCESSING
    _save(dossier, ["state", "current_step_id"])
    _event(dossier, "processing_started", user, data, at=moment)
    return dossier


def _handover(dossier, user, moment, assignee_id=None, note=""):
    data = _advance(dossier, user, moment, assignee_id, note)
    _save(dossier, ["current_step_id"])
    _event(dossier, "handed_over", user, data, at=moment)
    return dossier


def _finish(dossier, user, moment, note=""):
    data = _advance(dossier, user, moment, None, note)
    dossier.state = State.FINISHED
    dossier.processing_end_at = moment
    _save(dossier, ["state", "processing_end_at", "current_step_id"])
    data["timeliness"] = timeliness(dossier, moment).status
    _event(dossier, "finished", user, data, at=moment)
    return dossier


def _return_result(dossier, user, moment, electronic=False, note=""):
    cal = _calendar(dossier)
    if dossier.current_step is not None:
        dossier.current_step.dossier = dossier
        _close_step(cal, dossier.current_step, user, moment)
        dossier.current_step = None
    dossier.state = State.RETURNED
    dossier.returned_at = moment
    dossier.result_is_electronic = bool(electronic) or dossier.result_is_electronic
    _save(dossier, ["state", "returned_at", "current_step_id", "result_is_electronic"])
    _event(dossier, "result_returned", user, {"electronic": dossier.result_is_electronic}, at=moment)
    return dossier


def _request_payment(dossier, user, moment, amount_vnd=None, note=""):
    if amount_vnd is not None:
        try:
            dossier.fee_total_vnd = int(amount_vnd)
        except (TypeError, ValueError) as exc:
            raise Invalid(_("Số tiền phải là số nguyên (đồng)."), code="ONESTOP_BAD_AMOUNT") from exc
    if dossier.fee_total_vnd <= 0:  # a request to pay nothing is no request (issue 18)
        raise Invalid(_("Số tiền yêu cầu nộp phải lớn hơn 0 đồng."), code="ONESTOP_BAD_AMOUNT")
    dossier.state = State.PAYMENT_REQUESTED
    _save(dossier, ["state", "fee_total_vnd"])
    _event(dossier, "payment_requested", user, {"amount_vnd": dossier.fee_total_vnd, "note": note}, at=moment)
    return dossier


def _confirm_payment(dossier, user, moment, online=0):
    dossier.state = State.PROCESSING
    dossier.paid_online = int(online or 0)
    _save(dossier, ["state", "paid_online"])
    _event(dossier, "payment_confirmed", user, {"online": dossier.paid_online}, at=moment)
    return dossier


def _apologize(dossier, user, moment, reason="", new_due=None):
    # Once only and one working day ahead: policy guards (apology_once, apology_in_time).
    if not reason.strip():
        raise Invalid(_("Ghi rõ lý do chậm trả kết quả."), code="ONESTOP_REASON_REQUIRED")
    if isinstance(new_due, str):
        try:
            new_due = datetime.fromisoformat(new_due)
        except ValueError as exc:
            raise Invalid(_("Ngày hẹn mới không hợp lệ."), code="ONESTOP_BAD_NEW_DUE") from exc
    if new_due is None or timezone.is_naive(new_due):
        raise Invalid(_("Nhập ngày hẹn trả mới (có múi giờ)."), code="ONESTOP_BAD_NEW_DUE")
    if new_due <= dossier.due_at:
        raise Invalid(_("Ngày hẹn mới phải sau ngày hẹn cũ."), code="ONESTOP_BAD_NEW_DUE")
    old = dossier.due_at
    dossier.apology_count = 1
    dossier.apology_reason = reason.strip()
    dossier.apologized_at = moment
    dossier.due_at = new_due
    dossier.warned_at = None  # the new appointment gets its own D-1 warning (queries.due_for_warning)
    _save(dossier, ["apology_count", "apology_reason", "apologized_at", "due_at", "warned_at"])
    _event(dossier, "apologized", user, {"reason": dossier.apology_reason, "old_due_at": old.isoformat(),
                                         "due_at": new_due.isoformat()}, at=moment)
    return dossier


def _end(kind, state):
    def handler(dossier, user, moment, reason=""):
        if not reason.strip():
            raise Invalid(_("Ghi rõ lý do."), code="ONESTOP_REASON_REQUIRED")
        dossier.state = state
        dossier.end_reason = reason.strip()
        fields = ["state", "end_reason"]
        # 766 note: withdrawal ends processing only for received dossiers.
        if dossier.received_at is not None:
            dossier.processing_end_at = moment
            fields.append("processing_end_at")
        _save(dossier, fields)
        _event(dossier, kind, user, {"reason": dossier.end_reason}, at=moment)
        return dossier
    return handler


def _reassign(dossier, user, moment, assignee_id=None, note=""):
    """A unit leader gives the current step to another officer of the step's unit (policy: reassign)."""
    step = dossier.current_step
    if not assignee_id:
        raise Invalid(_("Chọn người nhận bước."), code="ONESTOP_BAD_ASSIGNEE")
    new = _assignee(assignee_id, dossier, step)
    if new.pk == step.assignee_id:
        raise Invalid(_("Bước đã được giao cho người này."), code="ONESTOP_BAD_ASSIGNEE")
    old = step.assignee
    step.assignee = new
    step.save(update_fields=["assignee"])
    _save(dossier, [])
    _event(dossier, "reassigned", user, {
        "step": step.order, "step_name": step.name, "assignee": new.get_full_name() or str(new),
        "old_assignee": (old.get_full_name() or str(old)) if old else "", "note": note}, at=moment, public=False)
    return dossier


_HANDLERS = {
    "accept": _accept, "refuse": _refuse, "request_supplement": _request_supplement,
    "complete_supplement": _complete_supplement, "start_processing": _start_processing, "handover": _handover,
    "reassign": _reassign,
    "request_payment": _request_payment, "confirm_payment": _confirm_payment, "apologize": _apologize,
    "withdraw": _end("withdrawn", State.WITHDRAWN), "stop": _end("stopped", State.STOPPED),
    "finish": _finish, "return_result": _return_result,
}
assert set(_HANDLERS) == set(ACT_ACTIONS), "every action of the rulebook needs a handler"


# --- the 766 verdict ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Timeliness:
    status: str          # "early" | "on_time" | "late" | "not_counted"
    end: datetime | None
    due: datetime | None
    reason: str = ""


def timeliness(dossier: Dossier, now: datetime) -> Timeliness:
    """Early / on time / late, exactly as the VPCP note on QĐ 766 defines it (docs/legal/decision-766.md §1.4).

    * end = processing end (finished > returned > stopped/refused/withdrawn) or, still open, `now`;
    * supplement time is excluded — here by the appointment, which moved by the paused working time;
      a dossier still waiting for its supplement ends at the request;
    * more than one supplement request counts late;
    * no appointment: on time iff working time (minus supplement) ≤ the legal limit;
    * the comparison is with the appointment given at receipt (moved only by pauses): an apology
      reschedules the citizen's date but does not turn a late dossier into an on-time one.
    """
    if dossier.received_at is None:
        return Timeliness("not_counted", None, None, "never received")
    end = dossier.processing_end_at
    if end is None:
        if dossier.state == State.SUPPLEMENT_REQUESTED and dossier.supplement_requested_at:
            end = dossier.supplement_requested_at
        else:
            end = now
    if dossier.supplement_count > 1:
        return Timeliness("late", end, dossier.original_due_at, "more than one supplement request")
    due = dossier.original_due_at
    if due is None:
        cal = _calendar(dossier)
        used = cal.elapsed(dossier.received_at, end)
        if dossier.supplement_requested_at and dossier.supplement_completed_at:
            used -= cal.elapsed(dossier.supplement_requested_at, dossier.supplement_completed_at)
        ok = used <= timedelta(minutes=_limit_minutes(dossier))
        return Timeliness("on_time" if ok else "late", end, None, "no appointment: legal limit")
    if end > due:
        return Timeliness("late", end, due)
    if _local_date(end) < _local_date(due):
        return Timeliness("early", end, due)
    return Timeliness("on_time", end, due)


@dataclass(frozen=True)
class Overrun:
    step: DossierStep
    used_minutes: int
    overrun_minutes: int


def accountability(dossier: Dossier, now: datetime) -> list[Overrun]:
    """For a late dossier: the steps (and people) that used more than their allotted working time."""
    cal = _calendar(dossier)
    rows = []
    for step in dossier.steps.select_related("assignee", "finished_by", "unit").order_by("order"):
        if step.started_at is None or step.is_return_step:
            continue
        used = step.used_minutes
        if used is None:
            end = now
            if dossier.state == State.SUPPLEMENT_REQUESTED and dossier.supplement_requested_at:
                end = dossier.supplement_requested_at
            used = int(cal.elapsed(step.started_at, max(step.started_at, end)).total_seconds() // 60)
        if used > step.allotted_minutes:
            rows.append(Overrun(step, used, used - step.allotted_minutes))
    return rows


# =====================================================================================================
# Citizen portal: online payment and the electronic result. Added by the portal work; the
# functions above are unchanged. Same write path: one transaction, `_save` (version bump), one event.
# =====================================================================================================



def record_online_payment(code: str, *, online: int, amount_vnd: int, receipt_no: str, reference: str,
                          at=None) -> Dossier:
    """The fees were paid through an online gateway (766 indicator 3.6: DuocThanhToanTrucTuyen 1 or 2).

    Called by integrations.services after a verified callback. A dossier waiting for payment (state 6)
    goes back to processing (docs/legal/one-stop.md §2.1); otherwise only the flag and the receipt are recorded.
    """
    with transaction.atomic():
        dossier = _load_for_update(code, None)
        moment = _now(at)
        dossier.paid_online = int(online)
        fields = ["paid_online"]
        if dossier.state == State.PAYMENT_REQUESTED:
            DOSSIER.require(None, dossier, "confirm_payment", moment)
            dossier.state = State.PROCESSING
            fields.append("state")
        _save(dossier, fields)
        _event(dossier, "paid_online", None, {"online": int(online), "amount_vnd": int(amount_vnd),
                                              "receipt_no": receipt_no, "reference": reference}, at=moment)
        return dossier


def attach_result(code: str, officer: User, upload, *, expected_version=None, at=None) -> Dossier:
    """The officer attaches the electronic result (766 indicators 4.1-4.2: result file, e-result).

    The file is checked by content (kycuong.core.uploads); allowed once processing has finished.
    """
    from kycuong.core.uploads import check_file

    info = check_file(upload)
    with transaction.atomic():
        dossier = _load_for_update(code, officer, expected_version)
        moment = _now(at)
        DOSSIER.require(officer, dossier, "attach_result", moment, check_scope=False)
        upload.seek(0)
        old = dossier.result_file.name if dossier.result_file else ""
        name = dossier.result_file.storage.save(
            f"results/{dossier.code.replace('.', '_')}/ket-qua.{info.extension}", upload)
        transaction.on_commit(lambda: old and dossier.result_file.storage.delete(old))
        try:
            dossier.result_file.name = name
            dossier.result_is_electronic = True
            _save(dossier, ["result_file", "result_is_electronic"])
            _event(dossier, "result_attached", officer, {"name": info.name, "size": info.size, "mime": info.mime},
                   at=moment)
        except BaseException:
            dossier.result_file.storage.delete(name)
            raise
        return dossier
