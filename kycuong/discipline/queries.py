"""Scoped reads (docs/design.md rule 4). Overseers (leaders, inspectors, city leadership) see their unit subtree
through `core.queries.visible_to`; anyone else sees only their own records (their `Official`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kycuong.core.models import Official, Unit
from kycuong.core.queries import visible_to
from kycuong.core.text import fold

from .access import is_organiser, is_overseer
from .models import Admonition, Case, CaseProposal, ConductRecord, Directive, Invitation, Letter, Meeting, Task


def _own(user, qs, field="official"):
    if not (user and user.is_authenticated):
        return qs.none()
    return qs.filter(**{f"{field}__user": user})


def _scoped(user, qs, field="official"):
    return visible_to(user, qs) if is_overseer(user) else _own(user, qs, field)


def visible_officials(user, q: str = "") -> QuerySet:
    qs = visible_to(user, Official.objects.select_related("unit")) if is_overseer(user) else \
        Official.objects.filter(user=user) if user.is_authenticated else Official.objects.none()
    if q:
        qs = qs.filter(full_name_folded__contains=fold(q))
    return qs


def conduct_records(user) -> QuerySet:
    return _scoped(user, ConductRecord.objects.select_related("official", "unit", "rule"))


def admonitions(user) -> QuerySet:
    return _scoped(user, Admonition.objects.select_related("official", "unit", "letter"))


def cases(user) -> QuerySet:
    return _scoped(user, Case.objects.select_related("official", "unit"))


def proposals(user) -> QuerySet:
    return _scoped(user, CaseProposal.objects.select_related("official", "unit"))


def meetings(user) -> QuerySet:
    """Organisers: meetings their subtree holds; anyone: meetings they are invited to (or delegated to)."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    invited = Q(pk__in=Invitation.objects.filter(Q(official__user=user) | Q(delegate__user=user)).values("meeting"))
    if is_organiser(user):
        invited |= Q(pk__in=visible_to(user, Meeting.objects.all()).values("pk"))
    return Meeting.objects.filter(invited).select_related("unit", "chair")


def letters(user) -> QuerySet:
    return visible_to(user, Letter.objects.select_related("meeting", "unit")) if is_organiser(user) else Letter.objects.none()


def directives(user) -> QuerySet:
    if not (user.is_authenticated and (user.is_officer or user.is_superuser)):
        return Directive.objects.none()
    return Directive.objects.filter(Q(pk__in=visible_to(user, Directive.objects.all()).values("pk")) |
                                    Q(tasks__in=visible_to(user, Task.objects.all()))).distinct()


def tasks(user) -> QuerySet:
    """Tasks assigned to a unit of the officer's subtree, or issued by one."""
    if not (user.is_authenticated and (user.is_officer or user.is_superuser)):
        return Task.objects.none()
    own = visible_to(user, Task.objects.all()).values("pk")
    issued = visible_to(user, Task.objects.all(), unit_field="directive__unit").values("pk")
    return Task.objects.filter(Q(pk__in=own) | Q(pk__in=issued)).select_related("directive", "unit")


def official_history(user, official: Official) -> dict | None:
    """Everything on one official, for the conduct history page; None outside the user's scope."""
    if not visible_officials(user).filter(pk=official.pk).exists():
        return None
    return {
        "records": conduct_records(user).filter(official=official),
        "admonitions": admonitions(user).filter(official=official),
        "cases": cases(user).filter(official=official),
        "invitations": Invitation.objects.filter(Q(official=official) | Q(delegate=official))
        .exclude(final_state="").select_related("meeting").order_by("-meeting__starts_at"),
    }


# --- tasks: status and on-time rate ------------------------------------------------------------------------

ON_TIME, LATE, OVERDUE_OPEN, OPEN = "on_time", "late", "overdue_open", "open"


def task_status(task: Task, now: datetime | None = None) -> str:
    """on_time — accepted, its accepted report submitted by the deadline; late — accepted, submitted after
    it; overdue_open — not accepted and the deadline has passed; open — not accepted, deadline ahead."""
    now = now or timezone.now()
    if task.state == Task.State.ACCEPTED:
        return ON_TIME if task.done_at <= task.due_at else LATE
    return OVERDUE_OPEN if now > task.due_at else OPEN


@dataclass(frozen=True)
class Rate:
    unit: Unit
    on_time: int
    late: int
    overdue_open: int

    @property
    def counted(self):
        return self.on_time + self.late + self.overdue_open

    @property
    def rate(self):
        return None if not self.counted else self.on_time / self.counted


def counted_tasks(start: datetime, end: datetime, now: datetime) -> QuerySet:
    """The tasks an on-time rate counts: deadline in [start, end) and already past at `now` (one rule for the
    rate and for the scoreboard's list of the tasks behind it)."""
    return Task.objects.filter(due_at__gte=start, due_at__lt=min(end, now))


def on_time_sql() -> Q:
    """`task_status(task) == ON_TIME` as a filter, for the tasks `counted_tasks` selects (all already past their
    deadline, so a task not accepted is overdue_open): accepted with its report submitted by the deadline."""
    return Q(state=Task.State.ACCEPTED, done_at__lte=F("due_at"))


def on_time_rate(units, start: datetime, end: datetime, now: datetime | None = None) -> list[Rate]:
    """Per-unit task on-time rate over the tasks whose deadline falls in [start, end) and is already past.

        rate = on_time / (on_time + late + overdue_open)

    on_time: accepted with the report submitted by the deadline; late: accepted after it; overdue_open:
    deadline passed and not accepted (counted against the unit — open overdue work is never left out).
    Tasks whose deadline is still ahead are not counted. A unit with no counted task has rate None.
    Each unit counts the tasks assigned to it exactly (not its subtree)."""
    now = now or timezone.now()
    rows = {u.pk: [0, 0, 0] for u in units}
    for task in counted_tasks(start, end, now).filter(unit_id__in=rows).only("unit_id", "state", "due_at", "done_at"):
        status = task_status(task, now)
        rows[task.unit_id][{ON_TIME: 0, LATE: 1, OVERDUE_OPEN: 2}[status]] += 1
    return [Rate(u, *rows[u.pk]) for u in units]
