"""Counters per (unit, month, indicator): worked examples, the live open part, and incremental = rebuild."""
import random
from datetime import date, timedelta

import pytest

from kycuong.core.errors import DomainError
from kycuong.onestop.models import Channel, Dossier
from kycuong.onestop.services import act
from kycuong.onestop.workflow import allowed_actions
from kycuong.scoreboard import facts, services
from kycuong.scoreboard.queries import parse_period, unit_score

from .conftest import hn


def rows_of(d):
    return facts.contributions(facts.compute(d, d.procedure_version))


def _process_to_end(d, people, start, finish_at):
    # Each internal step by its own people (onestop.policy): examined, signed, issued.
    d = act(d.code, "start_processing", people["counter"], at=start, assignee_id=people["specialist"].pk)
    d = act(d.code, "handover", people["specialist"], at=start + timedelta(minutes=5), assignee_id=people["leader"].pk)
    d = act(d.code, "handover", people["leader"], at=start + timedelta(minutes=10), assignee_id=people["clerk"].pk)
    return act(d.code, "finish", people["clerk"], at=finish_at)


def test_indicator_2_1_counts_in_the_month_processing_ended(receive, people, django_capture_on_commit_callbacks):
    """VPCP note on QĐ 766 (docs/legal/decision-766.md §1.4): on time ⇔ end ≤ appointment; counted where processing ended."""
    with django_capture_on_commit_callbacks(execute=True):
        on_time = _process_to_end(receive(at=hn(2026, 3, 2, 9)), people, hn(2026, 3, 2, 10), hn(2026, 3, 5, 9))
        late = _process_to_end(receive(at=hn(2026, 3, 2, 9)), people, hn(2026, 3, 2, 10), hn(2026, 4, 2, 9))
    assert ("2.1", date(2026, 3, 1), 1, 1) in rows_of(on_time)
    assert ("2.1", date(2026, 4, 1), 0, 1) in rows_of(late)
    unit = on_time.unit
    march = unit_score(unit, parse_period("2026-03"), now=hn(2026, 6, 1, 9))
    april = unit_score(unit, parse_period("2026-04"), now=hn(2026, 6, 1, 9))
    row = {r.indicator.code: r for r in march.rows}["2.1"]
    assert (row.numerator, row.denominator, row.points) == (1, 1, 20)
    row = {r.indicator.code: r for r in april.rows}["2.1"]
    assert (row.numerator, row.denominator, row.points) == (0, 1, 0)
    # Both were received in March: the receipt-based indicators count them there.
    assert {r.indicator.code: r for r in march.rows}["4.3"].denominator == 2
    assert services.stored_counters() == services.expected_counters()


def test_open_dossier_past_its_appointment_counts_late_now(receive, people, django_capture_on_commit_callbacks):
    """VPCP note: still open ⇒ end = now; past the appointment it is late (open overdue work is not left out)."""
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(at=hn(2026, 3, 2, 9))            # HN-DEMO-CC01: 10 working days → due 16/03
    before = unit_score(d.unit, parse_period("2026-03"), now=hn(2026, 3, 10, 9))
    after = unit_score(d.unit, parse_period("2026-03"), now=hn(2026, 3, 20, 9))
    row_before = {r.indicator.code: r for r in before.rows}["2.1"]
    row_after = {r.indicator.code: r for r in after.rows}["2.1"]
    assert (row_before.numerator, row_before.denominator) == (1, 1)
    assert (row_after.numerator, row_after.denominator) == (0, 1)
    # A past period does not see it: it will count where it ends.
    assert {r.indicator.code: r for r in unit_score(d.unit, parse_period("2026-02"), now=hn(2026, 3, 20, 9)).rows}[
        "2.1"].denominator == 0


def test_a_second_supplement_counts_late_in_the_facts(receive, people):
    """VPCP note: a dossier with more than one supplement request is counted late."""
    d = _process_to_end(receive(at=hn(2026, 3, 2, 9)), people, hn(2026, 3, 2, 10), hn(2026, 3, 5, 9))
    d.supplement_count = 2  # only imported history can carry two; the service refuses a second request
    assert ("2.1", date(2026, 3, 1), 0, 1) in rows_of(d)


def test_never_received_dossiers_count_nowhere(receive, people):
    d = receive(outcome="refuse", reason="Không thuộc thẩm quyền")
    assert facts.compute(d, d.procedure_version) is None and rows_of(d) == []


def test_zero_denominator_shows_not_available(city, people):
    from kycuong.core.models import Unit

    score = unit_score(Unit.objects.get(code="H26.104"), parse_period("2026-Q1"), now=hn(2026, 6, 1, 9))
    row = {r.indicator.code: r for r in score.rows}["3.6"]
    assert (row.denominator, row.rate, row.points) == (0, None, None)
    assert score.estimate is None or score.covered_max < 100


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_incremental_equals_rebuild(seed, receive, people, all_documents,
                                                      django_capture_on_commit_callbacks):
    """docs/design.md rule 9: the counters kept by events equal a full rebuild, whatever happened."""
    rng = random.Random(seed)
    moment = hn(2026, 1, 5, 8, 30)
    actors = [people["counter"], people["specialist"], people["leader"], people["clerk"]]
    codes = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(40):
            moment += timedelta(hours=rng.choice([1, 3, 7, 30, 80]))
            if not codes or rng.random() < 0.3:
                outcome = rng.choice(["receive"] * 6 + ["supplement", "refuse"])
                try:
                    codes.append(receive(at=moment, outcome=outcome, reason="Lý do",
                                         channel=rng.choice([Channel.DIRECT, Channel.ONLINE])).code)
                except DomainError:
                    pass
                continue
            code = rng.choice(codes)
            d = Dossier.objects.get(code=code)
            choices = allowed_actions(d.state)
            if not choices:
                continue
            action = rng.choice(choices)
            params = {"reason": "Lý do", "assignee_id": people["specialist"].pk,
                      "documents": all_documents(), "online": rng.choice([0, 1, 2]),
                      "electronic": rng.random() < 0.5, "amount_vnd": rng.choice([0, 50000])}
            if action == "apologize":
                params["new_due"] = (d.due_at or moment) + timedelta(days=5)
            handler_params = {
                "accept": ["documents"], "refuse": ["reason"], "request_supplement": ["reason"],
                "complete_supplement": ["documents"], "start_processing": ["assignee_id"],
                "handover": ["assignee_id"], "reassign": ["assignee_id"], "request_payment": ["amount_vnd"], "confirm_payment": ["online"],
                "apologize": ["reason", "new_due"], "withdraw": ["reason"], "stop": ["reason"], "finish": [],
                "return_result": ["electronic"],
            }[action]
            try:
                act(code, action, rng.choice(actors), at=moment, **{k: params[k] for k in handler_params})
            except DomainError:
                pass  # refused transitions write nothing
    assert services.stored_counters() == services.expected_counters()
    # 3.2's per-procedure online counts too (docs/legal/decision-766.md §1.2 row 3.2).
    assert services.stored_online_counts() == services.expected_online_counts()
    # And the rebuild writes exactly what the events kept.
    before, online_before = services.stored_counters(), services.stored_online_counts()
    services.rebuild()
    assert services.stored_counters() == before
    assert services.stored_online_counts() == online_before


def test_refresh_is_idempotent(receive, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive()
    before = services.stored_counters()
    assert services.refresh_dossier(d.code) is False
    assert services.stored_counters() == before


def test_rebuild_command_check(receive, people, django_capture_on_commit_callbacks, capsys):
    from django.core.management import CommandError, call_command

    from kycuong.scoreboard.models import Counter

    with django_capture_on_commit_callbacks(execute=True):
        receive()
    call_command("scoreboard_rebuild", "--check")
    assert "OK" in capsys.readouterr().out
    Counter.objects.filter(indicator="4.3").update(denominator=99)
    with pytest.raises(CommandError):
        call_command("scoreboard_rebuild", "--check")
    call_command("scoreboard_rebuild")
    call_command("scoreboard_rebuild", "--check")


def test_random_histories_reach_the_interesting_states(receive, people, all_documents,
                                                        django_capture_on_commit_callbacks):
    """Guard for the test above: its histories must actually end, pay and return dossiers, or it proves little."""
    from collections import Counter as Tally

    states = Tally()
    for seed in range(6):
        test_random_histories_incremental_equals_rebuild(seed, receive, people, all_documents,
                                                         django_capture_on_commit_callbacks)
    states.update(Dossier.objects.values_list("state", flat=True))
    assert len(states) >= 6, states
    assert any(indicator == "2.1" for _unit, indicator, _month in services.expected_counters())
    assert services.expected_online_counts()  # some histories received online dossiers


def test_indicator_5_4_worked_example(receive, people, django_capture_on_commit_callbacks):
    """QĐ 766 5.4 (docs/legal/decision-766.md §1.2): 100 % − (overdue rate + rate with a complaint or a dislike); target 90 %.

    Four dossiers of March: one late, one on time but disliked, two on time → 1 − 1/4 − 1/4 = 50 % →
    6 × 0.5 ÷ 0.9 = 3.33 points. A dislike arrives after the dossier ended: the counters follow it.
    """
    from decimal import Decimal

    from kycuong.core.models import Unit
    from kycuong.portal.models import Rating

    with django_capture_on_commit_callbacks(execute=True):
        made = [_process_to_end(receive(at=hn(2026, 3, 2, 9)), people, hn(2026, 3, 2, 10), hn(2026, 3, day, 9))
                for day in (5, 6, 9, 30)]
    assert services.stored_counters() == services.expected_counters()
    unit = Unit.objects.get(code="H26.104")
    before = {r.indicator.code: r for r in unit_score(unit, parse_period("2026-03"), now=hn(2026, 6, 1)).rows}["5.4"]
    assert (before.numerator, before.denominator) == (3, 4)
    # The citizen dislikes the second one (the rating event refreshes the dossier's fact).
    from kycuong.core import events
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Rating.objects.create(dossier=made[1], unit=made[1].unit, procedure=made[1].procedure,
                                  user=people["citizen"], liked=False)
            events.append("rating", made[1].code, "rated", actor=people["citizen"], data={"liked": False})
    row = {r.indicator.code: r for r in unit_score(unit, parse_period("2026-03"), now=hn(2026, 6, 1)).rows}["5.4"]
    assert (row.numerator, row.denominator) == (2, 4)
    assert row.points.quantize(Decimal("0.01")) == Decimal("3.33")
    assert services.stored_counters() == services.expected_counters()
    before_rebuild = services.stored_counters()
    services.rebuild()
    assert services.stored_counters() == before_rebuild
    from kycuong.scoreboard.queries import dossiers_behind

    costly = {d.code for d in dossiers_behind(unit, parse_period("2026-03"), "5.4", now=hn(2026, 6, 1))}
    assert costly == {made[1].code, made[3].code}


def test_entered_values_are_checked_and_shown(city, people):
    """Indicators the city does not hold are entered by an administrator, never invented."""
    from kycuong.core.errors import DomainError
    from kycuong.core.models import Unit

    unit = Unit.objects.get(code="H26.104")
    for bad in ({"indicator": "2.1"}, {"numerator": 5, "denominator": 4}, {"source": " "}, {"period": "2026-13"}):
        args = {"unit": unit, "period": "2026-03", "indicator": "1.4", "numerator": 3, "denominator": 4,
                "source": "Cổng DVCQG, báo cáo tháng 3/2026"} | bad
        with pytest.raises(DomainError):
            services.enter_value(people["clerk"], **args)
    services.enter_value(people["clerk"], unit=unit, period="2026-03", indicator="1.4", numerator=3, denominator=4,
                         source="Cổng DVCQG, báo cáo tháng 3/2026")
    row = {r.indicator.code: r for r in unit_score(unit, parse_period("2026-03"), now=hn(2026, 6, 1)).rows}["1.4"]
    assert (row.numerator, row.denominator, str(row.points)) == (3, 4, "4.50")  # 6 × 0.75, no target: linear
    assert "Cổng DVCQG" in row.source_note
