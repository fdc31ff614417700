"""Public read API of the catalog (django-ninja). Mounted by the project at /api/v1/catalog.

Amounts of time are decimal strings ("0.5") so halves survive JSON; money is integer VND.
"""
from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from kycuong.core.api import ErrorOut  # the one error schema in the OpenAPI document

from . import checks
from .queries import procedure_by_code, procedure_versions, search_procedures

router = Router(tags=["catalog"])

LevelParam = Literal["province", "commune", "district"]
OnlineLevelParam = Literal["full", "partial", "none"]


class ProcedureItem(Schema):
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    online_level: str
    limit_amount: Decimal
    limit_unit: str
    limit_text: str
    effective_from: date
    is_demo: bool


class UnitRef(Schema):
    code: str
    name: str


class ProcedureStepOut(Schema):  # not StepOut: one-stop's dossier step owns that OpenAPI name
    order: int
    name: str
    role: str
    unit: UnitRef | None
    hours: Decimal
    is_return_step: bool


class FeeOut(Schema):
    name: str
    amount_vnd: int
    note: str


class DocumentOut(Schema):
    name: str
    originals: int
    copies: int
    mandatory: bool
    note: str


class LegalBasisOut(Schema):
    number: str
    title: str
    issued_on: date | None
    effective_from: date | None
    effective_to: date | None


class PartOut(Schema):
    code: str
    label: str
    present: bool


class VersionRef(Schema):
    effective_from: date
    effective_to: date | None


class ProcedureDetail(ProcedureItem):
    effective_to: date | None
    sequence: str
    method: str
    channels: list[str]
    subjects: str
    conditions: str
    deciding_authority: str
    deciding_units: list[UnitRef]
    receiving_units: list[UnitRef]
    all_communes: bool
    dossier_sets: int
    documents: list[DocumentOut]
    result_form: str
    result_name: str
    limit_note: str
    service_target_amount: Decimal | None
    # Wall-clock time in Hà Nội (HH:MM:SS), not an RFC 3339 "time" (that one needs a UTC offset).
    cutoff: str | None = Field(None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
                               description="Giờ chốt tiếp nhận theo giờ Hà Nội (HH:MM:SS), hồ sơ nhận sau giờ này tính từ ngày làm việc kế tiếp")
    full_online_eligible: bool
    fees: list[FeeOut]
    steps: list[ProcedureStepOut]
    steps_ok: bool
    legal_bases: list[LegalBasisOut]
    completeness: list[PartOut]
    complete: bool
    source_note: str
    versions: list[VersionRef]


def _item(v) -> dict:
    return {
        "code": v.procedure.code, "name": v.name, "field_code": v.field.code, "field_name": v.field.name,
        "level": v.level, "online_level": v.online_level, "limit_amount": v.limit_amount, "limit_unit": v.limit_unit,
        "limit_text": checks.limit_in_words(v.limit_amount, v.limit_unit), "effective_from": v.effective_from,
        "is_demo": v.procedure.is_demo,
    }


class _Mapped:
    """A queryset the paginator can slice and count, mapped to dicts only for the page it takes."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def __len__(self):
        return self.qs.count()

    def __getitem__(self, key):
        return [self.fn(v) for v in self.qs[key]]


class _Pages(PageNumberPagination):
    """Page numbers bounded (as /dossiers does): an unbounded page overflowed the SQL OFFSET, a 500 (issue 18)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)


def _unit(u) -> dict:
    return {"code": u.code, "name": u.name}


@router.get("/procedures", response=list[ProcedureItem], summary="Tìm thủ tục hành chính đang áp dụng")
@paginate(_Pages, page_size=20, max_page_size=100)
def list_procedures(request, q: str = "", field: str | None = None, level: LevelParam | None = None,
                    online_level: OnlineLevelParam | None = None):
    """Tìm theo tên (không dấu cũng được) hoặc mã thủ tục; lọc theo lĩnh vực (mã), cấp, mức độ trực tuyến."""
    return _Mapped(search_procedures(q, field=field, level=level, online_level=online_level), _item)


@router.get("/procedures/{code}", response={200: ProcedureDetail, 404: ErrorOut},
            summary="Một thủ tục, phiên bản áp dụng vào ngày cho trước")
def get_procedure(request, code: str, on_date: date | None = None):
    """Phiên bản áp dụng vào `on_date` (mặc định hôm nay); 404 với mã lỗi CATALOG_PROCEDURE_NOT_FOUND
    hoặc CATALOG_NO_VERSION_ON_DATE."""
    v = procedure_by_code(code, on_date)
    parts = checks.completeness(v)
    steps = list(v.steps.all())
    return {
        **_item(v),
        "effective_to": v.effective_to, "sequence": v.sequence, "method": v.method, "channels": v.channels,
        "subjects": v.subjects, "conditions": v.conditions, "deciding_authority": v.deciding_authority,
        "deciding_units": [_unit(u) for u in v.deciding_units.all()],
        "receiving_units": [_unit(u) for u in v.receiving_units.all()],
        "all_communes": v.all_communes, "dossier_sets": v.dossier_sets,
        "documents": [{"name": d.name, "originals": d.originals, "copies": d.copies, "mandatory": d.mandatory,
                       "note": d.note} for d in v.documents.all()],
        "result_form": v.result_form, "result_name": v.result_name, "limit_note": v.limit_note,
        "service_target_amount": v.service_target_amount, "cutoff": v.cutoff.isoformat() if v.cutoff else None,
        "full_online_eligible": v.full_online_eligible,
        "fees": [{"name": f.name, "amount_vnd": f.amount_vnd, "note": f.note} for f in v.fees.all()],
        "steps": [{"order": s.order, "name": s.name, "role": s.role, "unit": _unit(s.unit) if s.unit_id else None,
                   "hours": s.hours, "is_return_step": s.is_return_step} for s in steps],
        "steps_ok": checks.check_steps(v.limit_amount, v.limit_unit, steps).ok,
        "legal_bases": [{"number": b.number, "title": b.title, "issued_on": b.issued_on,
                         "effective_from": b.effective_from, "effective_to": b.effective_to} for b in v.legal_bases.all()],
        "completeness": parts, "complete": all(p["present"] for p in parts),
        "source_note": v.procedure.source_note,
        "versions": [{"effective_from": o.effective_from, "effective_to": o.effective_to}
                     for o in procedure_versions(v.procedure.code)],
    }
