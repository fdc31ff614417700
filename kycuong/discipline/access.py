"""The role predicates of the discipline app (django-rules; the scope rule is core's). They are building
blocks: whether an action is allowed now is decided only by `policy/`, which uses these role sets.

* overseers — unit leaders, inspectors, city leadership, administrators: see and act on their unit subtree;
* organisers — overseers and clerks (the meeting secretary): create meetings, take attendance, draft letters;
* everyone else with an `Official` record sees only their own records.
"""
import rules

from kycuong.core.models import User
from kycuong.core.queries import sees_everything
from kycuong.core.rules import in_user_subtree

OVERSEER_ROLES = frozenset({User.Role.UNIT_LEADER, User.Role.INSPECTOR, User.Role.CITY_LEADERSHIP,
                            User.Role.ADMINISTRATOR})
ORGANISER_ROLES = OVERSEER_ROLES | {User.Role.CLERK}


@rules.predicate
def is_overseer(user):
    return bool(user and user.is_authenticated and (sees_everything(user) or user.role in OVERSEER_ROLES))


@rules.predicate
def is_organiser(user):
    return bool(user and user.is_authenticated and (sees_everything(user) or user.role in ORGANISER_ROLES))


@rules.predicate
def is_inspector(user):
    return bool(user and user.is_authenticated and (sees_everything(user) or user.role == User.Role.INSPECTOR))


@rules.predicate
def is_own(user, obj):
    official = getattr(obj, "official", obj)
    return bool(official is not None and getattr(official, "user_id", None) and official.user_id == user.pk)


rules.add_perm("discipline.view_record", (is_overseer & in_user_subtree) | is_own)
rules.add_perm("discipline.organise", is_organiser & in_user_subtree)  # reads: invitees' codes, letters


def can(user, perm, obj=None) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(f"discipline.{perm}", obj))
