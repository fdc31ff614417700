"""Results and satisfaction: the electronic result only for the applicant (766 rows 4.1-4.2), status
changes told to the citizen, the like/dislike of 766 row 5.4 and the SIPAS survey (docs/legal/reform.md §4.1)."""
import pytest
from django.core import mail

from kycuong.core.models import Notification
from kycuong.core.uploads import UploadRefused
from kycuong.onestop import services as onestop
from kycuong.onestop.models import Dossier
from kycuong.portal import services
from kycuong.portal.errors import AlreadyRated, NotRateable
from kycuong.portal.models import Rating

from tests.portal.fixtures import EXE, PDF, returned_dossier, upload

pytestmark = pytest.mark.django_db


def test_status_changes_reach_the_citizen_in_app_and_by_mail(submitted, officers, citizen,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        onestop.act(submitted.code, "accept", officers["counter"])
    note = Notification.objects.filter(user=citizen, kind="dossier_status").get()
    assert submitted.code in note.message and "Được tiếp nhận" in note.message
    assert any("Được tiếp nhận" in m.body and m.to == ["mai@vidu.vn"] for m in mail.outbox)
    from kycuong.portal.sms import ConsoleSms

    assert any("Được tiếp nhận" in sms.text and sms.to == "0912345678" for sms in ConsoleSms.outbox)


def test_result_file_checked_by_content(submitted, officers):
    onestop.act(submitted.code, "accept", officers["counter"])
    onestop.act(submitted.code, "start_processing", officers["counter"])
    with pytest.raises(onestop.TransitionNotAllowed) as exc:  # not before processing has finished
        onestop.attach_result(submitted.code, officers["counter"], upload("kq.pdf", PDF))
    assert exc.value.code == "ONESTOP_RESULT_TOO_EARLY"
    d = returned_dossier(submitted.code, officers["counter"], with_result=False)
    version = d.version
    with pytest.raises(UploadRefused):
        onestop.attach_result(d.code, officers["counter"], upload("kq.pdf", EXE))
    d.refresh_from_db()
    assert not d.result_file and d.version == version


def test_result_download_only_by_the_applicant(client, submitted, officers, citizen, other_citizen):
    d = returned_dossier(submitted.code, officers["counter"])
    assert d.result_is_electronic and d.result_file and d.digitised  # 766 rows 4.1 and 4.2
    url = f"/ho-so-cua-toi/{d.code}/ket-qua/"
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404
    client.force_login(officers["outsider"])
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_officer_attaches_result_in_the_workspace(client, submitted, officers):
    returned = returned_dossier(submitted.code, officers["counter"], with_result=False)
    client.force_login(officers["counter"])
    bad = client.post(f"/mot-cua/{returned.code}/ket-qua-dien-tu/", {"result": upload("kq.pdf", EXE)})
    assert bad.status_code == 422 and "không phải PDF hoặc ảnh" in bad.content.decode()
    ok = client.post(f"/mot-cua/{returned.code}/ket-qua-dien-tu/", {"result": upload("kq.pdf", PDF)})
    assert ok.status_code == 302
    assert Dossier.objects.get(code=returned.code).result_file


def test_officer_sees_the_uploaded_files(client, submitted, officers):
    client.force_login(officers["counter"])
    page = client.get(f"/mot-cua/{submitted.code}/").content.decode()
    assert "don-de-nghi.pdf" in page and "cccd.png" in page
    f = submitted.portal_files.first()
    assert client.get(f"/ho-so-truc-tuyen/{submitted.code}/tep/{f.pk}/").status_code == 200
    client.force_login(officers["outsider"])
    assert client.get(f"/ho-so-truc-tuyen/{submitted.code}/tep/{f.pk}/").status_code == 404


def test_rating_only_after_the_result(submitted, citizen):
    with pytest.raises(NotRateable):
        services.rate(citizen, submitted.code, liked=True)


def test_like_then_survey_once(submitted, officers, citizen):
    """QĐ 766 row 5.4 (like/dislike) and the five SIPAS factors (QĐ 2640/QĐ-BNV, docs/legal/reform.md §4.1)."""
    returned_dossier(submitted.code, officers["counter"])
    r = services.rate(citizen, submitted.code, liked=True)
    assert r.unit.code == "H26.103" and r.procedure.code == "2.001610" and r.alerted_at is None
    scores = {"access": 5, "procedure": 4, "officer": 5, "result": 4, "feedback": 3}
    r = services.rate(citizen, submitted.code, scores=scores, comment="Nhanh")
    assert r.scores() == scores and r.surveyed_at
    with pytest.raises(AlreadyRated) as exc:
        services.rate(citizen, submitted.code, liked=False)
    assert exc.value.code == "PORTAL_ALREADY_RATED"
    assert Rating.objects.count() == 1 and Rating.objects.get().liked is True


def test_dislike_alerts_the_unit_leader(client, submitted, officers, citizen):
    returned_dossier(submitted.code, officers["counter"])
    client.force_login(citizen)
    r = client.post(f"/ho-so-cua-toi/{submitted.code}/danh-gia/", {"vote": "dislike"})
    assert r.status_code == 302
    assert Notification.objects.filter(user=officers["leader"], kind="rating_alert", subject=submitted.code).exists()
    assert not Notification.objects.filter(user=officers["outsider"], kind="rating_alert").exists()
    client.force_login(officers["leader"])
    assert submitted.code in client.get("/lanh-dao/danh-gia/").content.decode()
    client.force_login(officers["counter"])
    assert client.get("/lanh-dao/danh-gia/").status_code == 403


def test_low_survey_score_alerts(submitted, officers, citizen, settings):
    settings.KYCUONG_RATING_ALERT_THRESHOLD = 2
    returned_dossier(submitted.code, officers["counter"])
    r = services.rate(citizen, submitted.code, scores={"access": 4, "procedure": 2, "officer": 4, "result": 4,
                                                       "feedback": 4})
    assert r.alerted_at is not None


def test_someone_else_cannot_rate(submitted, officers, other_citizen):
    returned_dossier(submitted.code, officers["counter"])
    from kycuong.onestop.errors import DossierNotFound

    with pytest.raises(DossierNotFound):
        services.rate(other_citizen, submitted.code, liked=False)
    assert not Rating.objects.exists()


def test_officer_result_with_active_content_is_refused_with_the_message(client, submitted, officers):
    """Issue 18: the officer's electronic result is checked like the citizen's uploads: 422 with what was
    found (a Launch action, an unreadable file), never 500, and no result kept."""
    from tests import pdfs

    returned = returned_dossier(submitted.code, officers["counter"], with_result=False)
    with pytest.raises(UploadRefused) as exc:
        onestop.attach_result(returned.code, officers["counter"], upload("kq.pdf", pdfs.launch_on_open()))
    assert exc.value.code == "UPLOAD_PDF_ACTIVE_CONTENT" and exc.value.details["found"] == ["launch"]
    client.force_login(officers["counter"])
    url = f"/mot-cua/{returned.code}/ket-qua-dien-tu/"
    r = client.post(url, {"result": upload("kq.pdf", pdfs.launch_on_open())})
    html = r.content.decode()
    assert r.status_code == 422 and "lệnh mở chương trình khác (Launch)" in html and "PDF/A" in html
    assert 'href="#result-file"' in html
    r = client.post(url, {"result": upload("kq.pdf", pdfs.encrypted())})
    assert r.status_code == 422 and "đặt mật khẩu" in r.content.decode()
    assert not Dossier.objects.get(code=returned.code).result_file
