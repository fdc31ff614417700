"""What the discipline rulebooks share: who the actor is, the one scope rule as a guard, the app's refusals.

Actor kinds come from the user's role (the role sets of `access.py`); *where* they may act is core's one
scope rule (`core.scope.unit_in_scope`, successor units included), written here as guards.
"""
from __future__ import annotations

from django.utils import timezone

from kycuong.core.models import Official, User
from kycuong.core.policy import Refusal, Rulebook, Transition
from kycuong.core.scope import sees_everything, unit_in_scope

from ..errors import DisciplineNotFound, NotPermitted, OwnCase, WrongState

SYSTEM = "system"        # signals, periodic jobs, a service's follow-on writes: no user
ATTENDEE = "attendee"    # whoever holds an invitation's signed code (the QR): no sign-in
ADMIN = "admin"
INSPECTOR = "inspector"
LEADER = "leader"        # unit leaders and city leadership
CLERK = "clerk"          # the meeting secretary
OFFICER = "officer"      # every other officer (specialists, one-stop officers)
CITIZEN = "citizen"
ANONYMOUS = "anonymous"

OVERSEERS = frozenset({ADMIN, INSPECTOR, LEADER})        # access.OVERSEER_ROLES
ORGANISERS = OVERSEERS | {CLERK}                         # access.ORGANISER_ROLES
CASE_HANDLERS = frozenset({ADMIN, INSPECTOR})            # access "handle_case"
OFFICERS = ORGANISERS | {OFFICER}

_ROLE_KIND = {User.Role.INSPECTOR: INSPECTOR, User.Role.UNIT_LEADER: LEADER, User.Role.CITY_LEADERSHIP: LEADER,
              User.Role.CLERK: CLERK}


def actor_kind(user) -> str:
    if user is None:
        return SYSTEM
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if sees_everything(user):
        return ADMIN
    if not user.is_officer:
        return CITIZEN
    return _ROLE_KIND.get(user.role, OFFICER)


def local_date(ctx):
    return ctx.params.get("on") or timezone.localdate(ctx.at)


def in_scope_of(unit_of, name: str):
    """Guard: the signed-in actor's scope covers `unit_of(obj)` (403 otherwise). The system and the holder
    of a signed code are not scoped: the caller, or the code, already names the object."""
    def guard(ctx):
        if ctx.actor in (SYSTEM, ATTENDEE) or unit_in_scope(ctx.user, unit_of(ctx.obj)):
            return None
        return Refusal.of(NotPermitted)
    guard.__name__ = name
    return guard


def own_officials(ctx) -> set:
    """The `Official` records of the acting user (usually one)."""
    if ctx.user is None or not getattr(ctx.user, "is_authenticated", False):
        return set()
    return ctx.memo("own_officials", lambda: set(Official.objects.filter(user=ctx.user).values_list("pk", flat=True)))


def relatives_of(official_id) -> set:
    """Ids of the relatives on record of an official (NĐ 172/2025 Đ.2 k.11), both directions."""
    from ..models import Relation

    return set(Relation.objects.filter(official_id=official_id).values_list("relative_id", flat=True)) | set(
        Relation.objects.filter(relative_id=official_id).values_list("official_id", flat=True))


def not_a_party(official_of, name: str):
    """Guard (separation of duties): the official under discipline, or a relative of theirs, may not handle
    the matter (NĐ 172/2025 Đ.2 k.11 bars relatives from the council and from chairing the review)."""
    def guard(ctx):
        mine = own_officials(ctx)
        if not mine:
            return None
        subject = official_of(ctx.obj)
        if subject is None:
            return None
        if subject.pk in mine or mine & ctx.memo(f"relatives:{subject.pk}", lambda: relatives_of(subject.pk)):
            return Refusal.of(OwnCase)
        return None
    guard.__name__ = name
    return guard


def book(name: str, transitions, *, state_of, in_scope, actor_of=None, guards=(), state_reasons=None) -> Rulebook:
    """A rulebook raising the app's errors: 403 `NotPermitted`, 409 `WrongState`, 404 `DisciplineNotFound`.
    `state_reasons` words the refusal for a state where nothing more may happen (e.g. a closed meeting)."""
    state_reasons = state_reasons or {}
    return Rulebook(
        name, transitions, state_of=state_of, actor_of=actor_of or (lambda user, obj: actor_kind(user)),
        in_scope=in_scope, not_found=DisciplineNotFound, guards=guards,
        refuse_actor=lambda ctx: Refusal.of(NotPermitted),
        refuse_state=lambda ctx: Refusal.of(WrongState, state_reasons.get(state_of(ctx.obj)), action=ctx.action,
                                            state=str(state_of(ctx.obj))))


def T(sources, target, actors, basis: str, label, *guards) -> Transition:
    """One line of a state table (a shorter spelling of `core.policy.Transition`)."""
    return Transition(frozenset(sources), target, frozenset(actors), basis, label, tuple(guards))
