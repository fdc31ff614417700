"""The only code that writes scoreboard tables: refresh one dossier's facts (incremental) and rebuild all.

`refresh_dossier` runs after each one-stop event commits (receivers.py); it recomputes the dossier's fact
and applies the difference to the counters, so it is idempotent: a repeated or late refresh changes
nothing, and a lost one is repaired by the next event or by `rebuild`.
"""
from collections import defaultdict
from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kycuong.catalog.models import ProcedureVersion
from kycuong.core.bulk import insert_rows
from kycuong.core.errors import ValidationFailed
from kycuong.onestop.models import Dossier

from . import board_cache, facts, rebuild_sql
from .models import Counter, DossierFact, OnlineDossierCount, ReportFact

CHUNK = 10000
Key = tuple[int, str, str]  # (unit id, indicator, "YYYY-MM-01")


def _add(unit_id: int, indicator: str, month, num: int, den: int) -> None:
    key = {"unit_id": unit_id, "indicator": indicator, "month": month}
    for _attempt in range(3):
        if Counter.objects.filter(**key).update(numerator=F("numerator") + num, denominator=F("denominator") + den):
            return
        try:
            with transaction.atomic():
                Counter.objects.create(**key, numerator=num, denominator=den)
            return
        except IntegrityError:
            continue  # created by a concurrent refresh: add to it
    raise RuntimeError("scoreboard counter contention")


def _add_online(unit_id: int, month, procedure_id: int, dossiers: int) -> None:
    """Add to the online-dossier count of (unit, month, procedure) — indicator 3.2; same pattern as `_add`."""
    key = {"unit_id": unit_id, "month": month, "procedure_id": procedure_id}
    for _attempt in range(3):
        if OnlineDossierCount.objects.filter(**key).update(dossiers=F("dossiers") + dossiers):
            return
        try:
            with transaction.atomic():
                OnlineDossierCount.objects.create(**key, dossiers=dossiers)
            return
        except IntegrityError:
            continue
    raise RuntimeError("scoreboard online count contention")


def refresh_report_dossier(report_code: str) -> bool:
    """A report (PAKN) that names a dossier changes that dossier's 5.4 term."""
    from kycuong.feedback.models import Report

    code = Report.objects.filter(code=report_code, dossier__isnull=False).values_list("dossier__code", flat=True).first()
    return refresh_dossier(code) if code else False


def _stored_fact(row: DossierFact | None) -> facts.Fact | None:
    if row is None:
        return None
    return facts.Fact(row.received_month, row.ended_month, row.num_mask, row.den_mask)


@transaction.atomic
def refresh_dossier(code: str) -> bool:
    """Bring one dossier's fact and the counters up to date. Returns whether anything changed."""
    qs = Dossier.objects.select_related("procedure_version")
    if transaction.get_connection().features.has_select_for_update:
        qs = qs.select_for_update(of=("self",))  # one refresh of a dossier at a time
    dossier = qs.filter(code=code).first()
    if dossier is None:
        return False
    new = facts.compute(dossier, dossier.procedure_version, dossier.pk in facts.complained_ids([dossier.pk]))
    row = DossierFact.objects.filter(pk=dossier.pk).first()
    old = _stored_fact(row)
    old_unit = row.unit_id if row else dossier.unit_id
    if old == new and old_unit == dossier.unit_id:
        return False
    if old_unit == dossier.unit_id:
        changes = [(dossier.unit_id, k, v) for k, v in facts.delta(old, new).items()]
    else:  # never expected (the deciding unit is fixed at intake), but never double-count
        changes = [(old_unit, k, v) for k, v in facts.delta(old, None).items()]
        changes += [(dossier.unit_id, k, v) for k, v in facts.delta(None, new).items()]
    for unit_id, (indicator, month), (num, den) in changes:
        _add(unit_id, indicator, month, num, den)
    old_online, new_online = facts.online_month(old), facts.online_month(new)
    if (old_online, old_unit) != (new_online, dossier.unit_id):
        if old_online is not None:
            _add_online(old_unit, old_online, dossier.procedure_id, -1)
        if new_online is not None:
            _add_online(dossier.unit_id, new_online, dossier.procedure_id, 1)
    if new is None:
        DossierFact.objects.filter(pk=dossier.pk).delete()
    else:
        DossierFact.objects.update_or_create(dossier=dossier, defaults={
            "unit_id": dossier.unit_id, "received_month": new.received_month, "ended_month": new.ended_month,
            "num_mask": new.num, "den_mask": new.den})
    board_cache.changed_on_commit()
    return True


REPORT_FIELDS = ("pk", "responsible_unit_id", "kind", "state", "submitted_at", "refused_at", "refuse_due_at",
                 "handled_at", "handle_due_at", "overdue", "likes", "dislikes", "repeat_of_id")


@transaction.atomic
def refresh_report(code: str) -> bool:
    """Bring one report's fact and the 5.1–5.3 counters up to date (every feedback event: submission,
    transfer, refusal, answer, votes). Idempotent like `refresh_dossier`; a transfer moves the contribution
    to the new responsible unit. Returns whether anything changed."""
    from kycuong.feedback.models import Report

    qs = Report.objects.all()
    if transaction.get_connection().features.has_select_for_update:
        qs = qs.select_for_update()
    report = qs.filter(code=code).first()
    if report is None:
        return False
    new = facts.report_fact(report)
    row = ReportFact.objects.filter(pk=report.pk).first()
    old = facts.Fact(row.submitted_month, row.ended_month, row.num_mask, row.den_mask) if row else None
    old_unit = row.unit_id if row else report.responsible_unit_id
    if old == new and old_unit == report.responsible_unit_id:
        return False
    if old_unit == report.responsible_unit_id:
        changes = [(old_unit, k, v) for k, v in facts.report_delta(old, new).items()]
    else:
        changes = [(old_unit, k, v) for k, v in facts.report_delta(old, None).items()]
        changes += [(report.responsible_unit_id, k, v) for k, v in facts.report_delta(None, new).items()]
    for unit_id, (indicator, month), (num, den) in changes:
        _add(unit_id, indicator, month, num, den)
    ReportFact.objects.update_or_create(report=report, defaults={
        "unit_id": report.responsible_unit_id, "submitted_month": new.received_month,
        "ended_month": new.ended_month, "num_mask": new.num, "den_mask": new.den})
    board_cache.changed_on_commit()
    return True


def _report_facts():
    """(pk, unit id, Fact) of every report through `facts.report_fact`. Reports are few (tens of thousands a
    year), so the rebuild computes them in Python with the very function the events use."""
    from kycuong.feedback.models import Report

    for values in Report.objects.order_by().values_list(*REPORT_FIELDS).iterator(chunk_size=CHUNK):
        r = SimpleNamespace(**dict(zip(REPORT_FIELDS, values, strict=True)))
        yield r.pk, r.responsible_unit_id, facts.report_fact(r)


def _python_facts(queryset):
    """(pk, unit id, Fact) through `facts.compute`, streamed as plain rows (no model instances)."""
    versions = {v["pk"]: SimpleNamespace(**v) for v in ProcedureVersion.objects.values("pk", *facts.VERSION_FIELDS)}
    columns = ("pk", "unit_id", "procedure_version_id", *facts.DOSSIER_FIELDS)
    complained = facts.complained_ids()
    for values in queryset.order_by().values_list(*columns).iterator(chunk_size=CHUNK):
        d = SimpleNamespace(**dict(zip(columns, values, strict=True)))
        if d.processing_end_at is not None and d.original_due_at is None:
            d = Dossier.objects.select_related("receiving_unit").get(pk=d.pk)  # legal-limit path needs the calendar
        fact = facts.compute(d, versions[d.procedure_version_id], d.pk in complained)
        if fact is not None:
            yield d.pk, d.unit_id, fact


def _no_appointment():
    return Dossier.objects.filter(received_at__isnull=False, processing_end_at__isnull=False,
                                  original_due_at__isnull=True)


def expected_counters() -> dict[Key, tuple[int, int]]:
    """The counters recomputed from the dossiers by `facts.compute` (Python), in memory — what `--check`
    compares with the stored counters; `rebuild` writes the same numbers by SQL (rebuild_sql)."""
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for _pk, unit_id, fact in _python_facts(Dossier.objects.filter(received_at__isnull=False)):
        for indicator, month, num, den in facts.contributions(fact):
            acc = sums[(unit_id, indicator, month)]
            acc[0] += num
            acc[1] += den
    for _pk, unit_id, fact in _report_facts():
        for indicator, month, num, den in facts.report_contributions(fact):
            acc = sums[(unit_id, indicator, month)]
            acc[0] += num
            acc[1] += den
    return {(u, i, m.isoformat()): (n, d) for (u, i, m), (n, d) in sums.items() if n or d}


OnlineKey = tuple[int, str, int]  # (unit id, "YYYY-MM-01", procedure id)


def expected_online_counts() -> dict[OnlineKey, int]:
    """3.2's per-procedure online counts recomputed from the dossiers by `facts.compute` (Python)."""
    procedure_of = dict(Dossier.objects.filter(received_at__isnull=False).values_list("pk", "procedure_id"))
    sums: dict[OnlineKey, int] = defaultdict(int)
    for pk, unit_id, fact in _python_facts(Dossier.objects.filter(received_at__isnull=False)):
        month = facts.online_month(fact)
        if month is not None:
            sums[(unit_id, month.isoformat(), procedure_of[pk])] += 1
    return {k: v for k, v in sums.items() if v}


def stored_online_counts() -> dict[OnlineKey, int]:
    rows = OnlineDossierCount.objects.values_list("unit_id", "month", "procedure_id", "dossiers")
    return {(u, m.isoformat(), p): n for u, m, p, n in rows if n}


def stored_counters() -> dict[Key, tuple[int, int]]:
    rows = Counter.objects.values_list("unit_id", "indicator", "month", "numerator", "denominator")
    return {(u, i, m.isoformat()): (n, d) for u, i, m, n, d in rows if n or d}


@transaction.atomic
def rebuild() -> int:
    """Recompute every fact and counter from the dossiers, set-based (rebuild_sql). Returns the counter rows."""
    DossierFact.objects.all().delete()
    Counter.objects.all().delete()
    OnlineDossierCount.objects.all().delete()
    ReportFact.objects.all().delete()
    rebuild_sql.write_facts()
    rows = [(pk, unit_id, f.received_month.isoformat(), f.ended_month.isoformat() if f.ended_month else None,
             f.num, f.den) for pk, unit_id, f in _python_facts(_no_appointment())]
    insert_rows(DossierFact, ["dossier_id", "unit_id", "received_month", "ended_month", "num_mask", "den_mask"], rows)
    rebuild_sql.write_counters()
    rebuild_sql.write_online_counts()
    _rebuild_reports()
    if connection.vendor == "postgresql":  # fresh statistics: the board's plans depend on them
        with connection.cursor() as cursor:
            for model in (DossierFact, Counter, OnlineDossierCount, ReportFact):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    board_cache.changed_on_commit()
    return Counter.objects.count()


def _rebuild_reports():
    """Report facts and their 5.1–5.3 counter rows (Python: few rows; `facts.report_fact` is the rule)."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    rows = []
    for pk, unit_id, f in _report_facts():
        rows.append((pk, unit_id, f.received_month.isoformat(), f.ended_month.isoformat() if f.ended_month else None,
                     f.num, f.den))
        for indicator, month, num, den in facts.report_contributions(f):
            acc = sums[(unit_id, indicator, month.isoformat())]
            acc[0] += num
            acc[1] += den
    insert_rows(ReportFact, ["report_id", "unit_id", "submitted_month", "ended_month", "num_mask", "den_mask"], rows)
    insert_rows(Counter, ["unit_id", "indicator", "month", "numerator", "denominator"],
                [(u, i, m, n, d) for (u, i, m), (n, d) in sums.items()])


class BadEnteredValue(ValidationFailed):
    code = "SCOREBOARD_BAD_ENTERED_VALUE"


@transaction.atomic
def enter_value(user, *, unit, period: str, indicator: str, numerator: int, denominator: int, source: str):
    """An administrator enters an indicator the city does not hold (from the national portal) — never invented."""
    from . import indicators as ind
    from .models import EnteredValue
    from .queries import parse_period

    parse_period(period)  # raises SCOREBOARD_BAD_PERIOD
    spec = ind.BY_CODE.get(indicator)
    if spec is None or spec.source != ind.ENTERED:
        raise BadEnteredValue(_("Chỉ tiêu %(c)s không phải loại nhập từ số liệu bên ngoài.") % {"c": indicator})
    if not 0 <= int(numerator) <= int(denominator):
        raise BadEnteredValue(_("Tử số phải từ 0 đến mẫu số."))
    if not (source or "").strip():
        raise BadEnteredValue(_("Ghi rõ nguồn số liệu (văn bản, trang của Cổng DVCQG)."))
    value, _created = EnteredValue.objects.update_or_create(
        unit=unit, period=period.strip(), indicator=indicator,
        defaults={"numerator": int(numerator), "denominator": int(denominator), "source": source.strip(),
                  "entered_by": user})
    board_cache.changed_on_commit()
    return value
