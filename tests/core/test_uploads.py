"""Uploads are judged by content, not by name (house rule: an uploaded file is checked by content)."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf.generic import ArrayObject

from kycuong.core import pdfscan
from kycuong.core.uploads import FOUND, UploadRefused, check_file, check_files

from tests import pdfs

PDF = pdfs.PDF  # a real one-page PDF (pypdf opens and checks every PDF)
STUB = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # a PDF by its magic bytes only
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def test_pdf_and_png_pass_by_content():
    assert check_file(SimpleUploadedFile("giay-to.pdf", PDF)).mime == "application/pdf"
    # The name says .pdf, the content is PNG: the content wins.
    assert check_file(SimpleUploadedFile("anh.pdf", PNG)).mime == "image/png"


def test_executable_renamed_pdf_is_refused():
    with pytest.raises(UploadRefused) as err:
        check_file(SimpleUploadedFile("don.pdf", ELF, content_type="application/pdf"))
    assert err.value.code == "UPLOAD_BAD_TYPE"


def test_empty_and_oversize_files_are_refused(settings):
    settings.KYCUONG_UPLOAD_MAX_FILE_MB = 1
    with pytest.raises(UploadRefused) as err:
        check_file(SimpleUploadedFile("rong.pdf", b""))
    assert err.value.code == "UPLOAD_EMPTY"
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(UploadRefused) as err:
        check_file(big)
    assert err.value.code == "UPLOAD_TOO_LARGE"


def test_total_limit_counts_what_is_already_there(settings):
    settings.KYCUONG_UPLOAD_MAX_TOTAL_MB = 1
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    assert len(check_files(files)) == 2
    with pytest.raises(UploadRefused) as err:
        check_files([SimpleUploadedFile("c.pdf", PDF)], already_bytes=1024 * 1024)
    assert err.value.code == "UPLOAD_TOTAL_TOO_LARGE"


def test_plain_file_object_without_size_is_measured():
    assert check_file(io.BytesIO(PDF)).size == len(PDF)


# --- active content and polyglots (issue 18): each malicious PDF built with pypdf's writer (tests/pdfs.py) ---

ACTIVE = [
    (pdfs.javascript_in_names, "javascript"),
    (pdfs.javascript_on_open, "javascript"),
    (pdfs.launch_on_open, "launch"),
    (pdfs.launch_link, "launch"),
    (pdfs.submit_form_on_page_open, "submit_form"),
    (pdfs.import_data_in_catalog_aa, "import_data"),
    (pdfs.field_script, "javascript"),
    (pdfs.attachment, "embedded_file"),
    (pdfs.file_attachment_annotation, "embedded_file"),
    (pdfs.rich_media_annotation, "rich_media"),
    (pdfs.xfa_form, "xfa"),
]


def _refusal(content, name="ho-so.pdf"):
    with pytest.raises(UploadRefused) as err:
        check_file(SimpleUploadedFile(name, content, content_type="application/pdf"))
    return err.value


@pytest.mark.parametrize(("build", "found"), ACTIVE, ids=[b.__name__ for b, _ in ACTIVE])
def test_pdf_with_active_content_is_refused_with_what_was_found(build, found):
    err = _refusal(build())
    assert err.code == "UPLOAD_PDF_ACTIVE_CONTENT" and err.status == 422
    assert err.details["found"] == [found]
    assert "in ra rồi quét lại" in str(err.message) and "PDF/A" in str(err.message)
    assert str(FOUND[found]) in str(err.message)


@pytest.mark.parametrize(("build", "found"), ACTIVE, ids=[b.__name__ for b, _ in ACTIVE])
def test_each_finding_comes_from_the_structure_not_only_the_raw_bytes(build, found, monkeypatch):
    """The walk of catalog, pages and annotations finds each one alone (the raw-byte net switched off)."""
    monkeypatch.setattr(pdfscan, "RAW_NAMES", re.compile(rb"(?!)"))
    assert pdfscan.scan(build()) == pdfscan.Verdict(pdfscan.ACTIVE, (found,))


def test_raw_byte_net_catches_what_the_structure_does_not_reach(monkeypatch):
    """A script object no catalog entry points to: pypdf's walk cannot see it, a laxer viewer might."""
    stray = PDF + b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    assert pdfscan.scan(stray) == pdfscan.Verdict(pdfscan.ACTIVE, ("javascript",))
    with monkeypatch.context() as m:
        m.setattr(pdfscan, "RAW_NAMES", re.compile(rb"(?!)"))
        assert pdfscan.scan(stray).status == pdfscan.OK  # the walk alone would have let it through
    assert pdfscan.scan(pdfs.PDF.replace(b"/Producer", b"/JS1")).status == pdfscan.OK  # a name, not /JS


def test_only_dangerous_actions_are_refused():
    """An /OpenAction that only says where to open, and a link to a web address, are ordinary."""
    assert check_file(SimpleUploadedFile("a.pdf", pdfs.open_action("/GoTo", D=ArrayObject()))).mime == \
        "application/pdf"
    assert _refusal(pdfs.open_action("/GoToR", F="khac.pdf")).details["found"] == ["remote_goto"]


def test_encrypted_pdf_is_refused_unless_it_opens_without_a_password():
    err = _refusal(pdfs.encrypted())
    assert err.code == "UPLOAD_PDF_ENCRYPTED" and "mật khẩu" in str(err.message)
    # Only an owner password (printing, copying restricted): it opens, is checked, and passes.
    assert check_file(SimpleUploadedFile("a.pdf", pdfs.encrypted(user_password=""))).extension == "pdf"


@pytest.mark.parametrize("content", [STUB, b"%PDF-1.4 x", PDF[: len(PDF) // 2]],
                         ids=["no-root", "garbage", "truncated"])
def test_pdf_pypdf_cannot_parse_is_refused(content):
    err = _refusal(content)
    assert err.code == "UPLOAD_PDF_UNREADABLE" and "PDF/A" in str(err.message)


def test_too_many_pages_is_refused_not_half_checked(monkeypatch):
    monkeypatch.setattr(pdfscan, "MAX_PAGES", 0)
    assert _refusal(pdfs.PDF).code == "UPLOAD_PDF_TOO_COMPLEX"


@pytest.mark.parametrize("content", [
    b"<html><body><script>alert(1)</script></body></html>\n" + pdfs.PDF,  # HTML first, PDF after
    b"\x00" * 10 + pdfs.PDF,  # junk before the header that viewers skip
    pdfs.PDF.replace(b"%\xe2\xe3\xcf\xd3", b"%<svg onload=alert(1)>", 1),  # markup right after the header
    pdfs.PDF.replace(b"%\xe2\xe3\xcf\xd3", b"%<!DOCTYPE html>", 1),
], ids=["html-then-pdf", "junk-then-pdf", "svg-after-header", "doctype-after-header"])
def test_pdf_html_polyglots_are_refused(content):
    err = _refusal(content)
    assert err.code == "UPLOAD_POLYGLOT" and "in ra rồi quét lại" in str(err.message)


def test_pdf_with_another_file_after_its_end_is_refused():
    """A ZIP (or anything over a kilobyte) after `%%EOF`: two files in one, and a slow backward search."""
    err = _refusal(PDF + b"PK\x03\x04" + b"\x00" * 4096)
    assert err.code == "UPLOAD_POLYGLOT" and err.details["found"] == "data_after_pdf_end"
    assert check_file(SimpleUploadedFile("a.pdf", PDF + b"\x00" * 16)).extension == "pdf"  # padding is usual


def test_image_with_markup_anywhere_is_refused():
    tail = b"\x00" * (1024 * 1024 - 3) + b"<ScRiPt>alert(1)</script>"  # across the scan's chunk boundary
    for name, content in (("anh.png", PNG + tail), ("anh.jpg", JPEG + b"<html>" + b"\x00" * 2000)):
        with pytest.raises(UploadRefused) as err:
            check_file(SimpleUploadedFile(name, content))
        assert err.value.code == "UPLOAD_POLYGLOT" and err.value.details["found"] == "markup_in_image"


def test_jpeg_with_a_pdf_in_its_first_kilobyte_is_refused():
    err = _refusal(JPEG + pdfs.PDF, name="anh.jpg")
    assert err.code == "UPLOAD_POLYGLOT" and err.details["found"] == "pdf_header_not_at_start"


def test_ordinary_pdfs_and_images_still_pass():
    from kycuong.documents.render import html_to_pdf

    printed = html_to_pdf("<html><body><h1>Giấy đề nghị</h1><p><a href='https://dichvucong.gov.vn'>Cổng</a>"
                          "</p></body></html>", None)
    for name, content, mime in (("pypdf.pdf", pdfs.PDF, "application/pdf"),
                                ("weasyprint.pdf", printed, "application/pdf"),
                                ("anh.png", PNG, "image/png"), ("anh.jpg", JPEG + b"\x00" * 4096, "image/jpeg")):
        assert check_file(SimpleUploadedFile(name, content)).mime == mime, name


def test_refusal_reads_in_english_too():
    from django.utils import translation

    with translation.override("en"):
        err = _refusal(pdfs.launch_on_open(), name="kq.pdf")
        assert str(err.message).startswith("The PDF “kq.pdf” contains a command that starts another program")
        assert "Print it and scan it again, or save it as PDF/A" in str(err.message)
