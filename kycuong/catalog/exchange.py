"""The catalog's file format (XLSX and CSV, same columns): one row per procedure version.

Reading produces `ParsedRow`s (row number, data in the keyword form of `services`, problems);
writing goes through `services.import_catalog` only.

List cells hold items separated by ";", and the parts of an item by "|"; a literal ";", "|" or "\\"
inside a text is written "\\;", "\\|", "\\\\". Formats:
  Quy trình nội bộ   name|actor|hours ; …   actor = role (specialist), @unit code (@H26.104) or both
                     (specialist@H26.104). The LAST step is the "trả kết quả" step (0 hours).
  Thành phần hồ sơ   name|originals|copies|mandatory (1/0)|note ; …
  Phí, lệ phí        name|amount in VND|note ; …
  Căn cứ pháp lý     number|title|issued on|effective from|effective to ; … (dates YYYY-MM-DD)
  Đơn vị (mã)        H26.104 ; H26.105
  Kênh tiếp nhận     direct ; online ; postal
Choice cells hold the code (working_days, commune, …); the Vietnamese label is accepted on import.
Dates are YYYY-MM-DD (DD/MM/YYYY accepted), booleans 1/0 (có/không accepted), cut-off HH:MM.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from kycuong.core.exports import as_text_cell, csv_row, csv_unquote
from kycuong.core.text import fold, nfc

from .checks import Problem
from .models import Channel, Level, LimitUnit, OnlineLevel, ProcedureVersion, ResultForm

FORMATS = ("xlsx", "csv")
STEP_ROLE_SEP = "@"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"
    choices: type | None = None
    required: bool = False


COLUMNS = (
    Column("code", "Mã thủ tục", required=True),
    Column("effective_from", "Áp dụng từ ngày", "date", required=True),
    Column("effective_to", "Áp dụng đến hết ngày", "date"),
    Column("name", "Tên thủ tục", required=True),
    Column("field_code", "Mã lĩnh vực", required=True),
    Column("field_name", "Tên lĩnh vực"),
    Column("level", "Cấp thực hiện", "choice", Level, required=True),
    Column("deciding_authority", "Cơ quan thực hiện"),
    Column("deciding_units", "Đơn vị quyết định (mã)", "codes"),
    Column("receiving_units", "Nơi tiếp nhận (mã)", "codes"),
    Column("all_communes", "Mọi UBND cấp xã thực hiện", "bool"),
    Column("channels", "Kênh tiếp nhận", "channels"),
    Column("sequence", "Trình tự thực hiện"),
    Column("method", "Cách thức thực hiện"),
    Column("subjects", "Đối tượng thực hiện"),
    Column("conditions", "Yêu cầu, điều kiện"),
    Column("dossier_sets", "Số bộ hồ sơ", "int"),
    Column("documents", "Thành phần hồ sơ", "documents"),
    Column("result_form", "Hình thức kết quả", "choice", ResultForm),
    Column("result_name", "Tên kết quả"),
    Column("limit_amount", "Thời hạn giải quyết", "decimal", required=True),
    Column("limit_unit", "Đơn vị thời hạn", "choice", LimitUnit, required=True),
    Column("limit_note", "Diễn giải thời hạn"),
    Column("service_target_amount", "Thời hạn cam kết của đơn vị", "decimal"),
    Column("cutoff", "Giờ tiếp nhận muộn nhất", "time"),
    Column("online_level", "Mức độ trực tuyến", "choice", OnlineLevel),
    Column("full_online_eligible", "Đủ điều kiện toàn trình", "bool"),
    Column("fees", "Phí, lệ phí", "fees"),
    Column("steps", "Quy trình nội bộ", "steps"),
    Column("legal_bases", "Căn cứ pháp lý", "legal_bases"),
    Column("dossiers_per_year", "Số hồ sơ mỗi năm", "int"),
    Column("is_demo", "Dữ liệu minh họa", "bool"),
    Column("source_note", "Nguồn, ghi chú"),
)
HEADERS = [c.header for c in COLUMNS]
TEXT_COLUMNS = {c.key for c in COLUMNS if c.kind == "text"}


# ---- escaping of list cells ----

def _esc(text) -> str:
    return str(text or "").replace("\\", "\\\\").replace(";", "\\;").replace("|", "\\|")


def _split(text: str, sep: str) -> list[str]:
    """Split on unescaped `sep`, keeping escapes for the next level (so items can be split on "|")."""
    parts, buf, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i:i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return parts


def _unesc(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _items(cell: str) -> list[list[str]]:
    """"a|b; c|d" → [["a", "b"], ["c", "d"]]; blank items are skipped."""
    result = []
    for item in _split(cell, ";"):
        if not item.strip():
            continue
        result.append([_unesc(p).strip() for p in _split(item, "|")])
    return result


def _join(items) -> str:
    return "; ".join("|".join(_esc(p) for p in item) for item in items)


def _dec_str(d) -> str:
    if d is None:
        return ""
    d = Decimal(d).normalize()
    return str(int(d)) if d == d.to_integral_value() else format(d, "f")


def _date_str(d) -> str:
    return d.isoformat() if d else ""


# ---- export ----

def version_row(v: ProcedureVersion) -> list[str]:
    """One version as the list of cell strings, in COLUMNS order."""
    def actor(step):
        role = step.role or ""
        return f"{role}{STEP_ROLE_SEP}{step.unit.code}" if step.unit_id else role

    values = {
        "code": v.procedure.code,
        "effective_from": _date_str(v.effective_from),
        "effective_to": _date_str(v.effective_to),
        "name": v.name,
        "field_code": v.field.code,
        "field_name": v.field.name,
        "level": v.level,
        "deciding_authority": v.deciding_authority,
        "deciding_units": "; ".join(_esc(u.code) for u in sorted(v.deciding_units.all(), key=lambda u: u.code)),
        "receiving_units": "; ".join(_esc(u.code) for u in sorted(v.receiving_units.all(), key=lambda u: u.code)),
        "all_communes": "1" if v.all_communes else "0",
        "channels": "; ".join(v.channels),
        "sequence": v.sequence,
        "method": v.method,
        "subjects": v.subjects,
        "conditions": v.conditions,
        "dossier_sets": str(v.dossier_sets),
        "documents": _join([d.name, str(d.originals), str(d.copies), "1" if d.mandatory else "0", d.note]
                           for d in sorted(v.documents.all(), key=lambda d: d.order)),
        "result_form": v.result_form,
        "result_name": v.result_name,
        "limit_amount": _dec_str(v.limit_amount),
        "limit_unit": v.limit_unit,
        "limit_note": v.limit_note,
        "service_target_amount": _dec_str(v.service_target_amount),
        "cutoff": v.cutoff.strftime("%H:%M") if v.cutoff else "",
        "online_level": v.online_level,
        "full_online_eligible": "1" if v.full_online_eligible else "0",
        "fees": _join([f.name, str(f.amount_vnd), f.note] for f in sorted(v.fees.all(), key=lambda f: f.order)),
        "steps": _join([s.name, actor(s), _dec_str(s.hours)] for s in sorted(v.steps.all(), key=lambda s: s.order)),
        "legal_bases": _join([b.number, b.title, _date_str(b.issued_on), _date_str(b.effective_from), _date_str(b.effective_to)]
                             for b in sorted(v.legal_bases.all(), key=lambda b: b.number)),
        "dossiers_per_year": "" if v.dossiers_per_year is None else str(v.dossiers_per_year),
        "is_demo": "1" if v.procedure.is_demo else "0",
        "source_note": v.procedure.source_note,
    }
    return [values[c.key] for c in COLUMNS]


def export_rows(versions=None) -> list[list[str]]:
    from .queries import with_details

    qs = versions if versions is not None else ProcedureVersion.objects.all()
    qs = with_details(qs).order_by("procedure__code", "effective_from")
    return [HEADERS] + [version_row(v) for v in qs]


def write_csv(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(csv_row(r) for r in rows)
    # BOM: Excel opens UTF-8 CSV correctly only with it.
    return buf.getvalue().encode("utf-8-sig")


def write_xlsx(rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh mục TTHC"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = as_text_cell(ws.cell(row=r, column=c, value=value))
            # Every cell is text: Excel must not turn 1.001193 into a number or 15:00 into a time.
            cell.number_format = "@"
            if r == 1:
                cell.font = Font(bold=True)
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    for c, col in enumerate(COLUMNS, 1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = 40 if col.kind in (
            "steps", "documents", "fees", "legal_bases") or col.key in ("name", "sequence", "method") else 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_catalog(fmt: str = "xlsx", versions=None) -> bytes:
    rows = export_rows(versions)
    if fmt == "csv":
        return write_csv(rows)
    if fmt == "xlsx":
        return write_xlsx(rows)
    raise ValueError(fmt)


# ---- import ----

@dataclass
class ParsedRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    data: dict
    problems: list = field(default_factory=list)


def read_table(content: bytes, fmt: str) -> list[list]:
    """The raw cells of the first sheet (XLSX) or the file (CSV), header included."""
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        return [[csv_unquote(v) for v in row] for row in csv.reader(io.StringIO(text))]
    if fmt == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            return [list(row) for row in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    raise ValueError(fmt)


def guess_format(filename: str) -> str | None:
    name = (filename or "").lower()
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    return None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _choice(raw: str, choices) -> str | None:
    if raw in choices.values:
        return raw
    folded = fold(raw)
    for value, label in choices.choices:
        if folded in (fold(value), fold(str(label))):
            return value
    return None


_TRUE = {"1", "x", "co", "true", "yes", "dung"}
_FALSE = {"0", "", "khong", "false", "no", "sai"}


def _parse_date(raw: str):
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _parse_decimal(raw: str) -> Decimal:
    d = Decimal(raw.replace(",", "."))
    if not d.is_finite():
        raise InvalidOperation(raw)
    return d


def _parse_cell(col: Column, raw, problems: list, row_no: int):
    """The value of one cell in the keyword form of services; adds a problem and returns None when bad."""
    text = _cell_text(raw)

    def bad(detail=""):
        problems.append(Problem(
            "CATALOG_IMPORT_BAD_CELL",
            _("Dòng %(r)s, cột “%(c)s”: giá trị “%(v)s” không hợp lệ. %(d)s") % {"r": row_no, "c": col.header, "v": text, "d": detail},
        ))
        return None

    if col.kind == "text":
        if col.key == "code" and isinstance(raw, float):
            # Excel turned the code into a number: national codes have six decimals (1.001193).
            text = f"{raw:.6f}"
        return text
    if col.kind == "date":
        if not text:
            return None
        try:
            return _parse_date(text[:10])
        except ValueError:
            return bad(str(_("Dùng định dạng YYYY-MM-DD.")))
    if col.kind == "decimal":
        if not text:
            return None
        try:
            return _parse_decimal(text)
        except (InvalidOperation, ValueError):
            return bad()
    if col.kind == "int":
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return bad()
    if col.kind == "bool":
        folded = fold(text)
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        return bad(str(_("Ghi 1 hoặc 0.")))
    if col.kind == "time":
        if not text:
            return None
        try:
            return time.fromisoformat(text if len(text) > 4 else text.zfill(5))
        except ValueError:
            return bad(str(_("Ghi giờ dạng 15:00.")))
    if col.kind == "choice":
        if not text:
            return None  # a required one is reported by parse_table; an optional one keeps its default
        value = _choice(text, col.choices)
        return value if value is not None else bad(str(_("Giá trị hợp lệ: %(v)s.") % {"v": ", ".join(col.choices.values)}))
    if col.kind == "codes":
        return [item[0] for item in _items(text)]
    if col.kind == "channels":
        values = []
        for item in _items(text):
            value = _choice(item[0], Channel)
            if value is None:
                return bad(str(_("Kênh hợp lệ: direct, online, postal.")))
            values.append(value)
        return values
    if col.kind == "documents":
        docs = []
        for parts in _items(text):
            parts += [""] * (5 - len(parts))
            flag = fold(parts[3])
            try:
                if flag not in _TRUE | _FALSE:
                    raise ValueError(flag)
                docs.append({"name": parts[0], "originals": int(parts[1] or 0), "copies": int(parts[2] or 0),
                             "mandatory": flag in _TRUE or flag == "", "note": parts[4]})
            except ValueError:
                return bad(str(_("Mỗi giấy tờ ghi: tên|số bản chính|số bản sao|bắt buộc (1/0)|ghi chú.")))
        return docs
    if col.kind == "fees":
        fees = []
        for parts in _items(text):
            parts += [""] * (3 - len(parts))
            amount = parts[1].replace(".", "").replace(",", "").replace(" ", "")
            if not amount.isdigit():
                return bad(str(_("Mỗi khoản phí ghi: tên|số tiền (đồng)|ghi chú.")))
            fees.append({"name": parts[0], "amount_vnd": int(amount), "note": parts[2]})
        return fees
    if col.kind == "steps":
        items = _items(text)
        steps = []
        for i, parts in enumerate(items, 1):
            if len(parts) != 3:
                return bad(str(_("Mỗi bước ghi: tên|vai trò hoặc @mã đơn vị|số giờ.")))
            role, _sep, unit = parts[1].partition(STEP_ROLE_SEP)
            try:
                hours = _parse_decimal(parts[2])
            except (InvalidOperation, ValueError):
                return bad(str(_("Số giờ của bước “%(s)s” không phải là số.") % {"s": parts[0]}))
            steps.append({"name": parts[0], "role": role.strip(), "unit": unit.strip() or None, "hours": hours,
                          "is_return_step": i == len(items)})
        return steps
    if col.kind == "legal_bases":
        bases = []
        for parts in _items(text):
            parts += [""] * (5 - len(parts))
            try:
                dates = [_parse_date(p) if p else None for p in parts[2:5]]
            except ValueError:
                return bad(str(_("Mỗi căn cứ ghi: số hiệu|trích yếu|ngày ban hành|hiệu lực từ|hiệu lực đến (YYYY-MM-DD).")))
            if not parts[0] or not parts[1]:
                return bad(str(_("Căn cứ pháp lý phải có số hiệu và trích yếu.")))
            bases.append({"number": parts[0], "title": parts[1], "issued_on": dates[0], "effective_from": dates[1],
                          "effective_to": dates[2]})
        return bases
    raise AssertionError(col.kind)


def parse_table(table: list[list]) -> tuple[list[ParsedRow], list[Problem]]:
    """Map the header (Vietnamese header or column key, any case or marks) and parse every data row."""
    if not table:
        return [], [Problem("CATALOG_IMPORT_EMPTY", _("Tệp không có dữ liệu."))]
    lookup = {}
    for col in COLUMNS:
        lookup[fold(col.header)] = col
        lookup[fold(col.key)] = col
    header = [_cell_text(h) for h in table[0]]
    positions: dict[int, Column] = {}
    unknown = []
    for i, h in enumerate(header):
        if not h:
            continue
        col = lookup.get(fold(h))
        if col is None:
            unknown.append(h)
        else:
            positions[i] = col
    missing = [c.header for c in COLUMNS if c.required and c not in positions.values()]
    problems = []
    if missing:
        problems.append(Problem("CATALOG_IMPORT_BAD_HEADER",
                                _("Thiếu cột bắt buộc: %(c)s.") % {"c": ", ".join(missing)}))
    if unknown:
        problems.append(Problem("CATALOG_IMPORT_BAD_HEADER", _("Cột không nhận ra: %(c)s.") % {"c": ", ".join(unknown)}))
    if problems:
        return [], problems

    rows = []
    for number, raw_row in enumerate(table[1:], 2):
        if all(_cell_text(v) == "" for v in raw_row):
            continue
        row = ParsedRow(number=number, data={})
        for i, col in positions.items():
            value = _parse_cell(col, raw_row[i] if i < len(raw_row) else None, row.problems, number)
            row.data[col.key] = value
        for col in COLUMNS:
            if col.required and col in positions.values() and row.data.get(col.key) in (None, ""):
                if not any(col.header in str(p.message) for p in row.problems):
                    row.problems.append(Problem("CATALOG_IMPORT_MISSING_VALUE",
                                                _("Dòng %(r)s: thiếu “%(c)s”.") % {"r": number, "c": col.header}))
        # Optional empty choice cells keep the model default rather than failing.
        for key in ("result_form", "online_level"):
            if key in row.data and row.data[key] is None:
                row.data.pop(key)
        rows.append(row)
    if not rows:
        problems.append(Problem("CATALOG_IMPORT_EMPTY", _("Tệp không có dòng dữ liệu nào.")))
    return rows, problems
