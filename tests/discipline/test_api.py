"""The discipline API: documented in OpenAPI with Vietnamese summaries; QR attendance by signed code;
domain errors as 4xx JSON, never 500."""
import re
from datetime import date

import pytest

from kycuong.core.models import Unit
from kycuong.core.tokens import issue_token
from kycuong.discipline import services

from .conftest import hn


@pytest.fixture
def meeting(people):
    return services.create_meeting(people["secretary"], title="Giao ban", unit=Unit.objects.get(code="H26"),
                                   chair=people["chair"], starts_at=hn(2026, 3, 6, 8), ends_at=hn(2026, 3, 6, 11),
                                   units=[(Unit.objects.get(code="H26.104"), "head")])


def test_openapi_lists_the_discipline_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in (("/api/v1/discipline/records", "get"), ("/api/v1/discipline/meetings/{meeting_id}", "get"),
                         ("/api/v1/discipline/attendance/check-in", "post"), ("/api/v1/discipline/tasks", "get"),
                         ("/api/v1/discipline/on-time-rate", "get"), ("/api/v1/discipline/tasks/{task_id}", "get"),
                         ("/api/v1/discipline/cases/{case_id}", "get")):
        op = paths[path][method]
        assert re.search(r"[à-ỹ]", op["summary"]) and any(s.startswith("4") for s in op["responses"]), path


def test_check_in_and_out_by_signed_code(meeting, client, monkeypatch):
    from django.utils import timezone

    inv = meeting.invitations.get()
    token = services.token_for(inv)
    monkeypatch.setattr(timezone, "now", lambda: hn(2026, 3, 6, 7, 55))
    r = client.post("/api/v1/discipline/attendance/check-in", {"token": token}, content_type="application/json")
    assert r.status_code == 200 and r.json()["checked_in_at"] == "2026-03-06T07:55:00+07:00"
    monkeypatch.setattr(timezone, "now", lambda: hn(2026, 3, 6, 9, 0))
    r = client.post("/api/v1/discipline/attendance/check-out", {"token": token, "reason": "Việc gấp"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["checked_out_at"] and not r.json()["leave_consent"]
    bad = client.post("/api/v1/discipline/attendance/check-in", {"token": token + "x"}, content_type="application/json")
    assert bad.status_code == 404 and bad.json()["code"] == "DISCIPLINE_BAD_TOKEN"


def test_check_in_outside_the_meeting_time_is_a_409(meeting, client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: hn(2026, 3, 7, 9, 0))
    r = client.post("/api/v1/discipline/attendance/check-in", {"token": services.token_for(meeting.invitations.get())},
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "DISCIPLINE_WRONG_STATE"


def test_on_time_rate_endpoint(people, client):
    services.create_directive(people["city_leader"], number="04/KH-UBND", issued_on=date(2026, 2, 2), doc_type="KH",
                              title="Kế hoạch", unit=Unit.objects.get(code="H26"),
                              tasks=[(Unit.objects.get(code="H26.104"), "Rà soát", hn(2026, 3, 2, 17))])
    _row, token = issue_token(people["leader"])
    rows = client.get("/api/v1/discipline/on-time-rate?start=2026-03-01&end=2026-04-01",
                      HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert rows == [{"unit": "Sở Tư pháp", "unit_code": "H26.104", "on_time": 0, "late": 0, "overdue_open": 1, "rate": 0.0}]


def test_detail_answers_say_what_the_caller_may_do_and_why_not(people, client):
    """The case and task answers carry the policy's `allowed_actions` and, for the rest, `refused_actions` with
    a stable code and the reason (403 who / 409 when); outside the scope the answer is 404."""
    c = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                           violations=[{"description": "Bỏ việc", "severity": "minor", "committed_on": date(2026, 1, 5)}])
    client.force_login(people["inspector"])
    body = client.get(f"/api/v1/discipline/cases/{c.pk}").json()
    assert {"defer", "set_council", "advance", "decide"} <= set(body["allowed_actions"])
    client.force_login(people["leader"])  # sees the case (subtree) but does not handle it
    body = client.get(f"/api/v1/discipline/cases/{c.pk}").json()
    assert body["allowed_actions"] == []
    refused = {r["action"]: r for r in body["refused_actions"]}
    assert refused["decide"]["code"] == "DISCIPLINE_NOT_PERMITTED" and refused["decide"]["reason"]
    assert refused["decide"]["label"] == "Quyết định kỷ luật"
    client.force_login(people["other_leader"])
    assert client.get(f"/api/v1/discipline/cases/{c.pk}").status_code == 404
    d = services.create_directive(people["city_leader"], number="04/KH-UBND", issued_on=date(2026, 2, 2), doc_type="KH",
                                  title="Kế hoạch", unit=Unit.objects.get(code="H26"),
                                  tasks=[(Unit.objects.get(code="H26.104"), "Rà soát", hn(2026, 3, 2, 17))])
    client.force_login(people["specialist"])
    body = client.get(f"/api/v1/discipline/tasks/{d.tasks.get().pk}").json()
    assert body["allowed_actions"] == ["report"]
    assert {r["action"]: r["code"] for r in body["refused_actions"]} == {
        "accept": "DISCIPLINE_NOT_PERMITTED", "return": "DISCIPLINE_NOT_PERMITTED"}
