"""Access (docs/design.md rule 4): an official sees only their own records; leaders and inspectors see their unit
subtree; organisers (clerks as meeting secretaries) manage their unit's meetings. Every role against every
page and endpoint of the app."""
from datetime import date

import pytest

from kycuong.core.models import Unit
from kycuong.core.tokens import issue_token
from kycuong.discipline import services

from .conftest import hn

ROLES = ["secretary", "city_leader", "inspector", "dept_inspector", "leader", "other_leader", "specialist",
         "specialist2", "citizen", "anonymous"]


@pytest.fixture
def world(people, official):
    """A record, an admonition and a case on Trần Văn Minh (Sở Tư pháp, account "specialist"), one record on
    the head of Sở Xây dựng, a city meeting inviting both departments, a letter and a task for each."""
    me, head105 = people["me"], people["head105"]
    services.record_conduct(people["leader"], unit=me.unit, official=me, source_kind="inspection",
                            source_ref="KT-01", description="Không đeo thẻ công chức")
    services.record_conduct(people["other_leader"], unit=head105.unit, official=head105, source_kind="inspection",
                            source_ref="KT-02", description="Đi muộn")
    case = services.open_case(people["inspector"], official=me, discovered_on=date(2026, 2, 2),
                              violations=[{"description": "Bỏ việc", "severity": "minor", "committed_on": date(2026, 1, 5)}])
    city = Unit.objects.get(code="H26")
    meeting = services.create_meeting(
        people["secretary"], title="Giao ban", unit=city, chair=people["chair"], starts_at=hn(2026, 3, 6, 8),
        ends_at=hn(2026, 3, 6, 11), units=[(Unit.objects.get(code="H26.104"), "head"), (Unit.objects.get(code="H26.105"), "head")])
    services.close_meeting(people["secretary"], meeting.pk, at=hn(2026, 3, 6, 11, 5))
    letter = services.draft_criticism(people["secretary"], meeting.pk, at=hn(2026, 3, 9, 9))
    directive = services.create_directive(
        people["city_leader"], number="04/KH-UBND", issued_on=date(2026, 2, 2), doc_type="KH", title="Kế hoạch",
        unit=city, tasks=[(Unit.objects.get(code="H26.104"), "Nhiệm vụ Sở Tư pháp", hn(2026, 3, 10, 17)),
                          (Unit.objects.get(code="H26.105"), "Nhiệm vụ Sở Xây dựng", hn(2026, 3, 10, 17))])
    return {"me": me, "case": case, "meeting": meeting, "letter": letter,
            "task104": directive.tasks.get(unit__code="H26.104"), "task105": directive.tasks.get(unit__code="H26.105")}


def client_for(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


# expected status per role: 200 shown, 403 refused, 404 outside scope, 302 to sign-in
OFFICIAL_PAGE = {"secretary": 404, "city_leader": 200, "inspector": 200, "dept_inspector": 404, "leader": 200,
                 "other_leader": 404, "specialist": 200, "specialist2": 404, "citizen": 403, "anonymous": 302}
OVERSEER_ONLY = {"secretary": 403, "city_leader": 200, "inspector": 200, "dept_inspector": 200, "leader": 200,
                 "other_leader": 200, "specialist": 403, "specialist2": 403, "citizen": 403, "anonymous": 302}
EVERY_OFFICER = {r: 200 for r in ROLES} | {"citizen": 403, "anonymous": 302}
MEETING = {"secretary": 200, "city_leader": 200, "inspector": 200, "dept_inspector": 404, "leader": 200,
           "other_leader": 200, "specialist": 404, "specialist2": 404, "citizen": 403, "anonymous": 302}
LETTER = {"secretary": 200, "city_leader": 200, "inspector": 200, "dept_inspector": 404, "leader": 404,
          "other_leader": 404, "specialist": 404, "specialist2": 404, "citizen": 403, "anonymous": 302}
CASE = {"secretary": 404, "city_leader": 200, "inspector": 200, "dept_inspector": 404, "leader": 200,
        "other_leader": 404, "specialist": 200, "specialist2": 404, "citizen": 403, "anonymous": 302}
TASK104 = {"secretary": 200, "city_leader": 200, "inspector": 200, "dept_inspector": 404, "leader": 200,
           "other_leader": 404, "specialist": 200, "specialist2": 200, "citizen": 403, "anonymous": 302}

PAGES = [
    ("home", lambda w: "/ky-luat/", EVERY_OFFICER),
    ("mine", lambda w: "/ky-luat/cua-toi/", EVERY_OFFICER),
    ("officials", lambda w: "/ky-luat/can-bo/", OVERSEER_ONLY),
    ("official", lambda w: f"/ky-luat/can-bo/{w['me'].pk}/", OFFICIAL_PAGE),
    ("meetings", lambda w: "/ky-luat/hop/", EVERY_OFFICER),
    ("meeting", lambda w: f"/ky-luat/hop/{w['meeting'].pk}/", MEETING),
    ("letter", lambda w: f"/ky-luat/van-ban/{w['letter'].pk}/", LETTER),
    ("letter_docx", lambda w: f"/ky-luat/van-ban/{w['letter'].pk}/docx/", LETTER),
    ("tasks", lambda w: "/ky-luat/nhiem-vu/", EVERY_OFFICER),
    ("task", lambda w: f"/ky-luat/nhiem-vu/{w['task104'].pk}/", TASK104),
    ("cases", lambda w: "/ky-luat/vu-viec/", EVERY_OFFICER),
    ("case", lambda w: f"/ky-luat/vu-viec/{w['case'].pk}/", CASE),
    ("evaluation", lambda w: "/ky-luat/danh-gia.xlsx?year=2026", OVERSEER_ONLY),
]


@pytest.mark.parametrize("name,url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_for_every_role(world, people, client, name, url, expected):
    got = {}
    for role in ROLES:
        client.logout()
        got[role] = client_for(client, people, role).get(url(world)).status_code
    assert got == expected, name


@pytest.mark.parametrize("role", ROLES)
def test_records_content_is_scoped(world, people, client, role):
    """The official's own history shows their record; others' records never leak into lists or the API."""
    c = client_for(client, people, role)
    mine = c.get("/ky-luat/cua-toi/").content.decode() if role not in ("citizen", "anonymous") else ""
    assert ("Không đeo thẻ công chức" in mine) == (role == "specialist")
    if role in ("citizen", "anonymous"):
        return
    api = c.get("/api/v1/discipline/records")
    assert api.status_code == 200
    refs = sorted(r["source_ref"] for r in api.json() if r["source_ref"].startswith("KT"))
    expected = {"city_leader": ["KT-01", "KT-02"], "inspector": ["KT-01", "KT-02"], "leader": ["KT-01"],
                "other_leader": ["KT-02"], "dept_inspector": ["KT-02"], "specialist": ["KT-01"]}.get(role, [])
    assert refs == expected


def test_api_needs_authentication(world, client):
    assert client.get("/api/v1/discipline/records").status_code == 401
    assert client.get("/api/v1/discipline/tasks").status_code == 401


@pytest.mark.parametrize("role,visible", [("leader", ["Nhiệm vụ Sở Tư pháp"]), ("other_leader", ["Nhiệm vụ Sở Xây dựng"]),
                                          ("city_leader", ["Nhiệm vụ Sở Tư pháp", "Nhiệm vụ Sở Xây dựng"]),
                                          ("specialist", ["Nhiệm vụ Sở Tư pháp"])])
def test_tasks_api_by_bearer_token_is_scoped(world, people, client, role, visible):
    _row, token = issue_token(people[role])
    rows = client.get("/api/v1/discipline/tasks", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert sorted(r["title"] for r in rows) == visible
    assert {r["status"] for r in rows} <= {"open", "overdue_open"}


def test_meeting_api_and_outside_scope_is_404(world, people, client):
    client.force_login(people["secretary"])
    body = client.get(f"/api/v1/discipline/meetings/{world['meeting'].pk}").json()
    assert {i["final_state"] for i in body["invitations"]} == {"absent_unreported"}
    client.force_login(people["dept_inspector"])
    r = client.get(f"/api/v1/discipline/meetings/{world['meeting'].pk}")
    assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"


def test_secretary_actions_refused_outside_scope(world, people, client):
    client.force_login(people["leader"])  # invited, not the organiser
    r = client.post(f"/ky-luat/hop/{world['meeting'].pk}/thao-tac/", {"action": "draft"}, follow=True)
    assert "Bạn không có quyền" in r.content.decode()


def test_evaluation_export_only_lists_the_subtree_and_marks_discipline(world, people, client):
    """NĐ 90/2020 inputs; any disciplinary measure in the year ⇒ "Không hoàn thành nhiệm vụ" (docs/legal/discipline.md §6.4)."""
    import io

    from openpyxl import load_workbook

    services.decide(people["inspector"], world["case"].pk, measure="khien_trach", decided_on=date(2026, 3, 1))
    client.force_login(people["leader"])
    wb = load_workbook(io.BytesIO(client.get("/ky-luat/danh-gia.xlsx?year=2026").content))
    rows = list(wb.active.iter_rows(values_only=True))
    names = {r[0]: r for r in rows[1:]}
    assert set(names) == {"Trần Văn Minh", "Đỗ Thị Hồng", "Lê Hoàng Nam"}
    assert names["Trần Văn Minh"][9] == "Không hoàn thành nhiệm vụ"
    assert names["Đỗ Thị Hồng"][9] in ("", None)
