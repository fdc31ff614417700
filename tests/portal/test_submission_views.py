"""The step-by-step online form through its pages: error summaries linked to fields, files shown back with
names and sizes, save and resume across sign-out, and a resubmitted form that creates nothing."""
import pytest

from kycuong.catalog.queries import procedure_by_code
from kycuong.onestop.models import Dossier
from kycuong.portal.models import Draft

from tests.portal.fixtures import EXE, PDF, PNG, PROC, upload

pytestmark = pytest.mark.django_db


def fill_applicant(client, draft, **over):
    unit = procedure_by_code(PROC).deciding_units.get()
    data = {"name": "Hoàng Thị Mai", "id_number": "001190012345", "phone": "0912345678", "email": "mai@vidu.vn",
            "address": "Số 1 Tràng Tiền", "deciding_unit": str(unit.pk)} | over
    return client.post(f"/nop-truc-tuyen/{draft.pk}/nguoi-nop/", data)


def test_catalogue_lists_only_online_procedures(client, city):
    html = client.get("/nop-truc-tuyen/").content.decode()
    assert "Đăng ký thành lập doanh nghiệp tư nhân" in html
    assert "Chứng thực chữ ký" not in html or "Nộp hồ sơ" in html


def test_start_requires_sign_in(client, city):
    r = client.post(f"/nop-truc-tuyen/bat-dau/{PROC}/")
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/dang-nhap/")


def test_full_form_save_resume_across_sign_out_and_no_double_submit(client, citizen):
    client.force_login(citizen)
    r = client.post(f"/nop-truc-tuyen/bat-dau/{PROC}/")
    draft = Draft.objects.get()
    assert r["Location"] == f"/nop-truc-tuyen/{draft.pk}/"
    page = client.get(f"/nop-truc-tuyen/{draft.pk}/nguoi-nop/").content.decode()
    assert 'value="Hoàng Thị Mai"' in page and 'value="001190012345"' in page  # pre-filled from the profile
    bad = fill_applicant(client, draft, name="", id_number="12ab", phone="", email="")
    html = bad.content.decode()
    assert bad.status_code == 422
    for field in ("id_name", "id_id_number", "id_phone"):
        assert f'href="#{field}"' in html
    r = fill_applicant(client, draft, save="later")
    assert r["Location"] == "/ho-so-cua-toi/"

    client.post("/tai-khoan/dang-xuat/")  # sign out, come back later
    client.force_login(citizen)
    mine = client.get("/ho-so-cua-toi/").content.decode()
    assert f"/nop-truc-tuyen/{draft.pk}/" in mine
    assert client.get(f"/nop-truc-tuyen/{draft.pk}/")["Location"] == f"/nop-truc-tuyen/{draft.pk}/giay-to/"
    docs = list(procedure_by_code(PROC).documents.all())
    r = client.post(f"/nop-truc-tuyen/{draft.pk}/giay-to/", {"action": "upload", "document": docs[0].pk,
                                                           "files": upload("virus.pdf", EXE)})
    assert r.status_code == 422
    html = r.content.decode()
    assert f'href="#files-{docs[0].pk}"' in html and "không phải PDF hoặc ảnh" in html
    r = client.post(f"/nop-truc-tuyen/{draft.pk}/giay-to/", {"action": "next"})
    assert r.status_code == 422 and f'href="#files-{docs[1].pk}"' in r.content.decode()
    client.post(f"/nop-truc-tuyen/{draft.pk}/giay-to/", {"action": "upload", "document": docs[0].pk,
                                                       "files": upload("don.pdf", PDF)})
    client.post(f"/nop-truc-tuyen/{draft.pk}/giay-to/", {"action": "upload", "document": docs[1].pk,
                                                       "files": upload("cccd.png", PNG)})
    page = client.get(f"/nop-truc-tuyen/{draft.pk}/giay-to/").content.decode()
    assert "don.pdf (1 KB)" in page and "cccd.png (1 KB)" in page
    assert client.post(f"/nop-truc-tuyen/{draft.pk}/giay-to/", {"action": "next"}).status_code == 302
    assert "150.000 đồng" in client.get(f"/nop-truc-tuyen/{draft.pk}/phi/").content.decode()
    client.post(f"/nop-truc-tuyen/{draft.pk}/phi/")
    review = client.get(f"/nop-truc-tuyen/{draft.pk}/kiem-tra/").content.decode()
    assert "don.pdf" in review and str(draft.idempotency_key) in review
    r = client.post(f"/nop-truc-tuyen/{draft.pk}/kiem-tra/", {"key": str(draft.idempotency_key)})
    code = Dossier.objects.get().code
    assert r["Location"] == f"/nop-truc-tuyen/da-nop/{code}/"
    done = client.get(r["Location"]).content.decode()
    assert code in done and f"/tra-cuu/{code}/" in done
    # The back button and a second click: the same page posted again creates nothing new.
    again = client.post(f"/nop-truc-tuyen/{draft.pk}/kiem-tra/", {"key": str(draft.idempotency_key)})
    assert again["Location"] == f"/ho-so-cua-toi/{code}/"
    assert "không nộp lại lần thứ hai" in client.get(again["Location"]).content.decode()
    assert Dossier.objects.count() == 1


def test_someone_elses_draft_is_404(client, citizen, other_citizen):
    from kycuong.portal import services

    draft = services.start_draft(citizen, PROC)
    client.force_login(other_citizen)
    assert client.get(f"/nop-truc-tuyen/{draft.pk}/nguoi-nop/").status_code == 404
    assert client.post(f"/nop-truc-tuyen/{draft.pk}/kiem-tra/", {"key": str(draft.idempotency_key)}).status_code == 404


def test_my_dossiers_show_state_and_clock(client, submitted, citizen, other_citizen):
    client.force_login(citizen)
    html = client.get("/ho-so-cua-toi/").content.decode()
    assert submitted.code in html and "Mới đăng ký" in html and "Chưa tính hạn" in html
    client.force_login(other_citizen)
    assert submitted.code not in client.get("/ho-so-cua-toi/").content.decode()
    assert client.get(f"/ho-so-cua-toi/{submitted.code}/").status_code == 404


def test_english_pages(client, citizen):
    client.cookies["kycuong_lang"] = "en"
    client.force_login(citizen)
    assert "My applications" in client.get("/ho-so-cua-toi/").content.decode()
    assert "Submit online" in client.get("/nop-truc-tuyen/").content.decode()


def test_pdf_with_a_script_or_a_polyglot_is_refused_on_the_documents_page(client, ready_draft, citizen):
    """Issue 18: the citizen's upload answers 422 with what was found and what to do; nothing is kept."""
    from tests import pdfs

    client.force_login(citizen)
    doc = ready_draft.files.first().document_id
    kept = ready_draft.files.count()
    url = f"/nop-truc-tuyen/{ready_draft.pk}/giay-to/"
    r = client.post(url, {"action": "upload", "document": doc, "files": upload("don.pdf", pdfs.javascript_on_open())})
    html = r.content.decode()
    assert r.status_code == 422 and f'href="#files-{doc}"' in html
    assert "mã JavaScript" in html and "in ra rồi quét lại" in html
    r = client.post(url, {"action": "upload", "document": doc,
                          "files": upload("don.pdf", b"<html><script>alert(1)</script></html>" + PDF)})
    assert r.status_code == 422 and "mã trang web (HTML, script)" in r.content.decode()
    assert ready_draft.files.count() == kept
