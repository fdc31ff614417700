"""Text folding (docs/design.md rule 7): "dang ky" finds "Đăng ký"."""
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kycuong.core.text import fold, nfc


def test_fold_strips_marks_and_maps_d():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("ĐỔI GIẤY PHÉP LÁI XE") == "doi giay phep lai xe"
    assert fold("  Chứng   thực\tbản sao ") == "chung thuc ban sao"


def test_fold_is_the_same_for_nfc_and_nfd_input():
    word = "Thủ tục hành chính"
    assert fold(unicodedata.normalize("NFD", word)) == fold(unicodedata.normalize("NFC", word))


def test_nfc_composes():
    assert nfc(unicodedata.normalize("NFD", "Hà Nội")) == "Hà Nội"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
