"""Separation of duties on the internal steps (onestop.policy): each step by its assignee or, unassigned, by an
officer of its unit holding its role; the leader's approval/signature step only by a leader of that unit; a
step marked `requires_second_person` never by whoever completed an earlier step (TT 03/2025/TT-VPCP Mẫu số 06:
each hand-over is recorded with the person who gives and the person who receives). Every refusal is checked
through the API (403, stable code, Vietnamese reason) and through the dossier page's form."""
import pytest

from kycuong.core import events
from kycuong.onestop.errors import LeaderStep, NotStepAssignee, NotUnitLeader, SamePerson, WrongStepRole
from kycuong.onestop.models import Dossier
from kycuong.onestop.services import Applicant, act, receive_at_counter

from .conftest import PROC, hn
from .test_api import Api

pytestmark = pytest.mark.django_db
AT = hn(2026, 3, 2, 9)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def ward(city, make_officer):
    """Phường Hoàn Kiếm (H26.501, successor of the dissolved Quận Hoàn Kiếm H26.901) and its people."""
    R = make_officer.Role
    return {
        "counter": make_officer(R.RECEIVING_OFFICER, "H26.501", full_name="Bùi Văn Tùng"),
        "specialist": make_officer(R.SPECIALIST, "H26.501", full_name="Ngô Thị Thu"),
        "leader": make_officer(R.UNIT_LEADER, "H26.501", full_name="Đinh Văn Sơn"),
        "other_ward": make_officer(R.RECEIVING_OFFICER, "H26.502", full_name="Phường khác"),
    }


def api_act(api, code, action, user, body=None):
    return api.post(f"/dossiers/{code}/actions/{action}", body or {}, user=user)


def page_act(client, user, dossier, action, **fields):
    """POST the dossier page's form for `action`, as the browser does."""
    client.force_login(user)
    data = {"action": action, f"{action}-version": dossier.version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(f"/mot-cua/{dossier.code}/thao-tac/", data)


def refused(r, error):
    assert r.status_code == 403, r.content
    body = r.json()
    assert body["code"] == error.code
    return body["message"]


def processing(receive, people, **kw):
    d = receive(at=AT)
    return act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10), **kw)


def test_a_receiving_officer_cannot_complete_the_specialists_step(api, client, receive, people, make_officer):
    """Mẫu 06: the examining step is the specialist's. Assigned: only the assignee; unassigned: a specialist of
    the deciding unit — not a receiving officer, not even one of that unit."""
    d = processing(receive, people, assignee_id=people["specialist"].pk)
    message = refused(api_act(api, d.code, "handover", people["counter"]), NotStepAssignee)
    assert "Trần Văn Minh" in message and "chỉ người được giao" in message
    page = page_act(client, people["counter"], d, "handover")
    assert page.status_code == 403 and "chỉ người được giao" in page.content.decode()
    unassigned = processing(receive, people)
    counter_here = make_officer(make_officer.Role.RECEIVING_OFFICER, "H26.104", full_name="Một cửa Sở")
    message = refused(api_act(api, unassigned.code, "handover", counter_here), WrongStepRole)
    assert "Chuyên viên xử lý" in message
    page = page_act(client, counter_here, unassigned, "handover")
    assert page.status_code == 403 and "vai trò của bạn" in page.content.decode()
    # …and the page never offered the button.
    client.force_login(people["counter"])
    assert 'data-action="handover"' not in client.get(f"/mot-cua/{d.code}/").content.decode()
    assert Dossier.objects.get(pk=d.pk).current_step.order == 2
    assert api_act(api, unassigned.code, "handover", people["specialist"],
                   {"assignee_id": people["leader"].pk}).status_code == 200


def test_a_specialist_cannot_complete_the_leaders_signature_step(api, client, receive, people):
    d = processing(receive, people, assignee_id=people["specialist"].pk)
    d = act(d.code, "handover", people["specialist"], at=hn(2026, 3, 3, 9))  # the leader's step, unassigned
    assert d.current_step.name == "Lãnh đạo phê duyệt, ký"
    message = refused(api_act(api, d.code, "handover", people["specialist"]), LeaderStep)
    assert "chỉ lãnh đạo Sở Tư pháp" in message
    page = page_act(client, people["specialist"], d, "handover")
    assert page.status_code == 403 and "chỉ lãnh đạo Sở Tư pháp" in page.content.decode()
    detail = api.get(f"/dossiers/{d.code}", user=people["specialist"]).json()
    assert "handover" not in [a["action"] for a in detail["allowed_actions"]]
    assert {"action": "handover", "code": "ONESTOP_LEADER_STEP"}.items() <= next(
        r for r in detail["refused_actions"] if r["action"] == "handover").items()
    assert api_act(api, d.code, "handover", people["leader"], {"assignee_id": people["clerk"].pk}).status_code == 200


def test_a_commune_receiving_officer_cannot_complete_the_commune_leaders_step(api, client, ward):
    """1.001193 (khai sinh, decided by the commune): the "Lãnh đạo UBND cấp xã ký" step is the commune leader's."""
    d = receive_at_counter(ward["counter"], procedure_code="1.001193", applicant=Applicant(name="Lê Văn A"),
                           documents=_documents("1.001193"), at=AT)
    assert d.unit.code == "H26.501"
    act(d.code, "start_processing", ward["counter"], at=hn(2026, 3, 2, 9, 30), assignee_id=ward["specialist"].pk)
    d = act(d.code, "handover", ward["specialist"], at=hn(2026, 3, 2, 10))
    assert d.current_step.role == "unit_leader" and d.current_step.requires_second_person
    # The signature is the last processing step: completing it is "finish".
    message = refused(api_act(api, d.code, "finish", ward["counter"]), LeaderStep)
    assert "Phường Hoàn Kiếm" in message
    page = page_act(client, ward["counter"], d, "finish")
    assert page.status_code == 403 and "bước phê duyệt, ký" in page.content.decode()
    refused(api_act(api, d.code, "finish", ward["specialist"]), LeaderStep)
    assert api_act(api, d.code, "finish", ward["leader"]).status_code == 200


def _documents(code):
    from kycuong.catalog.queries import procedure_by_code

    return [doc.pk for doc in procedure_by_code(code, on_date=AT.date()).documents.all()]


def test_nobody_signs_what_they_examined_when_the_step_requires_a_second_person(api, receive, people, make_officer):
    """requires_second_person is copied from the procedure at intake; whoever completed an earlier step of the
    dossier is refused with ONESTOP_SAME_PERSON, even a leader of the unit."""
    d = receive(at=AT)
    steps = list(d.steps.order_by("order"))
    assert [s.requires_second_person for s in steps] == [False, False, True, False, False]
    steps[1].role = ""  # an examining step any working role of the unit may take (here: the leader)
    steps[1].save(update_fields=["role"])
    act(d.code, "start_processing", people["counter"], at=hn(2026, 3, 2, 10), assignee_id=people["leader"].pk)
    act(d.code, "handover", people["leader"], at=hn(2026, 3, 3, 9))
    message = refused(api_act(api, d.code, "handover", people["leader"]), SamePerson)
    assert "phân tách nhiệm vụ" in message
    other_leader = make_officer(make_officer.Role.UNIT_LEADER, "H26.104", full_name="Phó Giám đốc")
    assert api_act(api, d.code, "handover", other_leader).status_code == 200


def test_a_leader_reassigns_the_current_step_and_the_timeline_shows_it(api, client, receive, people, make_officer):
    second = make_officer(make_officer.Role.SPECIALIST, "H26.104", full_name="Đỗ Thị Hồng")
    d = processing(receive, people, assignee_id=people["specialist"].pk)
    refused(api_act(api, d.code, "reassign", people["specialist"], {"assignee_id": second.pk}), NotUnitLeader)
    bad = api_act(api, d.code, "reassign", people["leader"], {"assignee_id": people["clerk"].pk})
    assert (bad.status_code, bad.json()["code"]) == (422, "ONESTOP_BAD_ASSIGNEE")  # not the step's role
    d = Dossier.objects.get(pk=d.pk)
    r = page_act(client, people["leader"], d, "reassign", assignee=second.pk, note="Chuyên viên nghỉ phép")
    assert r.status_code == 302
    page = client.get(f"/mot-cua/{d.code}/").content.decode()
    assert "Giao lại bước đang thực hiện" in page and "Trần Văn Minh → Đỗ Thị Hồng" in page
    assert [e.kind for e in events.timeline("dossier", d.code)][-1] == "reassigned"
    refused(api_act(api, d.code, "handover", people["specialist"]), NotStepAssignee)
    assert api_act(api, d.code, "handover", second, {"assignee_id": people["leader"].pk}).status_code == 200


def test_administrators_manage_but_do_not_complete_steps(api, receive, people, make_officer):
    admin = make_officer(make_officer.Role.ADMINISTRATOR, "H26")
    d = processing(receive, people)
    refused(api_act(api, d.code, "handover", admin), WrongStepRole)
    assert "handover" not in [a["action"] for a in api.get(f"/dossiers/{d.code}", user=admin).json()["allowed_actions"]]
    assert api_act(api, d.code, "stop", admin, {"reason": "Theo văn bản của cơ quan có thẩm quyền"}).status_code == 200


def test_successor_unit_officers_see_and_act_on_the_dissolved_units_open_dossiers(api, client, ward):
    """docs/legal/units.md §9: Quận Hoàn Kiếm (H26.901) was dissolved on 1/7/2025 into Phường Hoàn Kiếm (H26.501)."""
    from kycuong.core.models import Unit

    d = receive_at_counter(ward["counter"], procedure_code="1.001193", applicant=Applicant(name="Lê Văn B"),
                           documents=_documents("1.001193"), at=AT)
    district = Unit.objects.get(code="H26.901")
    assert district.successor.code == "H26.501"
    Dossier.objects.filter(pk=d.pk).update(unit=district, receiving_unit=district)
    d.steps.update(unit=district, assignee=None)  # a dossier the district left behind
    assert api.get(f"/dossiers/{d.code}", user=ward["other_ward"]).status_code == 404
    detail = api.get(f"/dossiers/{d.code}", user=ward["counter"]).json()
    assert "start_processing" in [a["action"] for a in detail["allowed_actions"]]
    client.force_login(ward["counter"])
    assert 'data-action="start_processing"' in client.get(f"/mot-cua/{d.code}/").content.decode()
    r = api_act(api, d.code, "start_processing", ward["counter"], {"assignee_id": ward["specialist"].pk})
    assert r.status_code == 200, r.content
    r = page_act(client, ward["specialist"], Dossier.objects.get(pk=d.pk), "handover", assignee=ward["leader"].pk)
    assert r.status_code == 302
    assert Dossier.objects.get(pk=d.pk).current_step.assignee == ward["leader"]


def test_the_api_tells_why_the_apology_is_no_longer_offered(api, receive, people):
    """NĐ 61/2018 Đ.19 (docs/legal/one-stop.md §2.2): not advertised once less than one working day is left; refused_actions
    says why with the service's own code."""
    d = processing(receive, people, assignee_id=people["specialist"].pk)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=hn(2026, 3, 13, 10)):  # due Mon 16/03 09:00
        detail = api.get(f"/dossiers/{d.code}", user=people["specialist"]).json()
    assert "apologize" not in [a["action"] for a in detail["allowed_actions"]]
    why = next(r for r in detail["refused_actions"] if r["action"] == "apologize")
    assert why["code"] == "ONESTOP_APOLOGY_TOO_LATE" and "01 ngày làm việc" in why["reason"]


def test_an_officer_receives_only_for_a_counter_in_their_own_unit(people):
    """NĐ 118/2025: the one-stop of the receiving agency records the receipt; an officer cannot record another
    unit's counter as the receiving one."""
    from kycuong.core.models import Unit
    from kycuong.onestop.errors import NotReceivingUnit
    from kycuong.onestop.services import Applicant, receive_at_counter

    with pytest.raises(NotReceivingUnit) as refused:
        receive_at_counter(people["counter"], procedure_code=PROC, applicant=Applicant(name="Hoàng Thị Mai"),
                           receiving_unit=Unit.objects.get(code="H26.105"), at=hn(2026, 3, 2, 9))
    assert refused.value.status == 403 and refused.value.code == "ONESTOP_NOT_RECEIVING_UNIT"
