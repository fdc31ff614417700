"""HTML → PDF with WeasyPrint, in the page set-up of NĐ 30/2020/NĐ-CP Phụ lục I (docs/legal/documents.md §7).

Every PDF embeds the same font: Liberation Serif (metric-compatible with Times New Roman, which the
decree names) from Debian's `fonts-liberation2`, declared with @font-face in `base_print.html` so that
the result never depends on what fontconfig happens to find on the host.

The URL fetcher is closed by default: a print template may use `data:` URIs (the QR code) and the
font files, nothing else — no network, no other file — so text a citizen typed can never make the
renderer fetch anything, even if it escaped the template's auto-escaping.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Debian 12 `fonts-liberation2` (the decree's "Times New Roman", metric-compatible).
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/liberation2"
FONT_FAMILY = "Liberation Serif"
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}

logger = logging.getLogger(__name__)


class FontMissing(ImproperlyConfigured):
    pass


def font_dir() -> Path:
    return Path(getattr(settings, "KYCUONG_PDF_FONT_DIR", DEFAULT_FONT_DIR))


def font_faces() -> list[dict]:
    """The four faces of Liberation Serif as (weight, style, file URL); raises if a file is missing.

    A missing font must fail loudly: WeasyPrint would otherwise fall back silently to any serif on the
    host and the printed forms would differ from one server to the next.
    """
    folder = font_dir()
    faces = []
    for (weight, style), name in FONT_FILES.items():
        path = folder / name
        if not path.is_file():
            raise FontMissing(
                f"PDF font {path} not found: install Debian's fonts-liberation2 "
                f"(apt-get install fonts-liberation2) or set KYCUONG_PDF_FONT_DIR."
            )
        faces.append({"weight": weight, "style": style, "url": path.as_uri()})
    return faces


def _allowed_file(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, ValueError):
        return False
    return path.parent == font_dir().resolve() and path.name in FONT_FILES.values()


def url_fetcher(url: str, *args, **kwargs):
    """Only `data:` URIs and the declared font files; everything else is refused."""
    from weasyprint import default_url_fetcher

    if url.startswith("data:") or _allowed_file(url):
        return default_url_fetcher(url, *args, **kwargs)
    logger.warning("documents: refused to fetch %s while rendering a PDF", url[:200])
    raise ValueError(f"URL not allowed in printed documents: {url[:200]}")


def html_to_pdf(html: str, base_url=None) -> bytes:
    """Render `html` (a complete document built on `documents/base_print.html`) to PDF bytes.

    `base_url` resolves relative links (e.g. the request's absolute root); it is never fetched.
    """
    from weasyprint import HTML

    font_faces()  # fail before rendering if the embedded font is not installed
    document = HTML(string=html, base_url=str(base_url) if base_url else None, url_fetcher=url_fetcher)
    return document.write_pdf(pdf_tags=False, custom_metadata=False)
