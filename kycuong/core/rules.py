"""Object permissions (django-rules): the same subtree rule as queries.visible_to, for one object."""
import rules

from .models import Unit
from .queries import sees_everything


def _unit_of(obj):
    if isinstance(obj, Unit):
        return obj
    return getattr(obj, "unit", None)


@rules.predicate
def is_officer(user):
    return bool(user.is_authenticated and user.is_officer)


@rules.predicate
def in_user_subtree(user, obj):
    if obj is None:
        return False
    if sees_everything(user):
        return True
    unit = _unit_of(obj)
    if unit is None or not (user.is_authenticated and user.is_officer and user.unit_id):
        return False
    root = user.unit.path
    return unit.path.startswith(root) or bool(unit.successor_id and unit.successor.path.startswith(root))


rules.add_perm("core.view_unit_data", is_officer & in_user_subtree)
