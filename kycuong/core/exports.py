"""Spreadsheets that cannot execute (OWASP "CSV injection"): every CSV and XLSX the project writes goes
through here.

Citizens choose their own names, and an applicant called `=HYPERLINK("http://…")` must reach a register as
text, not as a live formula. CSV: a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
leading apostrophe (spreadsheets then show it as text); our own CSV import takes the apostrophe off again
(`csv_unquote`). XLSX: every text cell is written with the string type, so `=…` stays the characters typed —
no apostrophe needed, nothing lost. Numbers stay numbers.
"""
import csv

from django.http import HttpResponse

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def csv_row(row):
    return [csv_safe(v) for v in row]


def csv_dict(row: dict) -> dict:
    return {k: csv_safe(v) for k, v in row.items()}


def csv_unquote(value):
    """The text a `csv_safe` cell stood for (for reading our own CSV back)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in TRIGGERS:
        return value[1:]
    return value


def as_text_cell(cell):
    """Mark an openpyxl cell holding text as a string (openpyxl makes `=…` a formula otherwise)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def xlsx_append(sheet, row) -> None:
    """`sheet.append(row)` with every text cell a string."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        as_text_cell(cell)


def csv_response(filename: str, fieldnames, rows) -> HttpResponse:
    """A CSV download of dict rows: UTF-8 with a BOM (Excel shows Vietnamese marks intact only with one), a
    header line, every text cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=list(fieldnames))
    writer.writeheader()
    for row in rows:
        writer.writerow(csv_dict(row))
    return response
