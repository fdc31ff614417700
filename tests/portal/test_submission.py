"""Online submission (docs/legal/portal-and-payments.md §3, NĐ 42/2022/NĐ-CP): drafts, uploads by content, idempotent submit."""
import pytest
from django.core import mail

from kycuong.core.uploads import UploadRefused
from kycuong.onestop.models import Channel, Dossier
from kycuong.onestop.workflow import State
from kycuong.portal import services
from kycuong.portal.errors import AlreadySubmitted, StaleForm
from kycuong.portal.models import DossierFile, DraftFile

from tests import pdfs
from tests.portal.fixtures import EXE, PDF, PROC, upload

pytestmark = pytest.mark.django_db


def test_submission_lands_in_state_1_with_files_code_and_receipt(submitted, citizen):
    """docs/legal/one-stop.md §2.1: an online submission is state 1 (Mới đăng ký), channel 2; 766 row 4.2: input digitised."""
    d = Dossier.objects.get(code=submitted.code)
    assert d.state == State.SUBMITTED_ONLINE and d.channel == Channel.ONLINE and d.applicant == citizen
    assert d.digitised is True
    assert d.applicant_name == "Hoàng Thị Mai" and d.applicant_id_number == "001190012345"  # pre-filled profile
    assert d.fee_total_vnd == 150_000
    files = list(DossierFile.objects.filter(dossier=d))
    assert [f.name for f in files] == ["don-de-nghi.pdf", "cccd.png"]
    for f in files:  # moved after commit: the dossier's copy exists, the draft's is gone
        assert f.file.storage.exists(f.file.name) and f.file.name.startswith("dossiers/")
    for f in DraftFile.objects.filter(draft__dossier=d):
        assert not f.file.storage.exists(f.file.name)
    assert any(submitted.code in m.body and "/tra-cuu/" in m.body for m in mail.outbox)


def test_executable_renamed_pdf_is_refused_and_nothing_kept(ready_draft, citizen):
    before = DraftFile.objects.count()
    doc = ready_draft.files.first().document_id
    with pytest.raises(UploadRefused) as exc:
        services.add_files(citizen, ready_draft.pk, doc, [upload("hop-dong.pdf", EXE)])
    assert exc.value.code == "UPLOAD_BAD_TYPE"
    assert "không phải PDF hoặc ảnh" in str(exc.value.message)
    assert DraftFile.objects.count() == before


def test_oversize_file_is_refused(ready_draft, citizen, settings):
    settings.KYCUONG_UPLOAD_MAX_FILE_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    doc = ready_draft.files.first().document_id
    with pytest.raises(UploadRefused) as exc:
        services.add_files(citizen, ready_draft.pk, doc, [upload("lon.pdf", big)])
    assert exc.value.code == "UPLOAD_TOO_LARGE"
    assert ready_draft.files.count() == 2


def test_dossier_total_limit(ready_draft, citizen, settings):
    settings.KYCUONG_UPLOAD_MAX_FILE_MB = 1
    settings.KYCUONG_UPLOAD_MAX_TOTAL_MB = 1
    doc = ready_draft.files.first().document_id
    with pytest.raises(UploadRefused) as exc:
        services.add_files(citizen, ready_draft.pk, doc, [upload("a.pdf", pdfs.padded(600_000)),
                                                          upload("b.pdf", pdfs.padded(600_000))])
    assert exc.value.code == "UPLOAD_TOTAL_TOO_LARGE"
    assert ready_draft.files.count() == 2


def test_resubmission_creates_no_second_dossier(submitted, ready_draft, citizen):
    with pytest.raises(AlreadySubmitted) as exc:
        services.submit_draft(citizen, ready_draft.pk, str(ready_draft.idempotency_key))
    assert exc.value.code == "PORTAL_ALREADY_SUBMITTED"
    assert Dossier.objects.count() == 1


def test_stale_key_is_refused(ready_draft, citizen):
    with pytest.raises(StaleForm):
        services.submit_draft(citizen, ready_draft.pk, "00000000-0000-0000-0000-000000000000")
    assert Dossier.objects.count() == 0


def test_interrupted_submission_leaves_no_dossier(ready_draft, citizen, monkeypatch):
    """One transaction: a failure after the dossier row is written rolls everything back; files stay in the draft."""
    from kycuong.portal import services as portal_services

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(portal_services.events, "append", boom)
    with pytest.raises(RuntimeError):
        services.submit_draft(citizen, ready_draft.pk, str(ready_draft.idempotency_key))
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0
    ready_draft.refresh_from_db()
    assert ready_draft.dossier_id is None
    for f in ready_draft.files.all():
        assert f.file.storage.exists(f.file.name)
    monkeypatch.undo()
    d = services.submit_draft(citizen, ready_draft.pk, str(ready_draft.idempotency_key))  # and it can be retried
    assert Dossier.objects.filter(code=d.code).count() == 1


def test_missing_mandatory_document_is_refused(citizen):
    from kycuong.catalog.queries import procedure_by_code

    draft = services.start_draft(citizen, PROC)
    version = procedure_by_code(PROC)
    services.save_applicant(citizen, draft.pk, applicant=draft.applicant, deciding_unit=version.deciding_units.get())
    services.add_files(citizen, draft.pk, version.documents.first().pk, [upload("a.pdf", PDF)])
    with pytest.raises(services.Invalid) as exc:
        services.submit_draft(citizen, draft.pk, str(draft.idempotency_key))
    assert exc.value.code == "PORTAL_DOCUMENTS_MISSING"
    assert Dossier.objects.count() == 0


def test_procedure_without_online_service_is_refused(citizen):
    from kycuong.catalog.models import OnlineLevel, ProcedureVersion

    v = ProcedureVersion.objects.filter(online_level=OnlineLevel.NONE).select_related("procedure").first()
    with pytest.raises(services.Invalid) as exc:
        services.start_draft(citizen, v.procedure.code)
    assert exc.value.code == "PORTAL_NOT_ONLINE"


def test_draft_resumes_instead_of_duplicating(citizen):
    a = services.start_draft(citizen, PROC)
    b = services.start_draft(citizen, PROC)
    assert a.pk == b.pk


def test_pdf_with_an_attachment_is_refused_through_the_service(ready_draft, citizen):
    """Issue 18: the service path, with its stable code; the draft keeps what it had."""
    doc = ready_draft.files.first().document_id
    with pytest.raises(UploadRefused) as exc:
        services.add_files(citizen, ready_draft.pk, doc, [upload("hoa-don.pdf", pdfs.attachment())])
    assert exc.value.code == "UPLOAD_PDF_ACTIVE_CONTENT" and exc.value.details["found"] == ["embedded_file"]
    assert "tệp đính kèm bên trong" in str(exc.value.message)
    assert ready_draft.files.count() == 2
