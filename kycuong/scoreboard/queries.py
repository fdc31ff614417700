"""Reads of the scoreboard: a unit's 766 scores for a period, from counters + the live open dossiers.

Scope by unit level (docs/legal/decision-766.md §1.4): a unit's figures cover its own subtree (a department and its
divisions; the city committee: everything; a commune: itself).
"""
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import ValidationFailed
from kycuong.core.models import Unit
from kycuong.onestop.models import Dossier
from kycuong.onestop.workflow import OPEN_STATES, State

from . import catalog_scope, facts
from . import indicators as ind
from .models import Counter, EnteredValue, OnlineDossierCount

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
    agg = _open_received().filter(unit_id__in=unit_ids).aggregate(all=Count("pk"), ok=Count("pk", filter=_on_time(now)))
    return agg["ok"], agg["all"]


def _open_received():
    return Dossier.objects.filter(state__in=OPEN_STATES, received_at__isnull=False, processing_end_at__isnull=True)


def _on_time(now: datetime) -> Q:
    return Q(supplement_count__lte=1) & (
        Q(state=State.SUPPLEMENT_REQUESTED, supplement_requested_at__lte=F("original_due_at"))
        | (~Q(state=State.SUPPLEMENT_REQUESTED) & Q(original_due_at__gte=now))
    )


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


def _score(unit, period, profile, totals, entered) -> UnitScore:
    score = UnitScore(unit, period, profile)
    for indicator in ind.indicators_for(profile):
        note = ""
        if indicator.code == "5.4":
            # 1 − late/den − complained/den = (on time − complained) ÷ den, over the dossiers of 2.1; not below 0.
            on_time, den = totals.get("2.1", (0, 0))
            num = max(0, on_time - totals.get(facts.COMPLAINED, (0, 0))[0])
        elif indicator.code in ind.COMPUTED:
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


def unit_score(unit: Unit, period: Period, profile: str = ind.PROFILE_CLASSIC, now: datetime | None = None) -> UnitScore:
    now = now or timezone.now()
    ids = subtree_ids(unit)
    totals = counter_totals(ids, period)
    if period.contains(timezone.localtime(now).date()):
        ok, count = open_dossiers_timeliness(ids, now)
        n, d = totals.get("2.1", (0, 0))
        totals["2.1"] = (n + ok, d + count)
        live = open_reports_by_unit(now, ids)
        _add_open_reports(totals, [live[u] for u in live])
    snap = catalog_scope.snapshot(timezone.localtime(now).date())
    totals.update(catalog_scope.totals(snap.in_scope(unit, set(ids)), used_online_services(ids, period)))
    entered = {e.indicator: e for e in EnteredValue.objects.filter(unit=unit, period=period.key)}
    return _score(unit, period, profile, totals, entered)


def used_online_services(unit_ids, period: Period) -> set[int]:
    """Procedure ids with at least one dossier received online by these units in the period (3.2)."""
    return set(OnlineDossierCount.objects.filter(unit_id__in=unit_ids, month__gte=period.first,
                                                 month__lte=period.last, dossiers__gt=0)
               .order_by().values_list("procedure_id", flat=True).distinct())


def _add_open_reports(totals: dict, rows) -> None:
    """Add the live open reports — (all, on time, satisfied) — to 5.2 and 5.3 of `totals`."""
    for count, ok, good in rows:
        n, d = totals.get("5.2", (0, 0))
        totals["5.2"] = (n + ok, d + count)
        n, d = totals.get("5.3", (0, 0))
        totals["5.3"] = (n + good, d + count)


def _open_reports():
    """Reports whose handling has not ended (neither answered nor refused): the live part of 5.2/5.3."""
    from kycuong.feedback.models import Report
    from kycuong.feedback.workflow import State as ReportState

    return Report.objects.filter(handled_at__isnull=True).exclude(state=ReportState.REFUSED)


def open_reports_by_unit(now: datetime, unit_ids=None) -> dict[int, tuple[int, int, int]]:
    """(all, on time now, satisfied now) of the open reports per responsible unit, one grouped query.

    The SQL form of `feedback.queries.on_time(report, now)` / `satisfied(report, now)` for an open report:
    on time ⇔ now ≤ handling deadline; satisfied ⇔ on time, not a repeat, not more dislikes than likes.
    `test_feedback_indicators` checks it against those functions."""
    on_time = Q(handle_due_at__gte=now)
    good = on_time & Q(repeat_of__isnull=True, dislikes__lte=F("likes"))
    qs = _open_reports()
    if unit_ids is not None:
        qs = qs.filter(responsible_unit_id__in=unit_ids)
    rows = (qs.order_by().values("responsible_unit_id")
            .annotate(all=Count("pk"), ok=Count("pk", filter=on_time), good=Count("pk", filter=good)))
    return {r["responsible_unit_id"]: (r["all"], r["ok"], r["good"]) for r in rows}


def trend(unit: Unit, months: int = 12, profile: str = ind.PROFILE_CLASSIC, now: datetime | None = None,
          until: date | None = None):
    """The unit's estimate and on-time rate for the `months` months up to `until` (default: today), oldest first."""
    now = now or timezone.now()
    last = until or timezone.localtime(now).date()
    y, m = last.year, last.month
    keys = []
    for _i in range(months):
        keys.append(f"{y}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    out = []
    for key in reversed(keys):
        score = unit_score(unit, parse_period(key), profile, now)
        progress = next(r for r in score.rows if r.indicator.code == "2.1")
        out.append({"period": key, "estimate": score.estimate, "on_time_rate": progress.rate,
                    "dossiers": progress.denominator or 0})
    return out


# --- the board: every ranked unit in a few queries ------------------------------------------------------

DEPARTMENTS = "departments"
COMMUNES = "communes"
RANKED_KINDS = {
    DEPARTMENTS: (Unit.Kind.DEPARTMENT, Unit.Kind.EQUIVALENT_BODY),
    COMMUNES: (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE),
}
# Below this many dossiers in a period a unit's rates swing with a single dossier: said next to its rank.
SMALL_VOLUME = 30


def ranked_units(group: str, on: date):
    from kycuong.core.queries import active_units

    return list(active_units(on, Unit.objects.filter(kind__in=RANKED_KINDS[group])).order_by("name"))


@dataclass
class BoardInputs:
    """The period-wide reads every ranked group needs, read once (the ranking page shows two groups)."""
    unit_paths: list
    counters: list
    live_dossiers: dict
    live_reports: dict
    online_pairs: list
    catalog: object


def board_inputs(period: Period, now: datetime) -> BoardInputs:
    live = period.contains(timezone.localtime(now).date())
    return BoardInputs(
        unit_paths=list(Unit.objects.values_list("pk", "path")),
        counters=list(Counter.objects.filter(month__gte=period.first, month__lte=period.last)
                      .values("unit_id", "indicator").annotate(n=Sum("numerator"), d=Sum("denominator"))
                      .values_list("unit_id", "indicator", "n", "d")),
        live_dossiers=open_timeliness_by_unit(now) if live else {},
        live_reports=open_reports_by_unit(now) if live else {},
        # 3.2: the online services used, one grouped query over the per-procedure counts.
        online_pairs=list(OnlineDossierCount.objects.filter(month__gte=period.first, month__lte=period.last,
                                                            dossiers__gt=0)
                          .order_by().values_list("unit_id", "procedure_id").distinct()),
        catalog=catalog_scope.snapshot(timezone.localtime(now).date()),
    )


def boards(period: Period, profile: str = ind.PROFILE_CLASSIC, now: datetime | None = None) -> dict[str, list]:
    """Both rankings (departments, communes) from one set of reads."""
    now = now or timezone.now()
    inputs = board_inputs(period, now)
    return {group: board(group, period, profile, now, inputs=inputs) for group in (DEPARTMENTS, COMMUNES)}


def board(group: str, period: Period, profile: str = ind.PROFILE_CLASSIC, now: datetime | None = None,
          inputs: BoardInputs | None = None) -> list[UnitScore]:
    """Scores of every department (or every commune) for `period`, best first.

    Each ranked unit covers its subtree (docs/legal/decision-766.md §1.4); rates are ratios, so units of different volume
    compare; a unit with fewer than SMALL_VOLUME dossiers is flagged on the page.
    """
    now = now or timezone.now()
    inputs = inputs or board_inputs(period, now)
    units = ranked_units(group, period.last)
    by_path = {u.path: u for u in units}
    owner: dict[int, int] = {}  # any unit id → the ranked unit whose subtree holds it
    for uid, path in inputs.unit_paths:
        for ranked_path, ranked in by_path.items():
            if path.startswith(ranked_path):
                owner[uid] = ranked.pk
                break
    totals: dict[int, dict[str, list[int]]] = {u.pk: {} for u in units}

    def add(unit_id, indicator, n, d):
        if unit_id in owner:
            acc = totals[owner[unit_id]].setdefault(indicator, [0, 0])
            acc[0] += n
            acc[1] += d

    for unit_id, indicator, n, d in inputs.counters:
        add(unit_id, indicator, n or 0, d or 0)
    for unit_id, (ok, count) in inputs.live_dossiers.items():
        add(unit_id, "2.1", ok, count)
    for unit_id, (count, ok, good) in inputs.live_reports.items():
        add(unit_id, "5.2", ok, count)
        add(unit_id, "5.3", good, count)
    used: dict[int, set[int]] = {u.pk: set() for u in units}
    for unit_id, procedure_id in inputs.online_pairs:
        if unit_id in owner:
            used[owner[unit_id]].add(procedure_id)
    snap = inputs.catalog
    subtrees: dict[int, set[int]] = {u.pk: set() for u in units}
    for uid, ranked_id in owner.items():
        subtrees[ranked_id].add(uid)
    for u in units:
        for code, (n, d) in catalog_scope.totals(snap.in_scope(u, subtrees[u.pk]), used[u.pk]).items():
            totals[u.pk][code] = [n, d]
    entered: dict[int, dict] = {}
    for e in EnteredValue.objects.filter(period=period.key, unit__in=units):
        entered.setdefault(e.unit_id, {})[e.indicator] = e
    scores = [_score(u, period, profile, {k: tuple(v) for k, v in totals[u.pk].items()}, entered.get(u.pk, {}))
              for u in units]
    scores.sort(key=lambda s: (-(s.estimate if s.estimate is not None else Decimal(-1)), s.unit.name))
    return scores


def open_timeliness_by_unit(now: datetime) -> dict[int, tuple[int, int]]:
    """(on time, all) of the received, still-open dossiers per deciding unit — the live part of 2.1."""
    rows = _open_received().values("unit_id").annotate(all=Count("pk"), ok=Count("pk", filter=_on_time(now)))
    return {r["unit_id"]: (r["ok"], r["all"]) for r in rows}


# --- drill-down: the dossiers behind a number -----------------------------------------------------------

def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.first, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(period.last, datetime.min.time(), tzinfo=tz) + timedelta(days=1)
    return start, end


def dossiers_behind(unit: Unit, period: Period, code: str, now: datetime | None = None, *, missing_only=True,
                    base=None) -> list[Dossier]:
    """The dossiers counted in `code` for this unit and period — by default those that cost points
    (denominator but not numerator): late dossiers for 2.1, not paid online for 3.6, late or disliked or
    complained about for 5.4, and so on.

    Uses `facts.compute`, the same definition as the counters; an open dossier counts in 2.1 of the
    current period with its verdict now (`onestop.services.timeliness`). `base` narrows to a scoped queryset.
    """
    from kycuong.onestop.services import timeliness

    if code not in ind.DOSSIER_COUNTED:
        return []
    now = now or timezone.now()
    start, end = _bounds(period)
    qs = (base if base is not None else Dossier.objects.all()).filter(unit_id__in=subtree_ids(unit))
    qs = qs.select_related("procedure_version", "procedure", "unit")
    out = []
    if code in ("2.1", "5.4"):
        candidates = list(qs.filter(processing_end_at__gte=start, processing_end_at__lt=end))
        if period.contains(timezone.localtime(now).date()):
            for d in qs.filter(pk__in=_open_received().values("pk")):
                late = timeliness(d, now).status == "late"
                if late or not missing_only:
                    out.append(d)
    else:
        candidates = list(qs.filter(received_at__gte=start, received_at__lt=end))
    complained = facts.complained_ids([d.pk for d in candidates]) if code == "5.4" else set()

    def costs(fact):
        if code == "5.4":
            late = fact.den & facts.BITS["2.1"] and not fact.num & facts.BITS["2.1"]
            return bool(late or fact.num & facts.BITS[facts.COMPLAINED])
        return not fact.num & facts.BITS[code]

    bit = facts.BITS["2.1" if code == "5.4" else code]
    for d in candidates:
        fact = facts.compute(d, d.procedure_version, d.pk in complained)
        if fact is not None and fact.den & bit and (not missing_only or costs(fact)):
            out.append(d)
    out.sort(key=lambda d: (d.due_at is None, d.due_at, d.code))
    return out


def procedures_behind(unit: Unit, period: Period, code: str, now: datetime | None = None):
    """The procedures behind a catalog number that cost points: for 1.3 those missing a component, for 3.1
    those with no online service, for 3.2 the online services with no dossier received online in the period.
    Same snapshot and scope as the score (`catalog_scope`)."""
    if code not in ind.CATALOG_COUNTED:
        return []
    now = now or timezone.now()
    ids = subtree_ids(unit)
    scope = catalog_scope.snapshot(timezone.localtime(now).date()).in_scope(unit, set(ids))
    if code == "1.3":
        out = [e for e in scope if not e.complete]
    elif code == "3.1":
        out = [e for e in scope if not e.online]
    else:
        used = used_online_services(ids, period)
        out = [e for e in scope if e.online and e.procedure_id not in used]
    return sorted(out, key=lambda e: e.code)


def reports_behind(unit: Unit, period: Period, code: str, now: datetime | None = None, *, base=None):
    """The reports behind a feedback number: for 5.2 the late ones, for 5.3 the ones that cost points
    (late, disliked, repeated — each report once, with its reasons in `cost_reasons`); for 5.1 (monitoring)
    every report submitted in the period. Uses `feedback.queries.on_time` / `satisfied`, the counters' rule;
    open reports count in the current period, judged now. `base` narrows to a scoped queryset."""
    from kycuong.feedback.models import Report
    from kycuong.feedback.queries import on_time, satisfied
    from kycuong.feedback.workflow import State as ReportState

    if code not in ind.REPORT_COUNTED:
        return []
    now = now or timezone.now()
    start, end = _bounds(period)
    qs = (base if base is not None else Report.objects.all()).filter(responsible_unit_id__in=subtree_ids(unit))
    qs = qs.select_related("responsible_unit", "repeat_of")
    if code == "5.1":
        return list(qs.filter(submitted_at__gte=start, submitted_at__lt=end).order_by("submitted_at", "id"))
    refused = Q(state=ReportState.REFUSED)
    candidates = list(qs.filter((refused & Q(refused_at__gte=start, refused_at__lt=end))
                                | (~refused & Q(handled_at__gte=start, handled_at__lt=end))))
    if period.contains(timezone.localtime(now).date()):
        candidates += list(qs.filter(pk__in=_open_reports().values("pk")))
    out = []
    for r in candidates:
        reasons = []
        if not on_time(r, now):
            reasons.append(_("quá hạn"))
        if code == "5.3":
            if r.dislikes > r.likes:
                reasons.append(_("nhiều lượt không hài lòng hơn hài lòng"))
            if r.repeat_of_id is not None:
                reasons.append(_("phản ánh lặp lại"))
            costs = not satisfied(r, now)
        else:
            costs = not on_time(r, now)
        if costs:
            r.cost_reasons = [str(x) for x in reasons]
            out.append(r)
    out.sort(key=lambda r: (r.handle_due_at, r.code))
    return out
