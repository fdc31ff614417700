"""Scoped reads of dossiers (design.md rule 4): an officer sees what their unit decides or received."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kycuong.core.calendars import calendar_for
from kycuong.core.queries import unit_scope_q
from kycuong.core.text import fold

from .models import Dossier
from .workflow import CLOCK_STATES, OPEN_STATES, State

CLOCK_FILTERS = ("on_track", "due_soon", "overdue", "paused")


def visible_dossiers(user) -> QuerySet:
    """Dossiers the user may see. Officers: deciding or receiving unit in their subtree. Citizens: their own."""
    qs = Dossier.objects.all()
    if user is not None and user.is_authenticated and not user.is_officer and not user.is_superuser:
        return qs.filter(applicant=user)
    return qs.filter(unit_scope_q(user, "unit") | unit_scope_q(user, "receiving_unit"))


def _one_working_day_ahead(now: datetime) -> datetime:
    """The instant one working day (8 working hours) after `now`: the edge of "due within a working day"."""
    return calendar_for(None).due(now, 8, "working_hours").due


def queue(user, *, mine=False, state=None, procedure=None, clock=None, q="", now=None) -> QuerySet:
    """The officer's work queue, filterable by state, procedure, clock status and code/name (marks ignored).

    Clock filters are index ranges on `due_at`, not per-row computation, so a page stays fast at 1M rows.
    """
    now = now or timezone.now()
    qs = visible_dossiers(user)
    if mine:
        qs = qs.filter(current_step__assignee=user)
    if state:
        qs = qs.filter(state=int(state))
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if clock in CLOCK_FILTERS:
        if clock == "paused":
            qs = qs.filter(state=State.SUPPLEMENT_REQUESTED)
        else:
            qs = qs.filter(state__in=CLOCK_STATES)
            edge = _one_working_day_ahead(now)
            if clock == "overdue":
                qs = qs.filter(due_at__lt=now)
            elif clock == "due_soon":
                qs = qs.filter(due_at__gte=now, due_at__lte=edge)
            else:
                qs = qs.filter(due_at__gt=edge)
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(code__iexact=text) | Q(code__startswith=text.upper()) |
                       Q(applicant_name_folded__contains=fold(text)))
    return qs.select_related("procedure_version", "unit", "current_step").order_by("due_at", "id")


@dataclass(frozen=True)
class Clock:
    status: str        # on_track | due_soon | overdue | paused | ended | not_started
    due: datetime | None
    remaining: timedelta | None


def clock_of(dossier: Dossier, now=None) -> Clock:
    now = now or timezone.now()
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return Clock("paused", dossier.due_at, None)
    if dossier.state not in OPEN_STATES or dossier.state == State.SUBMITTED_ONLINE:
        return Clock("ended" if dossier.state not in OPEN_STATES else "not_started", dossier.due_at, None)
    if dossier.due_at is None:
        return Clock("not_started", None, None)
    cal = calendar_for(dossier.receiving_unit)
    status = cal.status(now, dossier.due_at).value
    remaining = cal.elapsed(now, dossier.due_at) if now <= dossier.due_at else None
    return Clock(status, dossier.due_at, remaining)


def dossier_for(user, code: str) -> Dossier | None:
    return (visible_dossiers(user).select_related("procedure_version", "unit", "receiving_unit", "current_step")
            .filter(code=code).first())


def public_dossier(code: str) -> Dossier | None:
    """Public lookup by code (no scoping: the code is the ticket; personal data is gated by the view)."""
    return (Dossier.objects.select_related("procedure_version", "unit", "receiving_unit")
            .filter(code=(code or "").strip().upper()).first())


def due_for_warning(now: datetime) -> QuerySet:
    """Open dossiers whose appointment falls within the next working day and that were not warned yet."""
    return Dossier.objects.filter(state__in=CLOCK_STATES, warned_at__isnull=True,
                                  due_at__gte=now, due_at__lte=_one_working_day_ahead(now))
