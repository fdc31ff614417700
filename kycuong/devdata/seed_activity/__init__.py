"""The rest of the city's synthetic history: officials, citizens' ratings, feedback reports, meetings
with their attendance, directives with their tasks — generated after the dossiers (`devdata/seed/`) for
the same window, reproducibly from `--seed` (each part its own `numpy.random.default_rng(seed + k)` stream).

Volumes follow the dossier volume (`--per-year`; the Hà Nội scale is 2.4 M dossiers a year):
* officials per unit at realistic strengths (a department 60–200, a commune 25–45, branches and points of the
  service centre 6–30), shrunk with the dossier volume (at least six a unit), topping up what the demo made;
* ratings on 8–15 % (by unit) of the returned dossiers (the portal rates only returned ones), a dislike far
  likelier when the dossier was late, the SIPAS five-factor survey on about a quarter, by a small pool of
  synthetic citizen accounts (a rating needs a user). The synthetic dossiers have no applicant account, so
  the rater is not their applicant as `portal.services.rate` would require: setting it afterwards is an
  UPDATE of every rated dossier through all its indexes (≈ 2 minutes at Hà Nội scale), not worth it;
* ≈ 1.25 reports (PAKN) per 100 dossiers (≈ 30,000 a year at Hà Nội scale), both classes, clocks from the
  working-day limits of `feedback.services` (2/5/15/2 working days) on the responsible unit's calendar, late
  shares by unit, repeats linked, some naming a dossier; conduct reports concluded, the founded ones with the
  conduct record `discipline.services.record_from_report` would have made (same text, source, reference);
  readers' votes on published answers;
* weekly and monthly meetings per unit and the city's monthly meeting of departments and communes, attendance
  with a small share of lateness and unexcused absence, and the conduct records `close_meeting` makes;
* directives of the city, departments and communes with tasks on time, late or overdue and still open.

What it is not: no row here has a chained event (core.events) — the pages show an empty history for them,
like the synthetic dossiers; no notifications; no letters (criticism, conclusions) and no disciplinary
cases. Everything is written through bulk paths (`core.bulk.insert_rows`, `bulk_create`), never `save()`.
Text stays on one line (the PostgreSQL COPY path takes values verbatim).
"""
from __future__ import annotations

import sys
import time
from datetime import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from kycuong.core.models import User
from kycuong.discipline.models import Directive, Meeting, Task
from kycuong.feedback.models import Report
from kycuong.onestop.workflow import State as DossierState

from ..seed import MARK, AlreadySeeded
from .base import (
    CITIZEN_PREFIX, COMMUNE_KINDS, HANOI_PER_YEAR, INSPECTOR_PREFIX, K_MEETINGS, K_OFFICIALS, K_PEOPLE, K_RATINGS,
    K_REPORTS, K_TASKS, MIN_STRENGTH, REPORTS_PER_DOSSIER, Window, _make_users, _reset_sequences, ensure_inspectors,
    ensure_officials, load_dossiers, officials_by_unit,
)
from .meetings import seed_meetings, seed_tasks
from .ratings import seed_ratings
from .reports import seed_feedback

# What the tests and benchmarks read from the package.
__all__ = ["CITIZEN_PREFIX", "COMMUNE_KINDS", "INSPECTOR_PREFIX", "MIN_STRENGTH", "REPORTS_PER_DOSSIER",
           "already_seeded", "generate_activity"]


# --- the step ---------------------------------------------------------------------------------------------------

def already_seeded() -> bool:
    return User.objects.filter(username__startswith=CITIZEN_PREFIX).exists() or \
        Meeting.objects.filter(title__endswith=MARK).exists()


def generate_activity(years: int, seed: int = 2026, *, per_year: int, now: datetime | None = None,
                      out=sys.stderr) -> dict[str, int]:
    """Generate and load everything but the dossiers for the window ending `now`. Returns counts by kind."""
    now = now or timezone.now()
    if already_seeded():
        raise AlreadySeeded("synthetic activity already loaded")
    window = Window(years, now)
    share = min(1.0, per_year / HANOI_PER_YEAR)
    counts: dict[str, int] = {}
    clock = [time.perf_counter()]

    def lap(label):
        now_ = time.perf_counter()
        out.write(f"  {label}: {now_ - clock[0]:.1f} s\n")
        clock[0] = now_

    with transaction.atomic():
        counts["officials"] = ensure_officials(share, np.random.default_rng(seed + K_OFFICIALS), out)
        officials = officials_by_unit()
        lap("officials")
        people = np.random.default_rng(seed + K_PEOPLE)
        dossiers = load_dossiers(out)
        lap("dossiers read")
        returned = int(((dossiers["state"] == int(DossierState.RETURNED)) & (dossiers["returned"] > 0)).sum())
        pool = int(min(5000, max(20, returned * 0.115 / 40)))          # a small pool: ~40 ratings a citizen
        citizens = _make_users(CITIZEN_PREFIX, pool, User.Role.CITIZEN, people)
        inspectors = ensure_inspectors(people)
        counts["citizens"] = len(citizens)
        counts["ratings"] = seed_ratings(dossiers, window, np.random.default_rng(seed + K_RATINGS), citizens, out)
        lap("ratings")
        counts.update(seed_feedback(dossiers, window, np.random.default_rng(seed + K_REPORTS), officials, citizens,
                                    inspectors, per_year, out))
        lap("reports")
        counts.update(seed_meetings(window, np.random.default_rng(seed + K_MEETINGS), officials, share, out))
        lap("meetings")
        counts.update(seed_tasks(window, np.random.default_rng(seed + K_TASKS), share, out))
        _reset_sequences([Report, Meeting, Directive, Task])
        lap("tasks")
    return counts
