"""Checks for uploaded files, shared by the portal (online dossiers) and feedback (report evidence).

A file is judged by its content (magic bytes, through `filetype`), never by its name or the browser's
Content-Type: an executable renamed `.pdf` is refused. Limits come from settings so a deployment can
change them (defaults: 10 MB a file, 50 MB a submission).
"""
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in ALLOWED_MIME:
        raise UploadRefused(
            _("Tệp “%(name)s” không phải PDF hoặc ảnh (JPG, PNG, TIFF, HEIC, WebP) theo nội dung thực của tệp.")
            % {"name": name},
            code="UPLOAD_BAD_TYPE", details={"file": name, "detected": kind.mime if kind else None},
        )
    return CheckedFile(name=name, size=size, mime=kind.mime, extension=ALLOWED_MIME[kind.mime])


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
