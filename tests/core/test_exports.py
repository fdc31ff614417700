"""Spreadsheet cells that cannot execute (core.exports; OWASP CSV injection)."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from kycuong.core.exports import csv_dict, csv_row, csv_safe, csv_unquote, xlsx_append
from tests.exportcheck import csv_live_cells, xlsx_formulas

EVIL = ['=HYPERLINK("http://x.example","Bấm")', "+84 912", "-1+1", "@SUM(A1)", "\tlệnh", "\rlệnh"]


@pytest.mark.parametrize("text", EVIL)
def test_csv_cells_starting_with_a_trigger_get_an_apostrophe_and_come_back(text):
    assert csv_safe(text) == "'" + text
    assert csv_unquote(csv_safe(text)) == text


def test_plain_text_and_numbers_are_unchanged():
    assert csv_row(["Nguyễn Văn A", 12, -3, None, "'quoted"]) == ["Nguyễn Văn A", 12, -3, None, "'quoted"]
    assert csv_unquote("'quoted") == "'quoted"
    assert csv_dict({"a": "=1", "b": 2}) == {"a": "'=1", "b": 2}
    assert csv_live_cells("a,'=1,2\r\n") == []
    assert csv_live_cells("a,=1\r\n") == ["=1"]


def test_xlsx_text_cells_are_strings_not_formulas():
    book = Workbook()
    sheet = book.active
    xlsx_append(sheet, EVIL + [42])
    out = io.BytesIO()
    book.save(out)
    assert xlsx_formulas(out.getvalue()) == []
    loaded = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in loaded[1]] == EVIL + [42]
    assert [c.data_type for c in loaded[1]] == ["s"] * len(EVIL) + ["n"]


def test_the_check_itself_sees_a_live_formula():
    book = Workbook()
    book.active.append(["=1+1"])
    out = io.BytesIO()
    book.save(out)
    assert xlsx_formulas(out.getvalue()) == ["xl/worksheets/sheet1.xml"]
