"""Checks that a written spreadsheet cannot execute: no formula element in any XLSX sheet, no CSV cell that a
spreadsheet would read as a formula."""
import csv
import io
import re
import zipfile

from kycuong.core.exports import TRIGGERS


def xlsx_formulas(content: bytes) -> list[str]:
    """The sheets of an XLSX file that hold a formula (`<f>` element) — empty when it cannot execute."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        return [n for n in sheets if re.search(rb"<f[ >/]", z.read(n))]


def csv_live_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(TRIGGERS)]
