"""Our discipline score from the records: each component for a ranked unit's subtree and a period
(docs/discipline-score.md), the weights in force, and the ranking in a fixed number of queries."""
from datetime import date
from decimal import Decimal as D

import pytest

from kycuong.core.models import Official, Unit
from kycuong.discipline.models import Attendance, Directive, Invitation, Meeting, Task
from kycuong.feedback.models import Conclusion, Kind, Report
from kycuong.feedback.workflow import State as RS
from kycuong.portal.models import Rating
from kycuong.scoreboard.discipline import queries as dq
from kycuong.scoreboard import queries
from kycuong.scoreboard.discipline.services import BadWeights, set_weights

from .conftest import hn

MARCH = queries.parse_period("2026-03")
LATER = hn(2026, 6, 1)  # "now" after the period: no live part


@pytest.fixture
def justice(city):
    """Sở Tư pháp (H26.104) with a division under it: 8 officials in the department, 2 in the division, one
    retired (not counted). Sở Xây dựng (H26.105) has none."""
    dept = Unit.objects.get(code="H26.104")
    from tests.factories import OfficialFactory, UnitFactory

    division = UnitFactory(code="H26.104.01", name="Phòng Hành chính tư pháp", kind=Unit.Kind.DIVISION, parent=dept)
    staff = OfficialFactory.create_batch(8, unit=dept) + OfficialFactory.create_batch(2, unit=division)
    OfficialFactory(full_name="Đã nghỉ", unit=dept, active=False)
    return {"dept": dept, "division": division, "staff": staff}


def _report(n, unit, **kw):
    at = kw.pop("at", hn(2026, 3, 2, 9))
    defaults = dict(code=f"PA-{n:04d}", kind=Kind.PROCEDURE, channel="portal", state=RS.PROCESSING, title="t",
                    text="x", responsible_unit=unit, submitted_at=at, clock_start_at=at, refuse_due_at=hn(2026, 3, 4, 17),
                    info_due_at=hn(2026, 3, 9, 17), handle_due_at=hn(2026, 3, 20, 17))
    defaults.update(kw)
    return Report.objects.create(**defaults)


@pytest.fixture
def records(justice):
    dept, division, staff = justice["dept"], justice["division"], justice["staff"]
    # (e) conduct reports: founded about a division official + partly founded naming the department count;
    # unfounded, or concluded in April, do not.
    _report(1, dept, kind=Kind.CONDUCT, official=staff[9], conclusion=Conclusion.FOUNDED, concluded_at=hn(2026, 3, 10, 9))
    _report(2, dept, kind=Kind.CONDUCT, named_unit=dept, conclusion=Conclusion.PARTLY_FOUNDED, concluded_at=hn(2026, 3, 11, 9))
    _report(3, dept, kind=Kind.CONDUCT, official=staff[0], conclusion=Conclusion.UNFOUNDED, concluded_at=hn(2026, 3, 12, 9))
    _report(4, dept, kind=Kind.CONDUCT, official=staff[0], conclusion=Conclusion.FOUNDED, concluded_at=hn(2026, 4, 2, 9))
    # (d) 5.2: handled on time (division), handled late, refused in time — ended in March; one ended in April.
    _report(5, division, state=RS.AWAITING_PUBLICATION, handled_at=hn(2026, 3, 19, 9))
    _report(6, dept, state=RS.PUBLISHED, handled_at=hn(2026, 3, 25, 9), overdue=["handle"])
    _report(7, dept, state=RS.REFUSED, refused_at=hn(2026, 3, 3, 9))
    _report(8, dept, state=RS.PUBLISHED, handled_at=hn(2026, 4, 2, 9), handle_due_at=hn(2026, 4, 10, 17))
    # (f) meetings of March: absent without reporting (division), late, left without consent count;
    # present and absent-with-report do not; a meeting in April does not.
    chair = staff[0]
    march = Meeting.objects.create(title="Giao ban", unit=dept, chair=chair, starts_at=hn(2026, 3, 5, 8),
                                   ends_at=hn(2026, 3, 5, 10), state=Meeting.State.CLOSED)
    april = Meeting.objects.create(title="Giao ban 4", unit=dept, chair=chair, starts_at=hn(2026, 4, 5, 8),
                                   ends_at=hn(2026, 4, 5, 10), state=Meeting.State.CLOSED)
    for unit, who, state in [
        (division, staff[8], Attendance.ABSENT_UNREPORTED), (dept, staff[1], Attendance.LATE),
        (dept, staff[2], Attendance.LEFT_UNREPORTED), (dept, staff[3], Attendance.PRESENT),
        (dept, staff[4], Attendance.ABSENT_REPORTED)]:
        Invitation.objects.create(meeting=march, unit=unit, official=who, final_state=state)
    Invitation.objects.create(meeting=april, unit=dept, official=staff[1], final_state=Attendance.LATE)
    # (c) tasks due in March: on time (division), late, still open past due; one due in April.
    directive = Directive.objects.create(number="1/KH-UBND", issued_on=date(2026, 2, 1), doc_type="KH", title="KH",
                                         unit=Unit.objects.get(code="H26"))
    Task.objects.create(directive=directive, unit=division, title="a", due_at=hn(2026, 3, 10, 17),
                        state=Task.State.ACCEPTED, done_at=hn(2026, 3, 9, 9))
    Task.objects.create(directive=directive, unit=dept, title="b", due_at=hn(2026, 3, 12, 17),
                        state=Task.State.ACCEPTED, done_at=hn(2026, 3, 15, 9))
    Task.objects.create(directive=directive, unit=dept, title="c", due_at=hn(2026, 3, 20, 17))
    Task.objects.create(directive=directive, unit=dept, title="d", due_at=hn(2026, 4, 5, 17))
    return justice


@pytest.fixture
def rated(records, receive, people):
    """(b) two SIPAS answers in March for dossiers of Sở Tư pháp, one in April."""
    answers = [(hn(2026, 3, 10, 9), dict(access=5, procedure_score=5, officer=5, result=5, feedback=5)),
               (hn(2026, 3, 11, 9), dict(access=2, procedure_score=4, officer=3, result=5)),
               (hn(2026, 4, 11, 9), dict(access=1, procedure_score=1, officer=1, result=1, feedback=1))]
    for at, factors in answers:
        d = receive(at=hn(2026, 3, 2, 9))
        Rating.objects.create(dossier=d, unit=d.unit, procedure=d.procedure, user=people["citizen"], rated_at=at,
                              liked=True, **factors)
    return records


def _row(code, group=queries.DEPARTMENTS, period=MARCH):
    return next(r for r in dq.discipline_board(group, period, now=LATER) if r.unit.code == code)


def test_each_component_over_the_subtree(rated):
    row = _row("H26.104")
    c = row.components
    assert row.officials == 10                                    # active, department + division
    assert (c["complaints"].numerator, c["complaints"].denominator, c["complaints"].raw) == (2, 10, D(20))
    assert (c["meetings"].numerator, c["meetings"].raw) == (3, D(30))
    assert (c["tasks"].numerator, c["tasks"].denominator) == (1, 3)     # discipline.queries.on_time_rate rule
    assert (c["feedback"].numerator, c["feedback"].denominator) == (2, 3)  # docs/legal/decision-766.md §1.2 row 5.2, QĐ 766
    assert c["sipas"].denominator == 9 and c["sipas"].raw == D(80)     # ⚠️ inferred formula, docs/legal/reform.md §4.1
    # No dossier ended in March: the 766 estimate comes from the catalog indicators (1.3, 3.1, 3.2) alone,
    # and it is the unit's own 766 estimate for the period (same read as the 766 board).
    index = queries.unit_score(row.unit, MARCH, now=LATER).estimate
    assert index is not None and c["index766"].raw == index and row.result.missing == []
    assert "small_volume" in row.caveats and "few_officials" not in row.caveats
    # Defaults: caps 10 and 20 per 100 officials → both per-100 components at 0.
    assert row.result.values["complaints"] == 0 and row.result.values["meetings"] == 0
    expected = (30 * index + 20 * D(80) + 15 * D(100) / 3 + 15 * D(200) / 3 + 0 + 0) / 100
    assert abs(row.score - expected) < D("1e-20")


def test_weights_from_the_back_office_apply_from_their_date(rated, people):
    before = _row("H26.104").score
    set_weights(people["leader"], effective_from=date(2026, 3, 1), reason="Kế hoạch 2026",
                weights={"index766": 30, "sipas": 20, "tasks": 15, "feedback": 15, "complaints": 10, "meetings": 10},
                caps={"complaints": 40, "meetings": 60})
    row = _row("H26.104")
    assert row.result.values["complaints"] == D(50) and row.result.values["meetings"] == D(50)
    index = row.components["index766"].raw
    expected = (30 * index + 20 * D(80) + 15 * D(100) / 3 + 15 * D(200) / 3 + 10 * D(50) + 10 * D(50)) / 100
    assert abs(row.score - expected) < D("1e-20")
    assert row.score != before
    # A change effective after the period does not rewrite it.
    set_weights(people["leader"], effective_from=date(2026, 4, 1), reason="Sau kỳ",
                weights={"index766": 0, "sipas": 100, "tasks": 0, "feedback": 0, "complaints": 0, "meetings": 0},
                caps={})
    assert _row("H26.104").score == row.score
    assert _row("H26.104", period=queries.parse_period("2026-04")).result.used_weights["sipas"] == 100


def test_bad_weights_are_refused_with_a_code(rated, people):
    with pytest.raises(BadWeights) as err:
        set_weights(people["leader"], effective_from=date(2026, 3, 1), reason="x",
                    weights={c: 0 for c in ("index766", "sipas")}, caps={})
    assert err.value.code == "SCOREBOARD_BAD_WEIGHTS"
    with pytest.raises(BadWeights):
        set_weights(people["leader"], effective_from=date(2026, 3, 1), reason="x", weights={"sipas": 120}, caps={})
    set_weights(people["leader"], effective_from=date(2026, 3, 1), reason="x", weights={"sipas": 10}, caps={})
    with pytest.raises(BadWeights):  # one row per date: what was in force is never rewritten
        set_weights(people["leader"], effective_from=date(2026, 3, 1), reason="y", weights={"sipas": 20}, caps={})


def test_zero_officials_leaves_only_the_766_part_and_ranks_follow_the_scores(rated):
    rows = dq.discipline_board(queries.DEPARTMENTS, MARCH, now=LATER)
    other = next(r for r in rows if r.unit.code == "H26.105")
    # No officials, no records: every component but the (catalog-only) 766 estimate is missing, said beside it.
    assert other.officials == 0 and "few_officials" in other.caveats and "missing" in other.caveats
    assert set(other.result.missing) == {"sipas", "tasks", "feedback", "complaints", "meetings"}
    assert other.score == other.components["index766"].raw
    scored = [r for r in rows if r.score is not None]
    assert [r.rank for r in scored] == list(range(1, len(scored) + 1))
    assert [r.score for r in scored] == sorted((r.score for r in scored), reverse=True)
    assert all(r.rank is None for r in rows if r.score is None) and rows[len(scored):] == [r for r in rows if r.score is None]


def test_departments_and_communes_are_ranked_apart(rated):
    communes = {r.unit.code for r in dq.discipline_board(queries.COMMUNES, MARCH, now=LATER)}
    assert "H26.104" not in communes and "H26.501" in communes


def test_the_ranking_is_a_fixed_number_of_queries(rated, django_assert_max_num_queries, justice):
    with django_assert_max_num_queries(16):
        dq.discipline_board(queries.DEPARTMENTS, MARCH, now=LATER)
    # Ten more officials, reports, invitations: still the same number of queries.
    for i in range(10):
        Official.objects.create(full_name=f"Thêm {i}", unit=justice["division"])
        _report(100 + i, justice["dept"], kind=Kind.CONDUCT, named_unit=justice["dept"],
                conclusion=Conclusion.FOUNDED, concluded_at=hn(2026, 3, 20, 9))
    with django_assert_max_num_queries(16):
        row = next(r for r in dq.discipline_board(queries.DEPARTMENTS, MARCH, now=LATER) if r.unit.code == "H26.104")
    assert row.components["complaints"].numerator == 12 and row.officials == 20


def test_open_reports_past_due_count_in_the_current_period(justice):
    # docs/legal/decision-766.md §1.2 row 5.2 (QĐ 766) + §1.4: still open and past the handling deadline (marked) ⇒ late.
    _report(50, justice["dept"], handle_due_at=hn(2026, 3, 20, 17), overdue=["handle"])
    now = hn(2026, 3, 25, 9)
    row = next(r for r in dq.discipline_board(queries.DEPARTMENTS, MARCH, now=now) if r.unit.code == "H26.104")
    assert (row.components["feedback"].numerator, row.components["feedback"].denominator) == (0, 1)
    assert _row("H26.104").components["feedback"].denominator == 0   # seen from June, March has no ended report
