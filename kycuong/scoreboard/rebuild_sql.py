"""The full rebuild, in SQL: every dossier's fact and the counters in a few set-based statements.

This is the second way to compute the counters that docs/design.md rule 9 asks for: the events keep
them incrementally through `facts.compute` (Python); this recomputes them from the dossiers in the database.
`tests/scoreboard/test_counters.py` runs random event histories through both and requires equality, so any
drift between this SQL and `facts.compute` fails the suite. Keep the two in step, line by line.

Portable: Django expressions only (TruncMonth with the Hà Nội zone, Case/When, bit AND), the same on
SQLite and PostgreSQL. Dossiers with an end but no appointment take the legal-limit rule, which needs the
working-time calendar: those few go through `facts.compute`.
"""
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, DateField, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from kycuong.catalog.models import OnlineLevel
from kycuong.onestop.models import Channel, Dossier

from kycuong.feedback.models import Report
from kycuong.portal.models import Rating

from .facts import BITS, COMPLAINED, ENDED_BASED, ONLINE_CHANNEL, PAID_ONLINE, PAPER_RESULTS
from .models import Counter, DossierFact, OnlineDossierCount


def _bit(condition: Q, bit: int):
    return Case(When(condition, then=Value(bit)), default=Value(0), output_field=IntegerField())


def fact_queryset():
    """One row per received dossier: (pk, unit_id, received_month, ended_month, num_mask, den_mask)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    paper = Q(procedure_version__result_form__in=PAPER_RESULTS)
    e_result = Q(result_is_electronic=True) | ~Q(result_file="")
    online = Q(channel=Channel.ONLINE)
    fee = Q(fee_total_vnd__gt=0)
    eligible = Q(procedure_version__full_online_eligible=True)
    ended = Q(processing_end_at__isnull=False)
    on_time = ended & Q(supplement_count__lte=1) & Q(processing_end_at__lte=F("original_due_at"))
    complained = ended & (Exists(Rating.objects.filter(dossier=OuterRef("pk"), liked=False))
                          | Exists(Report.objects.filter(dossier=OuterRef("pk"))))
    den = (Value(BITS["3.3"] | BITS["4.2"] | BITS["4.3"] | BITS["4.5b"]) + _bit(eligible, BITS["3.x"])
           + _bit(fee, BITS["3.6"]) + _bit(paper, BITS["4.1"]) + _bit(ended, BITS["2.1"] | BITS[COMPLAINED]))
    num = (_bit(online, ONLINE_CHANNEL) + _bit(online & (e_result | ~paper), BITS["3.3"])
           + _bit(Q(digitised=True) & (e_result | ~paper), BITS["4.2"])
           + _bit(Q(reused_data=True), BITS["4.3"]) + _bit(Q(vneid_verified=True), BITS["4.5b"])
           + _bit(eligible & online & Q(procedure_version__online_level=OnlineLevel.FULL), BITS["3.x"])
           + _bit(fee & Q(paid_online__in=PAID_ONLINE), BITS["3.6"])
           + _bit(paper & e_result, BITS["4.1"]) + _bit(on_time, BITS["2.1"]) + _bit(complained, BITS[COMPLAINED]))
    return (Dossier.objects.filter(received_at__isnull=False)
            .exclude(processing_end_at__isnull=False, original_due_at__isnull=True)
            .order_by()
            .annotate(rm=TruncMonth("received_at", tzinfo=zone, output_field=DateField()),
                      em=TruncMonth("processing_end_at", tzinfo=zone, output_field=DateField()),
                      num=num, den=den)
            .values_list("pk", "unit_id", "rm", "em", "num", "den"))


def _insert_select(model, columns, queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {sql}", params)


def write_facts():
    _insert_select(DossierFact, ["dossier_id", "unit_id", "received_month", "ended_month", "num_mask", "den_mask"],
                   fact_queryset())


def counter_queryset(code: str, source=None):
    """(unit_id, month, numerator, denominator) of one indicator, grouped, from the facts table."""
    bit = BITS[code]
    month = "ended_month" if code in ENDED_BASED else "received_month"
    qs = (source if source is not None else DossierFact.objects.all()).order_by()
    return (qs.annotate(has=F("den_mask").bitand(bit), got=F("num_mask").bitand(bit)).filter(has__gt=0)
            .values("unit_id", month)
            .annotate(n=Sum(Case(When(got__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField())),
                      d=Count("pk"))
            .values_list("unit_id", Value(code), month, "n", "d"))


def write_counters():
    for code in BITS:
        _insert_select(Counter, ["unit_id", "indicator", "month", "numerator", "denominator"], counter_queryset(code))


def online_count_queryset(source=None):
    """(unit_id, month, procedure_id, dossiers) for 3.2: facts with the online-channel flag, grouped by the
    deciding unit, receipt month and the dossier's procedure."""
    qs = (source if source is not None else DossierFact.objects.all()).order_by()
    return (qs.annotate(online=F("num_mask").bitand(ONLINE_CHANNEL)).filter(online__gt=0)
            .values("unit_id", "received_month", "dossier__procedure_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "received_month", "dossier__procedure_id", "n"))


def write_online_counts():
    _insert_select(OnlineDossierCount, ["unit_id", "month", "procedure_id", "dossiers"], online_count_queryset())
