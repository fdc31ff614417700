"""Reads of our discipline score and of the leadership dashboard (docs/discipline-score.md).

Every ranked unit covers its subtree, as the 766 board does (docs/legal/decision-766.md §1.4). The whole ranking is a fixed
number of grouped queries whatever the number of units or rows: the 766 board (`queries.board`), then one
query per component grouped by unit (ratings, tasks, reports ended, founded complaints, meeting violations,
officials) — each summed into the ranked unit that owns the row's unit. Rules are reused, not rewritten:
task timeliness is `discipline.queries.task_status` over `discipline.queries.counted_tasks` (the on-time rate's
own selection), report timeliness `feedback.queries.on_time`. Each component's records are ONE selection
(`selection`), read both by the ranking and by the officers' list of the records behind a number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from kycuong.core.models import Official, Unit
from kycuong.core.queries import visible_units

from . import score as ds
from .. import queries
from ..models import DisciplineWeights

DEFAULT_SIPAS_FORMULA = "kycuong.scoreboard.discipline.score.sipas_mean_of_factor_shares"
# Fewer active officials than this and one event moves a per-100 rate by ≥ 10: said next to the rank.
FEW_OFFICIALS = 10
SMALL_VOLUME = queries.SMALL_VOLUME

# portal.Rating field of each SIPAS factor (docs/legal/reform.md §4.1).
RATING_FIELDS = {"access": "access", "procedure": "procedure_score", "officer": "officer", "result": "result",
                 "feedback": "feedback"}


def sipas_formula():
    """The SIPAS formula in force: settings.KYCUONG_SIPAS_FORMULA (a dotted path), else the documented default."""
    return import_string(getattr(settings, "KYCUONG_SIPAS_FORMULA", "") or DEFAULT_SIPAS_FORMULA)


def sipas_formula_is_default() -> bool:
    return (getattr(settings, "KYCUONG_SIPAS_FORMULA", "") or DEFAULT_SIPAS_FORMULA) == DEFAULT_SIPAS_FORMULA


def weights_for(period: queries.Period) -> ds.Weights:
    """The weights in force on the period's last day (a later change does not rewrite a past ranking)."""
    row = DisciplineWeights.objects.filter(effective_from__lte=period.last).order_by("-effective_from").first()
    if row is None:
        return ds.Weights.defaults()
    return ds.Weights({c: getattr(row, c) for c in ds.COMPONENTS},
                      {ds.COMPLAINTS: row.complaints_cap, ds.MEETINGS: row.meetings_cap},
                      effective_from=row.effective_from, label=row.reason)


def owner_map(ranked: list[Unit]) -> dict[int, int]:
    """Any unit id → the id of the ranked unit whose subtree holds it (paths are "/<id>/<id>/…/")."""
    ranked_ids = {u.pk for u in ranked}
    owner = {}
    for uid, path in Unit.objects.values_list("pk", "path"):
        for part in path.strip("/").split("/"):
            if part and int(part) in ranked_ids:
                owner[uid] = int(part)
                break
    return owner


@dataclass
class ComponentValue:
    numerator: int | None = None     # what was counted (on time, satisfied %, events…)
    denominator: int | None = None   # out of (tasks due, reports ended, answers, officials)
    raw: Decimal | None = None       # the value before normalisation (% or per 100 officials)


@dataclass
class DisciplineRow:
    unit: Unit
    volume: int                       # dossiers in 2.1 (the 766 board's volume)
    officials: int
    components: dict                  # component → ComponentValue
    result: ds.Composite
    caveats: list = field(default_factory=list)
    rank: int | None = None

    @property
    def score(self):
        return self.result.score


def _sum_into(acc: dict, owner: dict, rows, key="unit_id", *fields):
    for r in rows:
        target = owner.get(r[key])
        if target is None:
            continue
        slot = acc.setdefault(target, [0] * len(fields))
        for i, f in enumerate(fields):
            slot[i] += r[f] or 0


# --- the records each component counts: ONE selection per component, for the ranking's numbers and for the
# drill-down's lists alike (every number links to the records behind it). Each returns every record
# counted in the period, all units; `UNIT_KEYS` names the field holding the unit a record is counted for.

def sipas_ratings(start, end):
    """Ratings made in the period with at least one SIPAS factor answered (a like/dislike alone is no answer)."""
    from kycuong.portal.models import Rating

    answered = Q()
    for column in RATING_FIELDS.values():
        answered |= Q(**{f"{column}__isnull": False})
    return Rating.objects.filter(answered, rated_at__gte=start, rated_at__lt=end)


def counted_tasks(start, end, now):
    """Tasks whose deadline fell in the period and has passed (`discipline.queries.on_time_rate`'s rule)."""
    from kycuong.discipline.queries import counted_tasks as rule

    return rule(start, end, now)


def feedback_reports(period, start, end, now):
    """5.2 over the reports whose handling ended in the period (handled or refused), plus — for the period
    that contains today — the reports still open past their handling deadline (open overdue work counts)."""
    from kycuong.feedback.models import Report
    from kycuong.feedback.workflow import CLOSED_STATES, HANDLED_STATES, State

    ended = Q(handled_at__gte=start, handled_at__lt=end) | Q(state=State.REFUSED, refused_at__gte=start, refused_at__lt=end)
    if period.contains(timezone.localtime(now).date()):
        ended |= Q(handle_due_at__lt=now) & ~Q(state__in=CLOSED_STATES | HANDLED_STATES)
    return Report.objects.filter(ended)


def founded_reports(start, end):
    """Conduct reports concluded founded or partly founded in the period, counted for the unit concerned
    (the official's unit, else the unit the report names — `feedback.models.Report.unit`)."""
    from kycuong.feedback.models import FOUNDED_CONCLUSIONS, Kind, Report

    return (Report.objects.filter(kind=Kind.CONDUCT, conclusion__in=FOUNDED_CONCLUSIONS,
                                  concluded_at__gte=start, concluded_at__lt=end)
            .annotate(concerned=Coalesce(F("official__unit_id"), F("named_unit_id")))
            .exclude(concerned__isnull=True))


def meeting_violation_states():
    from kycuong.discipline.services import VIOLATIONS

    return list(VIOLATIONS)


def meeting_violations(start, end):
    """Invitations whose final state is a violation (QĐ 45/2018 Đ.15: absent without reporting, left
    without consent, late), for meetings that started in the period, counted for the invited unit."""
    from kycuong.discipline.models import Invitation

    return Invitation.objects.filter(final_state__in=meeting_violation_states(),
                                     meeting__starts_at__gte=start, meeting__starts_at__lt=end)


def active_officials():
    """The officials a per-100 rate divides by: active today (no headcount history is kept)."""
    return Official.objects.filter(active=True)


UNIT_KEYS = {ds.SIPAS: "unit_id", ds.TASKS: "unit_id", ds.FEEDBACK: "responsible_unit_id",
             ds.COMPLAINTS: "concerned", ds.MEETINGS: "unit_id"}


def selection(component, period, now):
    """The records `component` counts in `period`, all units (the ranking groups them by `UNIT_KEYS`)."""
    start, end = queries._bounds(period)
    if component == ds.SIPAS:
        return sipas_ratings(start, end)
    if component == ds.TASKS:
        return counted_tasks(start, end, now)
    if component == ds.FEEDBACK:
        return feedback_reports(period, start, end, now)
    if component == ds.COMPLAINTS:
        return founded_reports(start, end)
    if component == ds.MEETINGS:
        return meeting_violations(start, end)
    raise ValueError(component)


def _ratings(owner, period, now):
    counts = {f"{factor}_{level}": Count("pk", filter=Q(**{column: level}))
              for factor, column in RATING_FIELDS.items() for level in range(1, 6)}
    rows = selection(ds.SIPAS, period, now).values("unit_id").annotate(**counts)
    names = list(counts)
    acc: dict = {}
    _sum_into(acc, owner, rows, "unit_id", *names)
    return {uid: {factor: {level: vals[names.index(f"{factor}_{level}")] for level in range(1, 6)}
                  for factor in RATING_FIELDS} for uid, vals in acc.items()}


def _tasks(owner, period, now):
    """(on time, counted) per ranked unit, grouped in SQL (`discipline.queries.on_time_sql`, the SQL form of
    `task_status` for counted tasks; the drill-down's list uses `task_status` and its test compares the two)."""
    from kycuong.discipline.queries import on_time_sql

    rows = (selection(ds.TASKS, period, now).order_by().values("unit_id")
            .annotate(ok=Count("pk", filter=on_time_sql()), n=Count("pk")))
    acc: dict = {}
    _sum_into(acc, owner, rows, "unit_id", "ok", "n")
    return acc


def _feedback(owner, period, now):
    """(on time, counted) per ranked unit, grouped in SQL: `feedback_on_time_sql` is `feedback.queries.on_time`
    (what `reason` uses for the list) written as a filter — ~30,000 reports a year are not loaded one by one.
    tests/scoreboard/test_discipline_drill.py checks the list (Python) against this number (SQL)."""
    rows = (selection(ds.FEEDBACK, period, now).order_by().values("responsible_unit_id")
            .annotate(ok=Count("pk", filter=feedback_on_time_sql(now)), n=Count("pk")))
    acc: dict = {}
    _sum_into(acc, owner, rows, "responsible_unit_id", "ok", "n")
    return acc


def feedback_on_time_sql(now: datetime) -> Q:
    """`feedback.queries.on_time(report, now)` as a filter: refused by the refusal deadline; handled by the
    handling deadline; still open and the handling deadline not yet passed."""
    from kycuong.feedback.workflow import State

    refused = Q(state=State.REFUSED)
    return ((refused & Q(refused_at__lte=F("refuse_due_at")))
            | (~refused & Q(handled_at__isnull=False, handled_at__lte=F("handle_due_at")))
            | (~refused & Q(handled_at__isnull=True, handle_due_at__gte=now)))


def _counted(component, owner, period, now):
    key = UNIT_KEYS[component]
    rows = selection(component, period, now).values(key).annotate(n=Count("pk"))
    acc: dict = {}
    _sum_into(acc, owner, rows, key, "n")
    return acc


def _officials(owner):
    rows = active_officials().values("unit_id").annotate(n=Count("pk"))
    acc: dict = {}
    _sum_into(acc, owner, rows, "unit_id", "n")
    return acc


def discipline_board(group: str, period: queries.Period, profile: str = queries.ind.PROFILE_CLASSIC,
                     now: datetime | None = None, inputs: "queries.BoardInputs | None" = None) -> list[DisciplineRow]:
    """Every department (or commune) with its discipline score for `period`, best first (no score last).
    `inputs`: the 766 board's period-wide reads when the caller ranks both groups (`queries.board_inputs`)."""
    now = now or timezone.now()
    board = queries.board(group, period, profile, now=now, inputs=inputs)
    units = [s.unit for s in board]
    owner = owner_map(units)
    weights = weights_for(period)
    formula = sipas_formula()
    ratings = _ratings(owner, period, now)
    tasks = _tasks(owner, period, now)
    feedback = _feedback(owner, period, now)
    founded = _counted(ds.COMPLAINTS, owner, period, now)
    meetings = _counted(ds.MEETINGS, owner, period, now)
    officials = _officials(owner)

    out = []
    for score in board:
        uid = score.unit.pk
        staff = officials.get(uid, [0])[0]
        tally = ratings.get(uid, {})
        answers = sum(sum(levels.values()) for levels in tally.values())
        on_time_t, counted_t = tasks.get(uid, [0, 0])
        on_time_f, ended_f = feedback.get(uid, [0, 0])
        n_founded = founded.get(uid, [0])[0]
        n_meetings = meetings.get(uid, [0])[0]
        components = {
            ds.INDEX766: ComponentValue(raw=score.estimate),
            ds.SIPAS: ComponentValue(None, answers, formula(tally) if answers else None),
            ds.TASKS: ComponentValue(on_time_t, counted_t, ds.percent(on_time_t, counted_t)),
            ds.FEEDBACK: ComponentValue(on_time_f, ended_f, ds.percent(on_time_f, ended_f)),
            ds.COMPLAINTS: ComponentValue(n_founded, staff, ds.per_100(n_founded, staff)),
            ds.MEETINGS: ComponentValue(n_meetings, staff, ds.per_100(n_meetings, staff)),
        }
        values = ds.normalise({c: v.raw for c, v in components.items()}, weights)
        result = ds.composite(values, weights)
        volume = next((r.denominator or 0 for r in score.rows if r.indicator.code == "2.1"), 0)
        caveats = []
        if volume < SMALL_VOLUME:
            caveats.append("small_volume")
        if staff < FEW_OFFICIALS:
            caveats.append("few_officials")
        if result.missing:
            caveats.append("missing")
        out.append(DisciplineRow(score.unit, volume, staff, components, result, caveats))
    out.sort(key=lambda r: (r.score is None, -(r.score or 0), r.unit.name))
    for i, row in enumerate(out, start=1):
        row.rank = i if row.score is not None else None
    return out


# --- the leadership dashboard (scoped: docs/design.md rule 4) -------------------------------------------------

def overdue_dossiers_by_unit(user, now: datetime) -> list[dict]:
    """Open dossiers past their appointment, per deciding unit, within the officer's scope (the same rule as
    the one-stop queue's "overdue" filter: running clock and `due_at` before now)."""
    from kycuong.onestop.queries import visible_dossiers
    from kycuong.onestop.workflow import CLOCK_STATES

    rows = (visible_dossiers(user).filter(state__in=CLOCK_STATES, due_at__lt=now)
            .values("unit_id").annotate(n=Count("pk")).order_by("-n", "unit_id"))
    return _named(rows)


def overdue_tasks_by_unit(user, now: datetime) -> list[dict]:
    """Tasks not accepted whose deadline has passed (`discipline.queries.task_status` = overdue_open)."""
    from kycuong.discipline.models import Task
    from kycuong.discipline.queries import tasks

    rows = (tasks(user).exclude(state=Task.State.ACCEPTED).filter(due_at__lt=now)
            .values("unit_id").annotate(n=Count("pk")).order_by("-n", "unit_id"))
    return _named(rows)


def _named(rows) -> list[dict]:
    rows = list(rows)
    units = {pk: (name, code) for pk, name, code in
             Unit.objects.filter(pk__in=[r["unit_id"] for r in rows]).values_list("pk", "name", "code")}
    return [{"unit_id": r["unit_id"], "name": units.get(r["unit_id"], ("", ""))[0],
             "code": units.get(r["unit_id"], ("", ""))[1], "count": r["n"]} for r in rows]


EVENT_KINDS = ("conduct", "admonitions", "cases", "founded", "meeting_violations")


def discipline_events(user, period: queries.Period) -> dict[str, int]:
    """Counts of the discipline events of the period within the officer's scope, one query each."""
    from kycuong.core.queries import visible_to
    from kycuong.discipline import queries as dq
    from kycuong.discipline.models import Invitation
    from kycuong.feedback.models import FOUNDED_CONCLUSIONS, Kind
    from kycuong.feedback.queries import visible_reports

    start, end = queries._bounds(period)
    return {
        "conduct": dq.conduct_records(user).filter(occurred_at__gte=start, occurred_at__lt=end).count(),
        "admonitions": dq.admonitions(user).filter(issued_on__gte=period.first, issued_on__lte=period.last).count(),
        "cases": dq.cases(user).filter(created_at__gte=start, created_at__lt=end).count(),
        "founded": visible_reports(user).filter(kind=Kind.CONDUCT, conclusion__in=FOUNDED_CONCLUSIONS,
                                                concluded_at__gte=start, concluded_at__lt=end).count(),
        "meeting_violations": visible_to(user, Invitation.objects.filter(
            final_state__in=meeting_violation_states(), meeting__starts_at__gte=start,
            meeting__starts_at__lt=end)).count(),
    }


# --- the records behind one number (officers, within their scope) ------------------------------------------

ORDERING = {ds.SIPAS: ("-rated_at", "-id"), ds.TASKS: ("due_at", "id"), ds.FEEDBACK: ("handle_due_at", "id"),
            ds.COMPLAINTS: ("concluded_at", "id"), ds.MEETINGS: ("meeting__starts_at", "id")}
RELATED = {ds.SIPAS: ("dossier", "procedure", "unit"), ds.TASKS: ("directive", "unit"),
           ds.FEEDBACK: ("responsible_unit",), ds.COMPLAINTS: ("official", "official__unit", "named_unit"),
           ds.MEETINGS: ("meeting", "unit", "official", "delegate")}
DRILLABLE = tuple(UNIT_KEYS)   # index766 links to the unit's own 766 page instead


def subtree_ids(unit: Unit, user) -> list[int]:
    """The units whose records count for `unit` on the ranking (`owner_map`, the ranking's own rule), that
    the user may see (docs/design.md rule 4; the 766 drill-down scopes its records the same way)."""
    ids = list(owner_map([unit]))
    return list(visible_units(user).filter(pk__in=ids).values_list("pk", flat=True))


def records_behind(component: str, unit: Unit, period: queries.Period, user, now: datetime | None = None):
    """The records counted in `unit`'s number for `component` and `period`: the ranking's selection, for the
    unit's subtree — the list and the number cannot disagree."""
    now = now or timezone.now()
    qs = selection(component, period, now).filter(**{f"{UNIT_KEYS[component]}__in": subtree_ids(unit, user)})
    return qs.select_related(*RELATED[component]).order_by(*ORDERING[component])


def reason(component: str, record, now: datetime) -> str:
    """Why a record counts, as a stable code: on_time / late / overdue_open (tasks, feedback), the conclusion
    (complaints: founded / partly_founded), the final attendance state (meetings)."""
    from kycuong.discipline.queries import task_status
    from kycuong.feedback.queries import on_time

    if component == ds.TASKS:
        return task_status(record, now)
    if component == ds.FEEDBACK:
        # Only open reports already past their deadline are selected, so judged live they are late.
        if on_time(record, now):
            return "on_time"
        return "overdue_open" if record.handled_at is None and record.refused_at is None else "late"
    if component == ds.COMPLAINTS:
        return record.conclusion
    if component == ds.MEETINGS:
        return record.final_state
    return ""


def summary(component: str, records, unit: Unit, user, now: datetime) -> dict:
    """The number the ranking shows, recounted from the same records: counts by reason; SIPAS answers;
    officials for the per-100 components."""
    out: dict = {"records": records.count()}
    if component in (ds.TASKS, ds.FEEDBACK):
        by_reason: dict = {}
        for record in records.select_related(None):
            code = reason(component, record, now)
            by_reason[code] = by_reason.get(code, 0) + 1
        out["by_reason"] = by_reason
        out["on_time"] = by_reason.get("on_time", 0)
    elif component == ds.SIPAS:
        counts = records.order_by().aggregate(**{f: Count(column) for f, column in RATING_FIELDS.items()})
        out["answers"] = sum(counts.values())
    if component in ds.PER_100:
        out["officials"] = active_officials().filter(unit_id__in=subtree_ids(unit, user)).count()
    return out
