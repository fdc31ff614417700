"""Reads of the scoreboard: a unit's 766 scores for a period, from counters + the live open dossiers.

Scope by unit level (vn-rules §1.4): a unit's figures cover its own subtree (a department and its
divisions; the city committee: everything; a commune: itself).
"""
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import ValidationFailed
from kycuong.core.models import Unit
from kycuong.onestop.models import Dossier
from kycuong.onestop.workflow import OPEN_STATES, State

from . import indicators as ind
from .models import Counter, EnteredValue

_PERIOD_RE = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])))?$")


class BadPeriod(ValidationFailed):
    code = "SCOREBOARD_BAD_PERIOD"
    message = _("Kỳ không hợp lệ; viết dạng 2026-11 (tháng), 2026-Q4 (quý), 2026-H2 (6 tháng) hoặc 2026 (năm).")


@dataclass(frozen=True)
class Period:
    key: str
    kind: str          # month | quarter | half | year
    first: date
    last: date         # inclusive

    def months(self) -> list[date]:
        out, y, m = [], self.first.year, self.first.month
        while date(y, m, 1) <= self.last:
            out.append(date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def parse_period(key: str) -> Period:
    match = _PERIOD_RE.match((key or "").strip())
    if not match:
        raise BadPeriod(details={"period": key})
    y = int(match["y"])
    if match["m"]:
        m = int(match["m"])
        if not 1 <= m <= 12:
            raise BadPeriod(details={"period": key})
        first_m, last_m, kind = m, m, "month"
    elif match["q"]:
        q = int(match["q"])
        first_m, last_m, kind = 3 * q - 2, 3 * q, "quarter"
    elif match["h"]:
        h = int(match["h"])
        first_m, last_m, kind = 6 * h - 5, 6 * h, "half"
    else:
        first_m, last_m, kind = 1, 12, "year"
    return Period(key.strip(), kind, date(y, first_m, 1), date(y, last_m, monthrange(y, last_m)[1]))


def current_month(now: datetime | None = None) -> Period:
    today = timezone.localtime(now or timezone.now()).date()
    return parse_period(f"{today:%Y-%m}")


def subtree_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def counter_totals(unit_ids, period: Period) -> dict[str, tuple[int, int]]:
    rows = (Counter.objects.filter(unit_id__in=unit_ids, month__gte=period.first, month__lte=period.last)
            .values("indicator").annotate(n=Sum("numerator"), d=Sum("denominator")))
    return {r["indicator"]: (r["n"] or 0, r["d"] or 0) for r in rows}


def open_dossiers_timeliness(unit_ids, now: datetime) -> tuple[int, int]:
    """(on time, all) among received dossiers still open now — the live part of 2.1.

    Same rule as `onestop.services.timeliness`: a dossier waiting for its supplement ends at the request;
    more than one supplement request is late; otherwise late once its appointment has passed.
    """
    open_received = Dossier.objects.filter(unit_id__in=unit_ids, state__in=OPEN_STATES, received_at__isnull=False,
                                           processing_end_at__isnull=True)
    on_time = Q(supplement_count__lte=1) & (
        Q(state=State.SUPPLEMENT_REQUESTED, supplement_requested_at__lte=F("original_due_at"))
        | (~Q(state=State.SUPPLEMENT_REQUESTED) & Q(original_due_at__gte=now))
    )
    agg = open_received.aggregate(all=Count("pk"), ok=Count("pk", filter=on_time))
    return agg["ok"], agg["all"]


@dataclass
class IndicatorScore:
    indicator: ind.Indicator
    numerator: int | None
    denominator: int | None
    rate: Decimal | None
    points: Decimal | None
    source_note: str = ""


@dataclass
class UnitScore:
    unit: Unit
    period: Period
    profile: str
    rows: list[IndicatorScore] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.points for r in self.rows if r.points is not None), Decimal(0))

    @property
    def covered_max(self) -> Decimal:
        """The points at stake in the indicators we have data for (the rest show N/A)."""
        return sum((r.indicator.max_points for r in self.rows if r.points is not None), Decimal(0))

    @property
    def estimate(self) -> Decimal | None:
        """Total scaled to 100 over the covered indicators — "ước tính nội bộ", never the portal's index."""
        if not self.covered_max:
            return None
        return self.total * 100 / self.covered_max

    def group_points(self, group_code: str) -> Decimal | None:
        values = [r.points for r in self.rows if r.indicator.group == group_code and r.points is not None]
        return sum(values, Decimal(0)) if values else None


def unit_score(unit: Unit, period: Period, profile: str = ind.PROFILE_CLASSIC, now: datetime | None = None) -> UnitScore:
    now = now or timezone.now()
    ids = subtree_ids(unit)
    totals = counter_totals(ids, period)
    if period.contains(timezone.localtime(now).date()):
        ok, count = open_dossiers_timeliness(ids, now)
        n, d = totals.get("2.1", (0, 0))
        totals["2.1"] = (n + ok, d + count)
    entered = {e.indicator: e for e in EnteredValue.objects.filter(unit=unit, period=period.key)}
    score = UnitScore(unit, period, profile)
    for indicator in ind.indicators_for(profile):
        note = ""
        if indicator.code in ind.DOSSIER_COUNTED:
            num, den = totals.get(indicator.code, (0, 0))
        elif indicator.code in entered:
            e = entered[indicator.code]
            num, den, note = e.numerator, e.denominator, e.source
        else:
            num = den = None
        value = ind.rate(num, den) if den else None
        score.rows.append(IndicatorScore(indicator, num, den, value,
                                         None if indicator.monitoring_only else ind.points(indicator, value), note))
    return score
