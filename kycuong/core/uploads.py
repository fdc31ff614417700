"""Checks for uploaded files, shared by the portal (online dossiers) and feedback (report evidence).

A file is judged by its content (magic bytes, through `filetype`), never by its name or the browser's
Content-Type: an executable renamed `.pdf` is refused. Limits come from settings so a deployment can
change them (defaults: 10 MB a file, 50 MB a submission).

A file may be harmless by type and still act when opened: every PDF is opened with pypdf and refused if it
carries JavaScript, automatic or launch actions, embedded files, rich media or an XFA form, is encrypted, or
cannot be parsed (core.pdfscan). Polyglots are refused too: markup or a `%PDF-` header hidden in the first
1024 bytes (viewers accept a PDF header anywhere there), another file after the PDF's end, and
`<script`/`<html` anywhere in an image, which a browser sniffing the content could run as a page.
"""
import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import pdfscan
from .errors import ValidationFailed

# Kinds a citizen may upload: scans and photos of papers, and PDFs. Office files are ZIP containers whose
# content cannot be told apart from any ZIP by magic bytes alone, so they are not accepted.
ALLOWED_MIME = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/heic": "heic",
    "image/webp": "webp",
}
MB = 1024 * 1024
LEAD = 1024  # how far PDF viewers look for the `%PDF-` header
LEAD_MARKUP = re.compile(rb"<(?:html|script|!doctype|svg)", re.IGNORECASE)
IMAGE_MARKUP = re.compile(rb"<(?:script|html)", re.IGNORECASE)
CHUNK = MB

# What each pdfscan finding is called in the message.
FOUND = {
    pdfscan.JAVASCRIPT: _("mã JavaScript"),
    pdfscan.LAUNCH: _("lệnh mở chương trình khác (Launch)"),
    pdfscan.SUBMIT_FORM: _("lệnh tự gửi dữ liệu đi (SubmitForm)"),
    pdfscan.IMPORT_DATA: _("lệnh tự nhập dữ liệu (ImportData)"),
    pdfscan.REMOTE_GOTO: _("lệnh tự mở tệp khác (GoToR)"),
    pdfscan.EMBEDDED_GOTO: _("lệnh mở tệp đính kèm (GoToE)"),
    pdfscan.EMBEDDED_FILE: _("tệp đính kèm bên trong"),
    pdfscan.RICH_MEDIA: _("nội dung đa phương tiện (RichMedia)"),
    pdfscan.XFA: _("biểu mẫu XFA"),
}


class UploadRefused(ValidationFailed):
    code = "UPLOAD_REFUSED"


def max_file_bytes() -> int:
    return int(getattr(settings, "KYCUONG_UPLOAD_MAX_FILE_MB", 10)) * MB


def max_total_bytes() -> int:
    return int(getattr(settings, "KYCUONG_UPLOAD_MAX_TOTAL_MB", 50)) * MB


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    mime: str
    extension: str


def _head(upload, length=8192) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def check_file(upload) -> CheckedFile:
    """Refuse a file whose content is not an allowed kind, or that is empty or too large."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size == 0:
        raise UploadRefused(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="UPLOAD_EMPTY",
                            details={"file": name})
    if size > max_file_bytes():
        raise UploadRefused(
            _("Tệp “%(name)s” lớn hơn %(limit)s MB cho phép.") % {"name": name, "limit": max_file_bytes() // MB},
            code="UPLOAD_TOO_LARGE", details={"file": name, "size": size, "limit": max_file_bytes()},
        )
    _refuse_polyglot_lead(upload, name)
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in ALLOWED_MIME:
        raise UploadRefused(
            _("Tệp “%(name)s” không phải PDF hoặc ảnh (JPG, PNG, TIFF, HEIC, WebP) theo nội dung thực của tệp.")
            % {"name": name},
            code="UPLOAD_BAD_TYPE", details={"file": name, "detected": kind.mime if kind else None},
        )
    if kind.mime == "application/pdf":
        _refuse_active_pdf(upload, name)
    else:
        _refuse_markup_in_image(upload, name)
    return CheckedFile(name=name, size=size, mime=kind.mime, extension=ALLOWED_MIME[kind.mime])


def _polyglot(name, where):
    return UploadRefused(
        _("Tệp “%(name)s” chứa cả mã trang web (HTML, script) hoặc một tài liệu PDF giấu sau nội dung khác, "
          "nên có thể bị mở như một trang web hoặc tài liệu khác với những gì hiển thị. Hệ thống không nhận "
          "tệp này. Hãy in ra rồi quét lại, hoặc xuất lại từ phần mềm gốc thành PDF/A hoặc ảnh JPG, PNG "
          "rồi tải lên.") % {"name": name},
        code="UPLOAD_POLYGLOT", details={"file": name, "found": where},
    )


def _refuse_polyglot_lead(upload, name):
    lead = _head(upload, LEAD)
    at = lead.find(b"%PDF-")
    if at > 0:
        raise _polyglot(name, "pdf_header_not_at_start")
    if at == 0 and LEAD_MARKUP.search(lead):
        raise _polyglot(name, "markup_near_pdf_header")


def _refuse_markup_in_image(upload, name):
    """`<script` or `<html` anywhere in an image (read in chunks that overlap, so no marker is cut in two)."""
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(CHUNK):
            if IMAGE_MARKUP.search(tail + chunk):
                raise _polyglot(name, "markup_in_image")
            tail = chunk[-8:]
    finally:
        upload.seek(0)


def _refuse_active_pdf(upload, name):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    # Viewers look for `%%EOF` in the last kilobyte; more after it is another file riding along (PDF + ZIP),
    # and makes pypdf search the whole tail backwards (seconds for a 10 MB file).
    end = data.rfind(b"%%EOF")
    if end >= 0 and len(data) - end > LEAD:
        raise _polyglot(name, "data_after_pdf_end")
    verdict = pdfscan.scan(data) if end >= 0 else pdfscan.Verdict(pdfscan.UNREADABLE)
    what = {"file": name, "found": list(verdict.found)}
    if verdict.status == pdfscan.ACTIVE:
        raise UploadRefused(
            _("Tệp PDF “%(name)s” có %(found)s. Những nội dung này có thể tự chạy hoặc mở tệp khác trên máy "
              "người xử lý, nên hệ thống không nhận. Hãy in ra rồi quét lại, hoặc lưu lại dưới dạng PDF/A "
              "(không có mã, không có tệp đính kèm) rồi tải lên.")
            % {"name": name, "found": ", ".join(str(FOUND[k]) for k in verdict.found)},
            code="UPLOAD_PDF_ACTIVE_CONTENT", details=what,
        )
    if verdict.status == pdfscan.ENCRYPTED:
        raise UploadRefused(
            _("Tệp PDF “%(name)s” được đặt mật khẩu (mã hoá) nên hệ thống không kiểm tra được nội dung. "
              "Hãy lưu lại bản không đặt mật khẩu, hoặc in ra rồi quét lại, rồi tải lên.") % {"name": name},
            code="UPLOAD_PDF_ENCRYPTED", details=what,
        )
    if verdict.status == pdfscan.TOO_COMPLEX:
        raise UploadRefused(
            _("Tệp PDF “%(name)s” có quá nhiều trang hoặc thành phần (trên %(limit)s trang) để kiểm tra. "
              "Hãy tách thành nhiều tệp nhỏ hơn rồi tải lên.") % {"name": name, "limit": pdfscan.MAX_PAGES},
            code="UPLOAD_PDF_TOO_COMPLEX", details=what,
        )
    if verdict.status == pdfscan.UNREADABLE:
        raise UploadRefused(
            _("Tệp PDF “%(name)s” bị hỏng hoặc không đúng cấu trúc PDF nên không đọc được. Hãy mở tệp và lưu "
              "lại dưới dạng PDF/A, hoặc in ra rồi quét lại, rồi tải lên.") % {"name": name},
            code="UPLOAD_PDF_UNREADABLE", details=what,
        )


def check_files(uploads, already_bytes: int = 0) -> list[CheckedFile]:
    """Check each file, then the total (plus what the submission already holds) against the limit."""
    checked = [check_file(u) for u in uploads]
    total = already_bytes + sum(c.size for c in checked)
    if total > max_total_bytes():
        raise UploadRefused(
            _("Tổng dung lượng các tệp vượt %(limit)s MB cho phép.") % {"limit": max_total_bytes() // MB},
            code="UPLOAD_TOTAL_TOO_LARGE", details={"total": total, "limit": max_total_bytes()},
        )
    return checked
