"""The one-stop rulebook as data: every line cites its basis, the refusals keep their stable codes and statuses,
and the apology edge is exactly one working day on the receiving unit's calendar."""
from datetime import timedelta

import pytest

from kycuong.core import errors as core_errors
from kycuong.onestop import errors
from kycuong.onestop.policy import ACT_ACTIONS, DOSSIER, STEP_ACTIONS, TRANSITIONS
from kycuong.onestop.services import act

from .conftest import hn


def test_every_line_of_the_table_cites_its_basis_and_has_a_label():
    rows = DOSSIER.table()
    assert {r["action"] for r in rows} == set(TRANSITIONS) and "reassign" in ACT_ACTIONS
    assert all(r["basis"] and r["label"] for r in rows)
    assert all("step_duty" in r["guards"] for r in rows if r["action"] in STEP_ACTIONS)


def test_who_is_403_and_when_is_409():
    assert issubclass(errors.NotPermitted, core_errors.NotPermitted)
    assert not issubclass(errors.NotPermitted, core_errors.Conflict)
    for cls in (errors.NotStepAssignee, errors.NotStepUnit, errors.WrongStepRole, errors.LeaderStep,
                errors.SamePerson, errors.NotUnitLeader):
        assert issubclass(cls, errors.NotPermitted) and cls.status == 403 and cls.code.startswith("ONESTOP_")
    for cls in (errors.LastStep, errors.StepsRemain, errors.SecondApology, errors.SecondSupplement,
                errors.ApologyTooLate):
        assert cls.status == 409
    assert (errors.LastStep.code, errors.StepsRemain.code) == ("ONESTOP_LAST_STEP", "ONESTOP_STEPS_REMAIN")


@pytest.mark.django_db
def test_apology_window_is_one_working_day_before_the_appointment(receive, people):
    """NĐ 61/2018 Đ.19 (as in the 2025 processes, docs/legal/one-stop.md §2.2): at the latest 01 working day before the
    appointment. Due Mon 16/03/2026 09:00: Fri 13/03 09:00 is exactly 8 working hours ahead."""
    d = receive(at=hn(2026, 3, 2, 9))
    d = act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10), assignee_id=people["specialist"].pk)
    edge = hn(2026, 3, 13, 9)
    assert DOSSIER.decide(people["specialist"], d, "apologize", edge).allowed
    late = DOSSIER.decide(people["specialist"], d, "apologize", edge + timedelta(minutes=1))
    assert late.refusal.code == "ONESTOP_APOLOGY_TOO_LATE" and not late.refusal.forbidden
