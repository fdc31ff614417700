"""The shared rulebook machinery (core.policy): table checks first, then guards, refusals typed by kind."""
from types import SimpleNamespace

import pytest

from kycuong.core.errors import Conflict, NotFound, NotPermitted
from kycuong.core.policy import Refusal, Rulebook, Transition, conflict, forbid


class Once(Conflict):
    code = "X_ONCE"
    message = "một lần"


def only_once(ctx):
    return Refusal.of(Once) if ctx.obj.count else None


def owner_only(ctx):
    return None if ctx.user.name == ctx.obj.owner else forbid("X_NOT_OWNER", "không phải chủ")


BOOK = Rulebook(
    "x",
    {"open": Transition(frozenset({"new"}), "open", frozenset({"officer"}), "Điều 1", "Mở", (only_once,)),
     "close": Transition(frozenset({"open"}), "closed", frozenset({"officer"}), "Điều 2", "Đóng", (owner_only,))},
    state_of=lambda o: o.state,
    actor_of=lambda u, o: u.kind,
    in_scope=lambda u, o: u.unit == o.unit,
)
officer = SimpleNamespace(kind="officer", name="an", unit=1)
citizen = SimpleNamespace(kind="citizen", name="an", unit=1)


def obj(**kw):
    return SimpleNamespace(**{"state": "new", "count": 0, "owner": "an", "unit": 1, **kw})


def test_allowed_follows_the_table_and_the_guards():
    assert BOOK.allowed(officer, obj()) == ["open"]
    assert BOOK.allowed(officer, obj(count=1)) == []
    assert BOOK.allowed(officer, obj(state="open")) == ["close"]
    assert BOOK.allowed(officer, obj(state="open", owner="binh")) == []


def test_every_refusal_says_why_with_a_stable_code():
    by_action = {d.action: d for d in BOOK.decisions(citizen, obj())}
    assert by_action["open"].refusal.code == "X_NOT_PERMITTED" and by_action["open"].refusal.forbidden
    assert by_action["close"].refusal.code == "X_NOT_PERMITTED"  # the actor check comes before the state
    refused = BOOK.decide(officer, obj(), "close")
    assert refused.refusal.code == "X_TRANSITION_NOT_ALLOWED" and not refused.refusal.forbidden
    assert BOOK.decide(officer, obj(count=1), "open").as_dict()["code"] == "X_ONCE"


def test_require_raises_403_for_who_and_409_for_when():
    with pytest.raises(NotPermitted) as who:
        BOOK.require(officer, obj(state="open", owner="binh"), "close")
    assert who.value.status == 403 and who.value.code == "X_NOT_OWNER"
    assert not isinstance(who.value, Conflict)
    with pytest.raises(Once) as when:
        BOOK.require(officer, obj(count=1), "open")
    assert when.value.status == 409
    with pytest.raises(Conflict) as state:
        BOOK.require(officer, obj(state="closed"), "close")
    assert state.value.code == "X_TRANSITION_NOT_ALLOWED"
    assert BOOK.require(officer, obj(), "open").target == "open"


def test_out_of_scope_objects_are_not_found_and_offer_nothing():
    outsider = SimpleNamespace(kind="officer", name="an", unit=2)
    assert BOOK.decisions(outsider, obj()) == []
    with pytest.raises(NotFound):
        BOOK.require(outsider, obj(), "open")


def test_the_table_reads_as_rows_with_their_basis():
    rows = {r["action"]: r for r in BOOK.table()}
    assert rows["open"]["basis"] == "Điều 1" and rows["open"]["guards"] == ["only_once"]
    assert conflict("A", "b").as_dict() == {"code": "A", "reason": "b"}
