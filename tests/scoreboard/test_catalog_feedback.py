"""Indicators 1.3, 3.1 (catalog), 3.2 (online services used) and 5.1–5.3 (reports): worked examples from their
definitions (docs/legal/decision-766.md §1.2, QĐ 766/QĐ-TTg), zero denominators, drill-down, and incremental = rebuild."""
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kycuong.core.errors import DomainError
from kycuong.onestop.models import Channel
from kycuong.scoreboard import services
from kycuong.scoreboard.queries import (
    board, parse_period, procedures_behind, reports_behind, unit_score,
)

from .conftest import PROC, hn

LATER = hn(2026, 6, 1, 9)  # "now" for past periods: nothing of March/April is live


def row(unit, period, code, now=LATER):
    return {r.indicator.code: r for r in unit_score(unit, parse_period(period), now=now).rows}[code]


# --- catalog: 1.3, 3.1 ---------------------------------------------------------------------------------

def _department(code, name, parent_code="H26"):
    from kycuong.core.models import Unit
    from kycuong.core.services import create_unit

    return create_unit(code=code, name=name, kind=Unit.Kind.DEPARTMENT, tier=Unit.Tier.PROVINCE,
                       parent=Unit.objects.get(code=parent_code))


def _procedure(code, unit, *, online="none", complete=True, documents=True, start=date(2025, 7, 1), end=None,
               all_communes=False, level="province"):
    """A catalog entry written directly (test set-up): complete unless told otherwise."""
    from kycuong.catalog.models import Field, Procedure, ProcedureDocument, ProcedureVersion

    field = Field.objects.first()
    procedure, _created = Procedure.objects.get_or_create(code=code, defaults={"name": f"Thủ tục {code}"})
    version = ProcedureVersion.objects.create(
        procedure=procedure, effective_from=start, effective_to=end, name=f"Thủ tục {code}", field=field,
        level=level, sequence="Bước 1: nộp hồ sơ." if complete else "", channel_direct=True,
        limit_amount=Decimal(5), subjects="Công dân" if complete else "  ", deciding_authority="Sở thử nghiệm",
        online_level=online, all_communes=all_communes)
    if unit is not None:
        version.deciding_units.add(unit)
    if documents:
        ProcedureDocument.objects.create(version=version, order=1, name="Tờ khai")
    return version


def test_indicators_1_3_and_3_1_worked_example(city):
    """docs/legal/decision-766.md §1.2 rows 1.3 (k.2 Đ.8 NĐ 63/2010: 7 components; 2 points, linear) and 3.1 (2 points, target
    80 %), QĐ 766; scope by unit level, docs/legal/decision-766.md §1.4.

    Department T (and its division) decides 4 procedures in force: A complete, online một phần; B complete,
    not online; C without trình tự and đối tượng, online toàn trình; D (decided by T's division) without any
    document, not online. An expired version and a procedure of another department do not count.
    1.3 = 2/4 → 2 × 0.5 = 1 point; 3.1 = 2/4 → 2 × 0.5 ÷ 0.8 = 1.25 points.
    """
    from kycuong.core.models import Unit
    from kycuong.core.services import create_unit

    dept = _department("H26.190", "Sở thử nghiệm")
    division = create_unit(code="H26.190.01", name="Phòng thử nghiệm", kind=Unit.Kind.DIVISION,
                                   tier=Unit.Tier.PROVINCE, parent=dept)
    _procedure("T.A", dept, online="partial")
    _procedure("T.B", dept)
    _procedure("T.C", dept, online="full", complete=False)
    _procedure("T.D", division, documents=False)
    _procedure("T.OLD", dept, online="full", start=date(2024, 1, 1), end=date(2025, 6, 30))
    _procedure("T.OTHER", Unit.objects.get(code="H26.105"), online="full")
    r13, r31 = row(dept, "2026-03", "1.3"), row(dept, "2026-03", "3.1")
    assert (r13.numerator, r13.denominator, r13.points) == (2, 4, Decimal(1))
    assert (r31.numerator, r31.denominator, r31.points) == (2, 4, Decimal("1.25"))
    # A snapshot: any period shows the same catalog numbers.
    assert (row(dept, "2025-Q4", "1.3").numerator, row(dept, "2025-Q4", "1.3").denominator) == (2, 4)
    # The records behind the numbers: what each procedure misses.
    missing = {e.code: e.missing for e in procedures_behind(dept, parse_period("2026-03"), "1.3")}
    assert missing == {"T.C": ["sequence", "subjects"], "T.D": ["documents"]}
    assert [e.code for e in procedures_behind(dept, parse_period("2026-03"), "3.1")] == ["T.B", "T.D"]
    # The board gives the same numbers as the unit page.
    scores = {s.unit.code: s for s in board("departments", parse_period("2026-03"), now=LATER)}
    by_code = {r.indicator.code: r for r in scores["H26.190"].rows}
    assert (by_code["1.3"].numerator, by_code["1.3"].denominator) == (2, 4)
    assert (by_code["3.1"].numerator, by_code["3.1"].denominator) == (2, 4)


def test_catalog_scope_by_unit_level(city):
    """docs/legal/decision-766.md §1.4: a commune covers the commune-level procedures; the city covers every procedure."""
    from kycuong.catalog.models import ProcedureVersion
    from kycuong.catalog.queries import versions_in_force
    from kycuong.core.models import Unit

    ward = Unit.objects.get(code="H26.501")
    commune_level = (versions_in_force(date(2026, 11, 30)).filter(all_communes=True)
                     .values("procedure_id").distinct().count())
    assert commune_level > 0
    assert row(ward, "2026-03", "3.1", now=hn(2026, 11, 30, 9)).denominator == commune_level
    everything = versions_in_force(date(2026, 11, 30)).values("procedure_id").distinct().count()
    city_unit = Unit.objects.get(code="H26")
    assert row(city_unit, "2026-03", "1.3", now=hn(2026, 11, 30, 9)).denominator == everything
    assert ProcedureVersion.objects.count() >= everything


def test_catalog_zero_denominators_are_not_available(city):
    """docs/legal/decision-766.md §1.2: a unit with no procedure in its authority shows N/A for 1.3, 3.1 and 3.2, never 0 or 100 %."""
    dept = _department("H26.191", "Sở không có thủ tục")
    for code in ("1.3", "3.1", "3.2"):
        r = row(dept, "2026-03", code)
        assert (r.denominator, r.rate, r.points) == (0, None, None), code


# --- 3.2: online services with an online dossier in the period -----------------------------------------

def test_indicator_3_2_worked_example(receive, people, django_capture_on_commit_callbacks):
    """docs/legal/decision-766.md §1.2 row 3.2 (QĐ 766; 4 points, target 100 %): online services that received at least one
    online dossier in the period ÷ online services.

    Sở Tư pháp has two online services: the demo procedure and T.E. March: two online dossiers of the demo
    procedure → 1/2 → 4 × 0.5 ÷ 1 = 2 points. April: one direct dossier only → 0/2. Q1+Q2 (H1): still 1/2,
    a distinct count, not a sum of months.
    """
    from kycuong.catalog.models import ProcedureVersion
    from kycuong.core.models import Unit

    unit = Unit.objects.get(code="H26.104")
    ProcedureVersion.objects.filter(procedure__code=PROC).update(online_level="partial")
    other = _procedure("T.E", unit, online="full")
    in_scope_online = {e.code for e in procedures_behind(unit, parse_period("2026-04"), "3.2")}
    with django_capture_on_commit_callbacks(execute=True):
        receive(at=hn(2026, 3, 2, 9), channel=Channel.ONLINE)
        receive(at=hn(2026, 3, 20, 9), channel=Channel.ONLINE)
        receive(at=hn(2026, 4, 2, 9))
    march, april, half = row(unit, "2026-03", "3.2"), row(unit, "2026-04", "3.2"), row(unit, "2026-H1", "3.2")
    n_online = len(in_scope_online)
    assert {PROC, "T.E"} <= in_scope_online
    assert (march.numerator, march.denominator) == (1, n_online)
    assert march.points == Decimal(4) * Decimal(1) / Decimal(n_online)
    assert (april.numerator, april.denominator, april.points) == (0, n_online, Decimal(0))
    assert (half.numerator, half.denominator) == (1, n_online)
    behind = {e.code for e in procedures_behind(unit, parse_period("2026-03"), "3.2")}
    assert PROC not in behind and other.procedure.code in behind
    assert services.stored_online_counts() == services.expected_online_counts()
    demo_procedure = ProcedureVersion.objects.filter(procedure__code=PROC).first().procedure_id
    assert services.stored_online_counts() == {(unit.pk, "2026-03-01", demo_procedure): 2}
    scores = {s.unit.code: s for s in board("departments", parse_period("2026-03"), now=LATER)}
    assert {r.indicator.code: (r.numerator, r.denominator) for r in scores["H26.104"].rows}["3.2"] == (1, n_online)


# --- 5.1–5.3: reports ---------------------------------------------------------------------------------------

@pytest.fixture
def report(people):
    from kycuong.feedback import services as fb

    def go(at, text="Thủ tục công chứng yêu cầu nộp bản sao giấy tờ không có trong quy định.", kind="procedure",
           title="Thủ tục đòi quá nhiều giấy tờ"):
        return fb.submit(fb.ReportInput(kind=kind, procedure_code=PROC, title=title, text=text), at=at)

    return go


def _answer(code, people, at, publish_at=None):
    from kycuong.feedback import services as fb

    fb.act(code, "confirm_unit", people["leader"], at=at - timedelta(hours=1))
    fb.act(code, "answer", people["leader"], answer="Đã chấn chỉnh.", at=at)
    if publish_at:
        fb.act(code, "publish", people["leader"], at=publish_at)


def test_indicators_5_1_to_5_3_worked_example(report, people, django_capture_on_commit_callbacks):
    """docs/legal/decision-766.md §1.2 rows 5.1 (monitoring), 5.2 and 5.3 (6 points each, linear), QĐ 766; timings §1.4.

    Sở Tư pháp, reports submitted 2 March 2026 (handling due 15 working days later, 23 March):
      a — answered 5 March, published, then two dislikes and one like   → on time, unsatisfied (disliked)
      b — the same text as a: a repeat, answered 6 March               → on time, unsatisfied (repeated)
      c — answered 31 March (late)                                       → late, unsatisfied
      d — another matter, answered 10 March                              → on time, satisfied
      e — a conduct report, never handled: open, past due from 24 March → counts in the current period only
    5.2 March = 3/4 → 4.5 points; 5.3 March = 1/4 → 1.5 points (c is late once, not twice).
    5.1 March (by submission) = 4 about procedures / 5 reports.
    """
    from kycuong.core.models import Unit
    from kycuong.feedback import services as fb

    unit = Unit.objects.get(code="H26.104")
    with django_capture_on_commit_callbacks(execute=True):
        a = report(hn(2026, 3, 2, 9))
        b = report(hn(2026, 3, 2, 10))
        c = report(hn(2026, 3, 2, 11), text="Giờ mở cửa bộ phận một cửa không như niêm yết", title="Giờ làm việc")
        d = report(hn(2026, 3, 2, 14), text="Phí công chứng thu cao hơn biểu phí công khai", title="Thu phí")
        e = report(hn(2026, 3, 2, 15), kind="conduct", text="Cán bộ tiếp nhận có thái độ gắt gỏng với người dân",
                   title="Thái độ cán bộ")
        _answer(a.code, people, hn(2026, 3, 5, 9), publish_at=hn(2026, 3, 5, 10))
        _answer(b.code, people, hn(2026, 3, 6, 9))
        _answer(c.code, people, hn(2026, 3, 31, 9))
        _answer(d.code, people, hn(2026, 3, 10, 9))
        fb.vote(a.code, "s:1", -1, at=hn(2026, 4, 2, 9))
        fb.vote(a.code, "s:2", -1, at=hn(2026, 4, 2, 9))
        fb.vote(a.code, "s:3", 1, at=hn(2026, 4, 2, 9))
    assert b.repeat_of_id == a.pk and e.state == "received"
    r51, r52, r53 = (row(unit, "2026-03", c_) for c_ in ("5.1", "5.2", "5.3"))
    assert (r51.numerator, r51.denominator, r51.points) == (4, 5, None)       # monitoring only
    assert (r52.numerator, r52.denominator, r52.points) == (3, 4, Decimal("4.5"))
    assert (r53.numerator, r53.denominator, r53.points) == (1, 4, Decimal("1.5"))
    costly = {r.code: r.cost_reasons for r in reports_behind(unit, parse_period("2026-03"), "5.3", now=LATER)}
    assert set(costly) == {a.code, b.code, c.code}
    assert costly[c.code] == ["quá hạn"]
    assert [r.code for r in reports_behind(unit, parse_period("2026-03"), "5.2", now=LATER)] == [c.code]
    # The open report e is live in the period containing today: on time on 20 March, late from 24 March.
    early = row(unit, "2026-03", "5.2", now=hn(2026, 3, 20, 9))
    assert (early.numerator, early.denominator) == (4, 5)
    late = row(unit, "2026-03", "5.2", now=hn(2026, 3, 31, 12))
    late53 = row(unit, "2026-03", "5.3", now=hn(2026, 3, 31, 12))
    assert (late.numerator, late.denominator) == (3, 5)
    assert (late53.numerator, late53.denominator) == (1, 5)
    assert e.code in {r.code for r in reports_behind(unit, parse_period("2026-03"), "5.2", now=hn(2026, 3, 31, 12))}
    # Incremental = recomputation = rebuild.
    assert services.stored_counters() == services.expected_counters()
    before = services.stored_counters()
    services.rebuild()
    assert services.stored_counters() == before


def test_an_open_report_past_due_counts_late_and_zero_reports_are_not_available(report, people,
                                                                                django_capture_on_commit_callbacks):
    """docs/legal/decision-766.md §1.4: handled ≤ 15 working days; an open report past its deadline counts late (5.2 and 5.3);
    no report in a period ⇒ N/A (docs/legal/decision-766.md §1.2), never 0 or 100 %."""
    from kycuong.core.models import Unit

    unit = Unit.objects.get(code="H26.104")
    assert (row(unit, "2026-03", "5.2").denominator, row(unit, "2026-03", "5.2").points) == (0, None)
    with django_capture_on_commit_callbacks(execute=True):
        r = report(hn(2026, 3, 2, 9))
    due = r.handle_due_at
    before = row(unit, "2026-03", "5.2", now=due - timedelta(minutes=1))
    after = row(unit, "2026-03", "5.2", now=due + timedelta(minutes=1))
    assert (before.numerator, before.denominator) == (1, 1)
    assert (after.numerator, after.denominator, after.points) == (0, 1, Decimal(0))
    # A past period does not hold it: it will count where its handling ends.
    assert row(unit, "2026-03", "5.2", now=LATER).denominator == 0


def test_a_transfer_moves_the_report_to_the_new_unit(report, people, django_capture_on_commit_callbacks):
    """Reports count for their responsible unit (subtree scope, docs/legal/decision-766.md §1.4); a transfer restarts the clock."""
    from kycuong.core.models import Unit
    from kycuong.feedback import services as fb

    with django_capture_on_commit_callbacks(execute=True):
        r = report(hn(2026, 3, 2, 9))
        fb.act(r.code, "transfer", people["leader"], unit="H26.105", reason="Thuộc lĩnh vực xây dựng",
               at=hn(2026, 3, 3, 9))
    assert row(Unit.objects.get(code="H26.104"), "2026-03", "5.1").denominator == 0
    assert row(Unit.objects.get(code="H26.105"), "2026-03", "5.1").denominator == 1
    assert row(Unit.objects.get(code="H26"), "2026-03", "5.1").denominator == 1  # the city: its whole subtree
    assert services.stored_counters() == services.expected_counters()


@pytest.mark.parametrize("seed", range(4))
def test_random_report_histories_incremental_equals_rebuild(seed, report, people, django_capture_on_commit_callbacks):
    """docs/design.md rule 9 for 5.1–5.3: counters kept by feedback events (and votes) = full recomputation = rebuild;
    and the live grouped query for open reports agrees with `feedback.queries.on_time`/`satisfied`."""
    from kycuong.core.models import Unit
    from kycuong.feedback import services as fb
    from kycuong.feedback.models import Report
    from kycuong.feedback.queries import on_time, satisfied
    from kycuong.scoreboard.queries import open_reports_by_unit

    rng = random.Random(seed)
    moment = hn(2026, 1, 5, 8, 30)
    texts = ["Lệ phí công chứng thu sai quy định", "Thái độ cán bộ một cửa chưa đúng mực",
             "Lệ phí công chứng thu sai quy định niêm yết", "Hồ sơ trả chậm so với giấy hẹn"]
    codes = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(60):
            moment += timedelta(hours=rng.choice([2, 7, 30, 80, 200]))
            if not codes or rng.random() < 0.3:
                codes.append(report(moment, text=rng.choice(texts), kind=rng.choice(["procedure", "conduct"])).code)
                continue
            code = rng.choice(codes)
            action = rng.choice(["confirm_unit"] * 3 + ["answer"] * 3 + ["publish"] * 2 + ["vote"] * 3
                                + ["transfer", "refuse", "request_info", "provide_info"])
            try:
                if action == "vote":
                    fb.vote(code, f"s:{rng.randrange(4)}", rng.choice([1, -1]), at=moment)
                    continue
                actor = rng.choice([people["leader"]] * 3 + [people["other"]])
                params = {"transfer": {"unit": rng.choice(["H26.104", "H26.105"]), "reason": "Lý do"},
                          "refuse": {"reason": "Lý do"}, "request_info": {"message": "Bổ sung"},
                          "provide_info": {"text": "Đã bổ sung"}, "answer": {"answer": "Trả lời"}}.get(action, {})
                fb.act(code, action, actor, at=moment, **params)
            except DomainError:
                pass
    states = set(Report.objects.values_list("state", flat=True))
    assert len(states) >= 3, states
    assert any(indicator == "5.3" for _unit, indicator, _month in services.expected_counters())
    assert services.stored_counters() == services.expected_counters()
    before = services.stored_counters()
    services.rebuild()
    assert services.stored_counters() == before
    # Live part: the SQL of the open reports = the Python rule, at a moment some are past due.
    now = moment + timedelta(days=10)
    live = open_reports_by_unit(now)
    expected = {}
    for r in Report.objects.filter(handled_at__isnull=True).exclude(state="refused"):
        acc = expected.setdefault(r.responsible_unit_id, [0, 0, 0])
        acc[0] += 1
        acc[1] += on_time(r, now)
        acc[2] += satisfied(r, now)
    assert live == {k: tuple(v) for k, v in expected.items()}
    assert Unit.objects.filter(pk__in=live).exists() or not expected
