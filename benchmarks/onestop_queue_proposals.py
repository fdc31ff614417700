"""EXPERIMENT, not shipped code: the queue changes proposed in docs/performance.md ("One-stop shop"),
monkeypatched so ``benchmarks/onestop_queue.py --compare`` measures them next to the real
``queries.queue`` on the same database. The real change belongs in kycuong/onestop/queries.py (and
kycuong/core/queries.py if every app should scope this way) — their owners'.

Q1  scope by unit ids, not by joins: the officer's subtree (and the units it succeeded) is read from
    ``core_unit`` first (≤ a few hundred ids), then ``unit_id IN (…) OR receiving_unit_id IN (…)``;
    an officer whose subtree is the whole tree (city level) gets no condition at all. Today's
    ``unit_scope_q`` joins ``core_unit`` four times (deciding unit, its successor, receiving unit, its
    successor) with ``path LIKE`` ORed across them, which PostgreSQL can only evaluate row by row
    against a 189 × 189 cross product of units.
Q2  search by code with ``code LIKE 'TEXT%'`` on the upper-cased text only (codes are stored upper
    case, so this also covers equality, and the existing ``varchar_pattern_ops`` index serves it);
    today's ``code__iexact`` is ``UPPER(code) = UPPER(%s)``, which no index serves, so every search
    scans the table.
"""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

_saved: dict = {}


def scope_unit_ids(user):
    """None: no restriction (everything); otherwise the list of unit ids the user's scope covers."""
    from kycuong.core.models import Unit
    from kycuong.core.queries import sees_everything

    if sees_everything(user):
        return None
    if not (user and user.is_authenticated and user.is_officer and user.unit_id):
        return []
    root = user.unit.path
    in_scope = Q(path__startswith=root) | Q(successor__path__startswith=root)
    ids = list(Unit.objects.filter(in_scope).values_list("pk", flat=True))
    if Unit.objects.aggregate(n=Count("pk"))["n"] == len(ids):
        return None
    return ids


def visible_dossiers(user) -> QuerySet:  # Q1
    from kycuong.onestop.models import Dossier

    qs = Dossier.objects.all()
    if user is not None and user.is_authenticated and not user.is_officer and not user.is_superuser:
        return qs.filter(applicant=user)
    ids = scope_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(unit_id__in=ids) | Q(receiving_unit_id__in=ids))


def queue(user, *, mine=False, state=None, procedure=None, clock=None, q="", now=None) -> QuerySet:  # Q1 + Q2
    from kycuong.core.text import fold
    from kycuong.onestop import queries
    from kycuong.onestop.workflow import CLOCK_STATES, State

    now = now or timezone.now()
    qs = visible_dossiers(user)
    if mine:
        qs = qs.filter(current_step__assignee=user)
    if state:
        qs = qs.filter(state=int(state))
    if procedure:
        qs = qs.filter(procedure__code=procedure)
    if clock in queries.CLOCK_FILTERS:
        if clock == "paused":
            qs = qs.filter(state=State.SUPPLEMENT_REQUESTED)
        else:
            qs = qs.filter(state__in=CLOCK_STATES)
            edge = queries._one_working_day_ahead(now)
            if clock == "overdue":
                qs = qs.filter(due_at__lt=now)
            elif clock == "due_soon":
                qs = qs.filter(due_at__gte=now, due_at__lte=edge)
            else:
                qs = qs.filter(due_at__gt=edge)
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(code__startswith=text.upper()) | Q(applicant_name_folded__contains=fold(text)))
    return qs.select_related("procedure_version", "unit", "current_step").order_by("due_at", "id")


def apply():
    from kycuong.onestop import queries

    if not _saved:
        _saved.update(visible_dossiers=queries.visible_dossiers, queue=queries.queue)
        queries.visible_dossiers = visible_dossiers
        queries.queue = queue


def restore():
    from kycuong.onestop import queries

    if _saved:
        queries.visible_dossiers = _saved.pop("visible_dossiers")
        queries.queue = _saved.pop("queue")
