"""Keeps the counters current: every event about a dossier schedules a refresh of that dossier after commit —
its own events, its rating (portal) and any report (PAKN) that names it (feedback); every event about a
report (submission, transfer, refusal, answer, publication, votes) refreshes that report's 5.1–5.3 fact."""
from kycuong.core import jobs

from .services import refresh_dossier, refresh_report, refresh_report_dossier

DOSSIER_SUBJECTS = ("dossier", "rating")  # onestop.services.SUBJECT; portal ratings use the dossier's code
REPORT = "feedback_report"                # feedback.services.SUBJECT
# The report events that change what `facts.report_fact` reads (kind, responsible unit, submission, answer or
# refusal, likes/dislikes); the others (information, verification, publication, overdue marks) do not —
# an open report's lateness is judged live by `queries`. A missed kind shows in `scoreboard_rebuild --check`.
REPORT_FACT_EVENTS = ("submitted", "unit_confirmed", "transferred", "refused", "answered", "voted")


def on_event(sender, event, **kwargs):
    if event.subject_type in DOSSIER_SUBJECTS:
        jobs.on_commit(refresh_dossier, event.subject_id)
    elif event.subject_type == REPORT:
        if event.kind in REPORT_FACT_EVENTS:
            jobs.on_commit(refresh_report, event.subject_id)
        if event.kind == "submitted":  # a report names its dossier at submission (5.4)
            jobs.on_commit(refresh_report_dossier, event.subject_id)
