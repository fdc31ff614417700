"""Uploads are judged by content, not by name (house rule: an uploaded file is checked by content)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kycuong.core.uploads import UploadRefused, check_file, check_files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
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
