"""Text folding for search: "dang ky" must find "Đăng ký" on SQLite and PostgreSQL alike.

Both databases compare the same stored folded key, so no database extension (unaccent, ICU) is needed.
"""
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Strip marks, map đ→d, casefold and collapse white space."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
