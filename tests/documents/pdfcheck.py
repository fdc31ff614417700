"""Reading back the PDFs the tests render: text (pypdf), fonts, link targets, word boxes (poppler)."""
import io
import re
import shutil
import subprocess
import unicodedata


MM = 72 / 25.4  # PDF points per millimetre
A4_PORTRAIT = (595.28, 841.89)


def reader(pdf: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """All pages' text, NFC, with runs of white space collapsed (lines may wrap anywhere)."""
    raw = "\n".join(page.extract_text() or "" for page in reader(pdf).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def fonts(pdf: bytes) -> dict[str, bool]:
    """BaseFont name (subset tag stripped) → embedded (has a FontFile*), over every page."""
    found = {}
    for page in reader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            name = str(font["/BaseFont"]).lstrip("/")
            name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
            found[name] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader(pdf).pages]


def link_targets(pdf: bytes) -> list[str]:
    targets = []
    for page in reader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get_object().get("/URI"):
                targets.append(str(action.get_object()["/URI"]))
    return targets


def words(pdf: bytes) -> list[list[dict]]:
    """Per page, every word with its box in points from the top-left corner (poppler's `pdftotext -bbox`)."""
    # A failure, not a skip: `make test` installs poppler-utils (as root) and CI has it.
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils (make test does it as root)"
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = []
    for page in re.split(rb"<page ", out)[1:]:
        page_words = []
        for m in re.finditer(rb'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            page_words.append({"x0": x0, "y0": y0, "x1": x1, "y1": y1, "text": m.group(5).decode()})
        pages.append(page_words)
    return pages
