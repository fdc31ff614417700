"""The public lookup's per-code answer cache (onestop/lookup_cache.py): every write that changes what the
lookup shows makes the cached answer stale, personal data never comes from it, and the rate limit and
the phone-last-4 gate still apply to cached answers. (tests/onestop/conftest.py empties it per test.)"""
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
import pytest

from kycuong.onestop import lookup_cache, services
from kycuong.onestop.services import act

from .conftest import hn

BASE = "/api/v1/lookup"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 1000  # the rate limit has its own test below
    cache.clear()
    yield
    cache.clear()


def lookup(client, code, **params):
    r = client.get(f"{BASE}/{code}", params)
    assert r.status_code == 200, r.content
    return r.json()


def fresh(client, settings, code):
    """The answer straight from the database (cache emptied)."""
    lookup_cache.clear()
    return lookup(client, code)


def test_a_cached_answer_costs_one_indexed_read(client, receive, django_assert_num_queries):
    d = receive()
    first = lookup(client, d.code)
    with django_assert_num_queries(1):
        assert lookup(client, d.code) == first


def test_every_transition_makes_the_cached_answer_stale(client, settings, receive, people):
    """Every state of docs/legal/one-stop.md §2.1 the lookup can show: after each service write the next lookup equals
    a fresh answer from the database."""
    counter, specialist, leader, clerk = people["counter"], people["specialist"], people["leader"], people["clerk"]
    at = hn(2026, 3, 2, 9)
    d = receive(at=at)
    steps = [  # each internal step by its own people (onestop.policy)
        ("request_supplement", counter, {"reason": "Thiếu bản sao"}),
        ("complete_supplement", counter, {}),
        ("start_processing", counter, {"assignee_id": specialist.pk}),
        ("handover", specialist, {"assignee_id": leader.pk}),
        ("apologize", specialist, {"reason": "Cần xác minh thêm", "new_due": hn(2026, 3, 25, 9)}),
        ("request_payment", specialist, {"amount_vnd": 50_000}),
        ("confirm_payment", counter, {}),
        ("handover", leader, {"assignee_id": clerk.pk}),
        ("finish", clerk, {}),
        ("return_result", counter, {}),
    ]
    seen = [lookup(client, d.code)]
    for i, (action, user, params) in enumerate(steps, 1):
        assert lookup(client, d.code) == seen[-1]  # cached
        act(d.code, action, user, at=at + timedelta(hours=i), **params)
        now = lookup(client, d.code)
        assert now == fresh(client, settings, d.code), action
        assert now != seen[-1], action
        seen.append(now)
    assert seen[-1]["state"]["code"] == 10


@pytest.mark.parametrize("action", ["withdraw", "stop", "refuse"])
def test_ending_a_dossier_makes_the_cached_answer_stale(client, settings, receive, people, action):
    if action == "refuse":
        d = services.submit_online(None, procedure_code="HN-DEMO-CC01", deciding_unit=people["specialist"].unit,
                                   applicant=services.Applicant(name="Hoàng Thị Mai"), at=hn(2026, 3, 2, 9))
    else:
        d = receive()
    before = lookup(client, d.code)
    act(d.code, action, people["specialist"], at=hn(2026, 3, 3, 9), reason="Lý do")
    after = lookup(client, d.code)
    assert after == fresh(client, settings, d.code) and after["state"] != before["state"]


def test_an_answer_built_before_a_write_is_never_served_after_it(receive, people):
    """The race a delete-on-commit has: a reader that read the old row stores its answer after the delete.
    Here the answer is tied to the stamp read before it was built."""
    d = receive()
    old = lookup_cache.stamp(d.code)  # a reader reads the stamp…
    act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10), assignee_id=people["specialist"].pk)
    lookup_cache.put(d.code, "vi", old, 1e12, b"old answer")  # …and stores after the write committed
    assert lookup_cache.get(d.code, "vi", lookup_cache.stamp(d.code)) is None


def test_personal_data_is_never_cached_nor_served_without_proof(client, receive):
    d = receive()
    proved = lookup(client, d.code, phone_last4="5678")
    assert proved["personal"]["applicant_name"] == "Hoàng Thị Mai"
    stored = lookup_cache._entries[(d.code, "vi")][2]
    assert "Hoàng Thị Mai".encode() not in stored and b"5678" not in stored
    anonymous = lookup(client, d.code)
    assert anonymous["verified"] is False and anonymous["personal"] is None
    wrong = lookup(client, d.code, phone_last4="1234")
    assert wrong["verified"] is False and wrong["personal"] is None
    assert lookup(client, d.code, phone_last4="5678") == proved  # proof works on a warm cache too


def test_cached_answers_are_still_rate_limited(client, receive, settings):
    settings.KYCUONG_LOOKUP_RATE_PER_MINUTE = 5
    d = receive()
    for _ in range(5):
        assert client.get(f"{BASE}/{d.code}").status_code == 200
    assert client.get(f"{BASE}/{d.code}").status_code == 429


def test_a_write_from_another_process_is_seen(client, receive):
    """Entries live in each process; what invalidates them is in the database: a change made without the
    services of this process (here a direct UPDATE, as another process's commit) makes the entry stale."""
    from django.utils import timezone

    from kycuong.onestop.models import Dossier

    d = receive()
    before = lookup(client, d.code)
    Dossier.objects.filter(pk=d.pk).update(state=7, version=d.version + 1, updated_at=timezone.now())
    assert lookup(client, d.code)["state"]["code"] == 7 != before["state"]["code"]


def test_a_cached_verdict_holds_exactly_until_time_alone_changes_it(receive, people):
    """766 verdict of an open dossier (docs/legal/decision-766.md §1.4): early before the appointment's day, on time on it,
    late after it. A cached answer is valid until the next such instant, and the verdict is the same
    everywhere before it."""
    d = receive(at=hn(2026, 3, 2, 9))  # appointment Mon 16/03/2026 09:00
    for now in (hn(2026, 3, 2, 10), hn(2026, 3, 15, 23, 58), hn(2026, 3, 16, 0), hn(2026, 3, 16, 8, 58),
                hn(2026, 3, 16, 9), hn(2026, 3, 16, 9, 1), hn(2026, 4, 1)):
        until = lookup_cache.valid_until(d, now)
        before = services.timeliness(d, now).status
        edge = datetime.fromtimestamp(until, tz=UTC)
        assert services.timeliness(d, edge - timedelta(microseconds=1)).status == before
        if edge < now + timedelta(seconds=lookup_cache.CACHE_SECONDS):  # a time edge, not the plain expiry
            assert services.timeliness(d, edge).status != before, now
    assert lookup_cache.valid_until(d, hn(2026, 3, 15, 23, 58)) == hn(2026, 3, 16).timestamp()
    assert lookup_cache.valid_until(d, hn(2026, 3, 16, 8, 58)) == (hn(2026, 3, 16, 9) + timedelta(microseconds=1)).timestamp()
    assert lookup_cache.valid_until(d, hn(2026, 3, 10)) == hn(2026, 3, 10).timestamp() + lookup_cache.CACHE_SECONDS
