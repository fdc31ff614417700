"""The one-stop write path: every transition and every rule of docs/legal/decision-766.md §1.4 and docs/legal/one-stop.md §2.2, each naming its source."""
import re

import pytest

from kycuong.core import events
from kycuong.onestop import services
from kycuong.onestop.errors import (
    ApologyTooLate, DossierNotFound, Invalid, NotPermitted, SecondApology, SecondSupplement, StaleVersion,
    TransitionNotAllowed,
)
from kycuong.onestop.models import DailyCounter, Dossier
from kycuong.onestop.services import Applicant, accountability, act, timeliness
from kycuong.onestop.policy import ACT_ACTIONS
from kycuong.onestop.policy import TRANSITIONS as TABLE
from kycuong.onestop.workflow import State

TRANSITIONS = {name: TABLE[name] for name in ACT_ACTIONS}  # the actions services.act takes

from .conftest import PROC, hn

pytestmark = pytest.mark.django_db


def run_to_processing(dossier, people, at):
    return act(dossier.code, "start_processing", people["counter"], at=at, assignee_id=people["specialist"].pk)


def test_receipt_gives_code_appointment_and_steps(receive):
    """TT 04/2025 (code), TT 03/2025 Mẫu 01 (receipt), docs/legal/working-time.md §2.3 (10 working days = 80 h)."""
    d = receive()
    assert re.fullmatch(r"H26\.104-260302-\d{4}", d.code)
    assert d.state == State.RECEIVED and d.unit.code == "H26.104" and d.receiving_unit.code == "H26.200.01"
    # Mon 02/03/2026 09:00 + 80 working hours → Mon 16/03/2026 09:00.
    assert d.due_at == hn(2026, 3, 16, 9) and d.original_due_at == d.due_at
    steps = list(d.steps.order_by("order"))
    assert [s.allotted_minutes for s in steps] == [240, 3840, 480, 240, 0]
    assert steps[-1].is_return_step and steps[0].started_at == hn(2026, 3, 2, 9)
    assert steps[0].unit.code == "H26.200.01"  # the one-stop step belongs to the receiving branch
    assert [e.kind for e in events.timeline("dossier", d.code)] == ["received"]


def test_daily_sequence_restarts_each_day_and_counts_per_unit(receive):
    """TT 04/2025/TT-VPCP: XXXX is a daily sequence of at least 4 digits."""
    a, b = receive(), receive(at=hn(2026, 3, 2, 10))
    c = receive(at=hn(2026, 3, 3, 9))
    assert a.code.endswith("-260302-0001") and b.code.endswith("-260302-0002")
    assert c.code.endswith("-260303-0001")


def test_incomplete_dossier_cannot_be_received_and_nothing_is_written(receive):
    """docs/legal/one-stop.md §2.2 Intake: completeness is checked before a receipt is issued."""
    with pytest.raises(Invalid) as err:
        receive(documents=[])
    assert err.value.code == "ONESTOP_DOCUMENTS_MISSING" and err.value.details["missing"]
    assert Dossier.objects.count() == 0 and DailyCounter.objects.count() == 0


def test_supplement_at_intake_starts_the_clock_when_completed(receive, people, all_documents):
    """TT 03/2025 Mẫu 02; docs/legal/working-time.md §2.3: the clock starts from receipt of a complete, valid dossier."""
    d = receive(documents=[], outcome="supplement", reason="Thiếu bản sao giấy tờ tùy thân")
    assert d.state == State.SUPPLEMENT_REQUESTED and d.received_at is None and d.due_at is None
    d = act(d.code, "complete_supplement", people["counter"], at=hn(2026, 3, 4, 8),
            documents=all_documents())
    assert d.state == State.RECEIVED and d.received_at == hn(2026, 3, 4, 8)
    assert d.due_at == hn(2026, 3, 17, 17)  # 80 working hours from Wed 04/03 08:00
    run_to_processing(d, people, hn(2026, 3, 4, 9))
    with pytest.raises(SecondSupplement):  # the intake request was the one allowed
        act(d.code, "request_supplement", people["specialist"], at=hn(2026, 3, 5, 9), reason="lần hai")


def test_refusal_at_intake(receive):
    """TT 03/2025 Mẫu 03: refusal needs a reason and never starts a clock."""
    with pytest.raises(Invalid):
        receive(outcome="refuse", reason=" ")
    d = receive(documents=[], outcome="refuse", reason="Không thuộc thẩm quyền")
    assert d.state == State.REFUSED and d.due_at is None
    assert timeliness(d, hn(2026, 5, 1, 9)).status == "not_counted"


def test_supplement_pauses_the_clock_and_moves_the_appointment(receive, people):
    """docs/legal/decision-766.md §1.4, docs/legal/working-time.md §2.3: supplement time is excluded; the appointment moves by the paused working time."""
    d = receive()
    d = run_to_processing(d, people, hn(2026, 3, 2, 13))
    d = act(d.code, "request_supplement", people["specialist"], at=hn(2026, 3, 3, 9), reason="Thiếu hợp đồng")
    assert d.state == State.SUPPLEMENT_REQUESTED
    d = act(d.code, "complete_supplement", people["counter"],
            at=hn(2026, 3, 5, 9))
    # Paused Tue 09:00 → Thu 09:00 = 16 working hours: due moves from Mon 16/03 09:00 to Wed 18/03 09:00.
    assert d.state == State.PROCESSING
    assert d.due_at == hn(2026, 3, 18, 9) and d.original_due_at == hn(2026, 3, 18, 9)
    last = list(events.timeline("dossier", d.code))[-1]
    assert last.kind == "supplement_completed" and last.data["paused_working_minutes"] == 960


def test_second_supplement_request_is_refused(receive, people):
    """NĐ 118/2025/NĐ-CP staff duty: a dossier may be sent back for supplement only once."""
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 13))
    d = act(d.code, "request_supplement", people["specialist"], at=hn(2026, 3, 3, 9), reason="Thiếu")
    d = act(d.code, "complete_supplement", people["counter"], at=hn(2026, 3, 3, 15))
    with pytest.raises(SecondSupplement) as err:
        act(d.code, "request_supplement", people["specialist"], at=hn(2026, 3, 4, 9), reason="Lại thiếu")
    assert err.value.status == 409


def test_processing_handover_records_each_step_verdict(receive, people):
    """TT 03/2025 Mẫu 06: each hand-over records when, by whom, and early / on time / late."""
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 12, 9), assignee_id=people["leader"].pk)
    kinds = [(e.kind, e.data.get("verdict")) for e in events.timeline("dossier", d.code)]
    assert kinds[1] == ("processing_started", "on_time")
    # Thẩm định: 64 h from Mon 02/03 11:00 → due Thu 12/03 11:00; handed over at 09:00 the same day.
    assert kinds[2] == ("handed_over", "on_time")
    d = act(d.code, "handover", people["leader"], at=hn(2026, 3, 13, 16), assignee_id=people["clerk"].pk)
    assert list(events.timeline("dossier", d.code))[-1].data["verdict"] == "late"
    with pytest.raises(TransitionNotAllowed) as err:
        act(d.code, "handover", people["clerk"], at=hn(2026, 3, 16, 8))
    assert err.value.code == "ONESTOP_LAST_STEP"
    d = act(d.code, "finish", people["clerk"], at=hn(2026, 3, 16, 8, 30))
    assert d.state == State.FINISHED and d.processing_end_at == hn(2026, 3, 16, 8, 30)
    assert timeliness(d, hn(2026, 4, 1, 9)).status == "on_time"
    d = act(d.code, "return_result", people["counter"], at=hn(2026, 3, 16, 10), electronic=True)
    assert d.state == State.RETURNED and d.result_is_electronic
    assert events.verify("dossier", d.code) == []


def test_finish_refuses_while_steps_remain(receive, people):
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    with pytest.raises(TransitionNotAllowed) as err:
        act(d.code, "finish", people["specialist"], at=hn(2026, 3, 3, 9))
    assert err.value.code == "ONESTOP_STEPS_REMAIN"


def test_apology_rules(receive, people):
    """NĐ 61/2018 Đ.19 as in the 2025 processes: apology ≥ 1 working day before the due date, once."""
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))  # due Mon 16/03 09:00
    with pytest.raises(ApologyTooLate):  # Fri 13/03 10:00: only 7 working hours left
        act(d.code, "apologize", people["leader"], at=hn(2026, 3, 13, 10), reason="Chờ ý kiến", new_due=hn(2026, 3, 20, 17))
    with pytest.raises(Invalid):
        act(d.code, "apologize", people["leader"], at=hn(2026, 3, 12, 9), reason="Chờ ý kiến", new_due=hn(2026, 3, 10, 17))
    d = act(d.code, "apologize", people["leader"], at=hn(2026, 3, 13, 9), reason="Chờ ý kiến cơ quan phối hợp",
            new_due=hn(2026, 3, 20, 17))
    assert d.due_at == hn(2026, 3, 20, 17) and d.original_due_at == hn(2026, 3, 16, 9)
    with pytest.raises(SecondApology):
        act(d.code, "apologize", people["leader"], at=hn(2026, 3, 13, 9, 5), reason="x", new_due=hn(2026, 3, 27, 17))


def test_an_apology_does_not_make_a_late_dossier_on_time(receive, people):
    """docs/legal/decision-766.md §1.4: on time ⇔ end ≤ the appointment; the rescheduled date is the citizen's, not the score's."""
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    d = act(d.code, "apologize", people["leader"], at=hn(2026, 3, 12, 9), reason="Chờ", new_due=hn(2026, 3, 20, 17))
    d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 17, 9))
    d = act(d.code, "handover", people["leader"], at=hn(2026, 3, 17, 10))
    d = act(d.code, "finish", people["clerk"], at=hn(2026, 3, 17, 14))
    verdict = timeliness(d, hn(2026, 4, 1, 9))
    assert verdict.status == "late" and verdict.due == hn(2026, 3, 16, 9)


def test_timeliness_rules_of_the_766_note(receive, people):
    """VPCP note on QĐ 766 (docs/legal/decision-766.md §1.4): early / on time / late, open past due, pending supplement, >1 supplement."""
    d = receive()
    assert timeliness(d, hn(2026, 3, 10, 9)).status == "early"          # open, before the due day: counted so far
    assert timeliness(d, hn(2026, 3, 16, 9)).status == "on_time"
    assert timeliness(d, hn(2026, 3, 16, 9, 1)).status == "late"        # open past due counts late now
    d = run_to_processing(d, people, hn(2026, 3, 2, 11))
    d = act(d.code, "request_supplement", people["specialist"], at=hn(2026, 3, 5, 9), reason="Thiếu")
    # The citizen never came back: the request time is the end time → not late however long we wait.
    assert timeliness(d, hn(2026, 6, 1, 9)).status == "early"
    Dossier.objects.filter(pk=d.pk).update(supplement_count=2)  # as imported from another system
    d.refresh_from_db()
    assert timeliness(d, hn(2026, 3, 6, 9)).status == "late"


def test_timeliness_without_appointment_uses_the_legal_limit(receive):
    """VPCP note: no appointment date ⇒ on time iff (end − receipt − supplement) ≤ legal maximum."""
    d = receive()
    Dossier.objects.filter(pk=d.pk).update(original_due_at=None, due_at=None)
    d.refresh_from_db()
    assert timeliness(d, hn(2026, 3, 16, 9)).status == "on_time"
    assert timeliness(d, hn(2026, 3, 16, 10)).status == "late"


def test_accountability_names_the_steps_that_overran(receive, people):
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 16, 11), assignee_id=people["leader"].pk)
    rows = accountability(d, hn(2026, 3, 16, 12))
    assert [(r.step.name[:15], r.step.finished_by.full_name) for r in rows] == [("Thẩm định hồ sơ", "Trần Văn Minh")]
    assert rows[0].overrun_minutes == 16 * 60


def test_withdrawal_and_stop_end_processing(receive, people):
    """k.1 Đ.21 NĐ 118/2025 (withdrawal), TT 03/2025 Đ.7 (stop notice)."""
    d = receive()
    with pytest.raises(Invalid):
        act(d.code, "withdraw", people["counter"], at=hn(2026, 3, 3, 9), reason="")
    d = act(d.code, "withdraw", people["counter"], at=hn(2026, 3, 3, 9), reason="Công dân xin rút")
    assert d.state == State.WITHDRAWN and d.processing_end_at == hn(2026, 3, 3, 9)
    e = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    e = act(e.code, "stop", people["leader"], at=hn(2026, 3, 4, 9), reason="Vướng tranh chấp")
    assert e.state == State.STOPPED and e.processing_end_at == hn(2026, 3, 4, 9)


def test_payment_obligation_round_trip(receive, people):
    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    d = act(d.code, "request_payment", people["specialist"], at=hn(2026, 3, 3, 9), amount_vnd=500000)
    assert d.state == State.PAYMENT_REQUESTED and d.fee_total_vnd == 500000
    d = act(d.code, "confirm_payment", None, at=hn(2026, 3, 3, 10), online=1)
    assert d.state == State.PROCESSING and d.paid_online == 1


def test_every_transition_not_in_the_table_answers_409(receive, people):
    """Design rule 2: the table is the law; every (action, state) outside it is a 409, never a 500."""
    d = receive()
    forbidden = [(a, s) for a in sorted(TRANSITIONS) for s in State if s not in TRANSITIONS[a].sources]
    assert len(forbidden) > 90
    for action, state in forbidden:
        actor = people["specialist"] if "officer" in TRANSITIONS[action].actors else people["citizen"]
        Dossier.objects.filter(pk=d.pk).update(state=state, applicant=people["citizen"])
        with pytest.raises(TransitionNotAllowed) as err:
            act(d.code, action, actor, at=hn(2026, 3, 3, 9), reason="x")
        assert (err.value.status, err.value.code) == (409, "ONESTOP_TRANSITION_NOT_ALLOWED"), (action, state)


def test_citizens_cannot_take_officer_actions(receive, people):
    d = receive()
    Dossier.objects.filter(pk=d.pk).update(applicant=people["citizen"])
    with pytest.raises(NotPermitted):
        act(d.code, "start_processing", people["citizen"], at=hn(2026, 3, 3, 9))


def test_officers_outside_the_dossiers_units_cannot_see_it(receive, people):
    d = receive()
    with pytest.raises(DossierNotFound):
        act(d.code, "start_processing", people["other"], at=hn(2026, 3, 3, 9))


def test_stale_version_loses_cleanly(receive, people):
    """Two officers acting on what they both saw: the second write is refused with 409, nothing lost."""
    d = receive()
    seen = d.version
    act(d.code, "start_processing", people["counter"], expected_version=seen, at=hn(2026, 3, 2, 10))
    with pytest.raises(StaleVersion) as err:
        act(d.code, "withdraw", people["counter"], expected_version=seen, at=hn(2026, 3, 2, 11), reason="x")
    assert err.value.status == 409
    assert Dossier.objects.get(pk=d.pk).state == State.PROCESSING


def test_online_submission_then_acceptance(people, all_documents, city):
    from kycuong.core.models import Unit

    unit = Unit.objects.get(code="H26.104")
    d = services.submit_online(people["citizen"], procedure_code=PROC, applicant=Applicant(name="Hoàng Thị Mai"),
                               deciding_unit=unit, documents=all_documents(), at=hn(2026, 3, 2, 20))
    assert d.state == State.SUBMITTED_ONLINE and d.channel == 2 and d.applicant == people["citizen"]
    d = act(d.code, "accept", people["specialist"], at=hn(2026, 3, 3, 8))
    assert d.state == State.RECEIVED and d.received_at == hn(2026, 3, 3, 8)
    assert [e.kind for e in events.timeline("dossier", d.code)] == ["submitted_online", "received"]


def test_the_chain_detects_an_edited_event(receive, people):
    """Design rule 3: `kycuong audit verify` finds any edit."""
    from kycuong.core.models import Event

    d = run_to_processing(receive(), people, hn(2026, 3, 2, 11))
    from tests.tamper import as_table_owner

    first = events.timeline("dossier", d.code).first()
    with as_table_owner():
        Event.objects.filter(pk=first.pk).update(data={"due_at": "2026-12-31T17:00:00+07:00"})
    broken = events.verify("dossier", d.code)
    assert len(broken) == 1 and broken[0].seq == 1


def test_late_warning_window_query(receive):
    from kycuong.onestop.queries import due_for_warning

    """Due Mon 16/3 09:00: the window opens 16 working hours before (Thu 12/3 09:00), one working day before
    the last moment for an apology (docs/legal/one-stop.md §2.2, NĐ 61/2018 Đ.19), and closes at the due time."""
    d = receive()
    assert not due_for_warning(hn(2026, 3, 11, 17)).filter(pk=d.pk).exists()
    assert due_for_warning(hn(2026, 3, 12, 9)).filter(pk=d.pk).exists()
    assert due_for_warning(hn(2026, 3, 13, 9)).filter(pk=d.pk).exists()
    assert not due_for_warning(hn(2026, 3, 16, 10)).filter(pk=d.pk).exists()


def test_handover_before_the_first_window_after_an_evening_receipt(receive, people):
    """docs/legal/working-time.md §2.3: a receipt at 18:00 starts the clock at the next window; a hand-over at 18:05 used no time."""
    d = receive(at=hn(2026, 3, 2, 18))
    assert d.steps.order_by("order").first().started_at == hn(2026, 3, 3, 8)
    d = run_to_processing(d, people, hn(2026, 3, 2, 18, 5))
    first = d.steps.order_by("order").first()
    assert first.used_minutes == 0 and d.state == State.PROCESSING


def test_documents_must_belong_to_the_procedure(receive, people, all_documents):
    """Completeness is checked against this procedure's documents (NĐ 61/2018 Đ.15 as amended by NĐ
    118/2025): an id of another procedure's document is refused with a stable code, nothing written."""
    own = all_documents()
    foreign = all_documents("1.014748")
    with pytest.raises(Invalid) as err:
        receive(documents=own + foreign[:1])
    assert err.value.code == "ONESTOP_UNKNOWN_DOCUMENT" and err.value.details["unknown"] == foreign[:1]
    assert not Dossier.objects.exists()
    d = receive(documents=[], outcome="supplement", reason="Thiếu giấy tờ")
    with pytest.raises(Invalid) as err:
        act(d.code, "complete_supplement", people["counter"], at=hn(2026, 3, 3, 9), documents=foreign[:1])
    assert err.value.code == "ONESTOP_UNKNOWN_DOCUMENT"


def test_audit_verify_finds_a_dossier_state_set_back_behind_the_services(receive, people):
    """Tamper evidence: the chain's head seals the state the dossier reached; a state changed without an
    event (a raw UPDATE) is named by `audit verify`."""
    from kycuong.core import events
    from kycuong.core.events import Break
    from kycuong.onestop.models import Dossier
    from kycuong.onestop.workflow import State

    d = receive(at=hn(2026, 3, 2, 9))
    assert events.verify("dossier", d.code) == []
    Dossier.objects.filter(code=d.code).update(state=State.RETURNED)
    assert events.verify("dossier", d.code) == [Break("dossier", d.code, 1, "state_mismatch")]
