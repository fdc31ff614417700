"""Scoped reads of reports (docs/design.md rule 4) and the indicators 5.2 / 5.3 (docs/legal/decision-766.md §1.2).

Who sees which report is decided in `policy` (report_scope_q / in_scope, proven equal by the policy tests):
core.scope from the officer's unit, successors included, plus the inspector's oversight and the reports
they handle. Citizens see no officer data; they track by code.
"""
from datetime import datetime

from django.db.models import Q, QuerySet

from kycuong.core.calendars import calendar_for
from kycuong.core.models import User

from .models import Report
from .policy import report_scope_q
from .repeats import word_set
from .workflow import CLOSED_STATES, HANDLED_STATES, State


def visible_reports(user) -> QuerySet:
    """The reports in the officer's scope: the rule is policy.report_scope_q (core.scope + the inspector role)."""
    return Report.objects.filter(report_scope_q(user))


def can_see_reporter(user, report) -> bool:
    """Who reported is shown only to the inspectors handling the report (the assigned inspector and
    the verifier, when an inspector): protection of reporters (Luật Tố cáo 2018 Đ.47, by analogy)."""
    return bool(user and user.is_authenticated and user.role == User.Role.INSPECTOR
                and user.pk in (report.inspector_id, report.verifier_id))


def queue(user, *, state="", kind="", clock="", q="", mine=False, now=None) -> QuerySet:
    qs = visible_reports(user)
    if mine:  # the inspector's view: reports they are in charge of or verify
        qs = qs.filter(Q(inspector=user) | Q(verifier=user))
    if state == "open":
        qs = qs.exclude(state__in=CLOSED_STATES)
    elif state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if clock == "overdue" and now is not None:
        qs = qs.exclude(state__in=CLOSED_STATES | HANDLED_STATES).filter(handle_due_at__lt=now)
    text = (q or "").strip()
    if text:
        words = Q()
        for word in word_set(text):
            words &= Q(words__contains=word)
        qs = qs.filter(Q(code__iexact=text) | words)
    return qs.select_related("responsible_unit", "official", "repeat_of").order_by("handle_due_at", "id")


def report_for(user, code: str):
    return (visible_reports(user).select_related("responsible_unit", "suggested_unit", "official__unit",
                                                  "named_unit", "dossier", "procedure", "repeat_of",
                                                  "inspector", "verifier")
            .filter(code=(code or "").strip().upper()).first())


def public_report(code: str):
    """Tracking by code (the code is the ticket); personal data is gated by the view and masking."""
    return Report.objects.select_related("responsible_unit").filter(code=(code or "").strip().upper()).first()


def published_answers() -> QuerySet:
    return (Report.objects.filter(state=State.PUBLISHED).select_related("responsible_unit")
            .order_by("-published_at", "-id"))


def current_clock(report):
    """(name, due) of the clock running now, or (None, None) when none runs."""
    if report.state in CLOSED_STATES:
        return None, None
    if report.state == State.AWAITING_PUBLICATION:
        return "publish", report.publish_due_at
    if report.state == State.RECEIVED:
        return "refuse", report.refuse_due_at
    return "handle", report.handle_due_at


def clock_status(report, now) -> str:
    name, due = current_clock(report)
    if name is None:
        return "ended"
    return calendar_for(report.responsible_unit).status(now, due).value


def clocks_run_out(now: datetime):
    """(report id, clock) pairs whose deadline passed without the act it limits, not yet marked.

    "refuse": still unclassified (neither routed nor refused) after 2 wd; "handle": not answered after
    15 wd; "publish": answered but not published after 2 wd. The 5-wd limit on a first request for
    information is checked when a request is made (services._request_info): making none is not late."""
    pairs = []
    checks = (
        ("refuse", Q(state=State.RECEIVED, refuse_due_at__lt=now)),
        ("handle", Q(handle_due_at__lt=now) & ~Q(state__in=CLOSED_STATES | HANDLED_STATES)),
        ("publish", Q(state=State.AWAITING_PUBLICATION, publish_due_at__lt=now)),
    )
    for clock, cond in checks:
        for pk, overdue in Report.objects.filter(cond).values_list("pk", "overdue"):
            if clock not in (overdue or []):
                pairs.append((pk, clock))
    return pairs


def due_within_a_working_day(now: datetime):
    """(report, clock, due) for open clocks ending within the next working day (8 working hours)."""
    edge = calendar_for(None).due(now, 8, "working_hours").due
    rows = []
    qs = Report.objects.exclude(state__in=CLOSED_STATES).select_related("responsible_unit")
    qs = qs.filter(Q(refuse_due_at__range=(now, edge)) | Q(handle_due_at__range=(now, edge))
                   | Q(publish_due_at__range=(now, edge)))
    for report in qs:
        name, due = current_clock(report)
        if name and now <= due <= edge and name not in report.warned:
            rows.append((report, name, due))
    return rows


# --- indicators ----------------------------------------------------------------------------------------

def ended_at(report):
    """When handling ended for 5.2/5.3 (docs/legal/decision-766.md §1.4): the answer (chờ công khai) or the refusal; None if open."""
    return report.refused_at if report.state == State.REFUSED else report.handled_at


def on_time(report, now: datetime | None = None) -> bool:
    """5.2: handled (chờ công khai) by the handling deadline — refused by the refusal deadline; still open
    and past the handling deadline ⇒ late.

    For an open report `now` judges it live (the scoreboard); without `now` the overdue mark set by the
    periodic job (services.mark_overdue) stands in for it. Both say "past handle_due_at"."""
    if report.state == State.REFUSED:
        return report.refused_at <= report.refuse_due_at
    if report.handled_at is not None:
        return report.handled_at <= report.handle_due_at
    if now is not None:
        return now <= report.handle_due_at
    return "handle" not in report.overdue


def satisfied(report, now: datetime | None = None) -> bool:
    """5.3 for one report: not disliked (more dislikes than likes), not late (5.2) and not a repeat.

    A report that is several of these counts once (it is one unsatisfied report)."""
    return not (report.dislikes > report.likes or not on_time(report, now) or report.repeat_of_id is not None)


def satisfaction(reports, now: datetime | None = None) -> dict:
    """Indicator 5.3 (docs/legal/decision-766.md §1.2): (PAKN − PAKN with more dislikes than likes − overdue − repeated) ÷ PAKN."""
    reports = list(reports)
    total = len(reports)
    bad = [r for r in reports if not satisfied(r, now)]
    return {"total": total, "unsatisfied": len(bad),
            "rate": (total - len(bad)) / total if total else None}
