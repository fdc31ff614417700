"""The one scope rule (docs/design.md, rule 4): which units' data an officer may see and act on.

An officer's scope is their unit's subtree, plus every unit whose successor lies in that subtree: a unit
dissolved on 1/7/2025 hands its open dossiers and reports to its successor, and the successor's officers
see *and act on* them — that is what succession is for. Administrators see everything; citizens and
anonymous users see no officer data. The rule has two forms — a `Q` for lists, a predicate for one
object — written side by side here and proven equal by tests/core/test_scoping.py.
"""
from django.db.models import Q

ALL = ""  # the path prefix every unit starts with


def sees_everything(user) -> bool:
    from .models import User

    return bool(user and user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMINISTRATOR))


def scope_root(user, from_unit=None) -> str | None:
    """The path prefix of the user's scope: ALL for administrators, None for no officer scope.

    `from_unit` measures the scope from another unit than the user's own, for a role whose remit is wider
    than its unit (an inspectorate oversees its level: feedback.policy.oversight_unit)."""
    if sees_everything(user):
        return ALL
    if not (user and user.is_authenticated and user.is_officer and user.unit_id):
        return None
    return (from_unit or user.unit).path


def unit_scope_q(user, unit_field: str = "unit", *, from_unit=None) -> Q:
    """The condition "this row's unit is in the user's scope" (`unit_field` = "" for Unit rows)."""
    root = scope_root(user, from_unit)
    if root == ALL:
        return Q()
    if root is None:
        return Q(pk__in=[])
    prefix = f"{unit_field}__" if unit_field else ""
    return Q(**{f"{prefix}path__startswith": root}) | Q(**{f"{prefix}successor__path__startswith": root})


def unit_in_scope(user, unit, *, from_unit=None) -> bool:
    """The same rule for one unit."""
    if unit is None:
        return False
    root = scope_root(user, from_unit)
    if root is None:
        return False
    if root == ALL:
        return True
    return unit.path.startswith(root) or bool(unit.successor_id and unit.successor.path.startswith(root))


def any_unit_in_scope(user, *units) -> bool:
    """In scope if any of the object's units is (a dossier: its deciding or its receiving unit)."""
    return any(unit_in_scope(user, u) for u in units)
