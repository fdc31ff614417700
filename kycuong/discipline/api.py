"""REST API of the discipline app, mounted by the project at /api/v1/discipline.

Reads through `queries` (scoped), writes through `services`; domain errors map to 4xx (kycuong.api).
Datetimes go out in ISO 8601 at +07:00.
"""
from datetime import date, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Router, Schema

from kycuong.core.errors import NotFound, check_period_range
from kycuong.core.queries import visible_units
from kycuong.core.tokens import api_auth
from kycuong.onestop.api import ErrorOut  # one error schema in the OpenAPI document

from . import queries, services
from .policy import CASE, INVITATION, MEETING, TASK, actions

router = Router(tags=["discipline"], auth=api_auth)


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


class RecordOut(Schema):
    id: int
    official: str | None
    unit: str
    source_kind: str
    source_ref: str
    rule: str | None
    occurred_at: str
    description: str


class RefusedOut(Schema):
    action: str
    label: str
    code: str
    reason: str


ACTIONS_DOC = "the actions the policy allows this caller now (kycuong.discipline.policy)"
REFUSED_DOC = "the other actions, each with the stable code and the reason it is refused now"


class InvitationOut(Schema):
    id: int
    unit: str
    attendee: str | None
    reply: str
    checked_in_at: str | None
    checked_out_at: str | None
    leave_consent: bool
    final_state: str
    allowed_actions: list[str] = Field(default_factory=list, description=ACTIONS_DOC)
    refused_actions: list[RefusedOut] = Field(default_factory=list, description=REFUSED_DOC)


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: str
    ends_at: str
    state: str
    conclusions_due_at: str | None
    invitations: list[InvitationOut]
    allowed_actions: list[str] = Field(description=ACTIONS_DOC)
    refused_actions: list[RefusedOut] = Field(description=REFUSED_DOC)


class TaskOut(Schema):
    id: int
    directive: str
    unit: str
    title: str
    due_at: str
    state: str
    status: str = Field(description="on_time | late | overdue_open | open (queries.task_status)")


class TaskDetailOut(TaskOut):
    allowed_actions: list[str] = Field(description=ACTIONS_DOC)
    refused_actions: list[RefusedOut] = Field(description=REFUSED_DOC)


class CaseOut(Schema):
    id: int
    official: str
    unit: str
    state: str
    step: str
    step_due_at: str | None
    deadline_on: date
    measure: str
    allowed_actions: list[str] = Field(description=ACTIONS_DOC)
    refused_actions: list[RefusedOut] = Field(description=REFUSED_DOC)


class RateOut(Schema):
    unit: str
    unit_code: str
    on_time: int
    late: int
    overdue_open: int
    rate: float | None = Field(description="on_time / (on_time + late + overdue_open); see queries.on_time_rate")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TokenIn(Schema):
    token: Annotated[str, Field(max_length=500)]
    reason: Annotated[str, Field(max_length=1000)] = ""


@router.get("/records", response={200: list[RecordOut], 401: ErrorOut, 422: ErrorOut}, summary="Ghi nhận công vụ trong phạm vi (của mình, hoặc cây đơn vị)")
def records(request, limit: Annotated[int, Field(ge=1, le=500)] = 100):
    return [RecordOut(id=r.pk, official=r.official.full_name if r.official else None, unit=r.unit.name,
                      source_kind=r.source_kind, source_ref=r.source_ref, rule=r.rule.code if r.rule else None,
                      occurred_at=_local(r.occurred_at), description=r.description)
            for r in queries.conduct_records(request.auth)[:limit]]


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="Cuộc họp và điểm danh")
def meeting(request, meeting_id: Annotated[int, Field(ge=1, le=2**31)]):
    m = queries.meetings(request.auth).filter(pk=meeting_id).first()
    if m is None:
        raise NotFound()
    invs = []
    for i in m.invitations.select_related("unit", "official", "delegate"):
        i.meeting = m
        invs.append(_inv_out(i, request.auth))
    return MeetingOut(id=m.pk, title=m.title, starts_at=_local(m.starts_at), ends_at=_local(m.ends_at), state=m.state,
                      conclusions_due_at=_local(m.conclusions_due_at), invitations=invs, **actions(MEETING, request.auth, m))


@router.post("/attendance/check-in", response={200: InvitationOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}, auth=None, summary="Điểm danh vào bằng mã QR cá nhân")
def attendance_in(request, body: TokenIn):
    inv = services.check_in(services.invitation_for_token(body.token).pk)
    return _inv(inv.pk)


@router.post("/attendance/check-out", response={200: InvitationOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}, auth=None, summary="Điểm danh ra bằng mã QR cá nhân")
def attendance_out(request, body: TokenIn):
    inv = services.check_out(services.invitation_for_token(body.token).pk, reason=body.reason)
    return _inv(inv.pk)


def _inv(pk):
    """The invitation as its code holder sees it (no sign-in): what they may still do with the code."""
    from .models import Invitation

    return _inv_out(Invitation.objects.select_related("meeting__unit", "unit", "official", "delegate").get(pk=pk), None)


def _inv_out(i, user):
    return InvitationOut(id=i.pk, unit=i.unit.name, attendee=i.attendee.full_name if i.attendee else None,
                         reply=i.reply, checked_in_at=_local(i.checked_in_at), checked_out_at=_local(i.checked_out_at),
                         leave_consent=bool(i.leave_consent_at), final_state=i.final_state,
                         **actions(INVITATION, user, i))


@router.get("/tasks", response={200: list[TaskOut], 401: ErrorOut, 422: ErrorOut}, summary="Nhiệm vụ được giao trong phạm vi")
def tasks(request, limit: Annotated[int, Field(ge=1, le=1000)] = 200):
    now = timezone.now()
    return [TaskOut(id=t.pk, directive=t.directive.number, unit=t.unit.name, title=t.title, due_at=_local(t.due_at),
                    state=t.state, status=queries.task_status(t, now))
            for t in queries.tasks(request.auth).order_by("due_at")[:limit]]


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **ERRORS}, summary="Nhiệm vụ và các thao tác được phép")
def task(request, task_id: Annotated[int, Field(ge=1, le=2**31)]):
    t = queries.tasks(request.auth).filter(pk=task_id).first()
    if t is None:
        raise NotFound()
    return TaskDetailOut(id=t.pk, directive=t.directive.number, unit=t.unit.name, title=t.title, due_at=_local(t.due_at),
                         state=t.state, status=queries.task_status(t), **actions(TASK, request.auth, t))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="Vụ việc kỷ luật và các thao tác được phép")
def case(request, case_id: Annotated[int, Field(ge=1, le=2**31)]):
    c = queries.cases(request.auth).filter(pk=case_id).first()
    if c is None:
        raise NotFound()
    return CaseOut(id=c.pk, official=c.official.full_name, unit=c.unit.name, state=c.state, step=c.step,
                   step_due_at=_local(c.step_due_at), deadline_on=c.deadline_on, measure=c.measure,
                   **actions(CASE, request.auth, c))


@router.get("/on-time-rate", response={200: list[RateOut], 401: ErrorOut, 422: ErrorOut}, summary="Tỷ lệ nhiệm vụ hoàn thành đúng hạn theo đơn vị")
def on_time_rate(request, start: date, end: date):
    check_period_range(start, end)
    tz = timezone.get_default_timezone()
    a = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    b = timezone.make_aware(datetime.combine(end, datetime.min.time()), tz)
    units = list(visible_units(request.auth).filter(pk__in=queries.tasks(request.auth).values("unit")))
    return [RateOut(unit=r.unit.name, unit_code=r.unit.code, on_time=r.on_time, late=r.late,
                    overdue_open=r.overdue_open, rate=r.rate) for r in queries.on_time_rate(units, a, b)]
