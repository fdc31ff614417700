"""What one dossier contributes to the 766 counters — the single definition both the incremental path and
the full rebuild use (docs/design.md rule 9).

A dossier's fact is two months and two bit masks: which dossier-counted indicators it is in (denominator)
and which it satisfies (numerator). Which month:
* receipt-based indicators (3.3, 3.x, 3.6, 4.1, 4.2, 4.3, 4.5b) count a dossier in the month it was
  received (NgayTiepNhan), like indicator 1.4 of the VPCP note; later changes (payment, e-result) update
  that month;
* 2.1 counts a dossier once, in the month its processing ended (VPCP note: end = first of finished >
  returned > stopped/refused/withdrawn). An open dossier is not in the counters: `queries` adds the open
  ones live, late when past their appointment ("open past due counts late"), so the current period is
  exact without a job that ticks at every due time.
Dossiers never received (refused at intake, awaiting acceptance) count nowhere.

`compute` reads attributes only, so it takes a `Dossier` or a light row (`rebuild` streams rows).
"""
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from kycuong.catalog.models import OnlineLevel, ResultForm
from kycuong.onestop.models import Channel, OnlinePayment
from kycuong.onestop.services import timeliness

COMPLAINED = "5.4c"
BITS = {"2.1": 1, "3.3": 2, "3.x": 4, "3.6": 8, "4.1": 16, "4.2": 32, "4.3": 64, "4.5b": 128,
        # Part of 5.4: an ended dossier that a citizen disliked or complained about (a report naming it).
        COMPLAINED: 256}
ENDED_BASED = ("2.1", COMPLAINED)  # counted in the month processing ended; the others in the receipt month
# Not an indicator bit: "received through the online channel" (KenhThucHien 2), set in the numerator mask only.
# It feeds the per-procedure counts of 3.2 (OnlineDossierCount), not the Counter rows.
ONLINE_CHANNEL = 1024
PAPER_RESULTS = (ResultForm.PAPER, ResultForm.BOTH)
PAID_ONLINE = (OnlinePayment.NATIONAL_PORTAL, OnlinePayment.LOCAL_PORTAL)
# The dossier and version fields `compute` reads (rebuild selects exactly these).
DOSSIER_FIELDS = ("received_at", "processing_end_at", "original_due_at", "state", "supplement_requested_at",
                  "supplement_count", "channel", "digitised", "reused_data", "vneid_verified", "fee_total_vnd",
                  "paid_online", "result_is_electronic", "result_file")
VERSION_FIELDS = ("result_form", "online_level", "full_online_eligible")


@dataclass(frozen=True)
class Fact:
    received_month: date
    ended_month: date | None
    num: int
    den: int


def month_of(moment: datetime) -> date:
    # The zone object directly: timezone.localtime() looks up the active zone (a thread-local) every call,
    # which dominates a rebuild of millions of dossiers.
    local = moment.astimezone(_zone())
    return date(local.year, local.month, 1)


@lru_cache(maxsize=1)
def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def complained_ids(dossier_ids=None) -> set[int]:
    """Dossiers a citizen disliked (portal rating) or that a report (PAKN) names — the second term of 5.4."""
    from kycuong.feedback.models import Report
    from kycuong.portal.models import Rating

    disliked = Rating.objects.filter(liked=False)
    reported = Report.objects.filter(dossier__isnull=False)
    if dossier_ids is not None:
        disliked, reported = disliked.filter(dossier_id__in=dossier_ids), reported.filter(dossier_id__in=dossier_ids)
    return set(disliked.values_list("dossier_id", flat=True)) | set(reported.values_list("dossier_id", flat=True))


def compute(d, version, complained: bool = False) -> Fact | None:
    """The fact of dossier `d` (a Dossier or a row with DOSSIER_FIELDS) under its procedure `version`;
    `complained`: whether it is in `complained_ids()`."""
    if d.received_at is None:
        return None
    paper_result = version.result_form in PAPER_RESULTS
    e_result = bool(d.result_is_electronic or d.result_file)
    online = d.channel == Channel.ONLINE
    den = BITS["3.3"] | BITS["4.2"] | BITS["4.3"] | BITS["4.5b"]
    num = 0
    if online:
        num |= ONLINE_CHANNEL
    if online and (e_result or not paper_result):
        num |= BITS["3.3"]
    if d.digitised and (e_result or not paper_result):
        num |= BITS["4.2"]
    if d.reused_data:
        num |= BITS["4.3"]
    if d.vneid_verified:
        num |= BITS["4.5b"]
    if version.full_online_eligible:
        den |= BITS["3.x"]
        if online and version.online_level == OnlineLevel.FULL:
            num |= BITS["3.x"]
    if d.fee_total_vnd > 0:
        den |= BITS["3.6"]
        if d.paid_online in PAID_ONLINE:
            num |= BITS["3.6"]
    if paper_result:
        den |= BITS["4.1"]
        if e_result:
            num |= BITS["4.1"]
    ended = None
    if d.processing_end_at is not None:
        ended = month_of(d.processing_end_at)
        den |= BITS["2.1"] | BITS[COMPLAINED]
        if timeliness(d, d.processing_end_at).status in ("early", "on_time"):
            num |= BITS["2.1"]
        if complained:
            num |= BITS[COMPLAINED]
    return Fact(month_of(d.received_at), ended, num, den)


def contributions(fact: Fact | None, bits=BITS, ended_based=ENDED_BASED) -> list[tuple[str, date, int, int]]:
    """The counter rows of a fact: (indicator, month, numerator, denominator)."""
    if fact is None:
        return []
    rows = []
    for code, bit in bits.items():
        if fact.den & bit:
            month = fact.ended_month if code in ended_based else fact.received_month
            rows.append((code, month, 1 if fact.num & bit else 0, 1))
    return rows


def delta(old: Fact | None, new: Fact | None, bits=BITS, ended_based=ENDED_BASED
          ) -> dict[tuple[str, date], tuple[int, int]]:
    """new − old per (indicator, month), without the keys that do not change."""
    out: dict[tuple[str, date], list[int]] = {}
    for sign, fact in ((-1, old), (1, new)):
        for indicator, month, num, den in contributions(fact, bits, ended_based):
            acc = out.setdefault((indicator, month), [0, 0])
            acc[0] += sign * num
            acc[1] += sign * den
    return {k: (n, d) for k, (n, d) in out.items() if n or d}


def online_month(fact: Fact | None) -> date | None:
    """The receipt month when the dossier came in online (3.2 counts it for its procedure), else None."""
    return fact.received_month if fact is not None and fact.num & ONLINE_CHANNEL else None


# --- reports (phản ánh, kiến nghị): indicators 5.1–5.3 ------------------------------------------------------
#
# A report's fact reuses `Fact`: received_month = the month it was submitted, ended_month = the month its
# handling ended (answered, i.e. "chờ công khai", or refused — docs/legal/decision-766.md §1.4), like 2.1 for dossiers.
# 5.1 (monitoring) counts every report in its submission month: numerator = about regulations/procedures,
# denominator = all. 5.2 and 5.3 count a report once, in the month its handling ended; an open report is
# not in the counters — `queries` adds the open ones live to the period containing today, late when past
# their handling deadline. The rules themselves are `feedback.queries.on_time` and `satisfied`.

REPORT_BITS = {"5.1": 1, "5.2": 2, "5.3": 4}
REPORT_ENDED_BASED = ("5.2", "5.3")


def report_fact(report) -> Fact:
    """The fact of one report (a Report or a row with the fields `on_time`/`satisfied` read)."""
    from kycuong.feedback.models import Kind
    from kycuong.feedback.queries import ended_at, on_time, satisfied

    den = REPORT_BITS["5.1"]
    num = REPORT_BITS["5.1"] if report.kind == Kind.PROCEDURE else 0
    end = ended_at(report)
    ended = None
    if end is not None:
        ended = month_of(end)
        den |= REPORT_BITS["5.2"] | REPORT_BITS["5.3"]
        if on_time(report):
            num |= REPORT_BITS["5.2"]
        if satisfied(report):
            num |= REPORT_BITS["5.3"]
    return Fact(month_of(report.submitted_at), ended, num, den)


def report_contributions(fact: Fact | None):
    return contributions(fact, REPORT_BITS, REPORT_ENDED_BASED)


def report_delta(old: Fact | None, new: Fact | None):
    return delta(old, new, REPORT_BITS, REPORT_ENDED_BASED)
