"""Scoped reads. Every officer-side read goes through `visible_to`; the rule itself is `core.scope`."""
from django.db.models import Q, QuerySet

from .models import Unit
from .scope import sees_everything, unit_scope_q  # noqa: F401 — re-exported: the one rule, read here


def visible_to(user, queryset: QuerySet, unit_field: str = "unit") -> QuerySet:
    """Rows of `queryset` the user may see: their unit's subtree (and its predecessors), by role."""
    if queryset.model is Unit:
        unit_field = ""
    return queryset.filter(unit_scope_q(user, unit_field))


def visible_units(user) -> QuerySet:
    return visible_to(user, Unit.objects.all())


def active_units(on_date, queryset=None) -> QuerySet:
    qs = queryset if queryset is not None else Unit.objects.all()
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on_date)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
    )
