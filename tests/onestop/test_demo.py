import pytest

pytestmark = pytest.mark.django_db


def test_demo_dossiers_go_through_the_services(city, demo):
    from kycuong.core import events
    from kycuong.onestop.models import Dossier

    demo.accounts()
    assert demo.dossiers() == 12
    assert demo.dossiers() == 0  # idempotent
    assert {2, 4, 5, 10} <= set(Dossier.objects.values_list("state", flat=True))
    assert events.verify("dossier") == []


def test_every_demo_unit_with_a_leaders_step_has_a_leader(city, demo):
    """onestop.policy: a leader's approval/signature step is completed only by a leader of that unit, so the demo
    has one for every deciding department of the demo catalog and for its ward (H26.501)."""
    from kycuong.catalog.models import ProcedureStep
    from kycuong.core.models import User
    from kycuong.core.scope import unit_in_scope

    demo.accounts()
    leaders = list(User.objects.filter(role=User.Role.UNIT_LEADER).select_related("unit"))
    steps = ProcedureStep.objects.filter(role=User.Role.UNIT_LEADER).select_related("version", "unit")
    units = set()
    for step in steps:
        assert step.requires_second_person, step
        if step.unit is not None:
            units.add(step.unit)
        elif step.version.all_communes:
            units.add(User.objects.get(username="tiepnhan_xa").unit)
        else:
            units.update(step.version.deciding_units.all())
    units = {u for u in units if u.valid_to is None}  # dissolved districts decide no new dossier
    assert units
    for unit in units:
        assert any(unit_in_scope(leader, unit) for leader in leaders), unit.code
