"""The one-stop REST API (/api/v1/dossiers…, /api/v1/lookup/…): auth, intake, scoped queue, detail, every action,
optimistic concurrency, the public lookup and its rate limit, and "never 500" on junk input."""
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from kycuong.core.models import Event, User
from kycuong.core.tokens import issue_token
from kycuong.onestop.api import LookupOut
from kycuong.onestop.models import Dossier
from kycuong.onestop.policy import ACT_ACTIONS as TRANSITIONS

from .conftest import PROC, hn

pytestmark = pytest.mark.django_db
BASE = "/api/v1"
PLUS7 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the lookup's rate-limit counters live in the cache
    yield
    cache.clear()


class Api:
    def __init__(self, client):
        self.client = client
        self.tokens = {}

    def headers(self, user, extra=None):
        headers = dict(extra or {})
        if user is not None:
            if user.pk not in self.tokens:
                self.tokens[user.pk] = issue_token(user)[1]
            headers["Authorization"] = f"Bearer {self.tokens[user.pk]}"
        return headers

    def get(self, path, user=None, headers=None, **params):
        return self.client.get(BASE + path, params, headers=self.headers(user, headers))

    def post(self, path, body, user=None, headers=None, raw=False):
        data = body if raw else json.dumps(body)
        return self.client.post(BASE + path, data, content_type="application/json", headers=self.headers(user, headers))


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def intake_body(all_documents):
    def body(at=hn(2026, 3, 2, 9), code=PROC, documents=None, name="Hoàng Thị Mai", phone="0912345678", **extra):  # noqa: B008 (a fixed, immutable instant)
        day = (at or timezone.now()).date()
        data = {
            "procedure_code": code,
            "applicant": {"name": name, "phone": phone, "id_number": "001190012345"},
            "documents": all_documents(code, day) if documents is None else documents,
        }
        if at is not None:
            data["received_at"] = at.isoformat()
        return data | extra

    return body


@pytest.fixture
def intake(api, people, intake_body):
    def go(user=None, **kw):
        r = api.post("/dossiers", intake_body(**kw), user=user or people["counter"])
        assert r.status_code == 201, r.content
        return r.json()

    return go


def last_working_morning():
    """09:00 of the last working day before today: the clock has started, and 10 working days are not over.

    "Now" would do for an API client, but at night the clock only starts next morning, and a step cannot
    be closed before it started (see the report on services._close_step)."""
    from kycuong.core.calendars import calendar_for

    cal, day = calendar_for(None), timezone.localdate() - timedelta(days=1)
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return hn(day.year, day.month, day.day, 9)


def act(api, code, action, user, body=None, **headers):
    return api.post(f"/dossiers/{code}/actions/{action}", body or {}, user=user, headers=headers or None)


def ok(r):
    assert r.status_code == 200, r.content
    return r.json()


def names(payload):
    return [a["action"] for a in payload["allowed_actions"]]


# --- intake ------------------------------------------------------------------------------------------

def test_intake_answers_201_with_code_appointment_and_steps(api, people, intake_body):
    """TT 04/2025 (code), TT 03/2025 Mẫu 01, docs/legal/working-time.md §2.3: Mon 02/03/2026 09:00 + 10 working days."""
    r = api.post("/dossiers", intake_body(), user=people["counter"])
    assert r.status_code == 201, r.content
    d = r.json()
    assert re.fullmatch(r"H26\.104-260302-\d{4}", d["code"])
    assert r["Location"] == f"/api/v1/dossiers/{d['code']}" and r["ETag"] == f'"{d["version"]}"'
    assert d["state"] == {"code": 2, "label": "Được tiếp nhận"}
    assert d["received_at"] == "2026-03-02T09:00:00+07:00" and d["due_at"] == "2026-03-16T09:00:00+07:00"
    assert d["unit"]["code"] == "H26.104" and d["receiving_unit"]["code"] == "H26.200.01"
    assert d["procedure"]["code"] == PROC and d["channel"]["code"] == 1
    assert [s["allotted_minutes"] for s in d["steps"]] == [240, 3840, 480, 240, 0]
    assert d["steps"][0]["current"] and d["steps"][0]["assignee"]["id"] == people["counter"].pk
    assert {"start_processing", "request_supplement", "withdraw", "stop"} <= set(names(d))
    assert "finish" not in names(d) and "accept" not in names(d)
    # Received in March, read in November: too late to apologise, and the API says why instead of offering it.
    assert "apologize" not in names(d)
    assert {"action": "apologize", "code": "ONESTOP_APOLOGY_TOO_LATE"}.items() <= next(
        a for a in d["refused_actions"] if a["action"] == "apologize").items()
    # Received in March, open in November: late now, and the accountability names the step that overran.
    assert d["timeliness"]["status"] == "late" and d["clock"]["status"] == "overdue"
    assert d["accountability"] and d["accountability"][0]["step_order"] == 1
    for key in ("submitted_at", "received_at", "due_at", "clock_start_at"):
        assert PLUS7.match(d[key]), key


def test_intake_codes_count_per_day(intake):
    a, b = intake(), intake(at=hn(2026, 3, 2, 10))
    assert a["code"].endswith("-260302-0001") and b["code"].endswith("-260302-0002")


def test_intake_supplement_and_refusal_outcomes(intake):
    """TT 03/2025 Mẫu 02 and Mẫu 03 at the counter."""
    s = intake(documents=[], outcome="supplement", reason="Thiếu ảnh 2x3")
    assert s["state"]["code"] == 5 and s["due_at"] is None and s["clock"]["status"] == "paused"
    assert names(s) == ["complete_supplement", "withdraw", "stop"]
    r = intake(documents=[], outcome="refuse", reason="Không thuộc thẩm quyền")
    assert r["state"]["code"] == 3 and r["allowed_actions"] == [] and r["timeliness"]["status"] == "not_counted"


@pytest.mark.parametrize("change, status, code", [
    ({"documents": []}, 422, "ONESTOP_DOCUMENTS_MISSING"),
    ({"procedure_code": "KHONG-CO"}, 404, "CATALOG_PROCEDURE_NOT_FOUND"),
    ({"deciding_unit_code": "H26.999"}, 404, "CORE_UNIT_NOT_FOUND"),
    ({"outcome": "supplement", "reason": "  "}, 422, "ONESTOP_REASON_REQUIRED"),
    ({"outcome": "maybe"}, 422, "VALIDATION_FAILED"),
    ({"channel": 2}, 422, "VALIDATION_FAILED"),
    ({"at": None, "received_at": "2026-03-02T09:00:00"}, 422, "VALIDATION_FAILED"),  # naive
    ({"at": None, "received_at": "2099-01-01T09:00:00+07:00"}, 422, "ONESTOP_TIME_IN_FUTURE"),
    ({"at": None, "received_at": "0001-01-01T00:00:00+07:00"}, 422, "VALIDATION_FAILED"),
    ({"name": ""}, 422, "VALIDATION_FAILED"),
    ({"name": "A\x00B"}, 422, "VALIDATION_FAILED"),
    ({"name": "x" * 201}, 422, "VALIDATION_FAILED"),
    ({"phone": "0" * 21}, 422, "VALIDATION_FAILED"),
    ({"documents": ["a"]}, 422, "VALIDATION_FAILED"),
    ({"documents": [2**70]}, 422, "VALIDATION_FAILED"),
])
def test_bad_intake_gets_a_stable_code_and_writes_nothing(api, people, intake_body, change, status, code):
    change = dict(change)
    body = intake_body(**{k: change.pop(k) for k in ("documents", "name", "phone", "at") if k in change})
    body |= change
    r = api.post("/dossiers", body, user=people["counter"])
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and r.json()["message"]
    assert Dossier.objects.count() == 0 and Event.objects.count() == 0


def test_citizen_submits_online_into_state_1(api, people, intake_body):
    """docs/legal/one-stop.md §2.1: an online submission waits in state 1 for an officer to accept it."""
    body = intake_body(at=None)
    r = api.post("/dossiers", body, user=people["citizen"])
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["state"]["code"] == 1 and d["channel"]["code"] == 2 and d["unit"]["code"] == "H26.104"
    assert names(d) == ["complete_supplement", "withdraw"] or names(d) == ["withdraw"]
    r = api.post("/dossiers", intake_body(outcome="refuse"), user=people["citizen"])
    assert r.status_code == 422 and r.json()["code"] == "ONESTOP_FIELD_NOT_ALLOWED"


def test_intake_needs_authentication(api, city, intake_body):
    r = api.post("/dossiers", intake_body())
    assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED"


# --- scoping: every demo role against every endpoint ----------------------------------------------------

@pytest.fixture
def demo_dossiers(api, city, demo, all_documents, intake_body):
    """D1 CC01 (Sở Tư pháp) and D2 2.001610 (Sở Tài chính) received at branch H26.200.01; D3 a birth
    registration at ward H26.501; D4 submitted online by the demo citizen to Sở Tư pháp."""
    demo.accounts()
    u = {x.username: x for x in User.objects.select_related("unit")}
    post = lambda user, **kw: api.post("/dossiers", intake_body(**kw), user=u[user])  # noqa: E731
    codes = {
        "D1": post("tiepnhan").json()["code"],
        "D2": post("tiepnhan", code="2.001610").json()["code"],
        "D3": post("tiepnhan_xa", code="1.001193").json()["code"],
        "D4": post("congdan", at=None).json()["code"],
    }
    assert all(codes.values()), codes
    return u, codes


SCOPES = {
    "tiepnhan": {"D1", "D2"},                  # receiving branch of D1 and D2
    "chuyenvien": {"D1", "D4"},                # Sở Tư pháp decides D1 and D4
    "lanhdao": {"D1", "D4"},
    "vanthu": {"D1", "D4"},
    "thanhtra": set(),                         # Thanh tra Thành phố decides none of them
    "lanhdaotp": {"D1", "D2", "D3", "D4"},     # the city committee's subtree is the whole city
    "quantri": {"D1", "D2", "D3", "D4"},       # administrator
    "tiepnhan_xa": {"D3"},                     # the ward that received and decides D3
    "congdan": {"D4"},                         # a citizen: own dossiers only
}


def test_every_demo_role_sees_only_its_units_dossiers(api, demo_dossiers):
    users, codes = demo_dossiers
    roles = {users[name].role for name in SCOPES}
    assert User.OFFICER_ROLES <= roles  # every officer role of the demo is covered
    for username, expected in SCOPES.items():
        user = users[username]
        listed = {i["code"] for i in ok(api.get("/dossiers", user))["items"]}
        assert listed == {codes[k] for k in expected}, username
        for key, code in codes.items():
            want = 200 if key in expected else 404
            detail = api.get(f"/dossiers/{code}", user)
            assert detail.status_code == want, (username, key)
            timeline = api.get(f"/dossiers/{code}/timeline", user)
            assert timeline.status_code == want, (username, key)
            if want == 404:
                assert detail.json()["code"] == "ONESTOP_DOSSIER_NOT_FOUND"
                # Acting outside one's scope answers as if the dossier did not exist.
                r = act(api, code, "withdraw", user, {"reason": "x"})
                assert r.status_code == 404 and r.json()["code"] == "ONESTOP_DOSSIER_NOT_FOUND"


def test_anonymous_gets_401_on_every_dossier_endpoint(api, demo_dossiers):
    _users, codes = demo_dossiers
    code = codes["D1"]
    for r in (api.get("/dossiers"), api.get(f"/dossiers/{code}"), api.get(f"/dossiers/{code}/timeline"),
              act(api, code, "withdraw", None, {"reason": "x"}), api.post("/dossiers", {})):
        assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED"


def test_a_citizen_sees_the_public_part_of_their_timeline_only(api, people, intake_body):
    d = api.post("/dossiers", intake_body(at=None), user=people["citizen"]).json()
    act(api, d["code"], "accept", people["specialist"])
    mine = ok(api.get(f"/dossiers/{d['code']}/timeline", people["citizen"]))
    full = ok(api.get(f"/dossiers/{d['code']}/timeline", people["specialist"]))
    assert [e["kind"] for e in full] == ["submitted_online", "received"]
    assert all(e["public"] for e in mine) and len(mine) <= len(full)
    other = User.objects.create(username="citizen2", role=User.Role.CITIZEN)
    assert api.get(f"/dossiers/{d['code']}", other).status_code == 404


# --- queue: pagination and filters -------------------------------------------------------------------

def test_pagination_and_count(api, people, intake):
    codes = {intake(at=hn(2026, 3, 2, 9, i))["code"] for i in range(5)}
    user = people["leader"]
    seen = []
    for page in (1, 2, 3):
        body = ok(api.get("/dossiers", user, page=page, page_size=2))
        assert body["count"] == 5 and body["page"] == page and body["page_size"] == 2
        seen += [i["code"] for i in body["items"]]
    assert len(seen) == 5 and set(seen) == codes  # no row twice, none lost
    empty = ok(api.get("/dossiers", user, page=4, page_size=2))
    assert empty["items"] == [] and empty["count"] == 5
    assert ok(api.get("/dossiers", user, with_count="false", page_size=2))["count"] is None
    last = ok(api.get("/dossiers", user, with_count="false"))  # the last page tells the total anyway
    assert last["count"] == 5 and last["has_next"] is False and last["count_capped"] is False
    for bad in ({"page_size": 101}, {"page_size": 0}, {"page": 0}, {"state": 11}, {"clock": "late"}, {"state": "x"}):
        r = api.get("/dossiers", user, **bad)
        assert r.status_code == 422 and r.json()["code"] == "VALIDATION_FAILED", bad


def test_the_count_stops_at_the_cap(api, people, intake, monkeypatch):
    """At 1M dossiers an exact COUNT of a scope costs more than the page: it counts up to COUNT_CAP."""
    from kycuong.onestop import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    for i in range(5):
        intake(at=hn(2026, 3, 2, 9, i))
    body = ok(api.get("/dossiers", people["leader"], page_size=2))
    assert body["count"] == 3 and body["count_capped"] is True and body["has_next"] is True
    body = ok(api.get("/dossiers", people["leader"], page_size=2, page=3))
    assert body["count"] == 5 and body["count_capped"] is False and body["has_next"] is False


def test_queue_filters(api, people, intake, intake_body):
    late = intake(name="Hoàng Thị Mai")                                    # March: overdue now
    fresh = intake(at=last_working_morning(), name="Nguyễn Văn Bình")      # yesterday: on track
    paused = intake(documents=[], outcome="supplement", reason="Thiếu", name="Lê Thu Trang")
    other_proc = intake(code="2.001610", name="Đặng Đức Anh")
    user = people["counter"]

    def codes(**params):
        return {i["code"] for i in ok(api.get("/dossiers", user, **params))["items"]}

    assert codes() == {late["code"], fresh["code"], paused["code"], other_proc["code"]}
    assert codes(state=5) == {paused["code"]}
    assert codes(state=2) == {late["code"], fresh["code"], other_proc["code"]}
    assert codes(clock="overdue") == {late["code"], other_proc["code"]}
    assert codes(clock="paused") == {paused["code"]}
    assert codes(clock="on_track") | codes(clock="due_soon") == {fresh["code"]}
    assert codes(procedure="2.001610") == {other_proc["code"]}
    assert codes(q="hoang thi mai") == {late["code"]}                    # marks ignored
    assert codes(q="DANG DUC") == {other_proc["code"]}                   # đ → d, case ignored
    assert codes(q=late["code"]) == {late["code"]}
    assert codes(q="nobody\x00") == set()
    rows = {i["code"]: i for i in ok(api.get("/dossiers", user))["items"]}
    assert rows[late["code"]]["clock"]["status"] == "overdue" and rows[late["code"]]["clock"]["label"] == "Quá hạn"
    assert rows[paused["code"]]["clock"]["status"] == "paused"
    assert rows[late["code"]]["procedure"]["code"] == PROC and PLUS7.match(rows[late["code"]]["due_at"])
    # mine: dossiers whose current step is assigned to me.
    ok(act(api, fresh["code"], "start_processing", user, {"assignee_id": people["specialist"].pk}))
    assert {i["code"] for i in ok(api.get("/dossiers", people["specialist"], mine="true"))["items"]} == {fresh["code"]}


# --- detail, timeline ----------------------------------------------------------------------------------

def test_detail_and_timeline_404_outside_scope_and_for_junk_codes(api, people, intake):
    d = intake()
    assert ok(api.get(f"/dossiers/{d['code']}", people["leader"]))["code"] == d["code"]
    for user in (people["other"], people["citizen"]):
        for path in (f"/dossiers/{d['code']}", f"/dossiers/{d['code']}/timeline"):
            r = api.get(path, user)
            assert r.status_code == 404 and r.json()["code"] == "ONESTOP_DOSSIER_NOT_FOUND"
    for junk in ("H26.104-260302-9999", "%00", "a%00b", "x" * 300, "'; drop table x; --", "%F0%9F%98%80"):
        r = api.get(f"/dossiers/{junk}", people["leader"])
        assert r.status_code == 404, junk


def test_timeline_shape(api, people, intake):
    d = intake()
    act(api, d["code"], "start_processing", people["counter"], {"assignee_id": people["specialist"].pk})
    rows = ok(api.get(f"/dossiers/{d['code']}/timeline", people["leader"]))
    assert [(e["seq"], e["kind"]) for e in rows] == [(1, "received"), (2, "processing_started")]
    assert rows[0]["at"] == "2026-03-02T09:00:00+07:00" and rows[0]["actor_label"] == "Nguyễn Thị Lan"
    assert rows[0]["label"] and rows[0]["unit"]["code"] == "H26.200.01" and rows[0]["data"]["form"] == "01"
    assert all(PLUS7.match(e["at"]) for e in rows)


# --- every action ---------------------------------------------------------------------------------------

def test_every_action_through_the_api(api, people, intake):
    """The whole walk: processing, supplement (once), apology (once), payment, steps, finish, return."""
    p = people
    d = intake(at=last_working_morning())  # the apology needs a due date at least one working day ahead
    code = d["code"]
    d = ok(act(api, code, "start_processing", p["counter"], {"assignee_id": p["specialist"].pk, "note": "Đủ"}))
    assert d["state"]["code"] == 4 and d["steps"][1]["current"] and d["steps"][1]["assignee"]["id"] == p["specialist"].pk
    # The receiving step had 4 working hours from yesterday 09:00: handed on today, it is late (Mẫu 06).
    assert d["steps"][0]["verdict"] == "late" and d["steps"][1]["verdict"] is None
    assert "handover" not in names(d)  # the counter's view: the step is the specialist's now
    mine = ok(api.get(f"/dossiers/{code}", p["specialist"]))
    assert "handover" in names(mine) and "finish" not in names(mine)
    d = ok(act(api, code, "request_supplement", p["specialist"], {"reason": "Thiếu quyết định bổ nhiệm"}))
    assert d["state"]["code"] == 5 and d["clock"]["status"] == "paused"
    d = ok(act(api, code, "complete_supplement", p["counter"], {"documents": []}))
    assert d["state"]["code"] == 4 and "request_supplement" not in names(d)
    r = act(api, code, "request_supplement", p["specialist"], {"reason": "Lần hai"})
    assert r.status_code == 409 and r.json()["code"] == "ONESTOP_SECOND_SUPPLEMENT"
    d = ok(act(api, code, "handover", p["specialist"], {"assignee_id": p["leader"].pk}))
    new_due = (timezone.localtime(Dossier.objects.get(code=code).due_at) + timedelta(days=7)).isoformat()
    d = ok(act(api, code, "apologize", p["leader"], {"reason": "Chờ ý kiến cơ quan phối hợp", "new_due": new_due}))
    assert d["apology"]["count"] == 1 and d["due_at"] == new_due and "apologize" not in names(d)
    r = act(api, code, "apologize", p["leader"], {"reason": "lần hai", "new_due": new_due})
    assert r.status_code == 409 and r.json()["code"] == "ONESTOP_SECOND_APOLOGY"
    r = act(api, code, "request_payment", p["leader"], {"amount_vnd": 0})  # issue 18: 0 đồng is no request
    assert r.status_code == 422 and r.json()["code"] == "ONESTOP_BAD_AMOUNT"
    d = ok(act(api, code, "request_payment", p["leader"], {"amount_vnd": 500000, "note": "Lệ phí"}))
    assert d["state"]["code"] == 6 and d["fee_total_vnd"] == 500000
    d = ok(act(api, code, "confirm_payment", p["leader"], {"online": 1}))
    assert d["state"]["code"] == 4 and d["paid_online"] == 1
    d = ok(act(api, code, "handover", p["leader"], {"assignee_id": p["clerk"].pk}))
    assert "finish" not in names(d)  # the clerk's step now
    d = ok(api.get(f"/dossiers/{code}", p["clerk"]))
    assert "finish" in names(d) and "handover" not in names(d)
    r = act(api, code, "handover", p["clerk"])
    assert r.status_code == 409 and r.json()["code"] == "ONESTOP_LAST_STEP"
    d = ok(act(api, code, "finish", p["clerk"], {"note": "Đã ký"}))
    assert d["state"]["code"] == 9 and d["processing_end_at"] and names(d) == []
    assert names(ok(api.get(f"/dossiers/{code}", p["counter"]))) == ["return_result"]  # the return step
    d = ok(act(api, code, "return_result", p["counter"], {"electronic": True}))
    assert d["state"]["code"] == 10 and d["result_is_electronic"] and d["allowed_actions"] == []
    assert d["timeliness"]["status"] in ("early", "on_time"), d["timeliness"]
    assert d["clock"]["status"] == "ended"
    r = act(api, code, "finish", p["clerk"])
    assert r.status_code == 409 and r.json()["code"] == "ONESTOP_TRANSITION_NOT_ALLOWED"
    kinds = [e["kind"] for e in ok(api.get(f"/dossiers/{code}/timeline", p["leader"]))]
    assert kinds == ["received", "processing_started", "supplement_requested", "supplement_completed", "handed_over",
                     "apologized", "payment_requested", "payment_confirmed", "handed_over", "finished", "result_returned"]
    assert ok(api.get(f"/dossiers/{code}", p["leader"]))["version"] == d["version"]


def test_online_acceptance_refusal_withdrawal_and_stop(api, people, intake_body, intake):
    p = people
    online = [api.post("/dossiers", intake_body(at=None, documents=[]), user=p["citizen"]).json()["code"]
              for _ in range(3)]
    r = act(api, online[0], "accept", p["specialist"])
    assert r.status_code == 422 and r.json()["code"] == "ONESTOP_DOCUMENTS_MISSING"
    from kycuong.catalog.queries import procedure_by_code

    docs = [x.pk for x in procedure_by_code(PROC).documents.all()]
    d = ok(act(api, online[0], "accept", p["specialist"], {"documents": docs}))
    assert d["state"]["code"] == 2 and d["due_at"]
    d = ok(act(api, online[1], "refuse", p["specialist"], {"reason": "Sai thẩm quyền"}))
    assert d["state"]["code"] == 3 and d["end_reason"] == "Sai thẩm quyền"
    # The citizen may withdraw their own dossier, but not take officers' actions on it.
    r = act(api, online[2], "start_processing", p["citizen"])
    assert r.status_code in (403, 409) and r.status_code < 500
    d = ok(act(api, online[2], "withdraw", p["citizen"], {"reason": "Không còn nhu cầu"}))
    assert d["state"]["code"] == 7
    s = intake()
    d = ok(act(api, s["code"], "stop", p["leader"], {"reason": "Vướng tranh chấp"}))
    assert d["state"]["code"] == 8 and d["allowed_actions"] == []


def test_unknown_and_illegal_actions(api, people, intake):
    d = intake()
    r = act(api, d["code"], "teleport", people["counter"])
    assert r.status_code == 404 and r.json()["code"] == "ONESTOP_UNKNOWN_ACTION"
    r = act(api, d["code"], "return_result", people["counter"])
    assert r.status_code == 409 and r.json()["code"] == "ONESTOP_TRANSITION_NOT_ALLOWED"
    r = act(api, d["code"], "finish", people["counter"], {"reason": "x"})  # finish takes no reason
    assert r.status_code == 422 and r.json()["code"] == "ONESTOP_UNEXPECTED_FIELDS"
    assert ok(api.get(f"/dossiers/{d['code']}", people["counter"]))["version"] == d["version"]


# --- optimistic concurrency --------------------------------------------------------------------------

def test_two_officers_acting_on_the_same_version_never_lose_an_update(api, people, intake):
    d = intake()
    code, seen = d["code"], d["version"]
    first = act(api, code, "start_processing", people["counter"],
                {"expected_version": seen, "assignee_id": people["specialist"].pk})
    assert first.status_code == 200 and first.json()["version"] == seen + 1
    second = act(api, code, "request_supplement", people["leader"], {"expected_version": seen, "reason": "Thiếu"})
    assert second.status_code == 409 and second.json()["code"] == "ONESTOP_STALE_VERSION"
    assert second.json()["details"] == {"expected_version": seen, "current_version": seen + 1}
    now = ok(api.get(f"/dossiers/{code}", people["leader"]))
    assert now["state"]["code"] == 4 and now["supplement"]["count"] == 0 and now["version"] == seen + 1
    # The same through If-Match, as the ETag gave it.
    etag = api.get(f"/dossiers/{code}", people["leader"])["ETag"]
    assert etag == f'"{seen + 1}"'
    r = act(api, code, "request_supplement", people["leader"], {"reason": "Thiếu"}, **{"If-Match": f'"{seen}"'})
    assert r.status_code == 409 and r.json()["code"] == "ONESTOP_STALE_VERSION"
    r = act(api, code, "request_supplement", people["leader"], {"reason": "Thiếu"}, **{"If-Match": etag})
    assert r.status_code == 200 and r["ETag"] == f'"{seen + 2}"'
    r = act(api, code, "complete_supplement", people["counter"], {}, **{"If-Match": "abc"})
    assert r.status_code == 422 and r.json()["code"] == "ONESTOP_BAD_IF_MATCH"
    assert [e.kind for e in Event.objects.filter(subject_id=code)] == [
        "received", "processing_started", "supplement_requested"]


# --- never 500 -----------------------------------------------------------------------------------------

JUNK_BODIES = [
    {"new_due": "abc"}, {"assignee_id": "x"}, {"amount_vnd": -5}, {"amount_vnd": 10**30}, {"amount_vnd": 1.5},
    {"documents": ["a"]}, {"documents": [-1]}, {"documents": "1,2"}, {"online": 9}, {"online": -1},
    {"reason": "\x00"}, {"reason": "x" * 5000}, {"note": 5}, {"expected_version": "x"}, {"expected_version": 2**40},
    {"new_due": "2026-01-01T00:00:00"}, {"new_due": "0001-01-01T00:00:00+07:00", "reason": "x"},
    {"assignee_id": 2**62}, {"assignee_id": -3}, {"electronic": "maybe"}, [], "text", None, {"reason": ["x"]},
]


def test_every_action_with_junk_bodies_never_answers_500(api, people, intake, intake_body):
    p = people
    received = intake()
    processing = intake()
    act(api, processing["code"], "start_processing", p["counter"], {"assignee_id": p["specialist"].pk})
    supplement = intake(documents=[], outcome="supplement", reason="Thiếu")
    payment = intake()
    act(api, payment["code"], "start_processing", p["counter"])
    act(api, payment["code"], "request_payment", p["specialist"], {"amount_vnd": 1000})
    online = api.post("/dossiers", intake_body(at=None), user=p["citizen"]).json()
    for d in (received, processing, supplement, payment, online):
        for action in list(TRANSITIONS) + ["nope"]:
            for body in JUNK_BODIES:
                r = act(api, d["code"], action, p["leader"], body)
                assert r.status_code < 500, (d["code"], action, body, r.content)
                assert "code" in r.json(), (action, body, r.content)
            for raw in ("{", "", "nul\x00"):
                r = api.post(f"/dossiers/{d['code']}/actions/{action}", raw, user=p["leader"], raw=True)
                assert r.status_code < 500, (action, raw)
    for body in ({}, [], {"applicant": "x"}, {"procedure_code": PROC, "applicant": {"name": "A"}, "documents": {}},
                 {"procedure_code": "\x00", "applicant": {"name": "A"}}, {"procedure_code": PROC, "applicant": {"name": "A"},
                                                                          "received_at": "0001-01-01T00:00:00+07:00"}):
        for user in (p["counter"], p["citizen"]):
            r = api.post("/dossiers", body, user=user)
            assert 400 <= r.status_code < 500, (body, r.content)


# --- public lookup ---------------------------------------------------------------------------------------

def test_lookup_is_public_and_shows_no_personal_data_without_proof(api, people, intake, django_assert_max_num_queries):
    d = intake()
    act(api, d["code"], "start_processing", people["counter"], {"assignee_id": people["specialist"].pk})
    with django_assert_max_num_queries(4):  # stamp, row, then (cold caches) the names and steps + public events
        r = api.get(f"/lookup/{d['code']}")
    with django_assert_max_num_queries(1):  # warm: the stamp only (onestop/lookup_cache.py)
        assert api.get(f"/lookup/{d['code']}").json() == r.json()
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["code"] == d["code"] and body["state"]["code"] == 4
    assert body["received_at"] == "2026-03-02T09:00:00+07:00" and body["appointment_at"] == "2026-03-16T09:00:00+07:00"
    assert [s["name"] for s in body["steps_done"]] == ["Tiếp nhận, kiểm tra, số hóa hồ sơ"]
    assert body["late"] is True and body["timeliness"] == "late"  # open past its March appointment
    assert [e["kind"] for e in body["timeline"]] == ["received", "processing_started"]
    assert all(set(e) == {"kind", "label", "at"} for e in body["timeline"])  # no event data, no names
    assert body["verified"] is False and body["personal"] is None
    text = r.content.decode()
    for secret in ("Hoàng Thị Mai", "0912345678", "5678", "001190012345", "Nguyễn Thị Lan", "Trần Văn Minh"):
        assert secret not in text
    assert r["Cache-Control"] == "no-store"
    LookupOut.model_validate(body)  # the view renders its own JSON: hold it to the documented schema


def test_lookup_follows_each_change_of_the_dossier(api, people, intake):
    """Steps and the public timeline are cached per dossier version: every service write shows at once."""
    d = intake()
    assert [e["kind"] for e in ok(api.get(f"/lookup/{d['code']}"))["timeline"]] == ["received"]
    act(api, d["code"], "start_processing", people["counter"], {"assignee_id": people["specialist"].pk})
    body = ok(api.get(f"/lookup/{d['code']}"))
    assert [e["kind"] for e in body["timeline"]] == ["received", "processing_started"]
    assert len(body["steps_done"]) == 1 and body["state"]["code"] == 4
    act(api, d["code"], "withdraw", people["counter"], {"reason": "Công dân xin rút"})
    body = ok(api.get(f"/lookup/{d['code']}"))
    assert body["state"]["code"] == 7 and body["timeline"][-1]["kind"] == "withdrawn"
    assert body["late"] is True  # withdrawn in November, past its March appointment (766: end = withdrawal)


def test_lookup_with_the_right_phone_digits_shows_the_applicant(api, intake):
    d = intake()
    body = ok(api.get(f"/lookup/{d['code']}", phone_last4="5678"))
    assert body["verified"] is True
    assert body["personal"] == {"applicant_name": "Hoàng Thị Mai", "phone_masked": "******5678"}
    wrong = ok(api.get(f"/lookup/{d['code']}", phone_last4="1234"))
    assert wrong["verified"] is False and wrong["personal"] is None
    for junk in ("", "56", "５６７８", "5678\x00", "x" * 20):
        assert ok(api.get(f"/lookup/{d['code']}", phone_last4=junk))["personal"] is None
    LookupOut.model_validate(body)
    assert ok(api.get(f"/lookup/{d['code'].lower()}"))["code"] == d["code"]  # codes are case-insensitive here


def test_lookup_unknown_code_404(api):
    for code in ("H26.104-260302-0001", "%00", "x" * 100):
        r = api.get(f"/lookup/{code}")
        assert r.status_code == 404 and r.json()["code"] == "ONESTOP_DOSSIER_NOT_FOUND"


def test_lookup_is_rate_limited_and_wrong_digits_count_double(api, intake, client):
    d = intake()
    url = f"{BASE}/lookup/{d['code']}"
    for _ in range(30):
        assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 200
    r = client.get(url, REMOTE_ADDR="10.0.0.1")
    assert r.status_code == 429 and r.json()["code"] == "RATE_LIMITED" and r.json()["message"]
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200  # per client
    # Wrong phone digits cost two: 15 wrong guesses use the whole minute's budget.
    for _ in range(15):
        assert client.get(url, {"phone_last4": "0000"}, REMOTE_ADDR="10.0.0.3").status_code == 200
    assert client.get(url, {"phone_last4": "5678"}, REMOTE_ADDR="10.0.0.3").status_code == 429
    # Unknown codes count too (no free enumeration).
    for _ in range(30):
        client.get(f"{BASE}/lookup/H26.104-260302-9999", REMOTE_ADDR="10.0.0.4")
    assert client.get(url, REMOTE_ADDR="10.0.0.4").status_code == 429


# --- OpenAPI -----------------------------------------------------------------------------------------------

def test_openapi_lists_every_endpoint_with_vietnamese_summaries_and_error_schemas(client):
    doc = client.get(f"{BASE}/openapi.json").json()
    paths = doc["paths"]
    expected = {
        ("/api/v1/dossiers", "post"), ("/api/v1/dossiers", "get"), ("/api/v1/dossiers/{code}", "get"),
        ("/api/v1/dossiers/{code}/actions/{action}", "post"), ("/api/v1/dossiers/{code}/timeline", "get"),
        ("/api/v1/lookup/{code}", "get"),
    }
    for path, method in expected:
        op = paths[path][method]
        assert op["summary"] and re.search(r"[à-ỹ]", op["summary"]), (path, method)
        statuses = set(op["responses"])
        assert statuses & {"200", "201"} and {"404"} & statuses or path == "/api/v1/dossiers", (path, statuses)
        assert any(s.startswith("4") for s in statuses)
        if path.startswith("/api/v1/dossiers"):
            assert "401" in statuses and op.get("security"), (path, method)
        else:
            assert "429" in statuses and not op.get("security")
