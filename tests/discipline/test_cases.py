"""Disciplinary cases through the services (NĐ 172/2025/NĐ-CP): stored limits, deferrals, council,
step clocks, one measure per case, heavier during an active decision, recidivism, 12-month effect."""
from datetime import date

import pytest

from kycuong.core import events
from kycuong.core.errors import DomainError
from kycuong.discipline import sanctions, services
from kycuong.discipline.models import Case, Relation

from .conftest import hn


def violation(**kw):
    base = {"description": "Tự ý nghỉ việc 3 ngày", "severity": "minor", "committed_on": date(2026, 1, 5),
            "rule": "CBCC14-BOVIEC"}
    base.update(kw)
    return base


@pytest.fixture
def case(people):
    return services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                              violations=[violation()], at=hn(2026, 2, 2, 9))


def test_open_case_stores_limitation_deadline_and_first_step_clock(case):
    """Đ.5 k.3 (5 years for a khiển trách-level act), Đ.5 k.5 (90 days), Đ.16 (report within 3 working days)."""
    v = case.violations.get()
    assert (v.warranted, v.limitation_expires_on) == ("khien_trach", date(2031, 1, 5))
    assert case.deadline_on == date(2026, 5, 2)
    assert case.step == "report" and case.step_due_at == hn(2026, 2, 5, 9)
    assert [e.kind for e in events.timeline("case", str(case.pk))] == ["opened"]


def test_deferral_moves_the_deadline_and_blocks_the_notice(case, people):
    """Đ.3 and Đ.5 k.6: a maternity leave 1/3–30/3 is not counted; no notice during it."""
    services.add_deferral(people["inspector"], case.pk, reason="maternity", start=date(2026, 3, 1), end=date(2026, 3, 30))
    case.refresh_from_db()
    assert case.deadline_on == date(2026, 6, 1)
    with pytest.raises(DomainError) as err:
        services.notify_consideration(people["inspector"], case.pk, on=date(2026, 3, 15))
    assert err.value.code == "DISCIPLINE_DEFERRED"
    assert services.notify_consideration(people["inspector"], case.pk, on=date(2026, 4, 1)).notice_on == date(2026, 4, 1)


def test_limitation_expiry_refuses_the_notice(people):
    """Đ.5 k.3: an act that ended in 2019 and warrants khiển trách is out of time in 2026; Đ.5 k.4: a forged
    diploma has no limitation."""
    old = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                             violations=[violation(committed_on=date(2019, 1, 5))])
    with pytest.raises(DomainError) as err:
        services.notify_consideration(people["inspector"], old.pk, on=date(2026, 2, 10))
    assert err.value.code == "DISCIPLINE_LIMITATION_EXPIRED"
    forged = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                                violations=[violation(committed_on=date(2005, 1, 5), severity="serious",
                                                      no_limitation_reason="forged_diploma")])
    assert forged.violations.get().limitation_expires_on is None
    assert services.notify_consideration(people["inspector"], forged.pk, on=date(2026, 2, 10)).notice_on


def test_council_conflict_of_interest(case, people, official):
    """Đ.17: three members; Đ.2 k.11: not the person's relative."""
    a, b, c = (official("H26.104", n) for n in ("Thành viên A", "Thành viên B", "Thành viên C"))
    Relation.objects.create(official=people["me"], relative=c, kind="spouse")
    with pytest.raises(DomainError) as err:
        services.set_council(people["inspector"], case.pk, [a, b, c])
    assert err.value.details["problems"] == ["relative"]
    with pytest.raises(DomainError):
        services.set_council(people["inspector"], case.pk, [a, b])
    d = official("H26.104", "Thành viên D")
    services.set_council(people["inspector"], case.pk, [a, b, d])
    assert case.council.count() == 3


def test_steps_advance_on_working_day_clocks(case, people, official):
    """Đ.16–21: each next step gets its own limit in working days; the invitation step needs the council."""
    services.advance_step(people["inspector"], case.pk, at=hn(2026, 2, 5, 9))  # → council, 5 wd
    case.refresh_from_db()
    assert case.step == "council" and case.step_due_at == hn(2026, 2, 12, 9)
    with pytest.raises(DomainError):
        services.advance_step(people["inspector"], case.pk, at=hn(2026, 2, 6, 9))  # no council yet
    services.set_council(people["inspector"], case.pk, [official("H26.104", f"TV {i}") for i in range(3)])
    services.advance_step(people["inspector"], case.pk, at=hn(2026, 2, 6, 9))
    case.refresh_from_db()
    assert case.step == "invitation"


def test_one_measure_per_case_from_the_category_list(case, people):
    """Đ.7: cách chức is not offered to a công chức without a post; Đ.2 k.2: one decision per case;
    Đ.2 k.9: in force 12 months."""
    with pytest.raises(DomainError) as err:
        services.decide(people["inspector"], case.pk, measure="cach_chuc", decided_on=date(2026, 3, 1))
    assert err.value.code == "DISCIPLINE_MEASURE_NOT_ALLOWED"
    with pytest.raises(DomainError):
        services.decide(people["inspector"], case.pk, measure="bai_nhiem", decided_on=date(2026, 3, 1))  # cán bộ only
    decided = services.decide(people["inspector"], case.pk, measure="khien_trach", decided_on=date(2026, 3, 1))
    assert decided.lapses_on == date(2027, 3, 1)
    with pytest.raises(DomainError):
        services.decide(people["inspector"], case.pk, measure="canh_cao", decided_on=date(2026, 3, 2))


def test_heaviest_act_sets_the_floor(people):
    """Đ.2 k.2: a case with a minor and a serious act ends in one measure, at least cảnh cáo."""
    c = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 2, 2),
                           violations=[violation(), violation(severity="serious", description="Nhũng nhiễu",
                                                              rule="CBCC14-NHUNGNHIEU")])
    assert services.required_measure(c) == "canh_cao"
    with pytest.raises(DomainError):
        services.decide(people["inspector"], c.pk, measure="khien_trach", decided_on=date(2026, 3, 1))
    assert services.decide(people["inspector"], c.pk, measure="canh_cao", decided_on=date(2026, 3, 1)).measure == "canh_cao"


def test_a_new_act_during_an_active_decision_is_one_level_heavier_and_recidivism_is_noted(case, people):
    """Đ.2 k.3 and Đ.2 k.8: the same act again 6 months after a khiển trách took effect → at least cảnh cáo,
    and the decision event records the recidivism."""
    services.decide(people["inspector"], case.pk, measure="khien_trach", decided_on=date(2026, 3, 1))
    again = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2026, 9, 2),
                               violations=[violation(committed_on=date(2026, 9, 1))])
    assert services.required_measure(again) == "canh_cao"
    assert services.is_recidivist(again)
    services.decide(people["inspector"], again.pk, measure="canh_cao", decided_on=date(2026, 9, 20))
    assert events.timeline("case", str(again.pk)).last().data["recidivism"] is True
    later = services.open_case(people["inspector"], official=people["me"], discovered_on=date(2027, 12, 2),
                               violations=[violation(committed_on=date(2027, 11, 1), rule="CBCC14-PHANBIET")])
    assert services.required_measure(later) == "khien_trach"  # both decisions lapsed (Đ.2 k.9)


def test_only_inspectors_of_the_subtree_handle_cases(people):
    for who in ("leader", "specialist", "dept_inspector", "secretary"):
        with pytest.raises(DomainError):
            services.open_case(people[who], official=people["me"], discovered_on=date(2026, 2, 2),
                               violations=[violation()])
    assert not Case.objects.exists()


def test_no_case_for_lao_dong(people, official):
    worker = official("H26.104", "Hợp đồng lao động", category="lao_dong")
    with pytest.raises(DomainError):
        services.open_case(people["inspector"], official=worker, discovered_on=date(2026, 2, 2), violations=[violation()])
    assert sanctions.measures_for("lao_dong") == ()


def test_case_page_records_deferral_council_and_decision(case, people, official, client):
    """The inspector's case page: a deferral moves the deadline (Đ.5 k.6), the council refuses a relative
    (Đ.2 k.11), and one measure is decided (Đ.2 k.2)."""
    a, b, c = (official("H26.104", n) for n in ("Thành viên A", "Thành viên B", "Vợ Người Bị Xem Xét"))
    Relation.objects.create(official=people["me"], relative=c, kind="spouse")
    client.force_login(people["inspector"])
    url = f"/ky-luat/vu-viec/{case.pk}/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "defer", "reason": "illness", "start": "2026-03-01", "end": "2026-03-10"})
    case.refresh_from_db()
    assert case.deadline_on == date(2026, 5, 12)
    page = client.post(url, {"action": "council", "members": [a.pk, b.pk, c.pk]}, follow=True).content.decode()
    assert "người thân" in page and case.council.count() == 0
    d = official("H26.104", "Thành viên D")
    client.post(url, {"action": "council", "members": [a.pk, b.pk, d.pk]})
    assert case.council.count() == 3
    client.post(url, {"action": "decide", "measure": "khien_trach"})
    case.refresh_from_db()
    assert case.state == "decided" and case.measure == "khien_trach"
    client.force_login(people["leader"])  # sees the case (subtree) but does not handle it
    assert client.post(url, {"action": "decide", "measure": "canh_cao"}, follow=True).status_code == 200
    case.refresh_from_db()
    assert case.measure == "khien_trach"
