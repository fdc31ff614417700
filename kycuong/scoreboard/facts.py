"""What one dossier contributes to the 766 counters — the single definition both the incremental path and
the full rebuild use (design.md rule 9).

A contribution is (indicator, month, numerator, denominator). Which month:
* receipt-based indicators (3.3, 3.x, 3.6, 4.1, 4.2, 4.3, 4.5b) count a dossier in the month it was
  received (NgayTiepNhan), like indicator 1.4 of the VPCP note; later changes (payment, e-result) update
  that month;
* 2.1 counts a dossier once, in the month its processing ended (VPCP note: end = first of finished >
  returned > stopped/refused/withdrawn). An open dossier is not in the counters: `queries` adds the open
  ones live, late when past their appointment ("open past due counts late"), so the current period is
  exact without a job that ticks at every due time.
Dossiers never received (refused at intake, awaiting acceptance) count nowhere.
"""
from datetime import date, datetime

from django.utils import timezone

from kycuong.catalog.models import OnlineLevel, ResultForm
from kycuong.onestop.models import Channel, Dossier, OnlinePayment
from kycuong.onestop.services import timeliness


def month_of(moment: datetime) -> str:
    local = timezone.localtime(moment).date()
    return date(local.year, local.month, 1).isoformat()


def compute(dossier: Dossier) -> list[list]:
    """The counter rows of one dossier, sorted; [] when it counts nowhere. Needs `procedure_version`."""
    if dossier.received_at is None:
        return []
    version = dossier.procedure_version
    received = month_of(dossier.received_at)
    paper_result = version.result_form in (ResultForm.PAPER, ResultForm.BOTH)
    e_result = bool(dossier.result_is_electronic or dossier.result_file)
    online = dossier.channel == Channel.ONLINE
    rows = [
        ["3.3", received, int(online and (e_result or not paper_result)), 1],
        ["4.2", received, int(dossier.digitised and (e_result or not paper_result)), 1],
        ["4.3", received, int(dossier.reused_data), 1],
        ["4.5b", received, int(dossier.vneid_verified), 1],
    ]
    if version.full_online_eligible:
        rows.append(["3.x", received, int(online and version.online_level == OnlineLevel.FULL), 1])
    if dossier.fee_total_vnd > 0:
        paid = dossier.paid_online in (OnlinePayment.NATIONAL_PORTAL, OnlinePayment.LOCAL_PORTAL)
        rows.append(["3.6", received, int(paid), 1])
    if paper_result:
        rows.append(["4.1", received, int(e_result), 1])
    if dossier.processing_end_at is not None:
        verdict = timeliness(dossier, dossier.processing_end_at).status
        rows.append(["2.1", month_of(dossier.processing_end_at), int(verdict in ("early", "on_time")), 1])
    return sorted(rows)


def delta(old: list[list], new: list[list]) -> dict[tuple[str, str], tuple[int, int]]:
    """new − old per (indicator, month), without the keys that do not change."""
    out: dict[tuple[str, str], list[int]] = {}
    for sign, rows in ((-1, old), (1, new)):
        for indicator, month, num, den in rows:
            acc = out.setdefault((indicator, month), [0, 0])
            acc[0] += sign * num
            acc[1] += sign * den
    return {k: (n, d) for k, (n, d) in out.items() if n or d}
