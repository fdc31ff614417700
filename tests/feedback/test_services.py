"""The write path of reports: routing, verification and the report_founded contract, reporter privacy,
repeats, masking, votes, concurrency and all-or-nothing writes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kycuong.core import events
from kycuong.core.errors import DomainError
from kycuong.feedback import queries, services
from kycuong.feedback.errors import NotPermitted, StaleVersion
from kycuong.feedback.masking import mask
from kycuong.feedback.models import Report, Routing
from kycuong.feedback.signals import report_founded

from .conftest import hn

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def conduct(submit, people, **kw):
    kw.setdefault("text", "Cán bộ quầy số 3 quát tháo, đòi tiền bồi dưỡng mới nhận hồ sơ.")
    kw.setdefault("reporter_name", "Nguyễn Văn Dân")
    kw.setdefault("reporter_phone", "0912345678")
    return submit(kind="conduct", title="Thái độ cán bộ quầy số 3", procedure_code="",
                  official_id=people["official"].pk, **kw)


@pytest.fixture
def founded(people):
    seen = []

    def receiver(sender, report, **kw):
        seen.append(report)

    report_founded.connect(receiver)
    yield seen
    report_founded.disconnect(receiver)


def test_routing_suggests_from_what_the_report_names(submit, people):
    """Official → their unit; procedure → its deciding unit; named unit; nothing → the city's desk."""
    assert conduct(submit, people).suggested_unit.code == "H26.200.01"
    assert submit(procedure_code="HN-DEMO-CC01").suggested_unit.code == "H26.104"
    assert submit(procedure_code="", unit_code="H26.105", text="Đường sai quy hoạch").suggested_unit.code == "H26.105"
    nothing = submit(procedure_code="", text="Một góp ý chung về giờ làm việc")
    assert nothing.suggested_unit is None and nothing.responsible_unit.code == "H26"


def test_dossier_routes_to_its_deciding_unit(submit, people):
    from kycuong.catalog.queries import procedure_by_code
    from kycuong.onestop.services import Applicant, receive_at_counter

    docs = [d.pk for d in procedure_by_code("HN-DEMO-CC01", on_date=hn(2026, 3, 2).date()).documents.all()]
    dossier = receive_at_counter(people["counter"], procedure_code="HN-DEMO-CC01", documents=docs,
                                 applicant=Applicant(name="Hoàng Thị Mai"), at=hn(2026, 3, 2, 9))
    report = submit(procedure_code="", dossier_code=dossier.code.lower(), at=hn(2026, 3, 3, 9))
    assert report.dossier == dossier and report.suggested_unit == dossier.unit


def test_receiving_officer_confirms_or_changes_the_unit_and_history_is_kept(submit, people):
    report = submit(procedure_code="", text="Góp ý chung về cách tiếp dân")
    report = services.act(report.code, "confirm_unit", people["desk"], unit="H26.104", reason="Lĩnh vực tư pháp",
                          at=hn(2026, 3, 2, 10))
    assert report.state == "processing" and report.responsible_unit.code == "H26.104" and report.unit_confirmed
    assert report.handle_due_at == hn(2026, 3, 23, 9)  # a change at routing is not a transfer: clock kept
    assert list(Routing.objects.filter(report=report).values_list("step", flat=True)) == ["suggested", "confirmed"]


def test_unknown_codes_are_clear_errors_and_nothing_is_written(submit, people):
    for kw, code in (({"dossier_code": "H26.104-000000-9999"}, "FEEDBACK_UNKNOWN_DOSSIER"),
                     ({"procedure_code": "KHONG-CO"}, "FEEDBACK_UNKNOWN_PROCEDURE"),
                     ({"unit_code": "H26.999"}, "FEEDBACK_UNKNOWN_UNIT")):
        with pytest.raises(DomainError) as err:
            submit(**kw)
        assert err.value.code == code
    assert Report.objects.count() == 0


def test_disguised_and_oversize_files_are_refused_and_nothing_is_written(submit, settings):
    """Upload checks by content (core.uploads): an executable named .png, a file above the limit."""
    settings.KYCUONG_UPLOAD_MAX_FILE_MB = 1
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    with pytest.raises(DomainError) as err:
        submit(files=[fake])
    assert err.value.code == "UPLOAD_BAD_TYPE"
    big = SimpleUploadedFile("to.png", PNG + b"\x00" * (1024 * 1024 + 1), content_type="image/png")
    with pytest.raises(DomainError) as err:
        submit(files=[big])
    assert err.value.code == "UPLOAD_TOO_LARGE"
    assert Report.objects.count() == 0
    ok = submit(files=[SimpleUploadedFile("anh.png", PNG, content_type="image/png")])
    assert ok.attachments.get().mime == "image/png"


def test_verification_founded_sends_report_founded_on_commit_with_the_report(
        submit, people, founded, django_capture_on_commit_callbacks):
    """A founded conclusion reaches the discipline app (signals.report_founded) only after commit."""
    report = conduct(submit, people)
    inspector = people["inspector"]
    services.act(report.code, "confirm_unit", inspector, at=hn(2026, 3, 2, 10))
    services.act(report.code, "assign_verifier", inspector, verifier=inspector.pk, at=hn(2026, 3, 2, 11))
    evidence = SimpleUploadedFile("bien-ban.png", PNG, content_type="image/png")
    services.act(report.code, "record_findings", inspector, findings="Camera quầy 3 ghi nhận sự việc.",
                 files=[evidence], at=hn(2026, 3, 3, 9))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.act(report.code, "conclude", inspector, conclusion="founded", at=hn(2026, 3, 4, 9))
        assert founded == []  # not before commit
    assert len(callbacks) == 1 and len(founded) == 1
    sent = founded[0]
    assert sent.code == report.code and sent.official == people["official"]
    assert sent.unit.code == "H26.200.01" and sent.conclusion == "founded"
    assert sent.concluded_at == hn(2026, 3, 4, 9) and sent.concluded_by == inspector
    assert "Camera" in sent.findings
    assert report.attachments.filter(purpose="evidence").count() == 1


def test_unfounded_conclusion_sends_nothing_and_needs_findings(submit, people, founded,
                                                               django_capture_on_commit_callbacks):
    report = conduct(submit, people)
    inspector = people["inspector"]
    services.act(report.code, "confirm_unit", inspector, at=hn(2026, 3, 2, 10))
    services.act(report.code, "assign_verifier", inspector, verifier=inspector.pk, at=hn(2026, 3, 2, 11))
    with pytest.raises(DomainError) as err:
        services.act(report.code, "conclude", inspector, conclusion="unfounded", at=hn(2026, 3, 3, 9))
    assert err.value.code == "FEEDBACK_FINDINGS_REQUIRED"
    with django_capture_on_commit_callbacks(execute=True):
        services.act(report.code, "conclude", inspector, conclusion="unfounded", findings="Không có căn cứ.",
                     at=hn(2026, 3, 3, 9))
    assert founded == []


def test_only_inspectors_verify_and_only_the_handling_one_concludes(submit, people):
    report = conduct(submit, people)
    services.act(report.code, "confirm_unit", people["counter"], at=hn(2026, 3, 2, 10))
    with pytest.raises(NotPermitted):
        services.act(report.code, "assign_verifier", people["counter"], verifier=people["counter"].pk)
    with pytest.raises(NotPermitted) as err:  # verifiers are inspectors (Luật Thanh tra 2022)
        services.act(report.code, "assign_verifier", people["inspector"], verifier=people["counter"].pk)
    assert err.value.code == "FEEDBACK_VERIFIER_NOT_INSPECTOR" and err.value.status == 403
    with pytest.raises(DomainError) as err:
        services.act(report.code, "assign_verifier", people["inspector"])
    assert err.value.code == "FEEDBACK_VERIFIER_REQUIRED"
    services.act(report.code, "assign_verifier", people["inspector"], verifier=people["inspector"].pk,
                 at=hn(2026, 3, 2, 11))
    with pytest.raises(NotPermitted):
        services.act(report.code, "conclude", people["inspector2"], conclusion="founded", findings="x")


def test_reporter_identity_visible_only_to_inspectors_handling_the_report(submit, people):
    """Only the assigned inspector and the verifier see who reported; the unit's officers, other
    inspectors, admins' officer pages do not."""
    report = conduct(submit, people)
    for who in ("counter", "desk", "inspector", "inspector2", "leader"):
        assert not queries.can_see_reporter(people[who], report), who
    services.act(report.code, "confirm_unit", people["inspector"], at=hn(2026, 3, 2, 10))
    services.act(report.code, "assign_verifier", people["inspector"], verifier=people["inspector2"].pk,
                 at=hn(2026, 3, 2, 11))
    report.refresh_from_db()
    assert queries.can_see_reporter(people["inspector"], report)
    assert queries.can_see_reporter(people["inspector2"], report)
    assert not queries.can_see_reporter(people["counter"], report)
    # The event chain does not leak it either.
    assert all("0912345678" not in str(e.data) for e in events.timeline(services.SUBJECT, report.code))


def test_scoping_units_and_inspectors(submit, people):
    """Officers see their subtree; the city inspectorate oversees conduct reports of the whole city; a
    ward inspector does not see a city-level counter's report."""
    proc = submit()
    cond = conduct(submit, people)
    sees = lambda who: set(queries.visible_reports(people[who]).values_list("code", flat=True))  # noqa: E731
    assert sees("specialist") == {proc.code}
    assert sees("counter") == {cond.code}
    assert sees("other") == set()
    assert sees("inspector") == {cond.code}
    assert sees("ward_inspector") == set()
    assert sees("desk") == {proc.code, cond.code}
    assert sees("citizen") == set()


def test_repeats_same_dossier_same_official_similar_text(submit, people):
    first = conduct(submit, people, at=hn(2026, 3, 2, 9))
    again = conduct(submit, people, text="Cán bộ quầy 3 lại quát tháo và đòi tiền bồi dưỡng", at=hn(2026, 3, 5, 9))
    other_matter = conduct(submit, people, text="Cán bộ này đi muộn về sớm nhiều ngày", at=hn(2026, 3, 6, 9))
    proc = submit(text="Thủ tục công chứng yêu cầu nộp bản sao giấy tờ không có trong quy định, rất phiền",
                  at=hn(2026, 3, 2, 10))
    assert again.repeat_of == first and again.is_repeat
    assert other_matter.repeat_of is None
    assert proc.repeat_of is None  # the first procedure report
    assert submit(text="Thủ tục công chứng yêu cầu nộp bản sao giấy tờ không có trong quy định",
                  at=hn(2026, 3, 9, 9)).repeat_of == proc
    unrelated = submit(text="Website cổng dịch vụ công thường xuyên bị lỗi khi tải tệp", at=hn(2026, 3, 9, 9))
    assert unrelated.repeat_of is None


def test_masking_removes_phone_id_email_and_keeps_dates():
    text = "Gọi 0912 345 678 hoặc +84 912345678, CCCD 001190012345, thư a.b@vi.du.vn, ngày 14/02/2026, 2026-02-14"
    out = mask(text)
    for secret in ("0912 345 678", "912345678", "001190012345", "a.b@vi.du.vn"):
        assert secret not in out
    assert "14/02/2026" in out and "2026-02-14" in out


def test_votes_one_per_reader_changeable(submit, people):
    report = submit()
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    services.act(report.code, "answer", people["leader"], answer="Đã sửa quy trình.", at=hn(2026, 3, 3, 9))
    with pytest.raises(DomainError):
        services.vote(report.code, "s:a", 1)  # not published yet
    services.act(report.code, "publish", people["leader"], at=hn(2026, 3, 3, 10))
    services.vote(report.code, "s:a", 1)
    services.vote(report.code, "s:a", 1)
    services.vote(report.code, "s:b", -1)
    r = services.vote(report.code, "u:1", -1)
    assert (r.likes, r.dislikes) == (1, 2)
    r = services.vote(report.code, "s:b", 1)
    assert (r.likes, r.dislikes) == (2, 1)
    assert queries.satisfaction([Report.objects.get(pk=report.pk)])["rate"] == 1.0


def test_indicator_5_3_counts_disliked_overdue_and_repeats_once_each(submit, people):
    """docs/legal/decision-766.md §1.2 row 5.3: (PAKN − more dislikes than likes − overdue − repeated) ÷ PAKN."""
    a = submit(text="Phản ánh thứ nhất về lệ phí công chứng")
    b = submit(text="Phản ánh thứ nhất về lệ phí công chứng", at=hn(2026, 3, 2, 10))  # repeat of a
    c = submit(text="Một việc khác hẳn về giờ mở cửa bộ phận một cửa")
    Report.objects.filter(pk=c.pk).update(dislikes=2, likes=1, overdue=["handle"])
    result = queries.satisfaction(Report.objects.filter(pk__in=[a.pk, b.pk, c.pk]))
    assert result == {"total": 3, "unsatisfied": 2, "rate": 1 / 3}


def test_stale_version_loses_cleanly(submit, people):
    report = submit()
    services.act(report.code, "confirm_unit", people["leader"], expected_version=report.version,
                 at=hn(2026, 3, 2, 10))
    with pytest.raises(StaleVersion):
        services.act(report.code, "request_info", people["specialist"], expected_version=report.version,
                     message="Bổ sung", at=hn(2026, 3, 2, 11))


def test_nul_characters_are_refused_on_both_databases(submit, people):
    report = submit()
    with pytest.raises(DomainError) as err:
        services.act(report.code, "refuse", people["leader"], reason="a\x00b")
    assert err.value.code == "FEEDBACK_NUL_CHARACTER"
    with pytest.raises(DomainError):
        submit(text="x\x00y")


def test_transition_not_allowed_is_a_409_domain_error(submit, people):
    report = submit()
    with pytest.raises(DomainError) as err:
        services.act(report.code, "publish", people["leader"])
    assert err.value.status == 409


def test_citizen_provides_information_with_the_code(submit, people):
    report = submit(at=hn(2026, 3, 2, 9))
    services.act(report.code, "request_info", people["leader"], message="Cho biết số quầy", at=hn(2026, 3, 2, 10))
    report = services.provide_info_by_code(report.code.lower(), text="Quầy số 3", at=hn(2026, 3, 2, 11))
    assert report.state == "processing" and "Quầy số 3" in report.text


def test_published_answer_tells_the_reporter_in_app_and_by_email(submit, people, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    from kycuong.core.models import Notification

    report = submit(user=people["citizen"], reporter_email="dan@example.org")
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    services.act(report.code, "answer", people["leader"], answer="Đã trả lời.", at=hn(2026, 3, 3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.act(report.code, "publish", people["leader"], at=hn(2026, 3, 3, 10))
    assert Notification.objects.filter(user=people["citizen"], kind="feedback_published", subject=report.code).exists()
    assert len(mailoutbox) == 1 and report.code in mailoutbox[0].subject

    # The job outbox delivers at least once (core.jobs): a second run tells no one again.
    from kycuong.feedback.tasks import tell_reporter

    tell_reporter(report.pk)
    assert Notification.objects.filter(user=people["citizen"], kind="feedback_published").count() == 1
    assert len(mailoutbox) == 1


def test_events_chain_verifies(submit, people):
    report = submit()
    services.act(report.code, "confirm_unit", people["leader"], at=hn(2026, 3, 2, 10))
    assert events.verify(services.SUBJECT, report.code) == []
    assert [e.kind for e in events.timeline(services.SUBJECT, report.code)] == ["submitted", "unit_confirmed"]


def test_staff_channels_need_an_officer(submit, people):
    with pytest.raises(NotPermitted):
        submit(channel="hotline", user=people["citizen"])
    report = submit(channel="hotline", user=people["desk"], reporter_name="Người gọi")
    assert report.entered_by == people["desk"] and report.reporter is None
