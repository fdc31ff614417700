"""Reads of the catalog. The catalog is public, so there is no unit scoping here (docs/design.md rule 4 is
about officer-side data); `unit=` narrows to the procedures a unit decides or receives.
"""
from datetime import date
import threading
import time

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import NotFound
from kycuong.core.models import Unit
from kycuong.core.text import fold

from .checks import DEFAULT_HOURLY_RATE_VND
from .models import (
    COMMUNE_UNIT_KINDS, Field, HourlyRate, Procedure, ProcedureDocument, ProcedureFee, ProcedureStep, ProcedureVersion,
)


def today() -> date:
    return timezone.localdate()


def versions_in_force(on_date: date | None = None) -> QuerySet:
    day = on_date or today()
    return ProcedureVersion.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def _unit_q(unit) -> Q:
    """Versions a unit decides or receives; commune-level ones reach every ward/commune through one flag."""
    if not isinstance(unit, Unit):
        unit = Unit.objects.filter(code=str(unit).strip()).first()
        if unit is None:
            return Q(pk__in=[])
    deciding = ProcedureVersion.deciding_units.through.objects.filter(unit_id=unit.pk).values("procedureversion_id")
    receiving = ProcedureVersion.receiving_units.through.objects.filter(unit_id=unit.pk).values("procedureversion_id")
    q = Q(pk__in=deciding) | Q(pk__in=receiving)
    if unit.kind in COMMUNE_UNIT_KINDS:
        q |= Q(all_communes=True)
    return q


def search_procedures(q: str = "", field=None, level: str | None = None, online_level: str | None = None,
                      unit=None, on_date: date | None = None) -> QuerySet:
    """Versions in force (today unless `on_date`) matching the filters, ordered by name.

    `q` is folded like the stored key (marks stripped, đ→d, casefolded), so "dang ky khai sinh" finds
    "Đăng ký khai sinh" with a plain LIKE on SQLite and PostgreSQL; every word must occur, in any
    order. `q` also matches the procedure code. `field` is a Field or its code; `unit` a Unit or its code.
    """
    qs = versions_in_force(on_date).select_related("procedure", "field")
    text = (q or "").strip()
    if text:
        words = fold(text).split()
        by_name = Q()
        for word in words:
            by_name &= Q(name_folded__contains=word)
        qs = qs.filter(by_name | Q(procedure__code__icontains=text))
    if field:
        qs = qs.filter(field=field) if isinstance(field, Field) else qs.filter(field__code=str(field))
    if level:
        qs = qs.filter(level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if unit:
        qs = qs.filter(_unit_q(unit))
    return qs.order_by("name_folded", "procedure__code")


def with_details(qs: QuerySet) -> QuerySet:
    """Everything a procedure page or the detail API shows, in a fixed number of queries."""
    return qs.select_related("procedure", "field").prefetch_related(
        Prefetch("steps", queryset=ProcedureStep.objects.select_related("unit").order_by("order")),
        "fees", "documents", "legal_bases", "deciding_units", "receiving_units",
    )


def _not_found(code: str, day: date) -> NotFound:
    if Procedure.objects.filter(code=code).exists():
        return NotFound(_("Thủ tục %(c)s không có phiên bản áp dụng vào ngày %(d)s.") % {"c": code, "d": f"{day:%d/%m/%Y}"},
                        code="CATALOG_NO_VERSION_ON_DATE")
    return NotFound(_("Không có thủ tục mã %(c)s.") % {"c": code}, code="CATALOG_PROCEDURE_NOT_FOUND")


def procedure_by_code(code: str, on_date: date | None = None) -> ProcedureVersion:
    """The version of procedure `code` in force on `on_date` (today by default); NotFound otherwise."""
    day = on_date or today()
    code = (code or "").strip()
    version = with_details(versions_in_force(day).filter(procedure__code=code)).first()
    if version is None:
        raise _not_found(code, day)
    return version


# --- the version intake reads, cached per process ----------------------------------------------------------
#
# Intake (onestop.services) reads the same few versions thousands of times a day. They are cached per
# process by (code, day, catalog fingerprint). The fingerprint — count and latest `updated_at` of versions
# and a hash of the unit columns intake copies — moves on every catalog write: catalog.services writes a
# version's steps, fees, documents and units only together with `version.save()` (auto_now). Another
# process's edit is seen within FINGERPRINT_TTL_S; this process's own edit at once (signals below), and
# until it commits the fingerprint is re-read on every call, so a rolled-back edit leaves no stale memo.

FINGERPRINT_TTL_S = 1.0
_clock = time.monotonic  # tests move it
_lock = threading.Lock()
_fingerprint_memo: dict = {"at": None, "value": None, "dirty": 0}
_intake_versions: dict = {}


def catalog_fingerprint(fresh: bool = False):
    """A value that changes whenever a procedure version (with its steps, fees, documents) or a unit does."""
    memo = _fingerprint_memo
    now = _clock()
    if fresh or memo["dirty"] or memo["at"] is None or now - memo["at"] >= FINGERPRINT_TTL_S:
        versions = ProcedureVersion.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        # Units have no updated_at: hash the few columns intake copies from them (~200 rows).
        units = hash(tuple(Unit.objects.order_by("pk").values_list("pk", "code", "tier", "path")))
        memo["value"] = (versions["n"], versions["last"], units)
        memo["at"] = now
    return memo["value"]


def forget_intake_versions(**_kwargs):
    """A catalog or unit write in this process: drop the cache now and re-read the fingerprint on every
    call until the write commits (signal receiver; also callable directly)."""
    with _lock:
        _intake_versions.clear()
        _fingerprint_memo["at"] = None
        _fingerprint_memo["dirty"] += 1
    transaction.on_commit(_committed)


for _model in (Procedure, ProcedureVersion, ProcedureStep, ProcedureFee, ProcedureDocument, Unit):
    post_save.connect(forget_intake_versions, sender=_model, dispatch_uid=f"intake-cache-save-{_model.__name__}")
    post_delete.connect(forget_intake_versions, sender=_model, dispatch_uid=f"intake-cache-delete-{_model.__name__}")
m2m_changed.connect(forget_intake_versions, sender=ProcedureVersion.deciding_units.through,
                    dispatch_uid="intake-cache-deciding-units")


def _committed():
    with _lock:
        _fingerprint_memo["dirty"] = max(0, _fingerprint_memo["dirty"] - 1)
        _fingerprint_memo["at"] = None


def procedure_for_intake(code: str, on_date: date | None = None) -> ProcedureVersion:
    """The version of `code` in force on `on_date`, with what intake reads prefetched: procedure, steps in
    order with their unit, fees, documents, deciding units. Cached (see above); treat it as read-only."""
    day = on_date or today()
    code = (code or "").strip()
    key = (code, day, catalog_fingerprint())
    version = _intake_versions.get(key)
    if version is None:
        version = (versions_in_force(day).filter(procedure__code=code).select_related("procedure")
                   .prefetch_related(Prefetch("steps", queryset=ProcedureStep.objects.select_related("unit")
                                              .order_by("order")), "fees", "documents", "deciding_units")
                   .first())
        if version is None:
            raise _not_found(code, day)
        with _lock:
            if any(k[2] != key[2] for k in _intake_versions) or len(_intake_versions) > 2000:
                _intake_versions.clear()  # an older catalog generation (or too many days): dead weight
            _intake_versions[key] = version
    return version


def procedure_versions(code: str) -> QuerySet:
    """All versions of a procedure, newest first (the history shown on its page)."""
    return ProcedureVersion.objects.filter(procedure__code=code).order_by("-effective_from")


def fields() -> QuerySet:
    """Fields (lĩnh vực) that have at least one procedure in force, by name."""
    return Field.objects.filter(pk__in=versions_in_force().values("field_id")).order_by("name")


def hourly_rate(year: int) -> int:
    """VND per working hour for `year`: that year's row, else the latest earlier year, else 40,000 (docs/legal/reform.md §5)."""
    row = HourlyRate.objects.filter(year__lte=year).order_by("-year").first()
    return row.vnd_per_hour if row else DEFAULT_HOURLY_RATE_VND
