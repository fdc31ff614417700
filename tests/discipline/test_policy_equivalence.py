"""One place decides (docs/design.md rule 2): for every aggregate, objects in each reachable state (made through the
services), every role, own / other / successor unit — the page's buttons, the API's `allowed_actions` and what
the service accepts (each action tried in a rolled-back savepoint) are the policy's answer, exactly."""
import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from kycuong.core.errors import DomainError
from kycuong.core.models import Unit
from kycuong.discipline import policy, services
from kycuong.discipline.models import Case, CaseProposal, Invitation, Meeting, Relation, Task

from .conftest import hn

ROLES = ["secretary", "city_leader", "inspector", "dept_inspector", "leader", "other_leader", "specialist", "citizen",
         "ward_leader", "ward_inspector", "ward_clerk", "insp104"]
DAY_BEFORE, DURING, NEXT_DAY = hn(2026, 3, 5, 9), hn(2026, 3, 6, 9), hn(2026, 3, 9, 9)


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


class _Rollback(Exception):
    pass


def accepts(call) -> bool:
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except DomainError:
        return False


def buttons(html, **attrs) -> set:
    """The data-action of the page's buttons; with attrs, only those naming that object (data-invitation …)."""
    found = set()
    for tag in re.findall(r"<button[^>]*data-action=[^>]*>", html):
        named = re.findall(r'data-(invitation|proposal)="(\d+)"', tag)
        if dict(named) == {k: str(v) for k, v in attrs.items()}:
            found.add(re.search(r'data-action="(\w+)"', tag).group(1))
    return found


@pytest.fixture
def clock(monkeypatch):
    c = Clock(hn(2026, 3, 2, 9))
    monkeypatch.setattr(timezone, "now", c)
    return c


@pytest.fixture
def cast(people, make_officer, official):
    """The conftest's people, the officers of the ward that succeeded the dissolved Quận Hoàn Kiếm (H26.901),
    an inspector of Sở Tư pháp who is an official there (and a relative of Trần Văn Minh), an official of the
    dissolved district, and three council members."""
    R = make_officer.Role
    ward = Unit.objects.get(code="H26.901").successor
    p = dict(people)
    p["ward_leader"] = make_officer(R.UNIT_LEADER, ward.code, full_name="Lãnh đạo phường")
    p["ward_inspector"] = make_officer(R.INSPECTOR, ward.code, full_name="Thanh tra phường")
    p["ward_clerk"] = make_officer(R.CLERK, ward.code, full_name="Văn thư phường")
    p["insp104"] = make_officer(R.INSPECTOR, "H26.104", full_name="Thanh tra Sở Tư pháp")
    p["insp104_off"] = official("H26.104", "Thanh tra Sở Tư pháp", user=p["insp104"])
    Relation.objects.create(official=p["me"], relative=p["insp104_off"], kind="sibling")
    p["old"] = official("H26.901", "Cán bộ quận cũ")
    p["members"] = [official("H26.104", f"Thành viên {i}") for i in range(3)]
    return p


def check(client, cast, book, load, at, clock, *, service, page=None, api=None, roles=ROLES):
    """Compare, role by role, the policy with the page, the API and the services for the object `load()`."""
    clock.at = at
    diffs = []
    for role in roles:
        user = cast[role] if role else None
        expected = set(book.allowed(user, load()))
        taken = {a for a, call in service.items() if accepts(lambda call=call, user=user: call(user, load()))}
        got = {"service": taken}
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        if page is not None:
            shown, exposed = page(client, load())
            got["page"] = shown | (expected - exposed)
        if api is not None and user is not None:
            got["api"] = set(api(client, load()))
        for where, actions in got.items():
            if actions != expected:
                diffs.append((role, where, sorted(actions), sorted(expected)))
    assert not diffs, diffs
    return True


def _get(client, url):
    r = client.get(url)
    return r.content.decode() if r.status_code == 200 else ""


def _api(client, url):
    r = client.get(url)
    return r.json() if r.status_code == 200 else None


# --- meetings and invitations ------------------------------------------------------------------------------------

@pytest.fixture
def meetings(cast, clock):
    city = Unit.objects.get(code="H26")
    u104, u105 = Unit.objects.get(code="H26.104"), Unit.objects.get(code="H26.105")
    sec = cast["secretary"]

    def make(title, unit=city, by=sec, day=6):
        return services.create_meeting(by, title=title, unit=unit, chair=cast["chair"], starts_at=hn(2026, 3, day, 8),
                                       ends_at=hn(2026, 3, day, 11), units=[(u104, "head"), (u105, "head")],
                                       officials=[cast["colleague"]])
    live = make("Giao ban")
    services.check_in(live.invitations.get(unit=u104, expected_rank="head").pk, at=hn(2026, 3, 6, 7, 55))
    i105 = live.invitations.get(unit=u105).pk
    services.check_in(i105, at=hn(2026, 3, 6, 8))
    services.check_out(i105, at=hn(2026, 3, 6, 8, 30))
    closed = make("Sơ kết")
    services.close_meeting(sec, closed.pk, at=hn(2026, 3, 6, 11, 5))
    concluded = make("Tổng kết")
    services.close_meeting(sec, concluded.pk, at=hn(2026, 3, 6, 11, 5))
    services.issue_conclusions(sec, concluded.pk, conclusions="Kết luận", at=hn(2026, 3, 9, 9))
    old = make("Họp quận cũ", unit=Unit.objects.get(code="H26.901"), by=cast["ward_clerk"])
    return {"live": live, "closed": closed, "concluded": concluded, "old": old}


MEETING_SERVICES = {
    "close": lambda u, m: services.close_meeting(u, m.pk),
    "draft_criticism": lambda u, m: services.draft_criticism(u, m.pk),
    "issue_conclusions": lambda u, m: services.issue_conclusions(u, m.pk, conclusions="Kết luận"),
}
INVITATION_SERVICES = {
    "reply": lambda u, i: services.reply(i.pk, accept=True, actor=u),
    "check_in": lambda u, i: services.check_in(i.pk, actor=u),
    "check_out": lambda u, i: services.check_out(i.pk, actor=u),
    "consent_leave": lambda u, i: services.consent_leave(u, i.pk, reason="Việc gấp"),
}


def _meeting_page(client, m):
    return buttons(_get(client, f"/ky-luat/hop/{m.pk}/")), set(policy.MEETING.transitions)


def _meeting_api(client, m):
    body = _api(client, f"/api/v1/discipline/meetings/{m.pk}")
    return body["allowed_actions"] if body else []


@pytest.mark.parametrize("name,at", [("live", DAY_BEFORE), ("live", DURING), ("closed", NEXT_DAY),
                                     ("concluded", NEXT_DAY), ("old", DURING)])
def test_meeting_buttons_api_and_services_agree(client, cast, meetings, clock, name, at):
    pk = meetings[name].pk
    check(client, cast, policy.MEETING, lambda: Meeting.objects.select_related("unit").get(pk=pk), at, clock,
          service=MEETING_SERVICES, page=_meeting_page, api=_meeting_api)


def _invitation_page(client, i):
    if client.session.get("_auth_user_id"):
        return buttons(_get(client, f"/ky-luat/hop/{i.meeting_id}/"), invitation=i.pk), {"check_in", "check_out",
                                                                                          "consent_leave"}
    token = services.token_for(i)
    shown = buttons(_get(client, f"/ky-luat/giay-moi/{token}/")) | buttons(_get(client, f"/ky-luat/diem-danh/{token}/"))
    return shown, {"reply", "check_in", "check_out"}


def _invitation_api(client, i):
    body = _api(client, f"/api/v1/discipline/meetings/{i.meeting_id}")
    return next((row["allowed_actions"] for row in body["invitations"] if row["id"] == i.pk), []) if body else []


@pytest.mark.parametrize("meeting,which,at", [
    ("live", "personal", DAY_BEFORE), ("live", "personal", DURING), ("live", "H26.104", DURING),
    ("live", "H26.105", DURING), ("closed", "H26.104", NEXT_DAY), ("old", "H26.104", DURING)])
def test_attendance_buttons_api_and_services_agree(client, cast, meetings, clock, meeting, which, at):
    m = meetings[meeting]
    inv = m.invitations.get(expected_rank="") if which == "personal" else m.invitations.get(unit__code=which,
                                                                                           expected_rank="head")
    load = lambda: Invitation.objects.select_related("meeting__unit", "official", "delegate").get(pk=inv.pk)
    check(client, cast, policy.INVITATION, load, at, clock, service=INVITATION_SERVICES, page=_invitation_page,
          api=_invitation_api, roles=[*ROLES, None])


# --- tasks ------------------------------------------------------------------------------------------------------

@pytest.fixture
def task_states(cast, clock):
    city, u104, old = (Unit.objects.get(code=c) for c in ("H26", "H26.104", "H26.901"))
    d = services.create_directive(cast["city_leader"], number="04/KH-UBND", issued_on=date(2026, 2, 2), doc_type="KH",
                                  title="Kế hoạch", unit=city,
                                  tasks=[(u104, t, hn(2026, 3, 10, 17)) for t in ("open", "reported", "returned",
                                                                                  "accepted", "self")]
                                  + [(old, "old", hn(2026, 3, 10, 17))])
    t = {x.title: x for x in d.tasks.all()}
    spec, boss = cast["specialist"], cast["city_leader"]
    services.report_task(spec, t["reported"].pk, text="Xong")
    r = services.report_task(spec, t["returned"].pk, text="Xong")
    services.review_report(boss, r.pk, accept=False, note="Thiếu")
    r = services.report_task(spec, t["accepted"].pk, text="Xong")
    services.review_report(boss, r.pk, accept=True)
    services.report_task(boss, t["self"].pk, text="Thành phố tự báo cáo")
    return t


def _pending(task):
    return task.reports.filter(decision="pending").last()


TASK_SERVICES = {
    "report": lambda u, t: services.report_task(u, t.pk, text="Báo cáo"),
    "accept": lambda u, t: services.review_report(u, _pending(t).pk if _pending(t) else 0, accept=True),
    "return": lambda u, t: services.review_report(u, _pending(t).pk if _pending(t) else 0, accept=False, note="Thiếu"),
}


@pytest.mark.parametrize("title", ["open", "reported", "returned", "accepted", "self", "old"])
def test_task_buttons_api_and_services_agree(client, cast, task_states, clock, title):
    pk = task_states[title].pk
    check(client, cast, policy.TASK, lambda: Task.objects.select_related("unit", "directive__unit").get(pk=pk),
          hn(2026, 3, 6, 9), clock, service=TASK_SERVICES,
          page=lambda c, t: (buttons(_get(c, f"/ky-luat/nhiem-vu/{t.pk}/")), set(policy.TASK.transitions)),
          api=lambda c, t: (_api(c, f"/api/v1/discipline/tasks/{t.pk}") or {}).get("allowed_actions", []))


# --- cases and proposals -----------------------------------------------------------------------------------------

def _violation(on=date(2026, 1, 5)):
    return [{"description": "Tự ý nghỉ việc", "severity": "minor", "committed_on": on, "rule": "CBCC14-BOVIEC"}]


@pytest.fixture
def case_states(cast, clock):
    insp = cast["inspector"]

    def open_on(who):
        return services.open_case(insp, official=cast[who], discovered_on=date(2026, 2, 2), violations=_violation(),
                                  at=hn(2026, 2, 2, 9))
    c = {"relative": open_on("me"), "open": open_on("colleague"), "own": open_on("insp104_off"),
         "old": open_on("old"), "deferred": open_on("colleague"), "council_step": open_on("colleague"),
         "invitation_step": open_on("colleague"), "decided": open_on("colleague")}
    services.add_deferral(insp, c["deferred"].pk, reason="illness", start=date(2026, 3, 1), end=date(2026, 3, 20))
    services.advance_step(insp, c["council_step"].pk, at=hn(2026, 2, 5, 9))
    services.advance_step(insp, c["invitation_step"].pk, at=hn(2026, 2, 5, 9))
    services.set_council(insp, c["invitation_step"].pk, cast["members"])
    services.advance_step(insp, c["invitation_step"].pk, at=hn(2026, 2, 6, 9))
    services.decide(insp, c["decided"].pk, measure="khien_trach", decided_on=date(2026, 2, 20))
    return c


def _case_services(cast):
    today = lambda: timezone.localdate()
    return {
        "notify": lambda u, c: services.notify_consideration(u, c.pk, on=today()),
        "defer": lambda u, c: services.add_deferral(u, c.pk, reason="illness", start=today(), end=today() + timedelta(days=3)),
        "set_council": lambda u, c: services.set_council(u, c.pk, cast["members"]),
        "advance": lambda u, c: services.advance_step(u, c.pk),
        "decide": lambda u, c: services.decide(u, c.pk, measure=services.required_measure(c), decided_on=today()),
    }


@pytest.mark.parametrize("name", ["relative", "open", "own", "old", "deferred", "council_step", "invitation_step",
                                  "decided"])
def test_case_buttons_api_and_services_agree(client, cast, case_states, clock, name):
    pk = case_states[name].pk
    check(client, cast, policy.CASE, lambda: Case.objects.select_related("official", "unit").get(pk=pk),
          hn(2026, 3, 6, 9), clock, service=_case_services(cast),
          page=lambda c, x: (buttons(_get(c, f"/ky-luat/vu-viec/{x.pk}/")), set(policy.CASE.transitions)),
          api=lambda c, x: (_api(c, f"/api/v1/discipline/cases/{x.pk}") or {}).get("allowed_actions", []))


@pytest.fixture
def proposal_states(cast, clock):
    """Three admonitions within 12 months propose a case (docs/legal/discipline.md §6.2): one on Trần Văn Minh (a relative of
    the Sở Tư pháp inspector), one on the official of the dissolved district, one set aside."""
    made = {}
    for key, who, by in (("relative", "me", "leader"), ("old", "old", "ward_leader"), ("dismissed", "colleague", "leader")):
        o = cast[who]
        for n in range(3):
            services.admonish(cast[by], unit=o.unit, official=o, kind="nhac_nho", reason=f"Lần {n}",
                              issued_on=date(2026, 1, 5 + n))
        made[key] = CaseProposal.objects.get(official=o)
    services.dismiss_proposal(cast["inspector"], made["dismissed"].pk, reason="Đã khắc phục")
    return made


PROPOSAL_SERVICES = {
    "open": lambda u, p: services.open_proposal(u, p.pk, discovered_on=timezone.localdate()),
    "dismiss": lambda u, p: services.dismiss_proposal(u, p.pk),
}


@pytest.mark.parametrize("name", ["relative", "old", "dismissed"])
def test_proposal_buttons_and_services_agree(client, cast, proposal_states, clock, name):
    pk = proposal_states[name].pk
    check(client, cast, policy.PROPOSAL, lambda: CaseProposal.objects.select_related("official", "unit").get(pk=pk),
          hn(2026, 3, 6, 9), clock, service=PROPOSAL_SERVICES,
          page=lambda c, p: (buttons(_get(c, "/ky-luat/vu-viec/"), proposal=p.pk), set(policy.PROPOSAL.transitions)))


# --- what may be started on an official ---------------------------------------------------------------------------

SUBJECT_SERVICES = {
    "record_conduct": lambda u, o: services.record_conduct(u, unit=o.unit, official=o, source_kind="inspection",
                                                           source_ref="KT-EQ", description="Đi muộn"),
    "admonish": lambda u, o: services.admonish(u, unit=o.unit, official=o, kind="nhac_nho", reason="Đi muộn",
                                               issued_on=timezone.localdate()),
    "open_case": lambda u, o: services.open_case(u, official=o, discovered_on=timezone.localdate(),
                                                 violations=_violation()),
}


@pytest.mark.parametrize("who", ["me", "head105", "insp104_off", "old"])
def test_official_page_and_services_agree(client, cast, clock, who):
    from kycuong.core.models import Official

    pk = cast[who].pk
    check(client, cast, policy.SUBJECT, lambda: Official.objects.select_related("unit").get(pk=pk),
          hn(2026, 3, 6, 9), clock, service=SUBJECT_SERVICES,
          page=lambda c, o: (buttons(_get(c, f"/ky-luat/can-bo/{o.pk}/")), {"record_conduct", "admonish"}))
