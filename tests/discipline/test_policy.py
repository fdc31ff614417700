"""The discipline rulebooks (kycuong.discipline.policy): every transition cites its basis, refusals are typed
(403 who, 409 when), and each guard added with the tables holds, named by its article."""
import re
from datetime import date

import pytest

from kycuong.core.errors import Conflict, DomainError
from kycuong.core.errors import NotPermitted as CoreNotPermitted
from kycuong.core.models import Unit
from kycuong.discipline import policy, services
from kycuong.discipline.errors import NotPermitted, WrongState
from kycuong.discipline.models import Relation

from .conftest import hn

CITATION = re.compile(r"(NĐ|QĐ|Luật|docs/legal/|Văn bản)")


def test_every_transition_cites_its_basis_and_the_readme_prints_the_tables():
    from pathlib import Path

    readme = (Path(policy.__file__).parents[1] / "README.md").read_text()
    for name, book in policy.BOOKS.items():
        for row in book.table():
            assert CITATION.search(row["basis"]), (name, row["action"])
    assert policy.markdown().rstrip() in readme  # regenerate with policy.markdown() when a table changes


def test_who_is_403_and_not_a_conflict_when_is_409():
    assert issubclass(NotPermitted, CoreNotPermitted) and not issubclass(NotPermitted, Conflict)
    assert NotPermitted.status == 403 and WrongState.status == 409


@pytest.fixture
def meeting(people):
    return services.create_meeting(people["secretary"], title="Giao ban", unit=Unit.objects.get(code="H26"),
                                   chair=people["chair"], starts_at=hn(2026, 3, 6, 8), ends_at=hn(2026, 3, 6, 11),
                                   units=[(Unit.objects.get(code="H26.104"), "head")])


def test_a_meeting_is_closed_only_once_it_has_begun(meeting, people):
    """QĐ 45/2018/QĐ-TTg Đ.15 (on time, for the whole meeting): closing before the start would record every
    invitee absent — refused (409); after the start it is taken."""
    with pytest.raises(WrongState):
        services.close_meeting(people["secretary"], meeting.pk, at=hn(2026, 3, 6, 7, 30))
    assert services.close_meeting(people["secretary"], meeting.pk, at=hn(2026, 3, 6, 11, 5)).state == "closed"


def test_leaving_early_needs_the_chairs_consent_recorded_once_and_not_by_the_leaver(people):
    """QĐ 45/2018/QĐ-TTg Đ.15: leave early only with the chair's consent — the person leaving (here the head of
    Sở Tư pháp, who is also a unit leader and so an organiser) cannot record it for themself (403); the
    secretary records it once (a second time is 409)."""
    own_meeting = services.create_meeting(
        people["secretary"], title="Họp Sở Tư pháp", unit=Unit.objects.get(code="H26.104"), chair=people["chair"],
        starts_at=hn(2026, 3, 6, 8), ends_at=hn(2026, 3, 6, 11), officials=[people["head104"]])
    inv = own_meeting.invitations.get()
    services.check_in(inv.pk, at=hn(2026, 3, 6, 7, 55))
    with pytest.raises(NotPermitted) as own:
        services.consent_leave(people["leader"], inv.pk, at=hn(2026, 3, 6, 9))
    assert own.value.code == "DISCIPLINE_SELF_CONSENT" and own.value.status == 403
    services.consent_leave(people["secretary"], inv.pk, reason="Việc đột xuất", at=hn(2026, 3, 6, 9))
    with pytest.raises(WrongState) as again:
        services.consent_leave(people["secretary"], inv.pk, at=hn(2026, 3, 6, 9, 5))
    assert again.value.code == "DISCIPLINE_ALREADY_DONE"


def test_check_in_and_out_are_taken_once(meeting, people):
    """QĐ 45/2018/QĐ-TTg Đ.15: one arrival and one departure per invitee; a second scan is refused (409)."""
    inv = meeting.invitations.get()
    services.check_in(inv.pk, at=hn(2026, 3, 6, 7, 55))
    with pytest.raises(WrongState):
        services.check_in(inv.pk, at=hn(2026, 3, 6, 8, 5))
    services.check_out(inv.pk, at=hn(2026, 3, 6, 11))
    with pytest.raises(WrongState):
        services.check_out(inv.pk, at=hn(2026, 3, 6, 11, 1))


def violation(on=date(2026, 1, 5)):
    return [{"description": "Tự ý nghỉ việc", "severity": "minor", "committed_on": on, "rule": "CBCC14-BOVIEC"}]


@pytest.fixture
def case(people):
    return services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                              violations=violation(), at=hn(2026, 2, 2, 9))


def test_no_step_and_no_decision_while_a_deferral_lasts(case, people):
    """NĐ 172/2025/NĐ-CP Đ.3: no disciplinary consideration while the person is ill, on maternity leave or
    prosecuted — the case neither advances nor is decided in that time (409), and resumes after it."""
    insp = people["inspector"]
    services.add_deferral(insp, case.pk, reason="maternity", start=date(2026, 3, 1), end=date(2026, 3, 30))
    with pytest.raises(DomainError) as err:
        services.advance_step(insp, case.pk, at=hn(2026, 3, 10, 9))
    assert (err.value.code, err.value.status) == ("DISCIPLINE_DEFERRED", 409)
    with pytest.raises(DomainError) as err:
        services.decide(insp, case.pk, measure="khien_trach", decided_on=date(2026, 3, 10))
    assert err.value.code == "DISCIPLINE_DEFERRED"
    assert services.advance_step(insp, case.pk, at=hn(2026, 4, 1, 9)).step == "council"


def test_the_case_page_says_why_a_step_waits(case, people, client, monkeypatch):
    """NĐ 172/2025/NĐ-CP Đ.3 on the page: during a deferral the handler sees no decide button, and the reason."""
    from django.utils import timezone

    services.add_deferral(people["inspector"], case.pk, reason="illness", start=date(2026, 3, 1), end=date(2026, 3, 30))
    monkeypatch.setattr(timezone, "now", lambda: hn(2026, 3, 10, 9))
    client.force_login(people["inspector"])
    page = client.get(f"/ky-luat/vu-viec/{case.pk}/").content.decode()
    assert 'data-action="decide"' not in page and 'data-action="defer"' in page
    assert "Đang trong thời gian chưa xem xét xử lý kỷ luật" in page


def test_the_council_is_fixed_once_it_is_invited(case, people, official):
    """NĐ 172/2025/NĐ-CP Đ.17–18: the council is formed before the invitation to its meeting; from the
    invitation step on, its members no longer change (409)."""
    insp = people["inspector"]
    members = [official("H26.104", f"TV {i}") for i in range(3)]
    services.advance_step(insp, case.pk, at=hn(2026, 2, 5, 9))
    services.set_council(insp, case.pk, members)
    services.advance_step(insp, case.pk, at=hn(2026, 2, 6, 9))
    with pytest.raises(WrongState):
        services.set_council(insp, case.pk, [official("H26.104", f"Khác {i}") for i in range(3)])
    assert set(case.council.values_list("pk", flat=True)) == {m.pk for m in members}


def test_the_official_and_their_relatives_do_not_handle_their_own_case(people, make_officer, official):
    """NĐ 172/2025/NĐ-CP Đ.2 k.11 (relatives may not sit on the council nor chair the review), applied to whoever
    handles the case: an inspector may not open, or act on, a case about themself or a relative (403); another
    inspector of the same scope may."""
    own = make_officer(make_officer.Role.INSPECTOR, "H26.104", full_name="Thanh tra Sở Tư pháp")
    own_off = official("H26.104", "Thanh tra Sở Tư pháp", user=own)
    for target in (own_off, people["me"]):
        if target is people["me"]:
            Relation.objects.create(official=own_off, relative=people["me"], kind="spouse")
        with pytest.raises(NotPermitted) as err:
            services.open_case(own, official=target, discovered_on=date(2026, 2, 2), violations=violation())
        assert err.value.code == "DISCIPLINE_OWN_CASE"
    c = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                           violations=violation())
    assert "decide" not in policy.CASE.allowed(own, c) and "decide" in policy.CASE.allowed(people["inspector"], c)
    with pytest.raises(NotPermitted):
        services.decide(own, c.pk, measure="khien_trach", decided_on=date(2026, 2, 20))
    colleague = services.open_case(own, official=people["colleague"], discovered_on=date(2026, 2, 2),
                                   violations=violation())
    assert colleague.official == people["colleague"]


def test_the_reporter_does_not_review_their_own_report(people):
    """Separation of duties on tasks: the city leader may report for a unit of the city, but then the report
    is reviewed by someone else of the issuing unit (403 for the reporter)."""
    city = Unit.objects.get(code="H26")
    d = services.create_directive(people["city_leader"], number="04/KH-UBND", issued_on=date(2026, 2, 2),
                                  doc_type="KH", title="Kế hoạch", unit=city,
                                  tasks=[(Unit.objects.get(code="H26.104"), "Rà soát", hn(2026, 3, 10, 17))])
    report = services.report_task(people["city_leader"], d.tasks.get().pk, text="Đã rà soát")
    with pytest.raises(NotPermitted) as err:
        services.review_report(people["city_leader"], report.pk, accept=True)
    assert err.value.code == "DISCIPLINE_SELF_REVIEW"
    assert services.review_report(people["secretary"], report.pk, accept=True).decision == "accepted"


def test_the_successor_units_inspector_handles_the_dissolved_districts_case(people, make_officer, official):
    """core.scope: the ward that succeeded Quận Hoàn Kiếm (dissolved 1/7/2025) acts on what the district left;
    an inspector of another department does not (403)."""
    old_unit = Unit.objects.get(code="H26.901")
    ward_insp = make_officer(make_officer.Role.INSPECTOR, old_unit.successor.code, full_name="Thanh tra phường")
    old = official("H26.901", "Cán bộ quận cũ")
    c = services.open_case(ward_insp, official=old, discovered_on=date(2026, 2, 2), violations=violation())
    assert "decide" in policy.CASE.allowed(ward_insp, c)
    with pytest.raises(NotPermitted):
        services.open_case(people["dept_inspector"], official=old, discovered_on=date(2026, 2, 2),
                           violations=violation())


def test_a_proposal_is_opened_or_set_aside_once(people):
    """docs/legal/discipline.md §6.2: repeated admonitions only propose a case; the inspector opens it or sets it aside, once."""
    me = people["me"]
    for n in range(3):
        services.admonish(people["leader"], unit=me.unit, official=me, kind="nhac_nho", reason=f"Lần {n}",
                          issued_on=date(2026, 1, 5 + n))
    proposal = me.case_proposals.get()
    assert policy.PROPOSAL.allowed(people["leader"], proposal) == []
    services.dismiss_proposal(people["inspector"], proposal.pk, reason="Đã khắc phục")
    with pytest.raises(WrongState):
        services.open_proposal(people["inspector"], proposal.pk, discovered_on=date(2026, 2, 2))


def test_actor_kinds_follow_the_role_predicates_of_access(people):
    """policy.common's actor kinds are the role sets of access.py, for every role."""
    from kycuong.discipline.access import is_inspector, is_organiser, is_overseer
    from kycuong.discipline.policy.common import CASE_HANDLERS, ORGANISERS, OVERSEERS, actor_kind

    for user in (u for u in people.values() if hasattr(u, "role")):
        kind = actor_kind(user)
        assert (kind in OVERSEERS, kind in ORGANISERS, kind in CASE_HANDLERS) == (
            is_overseer(user), is_organiser(user), is_inspector(user)), user.role
