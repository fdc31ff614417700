"""EXPERIMENT, not shipped code: the lookup changes proposed in docs/performance.md ("One-stop shop").

Applied in the benchmark server only (``benchmarks/bench_urls.py`` when ``KYCUONG_BENCH_LOOKUP_PROPOSAL=1``)
by replacing the three helpers ``kycuong.onestop.api.lookup`` calls, so ``onestop_lookup.py --compare``
measures them against the real view under the same server, in the same run. The real change belongs in
kycuong/onestop/api.py (its owner's).

L1  the dossier row and its procedure-version and unit names in one raw, parameterised SQL statement
    (``WHERE code = %s``, the unique index) instead of an ORM ``values_list`` of 20 fields plus a cached
    names query: the ORM spends several times the database's time compiling the query;
L2  the steps done and the public events in one raw ``UNION ALL`` statement instead of the ORM union
    (same SQL, no compilation), and no per-(code, version) cache entry (a lookup is usually of a code
    nobody else asks for: the cache mostly costs a pickle and a miss, and the default LocMem cache
    keeps 300 entries);
L3  labels translated once per language into plain strings, not lazy proxies per row.
"""
from __future__ import annotations

from datetime import timezone as dt_timezone

_saved: dict = {}
_labels: dict = {}

ROW_FIELDS = (
    "id", "code", "state", "version", "submitted_at", "received_at", "due_at", "original_due_at", "processing_end_at",
    "returned_at", "supplement_requested_at", "supplement_completed_at", "supplement_count", "limit_amount",
    "limit_unit", "applicant_name", "applicant_phone", "receiving_unit_id", "unit_id", "procedure_version_id",
)
DATETIMES = {"submitted_at", "received_at", "due_at", "original_due_at", "processing_end_at", "returned_at",
             "supplement_requested_at", "supplement_completed_at"}
ROW_SQL = (
    "SELECT " + ", ".join(f"d.{f}" for f in ROW_FIELDS) + ", pv.name, u.name "
    "FROM onestop_dossier d JOIN catalog_procedureversion pv ON pv.id = d.procedure_version_id "
    "JOIN core_unit u ON u.id = d.unit_id WHERE d.code = %s"
)
PROGRESS_SQL = (
    "SELECT 's', \"order\", name, finished_at FROM onestop_dossierstep "
    "WHERE dossier_id = %s AND finished_at IS NOT NULL "
    "UNION ALL "
    "SELECT 'e', seq, kind, at FROM core_event WHERE subject_type = %s AND subject_id = %s AND public"
)


def _aware(value):
    # PostgreSQL returns aware datetimes; Django's SQLite converters return naive UTC ones.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt_timezone.utc)
    return value


def lookup_row(code: str):  # L1
    from django.db import connection

    from kycuong.onestop.models import Dossier

    with connection.cursor() as cursor:
        cursor.execute(ROW_SQL, [code.strip().upper()])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(ROW_FIELDS, row))
    for f in DATETIMES:
        values[f] = _aware(values[f])
    dossier = Dossier(**values)
    dossier._lookup_names = (row[-2], row[-1])
    return dossier


def names(dossier):  # L1
    return dossier._lookup_names


def labels():  # L3
    from django.utils import translation

    from kycuong.onestop import api

    lang = translation.get_language()
    got = _labels.get(lang)
    if got is None:
        got = _labels[lang] = {k: str(v) for k, v in api.EVENT_LABELS.items()}
    return got


def public_progress(dossier):  # L2
    from django.db import connection
    from django.utils import timezone

    from kycuong.onestop import services

    with connection.cursor() as cursor:
        cursor.execute(PROGRESS_SQL, [dossier.pk, services.SUBJECT, dossier.code])
        rows = cursor.fetchall()
    names_ = labels()
    steps_done, timeline = [], []
    for tag, _n, name, at in sorted(rows, key=lambda r: (r[0], r[1])):
        at = timezone.localtime(_aware(at))
        if tag == "s":
            steps_done.append({"name": name, "finished_at": at})
        else:
            timeline.append({"kind": name, "label": names_.get(name, name), "at": at})
    return steps_done, timeline


def apply():
    from kycuong.onestop import api

    if not _saved:
        _saved.update(_lookup_row=api._lookup_row, _names=api._names, _public_progress=api._public_progress)
        api._lookup_row, api._names, api._public_progress = lookup_row, names, public_progress


def restore():
    from kycuong.onestop import api

    for name, fn in _saved.items():
        setattr(api, name, fn)
    _saved.clear()
