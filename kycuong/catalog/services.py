"""The only code that writes the catalog. Every public function is one transaction that validates first
and raises `ValidationFailed` (stable `CATALOG_…` code, Vietnamese message) without writing anything.

Version data is passed as keyword arguments (see `SCALAR_FIELDS` and `LIST_FIELDS`):
  steps      [{"name", "role", "unit" (Unit or code), "hours", "is_return_step", "requires_second_person"}]
  fees       [{"name", "amount_vnd", "note"}]
  documents  [{"name", "originals", "copies", "mandatory", "note"}]
  legal_bases, deciding_units, receiving_units: instances or their number/code;
  field: a Field or its code; channels: a list of Channel values (instead of the three flags).
"""
import re
from dataclasses import dataclass, field as dc_field
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from kycuong.core.models import Unit
from kycuong.core.text import fold, nfc

from . import checks
from .checks import Problem
from .models import (
    Channel, Field, HourlyRate, LegalBasis, Level, LimitUnit, OnlineLevel, Procedure, ProcedureDocument,
    ProcedureFee, ProcedureStep, ProcedureVersion, ResultForm, SimplificationRecord,
)

# National codes look like 1.001193 or 1.008377.000.00.00.H13 (docs/legal/one-stop.md §2.4); local and demo codes
# are allowed in the same alphabet so a city can catalogue its own procedures.
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{2,63}$")

TEXT_FIELDS = ("name", "sequence", "method", "limit_note", "subjects", "deciding_authority", "conditions", "result_name")
BOOL_FIELDS = ("channel_direct", "channel_online", "channel_postal", "all_communes", "full_online_eligible")
SCALAR_FIELDS = TEXT_FIELDS + BOOL_FIELDS + (
    "field", "level", "dossier_sets", "limit_amount", "limit_unit", "service_target_amount", "cutoff",
    "result_form", "online_level", "dossiers_per_year", "effective_to",
)
LIST_FIELDS = ("steps", "fees", "documents", "legal_bases", "deciding_units", "receiving_units")
CHANNEL_FLAGS = {Channel.DIRECT: "channel_direct", Channel.ONLINE: "channel_online", Channel.POSTAL: "channel_postal"}


def _fail(problems: list[Problem]):
    first = problems[0]
    return ValidationFailed(first.message, code=first.code, details={"problems": [p.as_dict() for p in problems]})


def _text(value) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _date(value, label, problems, code="CATALOG_BAD_DATE"):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(code, _("%(f)s: ngày “%(v)s” không hợp lệ (định dạng YYYY-MM-DD).") % {"f": label, "v": value}))
        return None


def _decimal(value, label, problems):
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        problems.append(Problem("CATALOG_BAD_NUMBER", _("%(f)s: “%(v)s” không phải là số.") % {"f": label, "v": value}))
        return None
    if not d.is_finite():
        problems.append(Problem("CATALOG_BAD_NUMBER", _("%(f)s: “%(v)s” không phải là số.") % {"f": label, "v": value}))
        return None
    return d


def _int(value, label, problems, minimum=0):
    if value in (None, ""):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        problems.append(Problem("CATALOG_BAD_NUMBER", _("%(f)s: “%(v)s” không phải là số nguyên.") % {"f": label, "v": value}))
        return None
    if n < minimum:
        problems.append(Problem("CATALOG_BAD_NUMBER", _("%(f)s phải từ %(m)s trở lên.") % {"f": label, "m": minimum}))
        return None
    return n


def _units(values, label, problems) -> list[Unit]:
    units, codes = [], []
    for v in values or []:
        if isinstance(v, Unit):
            units.append(v)
        else:
            codes.append(_text(v))
    if codes:
        found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            problems.append(Problem("CATALOG_UNKNOWN_UNIT", _("%(f)s: không có đơn vị mã %(c)s.") % {"f": label, "c": ", ".join(missing)}))
        units += [found[c] for c in codes if c in found]
    return units


def _field(value, problems) -> Field | None:
    if isinstance(value, Field):
        return value
    code = _text(value)
    if not code:
        problems.append(Problem("CATALOG_FIELD_REQUIRED", _("Chưa chọn lĩnh vực.")))
        return None
    found = Field.objects.filter(code=code).first()
    if found is None:
        problems.append(Problem("CATALOG_UNKNOWN_FIELD", _("Không có lĩnh vực mã “%(c)s”.") % {"c": code}))
    return found


def _legal_bases(values, problems) -> list[LegalBasis]:
    result, numbers = [], []
    for v in values or []:
        if isinstance(v, LegalBasis):
            result.append(v)
        else:
            numbers.append(_text(v))
    if numbers:
        found = {b.number: b for b in LegalBasis.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            problems.append(Problem("CATALOG_UNKNOWN_LEGAL_BASIS",
                                    _("Không có căn cứ pháp lý số %(n)s trong danh mục văn bản.") % {"n": ", ".join(missing)}))
        result += [found[n] for n in numbers if n in found]
    return result


def _clean_steps(steps, problems) -> list[dict]:
    cleaned = []
    step_unit_codes = {_text(s.get("unit")) for s in steps if s.get("unit") and not isinstance(s.get("unit"), Unit)}
    units = {u.code: u for u in Unit.objects.filter(code__in=step_unit_codes)} if step_unit_codes else {}
    for i, s in enumerate(steps, 1):
        unit = s.get("unit")
        if unit and not isinstance(unit, Unit):
            code = _text(unit)
            unit = units.get(code)
            if unit is None:
                problems.append(Problem("CATALOG_UNKNOWN_UNIT", _("Bước %(i)s: không có đơn vị mã %(c)s.") % {"i": i, "c": code}, i))
        hours = _decimal(s.get("hours"), _("Bước %(i)s") % {"i": i}, problems)
        cleaned.append({
            "name": _text(s.get("name")), "role": _text(s.get("role")), "unit": unit or None,
            "hours": hours, "is_return_step": bool(s.get("is_return_step")),
            "requires_second_person": bool(s.get("requires_second_person")),
        })
    return cleaned


def _clean_fees(fees, problems) -> list[dict]:
    cleaned = []
    for i, f in enumerate(fees, 1):
        name = _text(f.get("name"))
        if not name:
            problems.append(Problem("CATALOG_FEE_NO_NAME", _("Khoản phí thứ %(i)s chưa có tên.") % {"i": i}))
        amount = f.get("amount_vnd")
        if isinstance(amount, bool) or not isinstance(amount, int):
            amount = _int(amount, _("Khoản phí “%(n)s”") % {"n": name or i}, problems)
        if amount is None or amount < 0:
            problems.append(Problem("CATALOG_FEE_BAD_AMOUNT",
                                    _("Khoản phí “%(n)s”: mức thu phải là số nguyên đồng, không âm.") % {"n": name or i}))
            amount = 0
        cleaned.append({"name": name, "amount_vnd": amount, "note": _text(f.get("note"))})
    return cleaned


def _clean_documents(documents, problems) -> list[dict]:
    cleaned = []
    for i, d in enumerate(documents, 1):
        name = _text(d.get("name"))
        if not name:
            problems.append(Problem("CATALOG_DOCUMENT_NO_NAME", _("Giấy tờ thứ %(i)s chưa có tên.") % {"i": i}))
        originals = _int(d.get("originals", 0), _("Số bản chính"), problems) or 0
        copies = _int(d.get("copies", 0), _("Số bản sao"), problems) or 0
        if originals + copies < 1:
            problems.append(Problem("CATALOG_DOCUMENT_NO_COUNT",
                                    _("Giấy tờ “%(n)s”: phải ghi ít nhất 01 bản chính hoặc 01 bản sao.") % {"n": name or i}))
        cleaned.append({"name": name, "originals": originals, "copies": copies,
                        "mandatory": bool(d.get("mandatory", True)), "note": _text(d.get("note"))})
    return cleaned


def snapshot(version: ProcedureVersion) -> dict:
    """A version's data in the keyword form the write functions take (used to copy a version)."""
    data = {name: getattr(version, name) for name in SCALAR_FIELDS if name not in ("field", "effective_to")}
    data["field"] = version.field
    data["steps"] = [{"name": s.name, "role": s.role, "unit": s.unit, "hours": s.hours, "is_return_step": s.is_return_step,
                      "requires_second_person": s.requires_second_person}
                     for s in version.steps.select_related("unit").order_by("order")]
    data["fees"] = [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in version.fees.order_by("order")]
    data["documents"] = [{"name": d.name, "originals": d.originals, "copies": d.copies, "mandatory": d.mandatory,
                          "note": d.note} for d in version.documents.order_by("order")]
    data["legal_bases"] = list(version.legal_bases.all())
    data["deciding_units"] = list(version.deciding_units.all())
    data["receiving_units"] = list(version.receiving_units.all())
    return data


def _write_version(version: ProcedureVersion, data: dict) -> ProcedureVersion:
    """Validate `data` on top of `version` (new or existing) and save it with its children; all or nothing."""
    unknown = set(data) - set(SCALAR_FIELDS) - set(LIST_FIELDS) - {"channels"}
    if unknown:
        raise TypeError(f"unknown procedure version fields: {sorted(unknown)}")
    problems: list[Problem] = []
    data = dict(data)
    if "channels" in data:
        chosen = set(data.pop("channels") or [])
        bad = chosen - set(Channel.values)
        if bad:
            problems.append(Problem("CATALOG_BAD_CHANNEL", _("Kênh tiếp nhận không hợp lệ: %(c)s.") % {"c": ", ".join(sorted(bad))}))
        for channel, flag in CHANNEL_FLAGS.items():
            data[flag] = channel in chosen

    for name in TEXT_FIELDS:
        if name in data:
            setattr(version, name, _text(data[name]))
    for name in BOOL_FIELDS:
        if name in data:
            setattr(version, name, bool(data[name]))
    if "field" in data:
        version.field = _field(data["field"], problems)
    for name, choices, label in (("level", Level, _("Cấp thực hiện")), ("limit_unit", LimitUnit, _("Đơn vị thời hạn")),
                                 ("result_form", ResultForm, _("Hình thức kết quả")),
                                 ("online_level", OnlineLevel, _("Mức độ trực tuyến"))):
        if name in data:
            value = _text(data[name])
            if value not in choices.values:
                problems.append(Problem("CATALOG_BAD_CHOICE", _("%(f)s: giá trị “%(v)s” không hợp lệ.") % {"f": label, "v": value}))
            setattr(version, name, value)
    if "limit_amount" in data:
        version.limit_amount = _decimal(data["limit_amount"], _("Thời hạn giải quyết"), problems)
    if "service_target_amount" in data:
        version.service_target_amount = _decimal(data["service_target_amount"], _("Thời hạn cam kết"), problems)
    if "dossier_sets" in data:
        version.dossier_sets = _int(data["dossier_sets"], _("Số lượng bộ hồ sơ"), problems, minimum=1) or 1
    if "dossiers_per_year" in data:
        version.dossiers_per_year = _int(data["dossiers_per_year"], _("Số hồ sơ mỗi năm"), problems)
    if "cutoff" in data:
        cutoff = data["cutoff"]
        if cutoff in (None, ""):
            version.cutoff = None
        elif isinstance(cutoff, time):
            version.cutoff = cutoff
        else:
            try:
                version.cutoff = time.fromisoformat(_text(cutoff))
            except ValueError:
                problems.append(Problem("CATALOG_BAD_CUTOFF", _("Giờ tiếp nhận muộn nhất “%(v)s” không hợp lệ (dạng 15:00).") % {"v": cutoff}))
    if "effective_to" in data:
        version.effective_to = _date(data["effective_to"], _("Áp dụng đến hết ngày"), problems)

    if not version.name:
        problems.append(Problem("CATALOG_NAME_REQUIRED", _("Chưa ghi tên thủ tục.")))
    if version.field_id is None and "field" not in data:
        problems.append(Problem("CATALOG_FIELD_REQUIRED", _("Chưa chọn lĩnh vực.")))
    problems += checks.check_limit(version.limit_amount, version.limit_unit, version.service_target_amount)
    problems += checks.check_online(version.online_level, version.full_online_eligible, version.channel_online)
    if version.effective_to and version.effective_from and version.effective_to < version.effective_from:
        problems.append(Problem("CATALOG_VERSION_DATES", _("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng.")))

    if "steps" in data:
        steps = _clean_steps(data["steps"] or [], problems)
    elif version.pk:
        steps = [{"name": s.name, "role": s.role, "unit": s.unit, "hours": s.hours, "is_return_step": s.is_return_step,
                      "requires_second_person": s.requires_second_person}
                 for s in version.steps.select_related("unit").order_by("order")]
    else:
        steps = []
    if version.limit_amount is not None and version.limit_unit in LimitUnit.values:
        problems += checks.check_steps(version.limit_amount, version.limit_unit, steps).problems
    fees = _clean_fees(data["fees"] or [], problems) if "fees" in data else None
    documents = _clean_documents(data["documents"] or [], problems) if "documents" in data else None
    legal_bases = _legal_bases(data["legal_bases"], problems) if "legal_bases" in data else None
    deciding = _units(data["deciding_units"], _("Đơn vị quyết định"), problems) if "deciding_units" in data else None
    receiving = _units(data["receiving_units"], _("Nơi tiếp nhận"), problems) if "receiving_units" in data else None
    problems += _overlap_problems(version)
    if problems:
        raise _fail(problems)

    version.name_folded = fold(version.name)
    try:
        version.full_clean(exclude=["procedure", "field"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        messages = [f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.message_dict.items()]
        raise ValidationFailed(_("Dữ liệu thủ tục không hợp lệ: %(m)s") % {"m": "; ".join(messages)},
                               code="CATALOG_INVALID", details={"fields": exc.message_dict}) from exc
    version.save()

    if "steps" in data:
        version.steps.all().delete()
        ProcedureStep.objects.bulk_create(ProcedureStep(version=version, order=i, **s) for i, s in enumerate(steps, 1))
    if fees is not None:
        version.fees.all().delete()
        ProcedureFee.objects.bulk_create(ProcedureFee(version=version, order=i, **f) for i, f in enumerate(fees, 1))
    if documents is not None:
        version.documents.all().delete()
        ProcedureDocument.objects.bulk_create(ProcedureDocument(version=version, order=i, **d) for i, d in enumerate(documents, 1))
    if legal_bases is not None:
        version.legal_bases.set(legal_bases)
    if deciding is not None:
        version.deciding_units.set(deciding)
    if receiving is not None:
        version.receiving_units.set(receiving)
    _refresh_procedure_name(version.procedure)
    return version


def _overlap_problems(version: ProcedureVersion) -> list[Problem]:
    """Versions of one procedure never overlap: at most one is in force on any day."""
    if not version.procedure_id or not version.effective_from:
        return []
    others = ProcedureVersion.objects.filter(procedure_id=version.procedure_id).exclude(pk=version.pk)
    if others.filter(effective_from=version.effective_from).exists():
        return [Problem("CATALOG_VERSION_EXISTS", _("Đã có phiên bản áp dụng từ ngày %(d)s.") % {"d": f"{version.effective_from:%d/%m/%Y}"})]
    later = others.filter(effective_from__gt=version.effective_from).order_by("effective_from").first()
    if later and (version.effective_to is None or version.effective_to >= later.effective_from):
        return [Problem("CATALOG_VERSION_OVERLAP",
                        _("Phiên bản này phải hết áp dụng trước ngày %(d)s, ngày phiên bản sau bắt đầu.") % {"d": f"{later.effective_from:%d/%m/%Y}"})]
    earlier = others.filter(effective_from__lt=version.effective_from).order_by("-effective_from").first()
    if earlier and (earlier.effective_to is None or earlier.effective_to >= version.effective_from):
        return [Problem("CATALOG_VERSION_OVERLAP",
                        _("Phiên bản trước (từ %(d)s) vẫn còn áp dụng vào ngày %(n)s.") % {"d": f"{earlier.effective_from:%d/%m/%Y}",
                                                                                          "n": f"{version.effective_from:%d/%m/%Y}"})]
    return []


def _refresh_procedure_name(procedure: Procedure) -> None:
    latest = procedure.versions.order_by("-effective_from").values_list("name", flat=True).first() or ""
    if procedure.name != latest:
        procedure.name, procedure.name_folded = latest, fold(latest)
        procedure.save(update_fields=["name", "name_folded", "updated_at"])


def _as_procedure(procedure_or_code, lock=False) -> Procedure:
    if isinstance(procedure_or_code, Procedure):
        if not lock:
            return procedure_or_code
        procedure_or_code = procedure_or_code.pk
        qs = Procedure.objects.select_for_update().filter(pk=procedure_or_code)
    else:
        qs = Procedure.objects.filter(code=_text(procedure_or_code))
        if lock:
            qs = qs.select_for_update()
    found = qs.first()
    if found is None:
        raise NotFound(_("Không có thủ tục mã %(c)s.") % {"c": procedure_or_code}, code="CATALOG_PROCEDURE_NOT_FOUND")
    return found


# ---- Procedures and versions ----

@transaction.atomic
def register_procedure(code: str, *, is_demo: bool = False, source_note: str = "") -> Procedure:
    """Create the identity of a procedure (no version yet; it is not public until one is published)."""
    code = _text(code)
    if not CODE_RE.match(code):
        raise ValidationFailed(_("Mã thủ tục “%(c)s” không hợp lệ (ví dụ 1.001193; chỉ chữ, số, dấu chấm, gạch).") % {"c": code},
                               code="CATALOG_BAD_CODE")
    if Procedure.objects.filter(code=code).exists():
        raise Conflict(_("Đã có thủ tục mã %(c)s.") % {"c": code}, code="CATALOG_CODE_TAKEN")
    return Procedure.objects.create(code=code, is_demo=bool(is_demo), source_note=_text(source_note))


@transaction.atomic
def update_procedure(procedure, *, is_demo: bool | None = None, source_note: str | None = None) -> Procedure:
    procedure = _as_procedure(procedure, lock=True)
    if is_demo is not None:
        procedure.is_demo = bool(is_demo)
    if source_note is not None:
        procedure.source_note = _text(source_note)
    procedure.save(update_fields=["is_demo", "source_note", "updated_at"])
    return procedure


@transaction.atomic
def create_procedure(code: str, *, effective_from, is_demo: bool = False, source_note: str = "", **data) -> ProcedureVersion:
    """A new procedure with its first version."""
    procedure = register_procedure(code, is_demo=is_demo, source_note=source_note)
    return publish_version(procedure, effective_from=effective_from, **data)


@transaction.atomic
def publish_version(procedure, *, effective_from, **changes) -> ProcedureVersion:
    """A new version from `effective_from`: a copy of the latest version with `changes` applied.

    The previous version is closed the day before (versions never overlap); a version cannot start on or
    before the latest one's start (history is appended, not rewritten).
    """
    procedure = _as_procedure(procedure, lock=True)
    problems: list[Problem] = []
    start = _date(effective_from, _("Áp dụng từ ngày"), problems)
    if start is None and not problems:
        problems.append(Problem("CATALOG_VERSION_START_REQUIRED", _("Chưa ghi ngày bắt đầu áp dụng.")))
    if problems:
        raise _fail(problems)
    problem = check_new_version_start(procedure, start)
    if problem:
        raise _fail([problem])
    latest = procedure.versions.order_by("-effective_from").first()
    data = snapshot(latest) if latest else {}
    data.update(changes)
    if latest and (latest.effective_to is None or latest.effective_to >= start):
        latest.effective_to = start - timedelta(days=1)
        latest.save(update_fields=["effective_to", "updated_at"])
    version = ProcedureVersion(procedure=procedure, effective_from=start)
    return _write_version(version, data)


@transaction.atomic
def update_version(version: ProcedureVersion, **changes) -> ProcedureVersion:
    """Correct a version in place (its start date is its identity and does not change)."""
    if "effective_from" in changes:
        raise TypeError("effective_from cannot change; publish a new version instead")
    # Lock through the procedure so concurrent publications queue behind this correction.
    _as_procedure(version.procedure, lock=True)
    return _write_version(version, changes)


def set_steps(version: ProcedureVersion, steps: list[dict]) -> ProcedureVersion:
    return update_version(version, steps=steps)


def set_fees(version: ProcedureVersion, fees: list[dict]) -> ProcedureVersion:
    return update_version(version, fees=fees)


def set_documents(version: ProcedureVersion, documents: list[dict]) -> ProcedureVersion:
    return update_version(version, documents=documents)


def set_legal_bases(version: ProcedureVersion, legal_bases: list) -> ProcedureVersion:
    return update_version(version, legal_bases=legal_bases)


@transaction.atomic
def abolish_procedure(procedure, *, last_day) -> ProcedureVersion:
    """Close the open version on `last_day` (the procedure is abolished or transferred)."""
    procedure = _as_procedure(procedure, lock=True)
    problems: list[Problem] = []
    day = _date(last_day, _("Ngày cuối áp dụng"), problems)
    if problems or day is None:
        raise _fail(problems or [Problem("CATALOG_BAD_DATE", _("Chưa ghi ngày cuối áp dụng."))])
    latest = procedure.versions.order_by("-effective_from").first()
    if latest is None:
        raise ValidationFailed(_("Thủ tục chưa có phiên bản nào."), code="CATALOG_NO_VERSION")
    return update_version(latest, effective_to=day)


# ---- Reference tables ----

@transaction.atomic
def save_field(code: str, name: str) -> Field:
    code, name = _text(code), _text(name)
    if not code or not name:
        raise ValidationFailed(_("Lĩnh vực phải có mã và tên."), code="CATALOG_FIELD_INCOMPLETE")
    obj, _created = Field.objects.update_or_create(code=code, defaults={"name": name})
    return obj


@transaction.atomic
def save_legal_basis(number: str, *, title: str, issued_on=None, effective_from=None, effective_to=None,
                     note: str = "") -> LegalBasis:
    problems: list[Problem] = []
    number, title = _text(number), _text(title)
    if not number or not title:
        problems.append(Problem("CATALOG_LEGAL_BASIS_INCOMPLETE", _("Căn cứ pháp lý phải có số, ký hiệu và trích yếu.")))
    issued = _date(issued_on, _("Ngày ban hành"), problems)
    start = _date(effective_from, _("Hiệu lực từ"), problems)
    end = _date(effective_to, _("Hết hiệu lực"), problems)
    if start and end and end < start:
        problems.append(Problem("CATALOG_LEGAL_BASIS_DATES", _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")))
    if problems:
        raise _fail(problems)
    obj, _created = LegalBasis.objects.update_or_create(
        number=number, defaults={"title": title, "issued_on": issued, "effective_from": start, "effective_to": end,
                                 "note": _text(note)},
    )
    return obj


@transaction.atomic
def set_hourly_rate(year: int, vnd_per_hour: int, source: str = "") -> HourlyRate:
    problems: list[Problem] = []
    year = _int(year, _("Năm"), problems, minimum=2000)
    rate = _int(vnd_per_hour, _("Đơn giá"), problems, minimum=1)
    if problems:
        raise _fail(problems)
    obj, _created = HourlyRate.objects.update_or_create(year=year, defaults={"vnd_per_hour": rate, "source": _text(source)})
    return obj


@transaction.atomic
def record_simplification(procedure, *, time_before, time_after, dossiers_per_year, year: int,
                          time_unit: str | None = None, basis: str = "", note: str = "") -> SimplificationRecord:
    """Store a simplification with its compliance cost (docs/legal/reform.md §5), computed with the year's hourly rate."""
    from .queries import hourly_rate

    procedure = _as_procedure(procedure)
    problems: list[Problem] = []
    if time_unit is None:
        current = procedure.versions.order_by("-effective_from").first()
        time_unit = current.limit_unit if current else LimitUnit.WORKING_DAYS
    if time_unit not in LimitUnit.values:
        problems.append(Problem("CATALOG_BAD_LIMIT_UNIT", _("Đơn vị thời gian không hợp lệ.")))
    before = _decimal(time_before, _("Thời gian trước"), problems)
    after = _decimal(time_after, _("Thời gian sau"), problems)
    count = _int(dossiers_per_year, _("Số hồ sơ mỗi năm"), problems)
    year = _int(year, _("Năm"), problems, minimum=2000)
    if not problems:
        if before is None or after is None or count is None or before <= 0 or after < 0:
            problems.append(Problem("CATALOG_SIMPLIFICATION_INCOMPLETE",
                                    _("Phải ghi thời gian trước (lớn hơn 0), thời gian sau và số hồ sơ mỗi năm.")))
        elif after > before:
            problems.append(Problem("CATALOG_SIMPLIFICATION_LONGER", _("Thời gian sau đơn giản hóa không được dài hơn thời gian trước.")))
    if problems:
        raise _fail(problems)
    rate = hourly_rate(year)
    cost = checks.compliance_cost(before, after, time_unit, count, rate)
    return SimplificationRecord.objects.create(
        procedure=procedure, basis=_text(basis), year=year, time_unit=time_unit, time_before=before, time_after=after,
        dossiers_per_year=count, hourly_rate_vnd=rate, cost_before_vnd=cost.cost_before_vnd,
        cost_after_vnd=cost.cost_after_vnd, saving_vnd=cost.saving_vnd, reduction_percent=cost.reduction_percent,
        note=_text(note),
    )


# ---- Bulk import (rows parsed by exchange.py) ----

@dataclass
class ImportReport:
    rows: int = 0
    created_procedures: int = 0
    created_versions: int = 0
    updated_versions: int = 0
    dry_run: bool = False
    errors: list = dc_field(default_factory=list)


def import_catalog(parsed_rows, *, dry_run: bool = False) -> ImportReport:
    """Apply parsed rows (exchange.ParsedRow) all or nothing.

    Every row is tried (each in its own savepoint) so the report lists every faulty row; if any row
    fails — or on a dry run — the whole import is rolled back. Rows are applied by (code, start date)
    so a procedure's versions are appended in order whatever the file order.
    """
    report = ImportReport(rows=len(parsed_rows), dry_run=dry_run)
    errors = []
    seen = {}
    applicable = []
    for row in parsed_rows:
        errors += [{"row": row.number, **p.as_dict()} for p in row.problems]
        key = (row.data.get("code"), row.data.get("effective_from"))
        if row.problems:
            continue
        if key in seen:
            errors.append({"row": row.number, "code": "CATALOG_IMPORT_DUPLICATE_ROW",
                           "message": str(_("Trùng mã thủ tục và ngày áp dụng với dòng %(n)s.") % {"n": seen[key]})})
            continue
        seen[key] = row.number
        applicable.append(row)
    with transaction.atomic():
        # Rows that parsed are applied even when others did not, so one run reports every problem.
        for row in sorted(applicable, key=lambda r: (r.data["code"], r.data["effective_from"])):
            try:
                with transaction.atomic():
                    _apply_import_row(dict(row.data), report)
            except DomainError as exc:
                problems = exc.details.get("problems") if isinstance(exc.details, dict) else None
                for p in problems or [{"code": exc.code, "message": str(exc.message)}]:
                    errors.append({"row": row.number, **p})
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        errors.sort(key=lambda e: e["row"])
        report.errors = errors
        bad_rows = len({e["row"] for e in errors})
        raise ValidationFailed(
            _("Không nhập được danh mục: %(n)s dòng có lỗi; chưa ghi dữ liệu nào.") % {"n": bad_rows},
            code="CATALOG_IMPORT_FAILED", details={"errors": errors},
        )
    return report


def _apply_import_row(data: dict, report: ImportReport) -> None:
    code = data.pop("code")
    start = data.pop("effective_from")
    is_demo = data.pop("is_demo", None)
    source_note = data.pop("source_note", None)
    field_code, field_name = data.pop("field_code", None), data.pop("field_name", None)
    if field_code:
        existing = Field.objects.filter(code=field_code).first()
        if existing is None or (field_name and existing.name != field_name):
            save_field(field_code, field_name or field_code)
        data["field"] = field_code
    if "legal_bases" in data:
        data["legal_bases"] = [save_legal_basis(b["number"], title=b["title"], issued_on=b.get("issued_on"),
                                                effective_from=b.get("effective_from"), effective_to=b.get("effective_to"))
                               for b in data["legal_bases"]]
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        create_procedure(code, effective_from=start, is_demo=bool(is_demo), source_note=source_note or "", **data)
        report.created_procedures += 1
        report.created_versions += 1
        return
    if is_demo is not None or source_note is not None:
        update_procedure(procedure, is_demo=is_demo, source_note=source_note)
    version = procedure.versions.filter(effective_from=start).first()
    if version is not None:
        update_version(version, **data)
        report.updated_versions += 1
    else:
        publish_version(procedure, effective_from=start, **data)
        report.created_versions += 1


def import_file(content: bytes, fmt: str, *, dry_run: bool = False) -> ImportReport:
    """Read an XLSX or CSV file in the format of `exchange` and import it all or nothing."""
    import csv
    import zipfile

    from openpyxl.utils.exceptions import InvalidFileException

    from . import exchange

    if fmt not in exchange.FORMATS:
        raise ValidationFailed(_("Chỉ nhận tệp .xlsx hoặc .csv."), code="CATALOG_IMPORT_BAD_FORMAT")
    try:
        table = exchange.read_table(content, fmt)
    except (ValueError, KeyError, OSError, csv.Error, zipfile.BadZipFile, InvalidFileException) as exc:
        raise ValidationFailed(_("Không đọc được tệp %(f)s: %(e)s") % {"f": fmt.upper(), "e": exc},
                               code="CATALOG_IMPORT_UNREADABLE") from exc
    rows, problems = exchange.parse_table(table)
    if problems:
        raise ValidationFailed(problems[0].message, code=problems[0].code,
                               details={"errors": [{"row": 1, **p.as_dict()} for p in problems]})
    return import_catalog(rows, dry_run=dry_run)


def check_new_version_start(procedure, start) -> Problem | None:
    """Why a version starting on `start` could not be published for `procedure` (None if it can)."""
    latest = ProcedureVersion.objects.filter(procedure=procedure).order_by("-effective_from").first()
    if latest and start <= latest.effective_from:
        return Problem("CATALOG_VERSION_NOT_AFTER",
                       _("Phiên bản mới phải áp dụng sau ngày %(d)s (ngày bắt đầu của phiên bản gần nhất).")
                       % {"d": f"{latest.effective_from:%d/%m/%Y}"})
    return None


@transaction.atomic
def delete_version(version: ProcedureVersion) -> None:
    """Remove the latest version (entered by mistake) and reopen the one before it if this one closed it."""
    procedure = _as_procedure(version.procedure, lock=True)
    latest = procedure.versions.order_by("-effective_from").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationFailed(_("Chỉ xóa được phiên bản mới nhất; phiên bản cũ là lịch sử đã áp dụng."),
                               code="CATALOG_VERSION_NOT_LATEST")
    previous = procedure.versions.exclude(pk=version.pk).order_by("-effective_from").first()
    version.delete()
    if previous and previous.effective_to == version.effective_from - timedelta(days=1):
        previous.effective_to = None
        previous.save(update_fields=["effective_to", "updated_at"])
    _refresh_procedure_name(procedure)


@transaction.atomic
def delete_procedure(procedure) -> None:
    """Remove a procedure entered by mistake, with its versions and simplification records."""
    _as_procedure(procedure, lock=True).delete()
