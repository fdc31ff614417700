"""The report rulebook's guards, one rule each, named by its basis; the scope rule in its two forms."""
import pytest

from kycuong.core import errors as core_errors
from kycuong.feedback import errors, services
from kycuong.feedback.models import Report
from kycuong.feedback.policy import REPORT, TRANSITIONS, in_scope, report_scope_q, require_intake

from .world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, make_officer):
    return build(people, make_officer)


def refusal(user, report, action, **params):
    return REPORT.decide(user, report, action, params=params).refusal


def test_every_transition_cites_its_basis():
    for name, t in TRANSITIONS.items():
        assert t.basis.strip() and ("QĐ 766" in t.basis or "Luật Thanh tra 2022" in t.basis), name


def test_feedback_not_permitted_is_core_not_permitted_a_403_not_a_conflict():
    assert issubclass(errors.NotPermitted, core_errors.NotPermitted)
    assert not issubclass(errors.NotPermitted, core_errors.Conflict)
    assert errors.NotPermitted().status == 403


def test_verification_is_for_conduct_reports_only_vn_rules_1_2_indicator_5_1(world):
    reports, a = world
    r = refusal(a["inspector"], reports["proc_processing"], "assign_verifier", verifier=a["inspector2"].pk)
    assert r.code == "FEEDBACK_CONDUCT_ONLY" and not r.forbidden  # 409: a matter of the report, not of who


def test_conduct_report_answered_only_after_its_conclusion_luat_thanh_tra_2022(world):
    reports, a = world
    assert refusal(a["inspector"], reports["cond_processing"], "answer").code == "FEEDBACK_VERIFY_FIRST"
    assert refusal(a["inspector"], reports["cond_concluded"], "answer") is None
    assert refusal(a["leader"], reports["proc_processing"], "answer") is None  # procedure reports: no verification


def test_one_inspector_in_charge_assigns_the_verifier(world):
    reports, a = world
    r = refusal(a["inspector2"], reports["cond_verifying"], "assign_verifier", verifier=a["inspector2"].pk)
    assert r.code == "FEEDBACK_OTHER_INSPECTOR" and r.forbidden
    assert refusal(a["inspector"], reports["cond_verifying"], "assign_verifier", verifier=a["inspector"].pk) is None


def test_only_the_handling_inspectors_record_findings_and_conclude(world, make_officer):
    reports, a = world
    third = make_officer(make_officer.Role.INSPECTOR, "H26.115", full_name="Thanh tra thứ ba")
    for action in ("record_findings", "conclude"):
        assert refusal(third, reports["cond_verifying"], action).code == "FEEDBACK_NOT_HANDLING"
        assert refusal(a["inspector2"], reports["cond_verifying"], action) is None  # the verifier
        assert refusal(a["inspector"], reports["cond_verifying"], action) is None  # the one in charge


def test_conclusion_only_by_inspection_luat_thanh_tra_2022(world):
    reports, a = world
    for who in ("counter", "leader", "admin"):
        r = refusal(a[who], reports["cond_verifying"], "conclude")
        assert r.code == "FEEDBACK_NOT_PERMITTED" and r.forbidden, who
    with pytest.raises(errors.NotPermitted):
        services.act(reports["cond_verifying"].code, "conclude", a["counter"], conclusion="founded", findings="x")


def test_verifier_must_be_an_inspector_luat_thanh_tra_2022(world):
    reports, a = world
    r = refusal(a["inspector"], reports["cond_processing"], "assign_verifier", verifier=a["counter"].pk)
    assert r.code == "FEEDBACK_VERIFIER_NOT_INSPECTOR" and r.forbidden
    assert refusal(a["inspector"], reports["cond_processing"], "assign_verifier", verifier="abc").forbidden


def test_no_one_handles_a_complaint_about_themselves_luat_pctn_2018_d23(world):
    """Separation of duties: the inspector complained about neither verifies nor is made the verifier."""
    reports, a = world
    report = reports["cond_about_inspector"]
    accused = a["accused"]
    r = refusal(accused, report, "assign_verifier", verifier=a["inspector2"].pk)
    assert r.code == "FEEDBACK_SELF_VERIFICATION" and r.forbidden
    r = refusal(a["inspector"], report, "assign_verifier", verifier=accused.pk)
    assert r.code == "FEEDBACK_VERIFIER_CONFLICT" and r.forbidden
    with pytest.raises(errors.NotPermitted) as err:
        services.act(report.code, "assign_verifier", a["inspector"], verifier=accused.pk)
    assert err.value.code == "FEEDBACK_VERIFIER_CONFLICT"
    for action in ("transfer", "request_info"):
        assert refusal(accused, report, action).code == "FEEDBACK_SELF_VERIFICATION", action
    # Even once made the verifier by mistake elsewhere, they may not record findings or conclude.
    services.act(report.code, "assign_verifier", a["inspector"], verifier=a["inspector2"].pk)
    report.refresh_from_db()
    Report.objects.filter(pk=report.pk).update(verifier=accused)
    report.refresh_from_db()
    for action in ("record_findings", "conclude"):
        assert refusal(accused, report, action).code == "FEEDBACK_SELF_VERIFICATION", action


def test_successor_unit_officer_acts_on_the_dissolved_units_open_reports_vn_rules_9(world):
    """Quận Hoàn Kiếm was dissolved on 1/7/2025; Phường Hoàn Kiếm, its successor, takes its open reports."""
    reports, a = world
    report = reports["succ_received"]
    assert report.responsible_unit.code == "H26.901" and report.responsible_unit.successor.code == "H26.501"
    assert in_scope(a["ward_officer"], report) and not in_scope(a["other"], report)
    services.act(report.code, "confirm_unit", a["ward_officer"])
    report.refresh_from_db()
    assert report.state == "processing"
    with pytest.raises(errors.ReportNotFound):
        services.act(report.code, "answer", a["other"], answer="x")


def test_inspector_oversight_is_core_scope_from_the_inspectorates_level(world):
    """Thanh tra Thành phố (a provincial body) oversees the city's conduct reports; a ward's inspector, the
    ward's (its dissolved predecessor's included); neither sees procedure reports outside their unit."""
    reports, a = world
    assert in_scope(a["inspector"], reports["cond_received"])
    assert not in_scope(a["inspector"], reports["proc_received"])
    assert in_scope(a["ward_inspector"], reports["succ_conduct"])
    assert not in_scope(a["ward_inspector"], reports["cond_received"])


def test_scope_query_and_predicate_agree_for_every_actor_and_report(world):
    _reports, a = world
    for name, user in a.items():
        if not hasattr(user, "role"):
            continue
        by_query = set(Report.objects.filter(report_scope_q(user)).values_list("code", flat=True))
        by_predicate = {r.code for r in Report.objects.select_related("responsible_unit__successor")
                        if in_scope(user, r)}
        assert by_query == by_predicate, name


def test_staff_channels_are_entered_by_officers_only(world):
    _reports, a = world
    with pytest.raises(errors.NotPermitted) as err:
        require_intake(a["citizen"], "hotline")
    assert err.value.code == "FEEDBACK_STAFF_CHANNEL"
    with pytest.raises(errors.NotPermitted):
        require_intake(None, "walk_in")
    require_intake(a["counter"], "hotline")
    require_intake(None, "portal")


def test_the_reporter_provides_information_by_code_only_when_asked(world):
    reports, _a = world
    with pytest.raises(errors.TransitionNotAllowed):
        services.provide_info_by_code(reports["proc_processing"].code, text="Thêm")
    report = services.provide_info_by_code(reports["proc_info"].code, text="Quầy số 3")
    assert report.state == "processing"


def test_api_lists_refused_actions_the_actor_kind_could_take_with_why(client, world):
    from kycuong.core.tokens import issue_token

    reports, a = world
    token = issue_token(a["leader"])[1]
    body = client.get(f"/api/v1/feedback/reports/{reports['proc_received'].code}",
                      HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert set(body["allowed_actions"]) == {"confirm_unit", "transfer", "refuse", "request_info"}
    refused = {r["action"]: r for r in body["refused_actions"]}
    assert refused["publish"]["code"] == "FEEDBACK_TRANSITION_NOT_ALLOWED" and refused["publish"]["reason"]
    assert "assign_verifier" not in refused  # an officer's kind never verifies: not offered, not listed


def test_staff_page_does_not_offer_the_official_complained_about_as_verifier(client, world):
    reports, a = world
    client.force_login(a["inspector"])
    html = client.get(f"/phan-anh/can-bo/{reports['cond_about_inspector'].code}/").content.decode()
    assert f'<option value="{a["inspector2"].pk}"' in html
    assert f'<option value="{a["accused"].pk}"' not in html
