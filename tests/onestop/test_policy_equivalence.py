"""One place decides (docs/design.md; onestop.policy): for dossiers in every reachable state, driven there
through the services, for every role, own / other / successor unit, and instants on both sides of the apology
edge (NĐ 61/2018 Đ.19, docs/legal/one-stop.md §2.2: at the latest one working day before the appointment), three answers
agree —

* the dossier page's buttons (its action forms, parsed from the rendered page),
* the API's `allowed_actions` (a real GET with a token),
* the actions the services accept (each tried in a savepoint that is rolled back).

Deterministic (a fixed cast, the dossier's own people in every case and the rest in turn); bounded to run in
well under a minute; nothing database-specific (SQLite and PostgreSQL alike).
"""
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from kycuong.core.calendars import calendar_for
from kycuong.core.errors import DomainError
from kycuong.core.models import Unit
from kycuong.onestop import services
from kycuong.onestop.api import ACTION_FIELDS
from kycuong.onestop.models import Dossier
from kycuong.onestop.policy import ACT_ACTIONS, DOSSIER, may_hold_step
from kycuong.onestop.services import Applicant, act, receive_at_counter

from tests.pdfs import PDF  # a real one-page PDF: uploads open every PDF with pypdf

from .conftest import PROC, hn
from .test_api import Api

pytestmark = pytest.mark.django_db
ACTION_RE = re.compile(r'data-action="([a-z_]+)"')


class Rollback(Exception):
    pass


@pytest.fixture
def cast(people, make_officer):
    R = make_officer.Role
    extra = {
        "specialist2": make_officer(R.SPECIALIST, "H26.104", full_name="Đỗ Thị Hồng"),
        "leader2": make_officer(R.UNIT_LEADER, "H26.104", full_name="Phó Giám đốc"),
        "clerk2": make_officer(R.CLERK, "H26.104", full_name="Văn thư hai"),
        "counter2": make_officer(R.RECEIVING_OFFICER, "H26.200.01", full_name="Một cửa hai"),
        "admin": make_officer(R.ADMINISTRATOR, "H26", full_name="Quản trị"),
        "inspector": make_officer(R.INSPECTOR, "H26.115", full_name="Thanh tra"),
        "ward_counter": make_officer(R.RECEIVING_OFFICER, "H26.501", full_name="Một cửa phường"),
        "ward_specialist": make_officer(R.SPECIALIST, "H26.501", full_name="Chuyên viên phường"),
        "ward_leader": make_officer(R.UNIT_LEADER, "H26.501", full_name="Lãnh đạo phường"),
        "ward_leader2": make_officer(R.UNIT_LEADER, "H26.501", full_name="Phó lãnh đạo phường"),
    }
    return {**people, **extra}


_DOCS = {}


def _docs(code):
    from kycuong.catalog.queries import procedure_by_code

    if code not in _DOCS:
        _DOCS[code] = [d.pk for d in procedure_by_code(code, on_date=hn(2026, 3, 2).date()).documents.all()]
    return list(_DOCS[code])


def _dossiers(p, receive):
    """One dossier per reachable situation, each driven there by the services."""
    at = hn(2026, 3, 2, 9)
    made = {}
    online = services.submit_online(p["citizen"], procedure_code=PROC, applicant=Applicant(name="Hoàng Thị Mai"),
                                    deciding_unit=p["specialist"].unit, documents=_docs(PROC), at=at)
    made["submitted_online"] = online.code
    made["received"] = receive(at=at).code
    made["supplement_at_intake"] = receive(at=at, outcome="supplement", reason="Thiếu", documents=[]).code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1), assignee_id=p["specialist"].pk)
    made["examining_assigned"] = code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1))
    made["examining_unassigned"] = code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1), assignee_id=p["specialist"].pk)
    act(code, "handover", p["specialist"], at=at + timedelta(hours=2))
    made["leader_step"] = code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1), assignee_id=p["specialist"].pk)
    act(code, "request_supplement", p["specialist"], at=at + timedelta(hours=2), reason="Thiếu")
    made["supplement_in_processing"] = code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1), assignee_id=p["specialist"].pk)
    act(code, "request_payment", p["specialist"], at=at + timedelta(hours=2), amount_vnd=1000)
    made["payment"] = code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1), assignee_id=p["specialist"].pk)
    act(code, "apologize", p["specialist"], at=at + timedelta(hours=2), reason="Chờ xác minh",
        new_due=hn(2026, 3, 20, 17))
    act(code, "handover", p["specialist"], at=at + timedelta(hours=3), assignee_id=p["leader"].pk)
    act(code, "handover", p["leader"], at=at + timedelta(hours=4), assignee_id=p["clerk"].pk)
    made["clerk_step_apologized"] = code
    code = receive(at=at).code
    act(code, "start_processing", p["counter"], at=at + timedelta(hours=1), assignee_id=p["specialist"].pk)
    act(code, "handover", p["specialist"], at=at + timedelta(hours=2), assignee_id=p["leader"].pk)
    act(code, "handover", p["leader"], at=at + timedelta(hours=3), assignee_id=p["clerk"].pk)
    act(code, "finish", p["clerk"], at=at + timedelta(hours=4))
    made["finished"] = receive(at=at).code  # walked the same way just below, left in state 9
    for user, action, extra in ((p["counter"], "start_processing", {"assignee_id": p["specialist"].pk}),
                                (p["specialist"], "handover", {"assignee_id": p["leader"].pk}),
                                (p["leader"], "handover", {"assignee_id": p["clerk"].pk}), (p["clerk"], "finish", {})):
        act(made["finished"], action, user, at=at + timedelta(hours=4), **extra)
    act(code, "return_result", p["counter"], at=at + timedelta(hours=5))
    made["returned"] = code
    code = receive(at=at).code
    act(code, "stop", p["specialist"], at=at + timedelta(hours=1), reason="Dừng")
    made["stopped"] = code
    for kind, actor, action in (("refused", p["specialist"], "refuse"), ("withdrawn", p["citizen"], "withdraw")):
        d = services.submit_online(p["citizen"], procedure_code=PROC, applicant=Applicant(name="Hoàng Thị Mai"),
                                   deciding_unit=p["specialist"].unit, documents=_docs(PROC), at=at)
        act(d.code, action, actor, at=at + timedelta(hours=1), reason="Lý do")
        made[kind] = d.code
    # A ward dossier the dissolved Quận Hoàn Kiếm (H26.901) left to Phường Hoàn Kiếm (H26.501).
    ward = receive_at_counter(p["ward_counter"], procedure_code="1.001193", applicant=Applicant(name="Lê Văn B"),
                              documents=_docs("1.001193"), at=at)
    district = Unit.objects.get(code="H26.901")
    Dossier.objects.filter(pk=ward.pk).update(unit=district, receiving_unit=district)
    ward.steps.update(unit=district, assignee=None)
    made["successor_received"] = ward.code
    return made


def _apology_edge(dossier):
    """The last instant at which one working day is still left before the appointment."""
    cal, due = calendar_for(dossier.receiving_unit), dossier.due_at
    lo, hi = due - timedelta(days=10), due  # elapsed(lo, due) ≥ 8 h > elapsed(hi, due)
    while hi - lo > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        if cal.elapsed(mid, due) >= timedelta(hours=8):
            lo = mid
        else:
            hi = mid
    return lo


def _params(action, dossier, users):
    step = dossier.current_step
    params = {"reason": "Lý do", "note": "", "documents": _docs(dossier.procedure.code), "amount_vnd": 1000,
              "online": 0, "electronic": False, "new_due": (dossier.due_at or hn(2026, 3, 2, 9)) + timedelta(days=10),
              "assignee_id": None}
    if action == "reassign" and step is not None:
        params["assignee_id"] = next(
            (u.pk for u in users if u.pk != step.assignee_id and may_hold_step(u, step)), None)
    return {k: v for k, v in params.items() if k in ACTION_FIELDS[action]}


def _service_accepts(code, user, at, users):
    accepted = set()
    for action in ACT_ACTIONS:
        dossier = Dossier.objects.select_related("procedure", "current_step").get(code=code)
        try:
            with transaction.atomic():
                act(code, action, user, at=at, **_params(action, dossier, users))
                raise Rollback
        except Rollback:
            accepted.add(action)
        except DomainError:
            pass
    return accepted


def _attach_accepted(code, user, at):
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        with transaction.atomic():
            services.attach_result(code, user, SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf"),
                                   at=at)
            raise Rollback
    except Rollback:
        return True
    except DomainError:
        return False


AFTER_SETUP = hn(2026, 3, 2, 15)  # every dossier above was driven before this instant
CORE = ["counter", "specialist", "leader", "clerk", "citizen"]
USERS_PER_CASE = 3


def test_page_buttons_api_and_services_agree(client, receive, cast, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _DOCS.clear()
    users = list(cast.values())
    made = _dossiers(cast, receive)
    assert {Dossier.objects.get(code=c).state for c in made.values()} == set(range(1, 11))  # every state
    api = Api(client)
    seen_users, checked, turn = set(), 0, 0
    rest = sorted(set(cast) - set(CORE))
    for label, code in made.items():
        dossier = Dossier.objects.select_related("receiving_unit").get(code=code)
        instants = [hn(2026, 3, 5, 10)]
        if dossier.due_at is not None and dossier.state in (2, 4, 6):
            edge = _apology_edge(dossier)  # just before it the apology is allowed, just after it is not
            instants = [t for t in (edge - timedelta(minutes=1), edge + timedelta(minutes=1)) if t > AFTER_SETUP]
            instants = instants or [hn(2026, 3, 5, 10)]
        for at in instants:
            monkeypatch.setattr(timezone, "now", lambda at=at: at)
            # Bounded: the dossier's own people every time, the rest of the cast in turn (all of it for the
            # dissolved unit's dossier: own, other and successor unit side by side).
            names = CORE + [rest[(turn + j) % len(rest)] for j in range(USERS_PER_CASE)]
            turn += USERS_PER_CASE
            if label == "successor_received":
                names = sorted(cast)
            for name in names:
                user = cast[name]
                seen_users.add(name)
                fresh = Dossier.objects.select_related("unit", "receiving_unit", "current_step").get(code=code)
                expected = set(DOSSIER.allowed(user, fresh, at))
                service = _service_accepts(code, user, at, users)
                r = api.get(f"/dossiers/{code}", user=user)
                assert r.status_code in (200, 404), (label, name, r.content)
                api_set = {a["action"] for a in r.json()["allowed_actions"]} if r.status_code == 200 else set()
                assert api_set == service == expected - {"attach_result"}, (label, name, at, api_set, service)
                if user.is_officer:
                    client.force_login(user)
                    page = client.get(f"/mot-cua/{code}/")
                    client.logout()
                    assert page.status_code in (200, 404), (label, name)
                    html = page.content.decode() if page.status_code == 200 else ""
                    assert set(ACTION_RE.findall(html)) == api_set, (label, name, at, api_set)
                    attach = 'data-testid="result-form"' in html
                    assert attach == ("attach_result" in expected) == _attach_accepted(code, user, at), (label, name)
                checked += 1
    assert seen_users == set(cast) and checked >= 20 * USERS_PER_CASE
