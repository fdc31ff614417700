"""EXPERIMENT, not shipped code: the intake speed-ups proposed in docs/performance.md ("One-stop shop"),
applied by monkeypatching so ``benchmarks/onestop_intake.py --compare`` can measure them against the
real services in the same process and database. The real change belongs in
kycuong/onestop/services.py, kycuong/catalog/queries.py and kycuong/core/calendars.py (their owners').

P1  the procedure version for intake: only what intake reads (procedure, ordered steps with their
    unit, fees, documents, deciding units), cached per process by (code, day) and dropped when the
    catalog's fingerprint changes; instead of ``procedure_by_code`` + ``with_details`` (7 queries,
    legal bases and receiving units included, on every call).
P2  the calendar fingerprint (one aggregate query per ``calendar_for`` call) checked at most once a
    second per process.
P3  ``_start_clock``: steps built from the prefetched, ordered list (no second steps query), the first
    step opened before the bulk insert (no ``.first()`` query, no UPDATE of the step).
P4  ``next_code``: ``UPDATE … SET last = last + 1 … RETURNING last`` (SQLite ≥ 3.35, PostgreSQL), one
    statement instead of UPDATE + SELECT.
"""
from __future__ import annotations

import time
from decimal import Decimal

_saved: dict = {}
_version_cache: dict = {}
_fp_memo = {"at": -1e9, "value": None}
_cat_memo = {"at": -1e9, "value": None}
TTL_S = 1.0


def _catalog_fingerprint():
    from django.db.models import Count, Max

    from kycuong.catalog.models import ProcedureVersion

    now = time.monotonic()
    if now - _cat_memo["at"] > TTL_S:
        agg = ProcedureVersion.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        _cat_memo.update(at=now, value=(agg["n"], agg["last"]))
    return _cat_memo["value"]


def procedure_for_intake(code, on_date=None):  # P1
    from django.db.models import Prefetch

    from kycuong.catalog import queries as cq
    from kycuong.catalog.models import ProcedureStep
    from kycuong.core.errors import NotFound

    day = on_date or cq.today()
    key = ((code or "").strip(), day, _catalog_fingerprint())
    version = _version_cache.get(key)
    if version is None:
        version = (cq.versions_in_force(day).filter(procedure__code=key[0]).select_related("procedure")
                   .prefetch_related(Prefetch("steps", queryset=ProcedureStep.objects.select_related("unit")
                                              .order_by("order")), "fees", "documents", "deciding_units").first())
        if version is None:
            raise NotFound(code="CATALOG_PROCEDURE_NOT_FOUND")
        if len(_version_cache) > 1000:
            _version_cache.clear()
        _version_cache[key] = version
    return version


def _calendar_fingerprint():  # P2
    now = time.monotonic()
    if now - _fp_memo["at"] > TTL_S:
        _fp_memo.update(at=now, value=_saved["calendars._fingerprint"]())
    return _fp_memo["value"]


def _start_clock(dossier, moment, user):  # P3
    from kycuong.core.models import User
    from kycuong.onestop import services
    from kycuong.onestop.models import DossierStep

    cal = services._calendar(dossier)
    result = cal.due(moment, dossier.limit_amount, dossier.limit_unit, cutoff=dossier.cutoff)
    dossier.received_at = moment
    dossier.clock_start_at = result.effective_start
    dossier.due_at = dossier.original_due_at = result.due
    steps = []
    for s in dossier.procedure_version.steps.all():  # prefetched, in order
        unit = s.unit or (dossier.receiving_unit if s.role == User.Role.RECEIVING_OFFICER else dossier.unit)
        steps.append(DossierStep(dossier=dossier, order=s.order, name=s.name, role=s.role, unit=unit,
                                 allotted_minutes=int(Decimal(s.hours) * 60), is_return_step=s.is_return_step))
    if steps:
        first = steps[0]
        first.started_at = result.effective_start
        first.assignee = user if user is not None and user.is_officer else None
        first.due_at = services._step_due(cal, result.effective_start, first.allotted_minutes)
    DossierStep.objects.bulk_create(steps)
    dossier.current_step = steps[0] if steps else None
    return result


def next_code(unit, moment):  # P4
    from django.db import IntegrityError, connection, transaction

    from kycuong.onestop import services
    from kycuong.onestop.models import DailyCounter

    table = DailyCounter._meta.db_table
    day = services._local_date(moment)
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(f'UPDATE "{table}" SET "last" = "last" + 1 WHERE "unit_id" = %s AND "day" = %s '
                           'RETURNING "last"', [unit.pk, day])
            row = cursor.fetchone()
        if row is not None:
            return f"{unit.code}-{day:%y%m%d}-{row[0]:04d}"
        try:
            with transaction.atomic():
                DailyCounter.objects.create(unit=unit, day=day, last=1)
            return f"{unit.code}-{day:%y%m%d}-0001"
        except IntegrityError:
            continue
    raise RuntimeError("daily counter contention")


def apply():
    from kycuong.core import calendars
    from kycuong.onestop import services

    if _saved:
        return
    _saved.update({
        "services.procedure_by_code": services.procedure_by_code,
        "services._start_clock": services._start_clock,
        "services.next_code": services.next_code,
        "calendars._fingerprint": calendars._fingerprint,
    })
    services.procedure_by_code = procedure_for_intake
    services._start_clock = _start_clock
    services.next_code = next_code
    calendars._fingerprint = _calendar_fingerprint


def restore():
    from kycuong.core import calendars
    from kycuong.onestop import services

    if not _saved:
        return
    services.procedure_by_code = _saved.pop("services.procedure_by_code")
    services._start_clock = _saved.pop("services._start_clock")
    services.next_code = _saved.pop("services.next_code")
    calendars._fingerprint = _saved.pop("calendars._fingerprint")
    _saved.clear()
