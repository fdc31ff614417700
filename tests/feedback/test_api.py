import pytest

from kycuong.core.tokens import issue_token


pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[1]}"}


def test_api_queue_detail_and_actions_are_scoped(client, submit, people):
    report = submit()
    leader = auth(people["leader"])
    rows = client.get("/api/v1/feedback/reports", **leader).json()
    assert [r["code"] for r in rows] == [report.code]
    assert rows[0]["handle_due_at"] == "2026-03-23T09:00:00+07:00"
    assert client.get(f"/api/v1/feedback/reports/{report.code}", **auth(people["other"])).status_code == 404
    assert client.get("/api/v1/feedback/reports").status_code == 401
    ok = client.post(f"/api/v1/feedback/reports/{report.code}/actions", {"action": "confirm_unit",
                     "expected_version": 1}, content_type="application/json", **leader)
    assert ok.status_code == 200 and ok.json()["state"] == "processing"
    stale = client.post(f"/api/v1/feedback/reports/{report.code}/actions", {"action": "request_info",
                        "expected_version": 1, "message": "x"}, content_type="application/json", **leader)
    assert stale.status_code == 409 and stale.json()["code"] == "FEEDBACK_STALE_VERSION"
    bad = client.post(f"/api/v1/feedback/reports/{report.code}/actions", {"action": "transfer", "unit": "H26.105"},
                      content_type="application/json", **leader)
    assert bad.status_code == 422 and bad.json()["code"] == "FEEDBACK_REASON_REQUIRED"
    moved = client.post(f"/api/v1/feedback/reports/{report.code}/actions", {"action": "transfer", "unit": "H26.105",
                        "reason": "Lĩnh vực xây dựng"}, content_type="application/json", **leader)
    assert moved.status_code == 200 and moved.json()["responsible_unit"] == "H26.105"
    assert client.get("/api/v1/feedback/reports", **leader).json() == []


def test_an_action_retried_with_its_idempotency_key_acts_once(client, submit, people):
    """Issue 18: a retry after a lost answer gets the first answer back; the report moves once."""
    from kycuong.core.models import Event

    report = submit()
    leader = {**auth(people["leader"]), "HTTP_IDEMPOTENCY_KEY": "fb-1"}
    url = f"/api/v1/feedback/reports/{report.code}/actions"
    body = {"action": "confirm_unit", "expected_version": 1}
    first = client.post(url, body, content_type="application/json", **leader)
    assert first.status_code == 200 and first.json()["state"] == "processing"
    events = Event.objects.count()
    again = client.post(url, body, content_type="application/json", **leader)
    assert (again.status_code, again.content) == (200, first.content)   # not 409 FEEDBACK_STALE_VERSION
    assert Event.objects.count() == events
    other = client.post(url, {"action": "request_info", "expected_version": 2, "message": "x"},
                        content_type="application/json", **leader)
    assert other.status_code == 422 and other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
