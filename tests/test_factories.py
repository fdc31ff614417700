"""The factories build what the services would: right materialised paths, role groups, a started clock."""
import pytest

from tests.factories import (
    CitizenFactory,
    CityLeaderFactory,
    CommuneFactory,
    DossierFactory,
    MeetingFactory,
    OfficialFactory,
    ProcedureFactory,
    ReceivingOfficerFactory,
    ReportFactory,
    SpecialistFactory,
    TaskFactory,
    UnitFactory,
    at,
)

pytestmark = pytest.mark.django_db


def test_units_carry_the_materialised_path_of_their_ancestors():
    from kycuong.core.models import Unit

    city = UnitFactory(city=True)
    dept = UnitFactory(parent=city)
    division = UnitFactory(parent=dept, kind=Unit.Kind.DIVISION)
    ward = CommuneFactory(parent=city)
    assert city.path == f"/{city.pk}/" and city.parent is None
    assert dept.path == f"/{city.pk}/{dept.pk}/" and dept.code.startswith(city.code + ".")
    assert division.path == f"{dept.path}{division.pk}/"
    assert ward.tier == Unit.Tier.COMMUNE and ward.path.startswith(city.path)
    assert set(Unit.objects.filter(path__startswith=dept.path)) == {dept, division}
    for unit in (city, dept, division, ward):
        unit.full_clean()  # the electronic ID shape of QĐ 20/2020/QĐ-TTg


def test_accounts_have_their_role_and_group():
    officer = ReceivingOfficerFactory()
    citizen = CitizenFactory()
    leader = CityLeaderFactory()
    assert officer.is_officer and officer.unit is not None and officer.check_password("pw-Abc12345!")
    assert officer.groups.filter(name__startswith="role:").count() == 1
    assert citizen.unit is None and not citizen.is_officer
    assert leader.unit.parent is None


def test_procedure_version_is_complete_and_decided_by_its_unit():
    from kycuong.catalog import checks
    from kycuong.catalog.queries import procedure_by_code

    dept = UnitFactory()
    version = ProcedureFactory(deciding_units=[dept])
    assert list(version.deciding_units.all()) == [dept]
    assert procedure_by_code(version.procedure.code) == version
    steps = list(version.steps.all())
    assert checks.check_steps(version.limit_amount, version.limit_unit, steps).ok
    assert checks.missing_parts(version) == []


def test_dossier_is_received_through_the_services_and_walks_on():
    from kycuong.onestop.workflow import State

    dossier = DossierFactory()
    assert dossier.state == State.RECEIVED and dossier.due_at is not None
    assert dossier.code.startswith(dossier.receiving_unit.code + "-260302-")
    specialist = SpecialistFactory(unit=dossier.unit)
    officer = ReceivingOfficerFactory(unit=dossier.unit)
    walked = DossierFactory(version=dossier.procedure_version, officer=officer, actions=[
        ("start_processing", officer, {"at": at(2026, 3, 2, 10), "assignee_id": specialist.pk}),
    ])
    assert walked.state == State.PROCESSING and walked.code != dossier.code


def test_report_meeting_and_task_through_their_services():
    from kycuong.discipline.models import Invitation

    city = UnitFactory(city=True)
    report = ReportFactory(user=CitizenFactory())
    assert report.code and report.responsible_unit == city  # nothing named: the desk (the city)
    leader = CityLeaderFactory(unit=city)
    staff = OfficialFactory(unit=UnitFactory(parent=city))
    meeting = MeetingFactory(organiser=leader, officials=[staff])
    assert meeting.unit == city and Invitation.objects.get(meeting=meeting).official == staff
    task = TaskFactory(issuer=leader)
    assert task.unit.parent == city and task.directive.unit == city
