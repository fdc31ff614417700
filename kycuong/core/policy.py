"""The shared machinery of the per-app rulebooks (docs/design.md, "One place decides").

Each domain app's `policy.py` declares its state table as data — `Transition`s, each citing its legal
basis — and the guards that refine it (once-only rules, time windows, step roles, separation of duties).
`Rulebook.decide` answers, for a user, an object and an instant, whether one action is allowed and, when it
is not, why: a `Refusal` with a stable code and a Vietnamese reason. `Rulebook.decisions` answers for every
action at once.

Services call `Rulebook.require` before every write and raise the refusal's error; the API's
`allowed_actions`, the page's buttons and the documents only call `allowed`/`decisions`. Nothing else
decides whether an action is allowed.

Two kinds of refusal, two statuses: *who* (actor kind, role, scope, separation of duties) is "forbidden",
HTTP 403 (`errors.NotPermitted`); *when* (state, once-only, time window, order of steps) is a "conflict",
HTTP 409 (`errors.Conflict`). A forbidden action is never a subclass of the conflict.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, DomainError, NotFound, NotPermitted

FORBIDDEN = "forbidden"
CONFLICT = "conflict"


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: a stable code, a Vietnamese reason (lazy), its kind and optional details.

    `error_class`, when given, is the app's exception to raise (kept so callers can catch a specific one,
    e.g. `SecondApology`); otherwise the kind picks `NotPermitted` (403) or `Conflict` (409)."""
    code: str
    reason: Any
    kind: str = CONFLICT
    details: dict = field(default_factory=dict, compare=False, hash=False)
    error_class: type[DomainError] | None = field(default=None, compare=False, hash=False)

    @classmethod
    def of(cls, error_class: type[DomainError], reason=None, **details) -> "Refusal":
        """The refusal an existing exception class stands for (same code, message and status)."""
        kind = FORBIDDEN if error_class.status == 403 else CONFLICT
        return cls(error_class.code, reason if reason is not None else error_class.message, kind, details,
                   error_class)

    @property
    def forbidden(self) -> bool:
        return self.kind == FORBIDDEN

    def error(self) -> DomainError:
        cls = self.error_class or (NotPermitted if self.forbidden else Conflict)
        return cls(self.reason, code=self.code, details=self.details or None)

    def as_dict(self) -> dict:
        return {"code": self.code, "reason": str(self.reason)}


def forbid(code: str, reason, **details) -> Refusal:
    return Refusal(code, reason, FORBIDDEN, details)


def conflict(code: str, reason, **details) -> Refusal:
    return Refusal(code, reason, CONFLICT, details)


@dataclass
class Context:
    """What a guard sees. `cache` is shared by the guards of one `decisions` call, for reads several need."""
    user: Any
    obj: Any
    at: datetime
    action: str
    transition: "Transition"
    actor: str
    params: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


Guard = Callable[[Context], "Refusal | None"]


@dataclass(frozen=True)
class Transition:
    """One line of a state table: the states it leaves, the state it reaches (None = stays), the actor
    kinds that may take it, its legal basis (cited to docs/legal/), its label and its guards."""
    sources: frozenset
    target: Any
    actors: frozenset
    basis: str
    label: Any
    guards: tuple = ()


@dataclass(frozen=True)
class Decision:
    action: str
    transition: Transition
    refusal: Refusal | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def label(self):
        return self.transition.label

    def as_dict(self) -> dict:
        body = {"action": self.action, "label": str(self.label), "allowed": self.allowed}
        if self.refusal is not None:
            body.update(self.refusal.as_dict())
        return body


class Rulebook:
    """A state table with its guards, and the one function that decides.

    - `state_of(obj)` gives the object's state;
    - `actor_of(user, obj)` gives the actor kind ("citizen", "officer", "inspector", "system"…);
    - `in_scope(user, obj)` says whether the user may see the object at all (out of scope: `decisions` is
      empty and `require` raises `not_found`, so an outsider never learns that the object exists);
    - `refuse_actor(ctx)` / `refuse_state(ctx)` build the app's refusals for the two table checks;
    - `guards` run before every transition's own guards (e.g. a rule common to all actions).
    """

    def __init__(self, name: str, transitions: dict[str, Transition], *, state_of: Callable[[Any], Any],
                 actor_of: Callable[[Any, Any], str], in_scope: Callable[[Any, Any], bool] | None = None,
                 not_found: type[DomainError] = NotFound, refuse_actor: Guard | None = None,
                 refuse_state: Guard | None = None, guards: Iterable[Guard] = ()):
        self.name = name
        self.transitions = transitions
        self.state_of = state_of
        self.actor_of = actor_of
        self.in_scope = in_scope or (lambda user, obj: True)
        self.not_found = not_found
        self.refuse_actor = refuse_actor or (lambda ctx: forbid(
            f"{name.upper()}_NOT_PERMITTED", _("Bạn không có quyền thực hiện thao tác này.")))
        self.refuse_state = refuse_state or (lambda ctx: conflict(
            f"{name.upper()}_TRANSITION_NOT_ALLOWED",
            _("Thao tác này không thực hiện được ở trạng thái hiện tại."),
            action=ctx.action, state=_plain(self.state_of(ctx.obj))))
        self.guards = tuple(guards)

    # --- deciding ---------------------------------------------------------------------------------

    def decide(self, user, obj, action: str, at: datetime | None = None, *, params: dict | None = None,
               cache: dict | None = None) -> Decision:
        """May `user` take `action` on `obj` at `at`? Scope is not checked here (see `require`)."""
        transition = self.transitions[action]
        ctx = Context(user=user, obj=obj, at=at or timezone.now(), action=action, transition=transition,
                      actor=self.actor_of(user, obj), params=params or {}, cache=cache if cache is not None else {})
        if ctx.actor not in transition.actors:
            return Decision(action, transition, self.refuse_actor(ctx))
        if self.state_of(obj) not in transition.sources:
            return Decision(action, transition, self.refuse_state(ctx))
        for guard in self.guards + tuple(transition.guards):
            refusal = guard(ctx)
            if refusal is not None:
                return Decision(action, transition, refusal)
        return Decision(action, transition)

    def decisions(self, user, obj, at: datetime | None = None) -> list[Decision]:
        """Every action of the table for this user, object and instant: allowed, or refused with why.

        Empty when the object is outside the user's scope."""
        if not self.in_scope(user, obj):
            return []
        at = at or timezone.now()
        cache: dict = {}
        return [self.decide(user, obj, name, at, cache=cache) for name in self.transitions]

    def allowed(self, user, obj, at: datetime | None = None) -> list[str]:
        """The names of the actions this user may take on this object now (the buttons, `allowed_actions`)."""
        return [d.action for d in self.decisions(user, obj, at) if d.allowed]

    def require(self, user, obj, action: str, at: datetime | None = None, *, params: dict | None = None,
                check_scope: bool = True) -> Transition:
        """The services' gate: raise the refusal's error unless the action is allowed; return the transition."""
        if action not in self.transitions:
            raise Conflict(_("Thao tác không tồn tại."), code=f"{self.name.upper()}_UNKNOWN_ACTION",
                           details={"action": action})
        if check_scope and not self.in_scope(user, obj):
            raise self.not_found()
        decision = self.decide(user, obj, action, at, params=params)
        if decision.refusal is not None:
            raise decision.refusal.error()
        return decision.transition

    # --- reading the table ------------------------------------------------------------------------

    def table(self) -> list[dict]:
        """The state table as rows (for docs and the admin): action, sources, target, actors, basis."""
        return [{"action": name, "sources": sorted(_plain(s) for s in t.sources), "target": _plain(t.target),
                 "actors": sorted(t.actors), "basis": t.basis, "label": str(t.label),
                 "guards": [getattr(g, "__name__", repr(g)) for g in t.guards]}
                for name, t in self.transitions.items()]


def _plain(value):
    return getattr(value, "value", value)
