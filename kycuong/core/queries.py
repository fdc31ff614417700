"""Scoped reads. Every officer-side read goes through `visible_to` (design.md, rule 4)."""
from django.db.models import Q, QuerySet

from .models import Unit, User

ALL_SEEING_ROLES = frozenset({User.Role.ADMINISTRATOR})


def sees_everything(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in ALL_SEEING_ROLES))


def unit_scope_q(user, unit_field: str = "unit") -> Q:
    """The condition "this row belongs to the user's unit subtree".

    A unit dissolved on 1/7/2025 stays visible to whoever sees its successor, so historical
    dossiers follow the work they handed over.
    """
    prefix = f"{unit_field}__" if unit_field else ""
    if sees_everything(user):
        return Q()
    if not (user and user.is_authenticated and user.is_officer and user.unit_id):
        return Q(pk__in=[])
    root_path = user.unit.path
    return Q(**{f"{prefix}path__startswith": root_path}) | Q(**{f"{prefix}successor__path__startswith": root_path})


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
