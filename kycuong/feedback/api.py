"""REST API of the feedback app (officers), mounted at /api/v1/feedback: the scoped queue, one report,
and actions. Reads through `queries`, writes through `services`; domain errors map to 4xx (kycuong.api).
Open311 GeoReport v2 (for citizens' apps) lives apart, at /open311/v2/.
"""
from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kycuong.core.idempotency import idempotent
from kycuong.core.tokens import api_auth
from kycuong.onestop.api import ErrorOut

from . import queries, services
from .errors import ReportNotFound
from .models import Kind
from .policy import action_view
from .workflow import State

router = Router(tags=["feedback"], auth=api_auth)


class RefusedOut(Schema):
    action: str
    label: str
    code: str
    reason: str


class ReportOut(Schema):
    code: str
    kind: str
    channel: str
    state: str
    title: str
    text: str
    responsible_unit: str
    suggested_unit: str | None
    submitted_at: datetime
    clock_start_at: datetime
    refuse_due_at: datetime
    info_due_at: datetime
    handle_due_at: datetime
    publish_due_at: datetime | None
    overdue: list[str]
    repeat_of: str | None
    conclusion: str
    version: int
    actions: list[str]  # = allowed_actions (kept for existing clients)
    allowed_actions: list[str]
    refused_actions: list[RefusedOut]


class QueueIn(Schema):
    state: str = ""
    kind: str = ""
    q: Annotated[str, Field(max_length=100)] = ""
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0  # unbounded: a 64-bit overflow in SQL (issue 18)


class ActionIn(Schema):
    action: Annotated[str, Field(max_length=40)]
    expected_version: int | None = None
    unit: Annotated[str, Field(max_length=35)] = ""
    reason: Annotated[str, Field(max_length=4000)] = ""
    message: Annotated[str, Field(max_length=4000)] = ""
    text: Annotated[str, Field(max_length=4000)] = ""
    verifier: int | None = None
    findings: Annotated[str, Field(max_length=8000)] = ""
    conclusion: str = ""
    answer: Annotated[str, Field(max_length=4000)] = ""


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PARAMS = {"confirm_unit": ("unit", "reason"), "transfer": ("unit", "reason"), "refuse": ("reason",),
          "request_info": ("message",), "provide_info": ("text",), "assign_verifier": ("verifier",),
          "record_findings": ("findings",), "conclude": ("conclusion", "findings"), "answer": ("answer",),
          "publish": ()}


def _out(report, user):
    view = action_view(user, report)  # what the policy says this user may do now, and why not the rest
    return {
        "code": report.code, "kind": report.kind, "channel": report.channel, "state": report.state,
        "title": report.title, "text": report.text, "responsible_unit": report.responsible_unit.code,
        "suggested_unit": report.suggested_unit.code if report.suggested_unit_id else None,
        "submitted_at": timezone.localtime(report.submitted_at), "clock_start_at": timezone.localtime(report.clock_start_at),
        "refuse_due_at": timezone.localtime(report.refuse_due_at), "info_due_at": timezone.localtime(report.info_due_at),
        "handle_due_at": timezone.localtime(report.handle_due_at),
        "publish_due_at": timezone.localtime(report.publish_due_at) if report.publish_due_at else None,
        "overdue": list(report.overdue), "repeat_of": report.repeat_of.code if report.repeat_of_id else None,
        "conclusion": report.conclusion, "version": report.version,
        **view, "actions": view["allowed_actions"],
    }


@router.get("/reports", response={200: list[ReportOut], 401: ErrorOut, 422: ErrorOut}, summary="Phản ánh trong phạm vi của cán bộ")
def list_reports(request, filters: Query[QueueIn]):
    qs = queries.queue(request.auth, state=filters.state if filters.state in State.values or filters.state == "open"
                       else "", kind=filters.kind if filters.kind in Kind.values else "", q=filters.q)
    qs = qs.select_related("suggested_unit", "repeat_of")
    return [_out(r, request.auth) for r in qs[filters.offset: filters.offset + filters.limit]]


@router.get("/reports/{code}", response={200: ReportOut, **ERRORS}, summary="Một phản ánh")
def get_report(request, code: str):
    report = queries.report_for(request.auth, code)
    if report is None:
        raise ReportNotFound()
    return _out(report, request.auth)


@router.post("/reports/{code}/actions", response={200: ReportOut, **ERRORS}, summary="Thực hiện một thao tác")
@idempotent
def act(request, code: str, body: ActionIn):
    params = {name: getattr(body, name) for name in PARAMS.get(body.action, ())}
    services.act(code.strip().upper(), body.action, request.auth, expected_version=body.expected_version, **params)
    # After a transfer the report may have left the officer's scope: answer with what they just did.
    report = queries.report_for(request.auth, code) or queries.public_report(code)
    return _out(report, request.auth)
