"""One place decides (docs/design.md rule 2): for reports in every reachable state, every role, own / other /
successor unit, the staff page's buttons == the API's `allowed_actions` == the actions the service accepts
(each tried in a rolled-back savepoint). Out of scope, all three agree the report does not exist."""
import re

import pytest
from django.db import transaction

from kycuong.core.errors import DomainError
from kycuong.core.tokens import issue_token
from kycuong.feedback import services
from kycuong.feedback.policy import TRANSITIONS

from .world import build

pytestmark = pytest.mark.django_db
BUTTON = re.compile(r'<button[^>]*data-action="(\w+)"')
UNSEEN = "unseen"
# One account per distinct position: department leader (own unit), branch counter (the conduct reports'
# unit), another department, the city inspectors (in charge / verifying), an inspector complained about,
# the successor ward's officer and inspector, an administrator, a citizen.
ACTORS = ("leader", "counter", "other", "inspector", "inspector2", "accused", "ward_officer", "ward_inspector",
          "admin", "citizen")


class _Rollback(Exception):
    pass


def _params(action, report, actors):
    other = "H26.105" if report.responsible_unit.code != "H26.105" else "H26.104"
    return {"confirm_unit": {}, "transfer": {"unit": other, "reason": "Thuộc lĩnh vực khác"},
            "refuse": {"reason": "Không thuộc phạm vi"}, "request_info": {"message": "Cho biết thêm"},
            "provide_info": {"text": "Thông tin thêm"}, "assign_verifier": {"verifier": actors["inspector2"].pk},
            "record_findings": {"findings": "Đã xác minh tại chỗ"},
            "conclude": {"conclusion": "unfounded", "findings": "Không có căn cứ"},
            "answer": {"answer": "Đã trả lời"}, "publish": {}}[action]


def _service_accepts(report, user, actors):
    """The actions services.act accepts, each in a savepoint rolled back; UNSEEN when out of scope."""
    accepted, unseen = set(), 0
    for action in TRANSITIONS:
        try:
            with transaction.atomic():
                services.act(report.code, action, user, **_params(action, report, actors))
                raise _Rollback
        except _Rollback:
            accepted.add(action)
        except DomainError as exc:
            assert exc.status in (403, 404, 409), (action, exc.code)  # a 422 would mean bad test input
            unseen += exc.status == 404
    assert unseen in (0, len(TRANSITIONS))
    return UNSEEN if unseen else accepted


def _page_buttons(client, report, user):
    client.force_login(user)
    response = client.get(f"/phan-anh/can-bo/{report.code}/")
    if response.status_code in (403, 404):
        return UNSEEN
    assert response.status_code == 200
    return set(BUTTON.findall(response.content.decode()))


def _api_allowed(client, report, token):
    response = client.get(f"/api/v1/feedback/reports/{report.code}", HTTP_AUTHORIZATION=f"Bearer {token}")
    if response.status_code in (403, 404):
        return UNSEEN
    body = response.json()
    assert body["actions"] == body["allowed_actions"]
    refused = {r["action"] for r in body["refused_actions"]}
    assert not refused & set(body["allowed_actions"])
    assert all(r["code"] and r["reason"] and r["label"] for r in body["refused_actions"])
    return set(body["allowed_actions"])


def test_page_buttons_api_and_service_agree_for_every_state_role_and_unit(client, people, make_officer):
    reports, actors = build(people, make_officer)
    tokens = {name: issue_token(actors[name])[1] for name in ACTORS}
    seen = {}
    for name in ACTORS:
        user = actors[name]
        for key, report in reports.items():
            page = _page_buttons(client, report, user)
            api = _api_allowed(client, report, tokens[name])
            service = _service_accepts(report, user, actors)
            assert page == api == service, (name, key, report.state, page, api, service)
            seen[(name, key)] = service
    # The table is exercised, not vacuous: every action is allowed somewhere and refused somewhere.
    allowed = set().union(*(s for s in seen.values() if s != UNSEEN))
    assert allowed == set(TRANSITIONS)
    # Succession: the ward's officer acts on what the dissolved district left; another department does not.
    assert {"confirm_unit", "refuse", "transfer"} <= seen[("ward_officer", "succ_received")]
    assert "answer" in seen[("ward_officer", "succ_processing")]
    assert seen[("other", "succ_received")] == UNSEEN
    # The inspector's oversight: conduct reports of the city, not its procedure reports.
    assert seen[("inspector", "cond_received")] >= {"confirm_unit"}
    assert seen[("inspector", "proc_received")] == UNSEEN
    assert seen[("ward_inspector", "succ_conduct")] >= {"confirm_unit"}
    assert seen[("ward_inspector", "cond_received")] == UNSEEN
    assert all(seen[("citizen", k)] == UNSEEN for k in reports)
    assert seen[("admin", "proc_received")] >= {"confirm_unit", "refuse"}
