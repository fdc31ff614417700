"""The synthetic activity of `kycuong seed`: officials, ratings, feedback, meetings, tasks.

Each test seeds `--scale small` (5,000 dossiers a year) and reads the rows back through the apps' own reads
(feedback.queries, discipline.queries, portal.queries, scoreboard.facts) — the seeded rows must be rows
those apps could have written themselves.
"""
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from kycuong.core.calendars import calendar_for
from kycuong.core.models import Official, Unit, User
from kycuong.devdata import seed, seed_activity
from kycuong.discipline import queries as discipline_queries
from kycuong.discipline import services as discipline_services
from kycuong.discipline.models import (
    Attendance, ConductRecord, Directive, Invitation, Meeting, SourceKind, Task, TaskReport,
)
from kycuong.feedback import queries as feedback_queries
from kycuong.feedback.models import FOUNDED_CONCLUSIONS, Kind, Report, Routing, Vote
from kycuong.feedback.services import HANDLE_DAYS, INFO_DAYS, PUBLISH_DAYS, REFUSE_DAYS
from kycuong.feedback.workflow import State as ReportState
from kycuong.onestop.models import Dossier
from kycuong.onestop.workflow import State as DossierState
from kycuong.portal import queries as portal_queries
from kycuong.portal.models import Rating
from kycuong.scoreboard import facts, services

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# The demo units and catalog restored up front (tests/conftest.py): the seed's own demo loading is then a
# no-op; it runs for real in tests/scoreboard/test_seed.py::test_codes_follow_….
pytestmark = pytest.mark.usefixtures("demo_city_with_catalog")
SMALL = seed.SCALES["small"]


def _immediate_constraints():
    """Inside a test's transaction, PostgreSQL queues the deferred foreign-key checks of the COPY, and the
    dossier seed's CREATE INDEX refuses a table with pending checks: check each row at once instead (the
    command itself runs in autocommit, where each chunk commits). No-op on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _seed_all(seed_value=7, per_year=None):
    _immediate_constraints()
    seed.generate(SMALL, 1, seed_value, now=NOW, per_year=per_year)
    return seed_activity.generate_activity(1, seed_value, per_year=per_year or SMALL.per_year, now=NOW)


def _fingerprint():
    """What a seed must reproduce, by stable keys (codes, names), never by database ids."""
    return {
        "officials": sorted(Official.objects.values_list("unit__code", "full_name", "rank", "position")),
        "ratings": sorted(Rating.objects.values_list("dossier__code", "liked", "access", "officer", "rated_at")),
        "reports": sorted(Report.objects.values_list("code", "kind", "state", "dossier__code", "official__full_name",
                                                     "handle_due_at", "repeat_of__code", "likes", "dislikes")),
        "meetings": sorted(Meeting.objects.values_list("title", "starts_at")),
        "attendance": Counter(Invitation.objects.values_list("meeting__title", "final_state")),
        "tasks": sorted(Task.objects.values_list("directive__number", "unit__code", "due_at", "state", "done_at")),
    }


def _delete_activity():
    Vote.objects.all().delete()
    Routing.objects.all().delete()
    ConductRecord.objects.all().delete()
    Report.objects.update(repeat_of=None)
    Report.objects.all().delete()
    Rating.objects.all().delete()
    TaskReport.objects.all().delete()
    Task.objects.all().delete()
    Directive.objects.all().delete()
    Invitation.objects.all().delete()
    Meeting.objects.all().delete()
    Official.objects.all().delete()
    User.objects.filter(Q(username__startswith=seed_activity.CITIZEN_PREFIX)
                        | Q(username__startswith=seed_activity.INSPECTOR_PREFIX)).delete()


@pytest.mark.django_db
def test_reproducible_by_seed():
    """"Reproducible by seed": the same seed gives the same activity, another seed another."""
    _seed_all(7)
    first = _fingerprint()
    _delete_activity()
    seed_activity.generate_activity(1, 7, per_year=SMALL.per_year, now=NOW)
    assert _fingerprint() == first
    _delete_activity()
    seed_activity.generate_activity(1, 8, per_year=SMALL.per_year, now=NOW)
    other = _fingerprint()
    assert other["ratings"] != first["ratings"] and other["reports"] != first["reports"]
    assert other["tasks"] != first["tasks"]


@pytest.mark.django_db
def test_small_scale_counts_follow_the_dossier_volume():
    counts = _seed_all()
    units = Unit.objects.filter(valid_to__isnull=True)
    # Officials: every current unit staffed, at least a head, two deputies and staff (at least six).
    for unit in units:
        ranks = Counter(Official.objects.filter(unit=unit).values_list("rank", flat=True))
        assert sum(ranks.values()) >= seed_activity.MIN_STRENGTH and ranks[Official.Rank.HEAD] == 1, unit
    assert counts["officials"] == Official.objects.count()
    # Ratings: 8–15 % of the returned dossiers, each unit's share in that band (less the not yet rated).
    returned = Dossier.objects.filter(state=DossierState.RETURNED).count()
    assert 0.07 * returned <= Rating.objects.count() <= 0.15 * returned
    # Reports: ≈ 1.25 per 100 dossiers, both classes.
    assert Report.objects.count() == round(SMALL.per_year * seed_activity.REPORTS_PER_DOSSIER)
    assert set(Report.objects.values_list("kind", flat=True)) == {Kind.PROCEDURE, Kind.CONDUCT}
    # Meetings: at least two briefings and one staff meeting a unit a year; small scale stays small.
    assert Meeting.objects.count() >= 3 * units.exclude(kind=Unit.Kind.SERVICE_POINT).count()
    assert Invitation.objects.count() < 10_000 and Task.objects.count() < 2_000
    assert Task.objects.count() >= Directive.objects.count() > 0


@pytest.mark.django_db
def test_ratings_are_rows_the_portal_could_have_written():
    """portal.services.rate: only a returned dossier, once; a dislike or a low SIPAS score
    alerts (docs/legal/decision-766.md §1.2 5.4, docs/legal/reform.md §4.1). Disliked dossiers feed 5.4 through scoreboard.facts.complained_ids."""
    _seed_all()
    ratings = list(Rating.objects.select_related("dossier"))
    assert ratings
    disliked = set()
    for r in ratings:
        d = r.dossier
        assert d.state == DossierState.RETURNED
        assert r.rated_at > d.processing_end_at and r.rated_at <= NOW
        assert (r.unit_id, r.procedure_id) == (d.unit_id, d.procedure_id)
        assert portal_queries.rating_of(d) == r
        scores = r.scores()
        assert all(v is None for v in scores.values()) == (r.surveyed_at is None)
        assert all(v is None or 1 <= v <= 5 for v in scores.values())
        low = any(v is not None and v <= 2 for v in scores.values())
        assert (r.alerted_at is not None) == (r.liked is False or low)
        if r.liked is False:
            disliked.add(d.pk)
    likes = Counter(r.liked for r in ratings)
    assert likes[True] > likes[False] > 0 and Rating.objects.filter(surveyed_at__isnull=False).exists()
    assert disliked <= facts.complained_ids()
    pool = User.objects.filter(username__startswith=seed_activity.CITIZEN_PREFIX, role=User.Role.CITIZEN)
    assert {r.user_id for r in ratings} <= set(pool.values_list("pk", flat=True))
    assert not any(u.has_usable_password() for u in pool)


@pytest.mark.django_db
def test_reports_follow_the_feedback_clocks_and_workflow():
    """docs/legal/decision-766.md §1.4 (VPCP note on QĐ 766): refuse ≤ 2, first information request ≤ 5, handled ≤ 15, published
    ≤ 2 working days — the due dates are those of feedback.services on the responsible unit's calendar."""
    _seed_all(per_year=40_000)        # ≈ 500 reports: enough for every state of the workflow
    reports = list(Report.objects.select_related("responsible_unit", "official"))
    states = Counter(r.state for r in reports)
    assert {ReportState.PUBLISHED, ReportState.REFUSED} <= set(states)
    assert set(states) - {ReportState.PUBLISHED, ReportState.REFUSED}, "some reports still open"
    for r in reports[:200]:
        cal = calendar_for(r.responsible_unit)
        assert r.submitted_at <= r.clock_start_at
        assert r.refuse_due_at == cal.due(r.clock_start_at, REFUSE_DAYS, "working_days").due
        assert r.info_due_at == cal.due(r.clock_start_at, INFO_DAYS, "working_days").due
        assert r.handle_due_at == cal.due(r.clock_start_at, HANDLE_DAYS, "working_days").due
        if r.handled_at:
            assert r.publish_due_at == cal.due(r.handled_at, PUBLISH_DAYS, "working_days").due
    for r in reports:
        on_time = feedback_queries.on_time(r)          # 5.2
        if r.handled_at:
            assert on_time == (r.handled_at <= r.handle_due_at) == ("handle" not in r.overdue)
        if r.state == ReportState.PUBLISHED:
            assert r.published_at and r.public_answer and r.likes + r.dislikes == r.votes.count()
        if r.state == ReportState.REFUSED:
            assert r.refused_at and r.refusal_reason
        if r.conclusion:
            assert r.kind == Kind.CONDUCT and r.concluded_at and r.findings and r.verifier_id
        if r.repeat_of_id:
            assert r.repeat_of.submitted_at <= r.submitted_at and r.repeat_of.repeat_of_id is None
            assert r.words == r.repeat_of.words
        assert r.routings.filter(step=Routing.Step.SUGGESTED).count() == 1
    late = sum(not feedback_queries.on_time(r) for r in reports)
    assert 0 < late < len(reports) / 3
    assert any(r.repeat_of_id for r in reports) and any(r.dossier_id for r in reports)
    assert feedback_queries.satisfaction(reports)["total"] == len(reports)
    assert {r.dossier_id for r in reports if r.dossier_id} <= facts.complained_ids()


@pytest.mark.django_db
def test_founded_reports_have_their_conduct_record():
    """A founded (or partly founded) conduct report has exactly the record feedback.signals.report_founded →
    discipline.services.record_from_report makes: recording it again finds the seeded row."""
    _seed_all(per_year=20_000)
    founded = list(Report.objects.filter(conclusion__in=FOUNDED_CONCLUSIONS).select_related("official__unit",
                                                                                             "named_unit"))
    assert founded
    before = ConductRecord.objects.count()
    for r in founded:
        seeded = ConductRecord.objects.get(source_kind=SourceKind.COMPLAINT, source_ref=r.code)
        assert discipline_services.record_from_report(r).pk == seeded.pk
        assert seeded.occurred_at == r.concluded_at and seeded.unit_id == r.unit.pk
    assert ConductRecord.objects.count() == before
    assert not ConductRecord.objects.filter(source_kind=SourceKind.COMPLAINT).exclude(
        source_ref__in=[r.code for r in founded]).exists()


@pytest.mark.django_db
def test_meetings_and_tasks_read_by_the_discipline_app():
    """QĐ 45/2018/QĐ-TTg Đ.15 (docs/legal/discipline.md §6.3): the final state is what close_meeting computes, and each
    violation has its conduct record; tasks count on time / late / overdue-open (discipline.queries)."""
    _seed_all()
    invitations = list(Invitation.objects.select_related("meeting"))
    for inv in invitations:
        assert inv.meeting.state == Meeting.State.CLOSED
        assert discipline_services.final_state(inv, inv.meeting) == inv.final_state
    states = Counter(inv.final_state for inv in invitations)
    assert states[Attendance.PRESENT] > 0.8 * len(invitations)
    violations = [inv for inv in invitations if inv.final_state in discipline_services.VIOLATIONS]
    assert violations and len(violations) < 0.1 * len(invitations)
    for inv in violations:
        assert ConductRecord.objects.filter(source_kind=SourceKind.MEETING, source_ref=f"meeting:{inv.meeting_id}",
                                            official_id=inv.official_id, unit_id=inv.unit_id).count() == 1
    assert ConductRecord.objects.filter(source_kind=SourceKind.MEETING).count() == len(violations)

    statuses = Counter(discipline_queries.task_status(t, NOW) for t in Task.objects.all())
    assert statuses[discipline_queries.ON_TIME] > statuses[discipline_queries.LATE] > 0
    assert statuses[discipline_queries.OVERDUE_OPEN] > 0
    for t in Task.objects.filter(state=Task.State.ACCEPTED):
        assert t.reports.get(decision="accepted").submitted_at == t.done_at
    units = list(Unit.objects.filter(kind__in=seed_activity.COMMUNE_KINDS))
    rates = discipline_queries.on_time_rate(units, NOW - timedelta(days=365), NOW, now=NOW)
    assert sum(r.counted for r in rates) > 0
    assert all(r.rate is None or 0 <= r.rate <= 1 for r in rates)


@pytest.mark.django_db
def test_command_seeds_activity_rebuilds_and_pages_open(make_officer):
    """`kycuong seed --scale small`: activity after the dossiers and before the rebuild, so the counters
    (5.4: disliked or reported dossiers) equal a full rebuild; the seeded rows open on their pages."""
    _immediate_constraints()
    call_command("seed", scale="small", years=1, seed=3)
    assert Rating.objects.exists() and Report.objects.exists() and Task.objects.exists()
    call_command("scoreboard_rebuild", check=True)
    assert services.stored_counters() == services.expected_counters()
    complained = sum(n for (_u, code, _m), (n, _d) in services.stored_counters().items() if code == facts.COMPLAINED)
    assert complained > 0

    admin = make_officer(User.Role.ADMINISTRATOR, "H26", is_superuser=True, is_staff=True)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    report = Report.objects.filter(state=ReportState.PUBLISHED).first()
    meeting = Meeting.objects.first()
    task = Task.objects.first()
    for url in (reverse("feedback:staff_report", args=[report.code]), reverse("feedback:answer", args=[report.code]),
                reverse("feedback:track_detail", args=[report.code]), reverse("discipline:meeting", args=[meeting.pk]),
                reverse("discipline:task", args=[task.pk]), reverse("discipline:official", args=[meeting.chair_id]),
                reverse("feedback:staff_queue"), reverse("discipline:tasks")):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_no_activity_flag_seeds_dossiers_only():
    _immediate_constraints()
    call_command("seed", scale="small", years=1, seed=3, no_activity=True, no_rebuild=True)
    assert Dossier.objects.exists()
    assert not (Rating.objects.exists() or Report.objects.exists() or Meeting.objects.exists()
                or Task.objects.exists() or Official.objects.exists())


@pytest.mark.django_db
def test_a_second_activity_seed_is_refused():
    _seed_all()
    with pytest.raises(seed.AlreadySeeded):
        seed_activity.generate_activity(1, 7, per_year=SMALL.per_year, now=NOW)
