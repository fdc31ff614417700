"""Object permissions (django-rules): the one scope rule of `core.scope`, for one object."""
import rules

from .models import Unit
from .scope import unit_in_scope


def _unit_of(obj):
    if isinstance(obj, Unit):
        return obj
    return getattr(obj, "unit", None)


@rules.predicate
def is_officer(user):
    return bool(user.is_authenticated and user.is_officer)


@rules.predicate
def in_user_subtree(user, obj):
    return obj is not None and unit_in_scope(user, _unit_of(obj))


rules.add_perm("core.view_unit_data", is_officer & in_user_subtree)
