"""Personal data removed from anything the public sees (answers, tracking pages, Open311 output).

The officer writes the public answer; this masking runs on top of it as a safety net. It replaces:
* e-mail addresses;
* phone numbers: 0 or +84 followed by 9–10 more digits (spaces, dots or hyphens allowed between digits);
* identity numbers: any other run of 9 or more digits (CMND has 9, CCCD/số định danh cá nhân 12).
Dates (14/02/2026, 2026-02-14) have fewer than 9 digits in a run and are kept.
"""
import re

from django.utils.translation import gettext as _

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits possibly separated by single spaces, dots or hyphens (not slashes: dates).
DIGITS_RE = re.compile(r"(?<![\w])\+?\d(?:[ .\-]?\d){7,}(?![\w])")


def _digits(text):
    return re.sub(r"\D", "", text)


def _number(match):
    raw = match.group(0)
    digits = _digits(raw)
    if len(digits) < 9:
        return raw
    if raw.startswith("+84") or (digits.startswith("0") and len(digits) in (10, 11)):
        return "[" + _("số điện thoại đã ẩn") + "]"
    return "[" + _("số định danh đã ẩn") + "]"


def mask(text: str) -> str:
    if not text:
        return ""
    text = EMAIL_RE.sub("[" + _("thư điện tử đã ẩn") + "]", text)
    return DIGITS_RE.sub(_number, text)
