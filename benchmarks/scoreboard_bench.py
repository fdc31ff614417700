"""Benchmark: the scoreboard on a city-sized history. Run on demand:

    createdb -h 127.0.0.1 -U postgres kycuong_board
    .venv/bin/python benchmarks/scoreboard_bench.py --database-url postgres://postgres@127.0.0.1:5432/kycuong_board \
        [--years 3] [--per-year 2400000] [--runs 30] [--json]
    .venv/bin/python benchmarks/scoreboard_bench.py --database-url sqlite:///var/board.sqlite3 --per-year 200000

Goals (PostgreSQL, 3 years of the Hà Nội dataset ≈ 7 M dossiers): the full board for all units and
one period in < 300 ms; one event reflected in the counters in < 50 ms; a full rebuild of one year in
< 2 minutes; the seed ≥ 50,000 dossiers/s.

Dataset: `kycuong seed --scale hanoi --years N --seed 2026` (kycuong/devdata/seed/), i.e. the demo
units and catalog plus synthetic procedures up to 300, `--per-year` dossiers a year (default 2.4 M) with
Zipf popularity, per-unit late and online rates, supplements, payments; no steps, no events — then the
same window's officials, ratings, reports, meetings and tasks (`devdata/seed_activity/`). The first run
loads it (and reports the seed rate and the activity time); later runs reuse it. `benchmarks/seed_bench.py`
loads the dossiers alone with the seed's phases timed; this script then adds the activity.

Measured: (1) the seed rate; (2) `scoreboard_rebuild` (all years; per-year figure = total ÷ years);
(3) `queries.board()` for departments and for communes, current month and last full year, and the public
ranking page through Django's test client (template included) — p50/p95 over `--runs`; (4) one event:
an open dossier finished through `onestop.services.act`, then `scoreboard.services.refresh_dossier` —
the time from the event's commit to the counters being current, p50/p95 over `--runs` dossiers; with
`--check`, the full Python recomputation afterwards must equal the counters.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(fn, runs):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(statistics.median(out), 1), "p95_ms": round(pct(out, 0.95), 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--per-year", type=int, default=2_400_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true",
                        help="after the timed refreshes, recompute everything in Python and compare (slow at 7 M: "
                             "≈ 2.5 min per million dossiers; the tests prove the equality on random histories)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kycuong.settings")
    os.environ.setdefault("KYCUONG_DEMO", "true")  # demo data, demo secrets (core.checks)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from kycuong.core.models import Unit, User
    from kycuong.core.services import create_user
    from kycuong.onestop.models import Dossier
    from kycuong.onestop.services import act
    from kycuong.onestop.workflow import State
    from kycuong.devdata import seed, seed_activity
    from kycuong.scoreboard import queries, services

    call_command("migrate", verbosity=0)
    result = {"database": connection.vendor, "years": args.years, "per_year": args.per_year}
    if not Dossier.objects.filter(note=seed.MARK).exists():
        t = time.perf_counter()
        n = seed.generate(seed.SCALES["hanoi"], args.years, 2026, per_year=args.per_year)
        elapsed = time.perf_counter() - t
        result["seed"] = {"dossiers": n, "seconds": round(elapsed, 1), "per_second": round(n / elapsed)}
    result["dossiers"] = Dossier.objects.count()
    if not seed_activity.already_seeded():  # ratings, reports, meetings, tasks for the same window
        t = time.perf_counter()
        counts = seed_activity.generate_activity(args.years, 2026, per_year=args.per_year)
        result["activity"] = {"seconds": round(time.perf_counter() - t, 1), **counts}

    t = time.perf_counter()
    services.rebuild()
    elapsed = time.perf_counter() - t
    result["rebuild"] = {"seconds": round(elapsed, 1), "seconds_per_year": round(elapsed / args.years, 1)}

    now = timezone.now()
    month = queries.current_month(now)
    last_year = queries.parse_period(str(timezone.localtime(now).year - 1))
    result["board"] = {}
    for label, period in (("current_month", month), ("last_year", last_year)):
        for group in (queries.DEPARTMENTS, queries.COMMUNES):
            result["board"][f"{group}_{label}"] = timed(
                lambda group=group, period=period: queries.board(group, period, now=now), args.runs)
    client = Client()
    result["board"]["ranking_page"] = timed(lambda: client.get("/bang-diem/"), args.runs)

    officer = User.objects.filter(username="bench_board").first() or create_user(
        "bench_board", "bench-pass-123", role=User.Role.CITY_LEADERSHIP, unit=Unit.objects.get(code="H26"))
    open_codes = list(Dossier.objects.filter(state=State.PROCESSING, note=seed.MARK)
                      .values_list("code", flat=True)[: args.runs])
    # The receiver is detached so each event's refresh can be timed on its own: it is exactly the work the
    # job does once the event has committed.
    from kycuong.core import events

    events.appended.disconnect(dispatch_uid="scoreboard.on_event")
    refresh_ms = []
    for code in open_codes:
        act(code, "finish", officer, at=timezone.now())
        t = time.perf_counter()
        services.refresh_dossier(code)
        refresh_ms.append((time.perf_counter() - t) * 1000)
    result["event_to_counters"] = {
        "events": len(refresh_ms),
        "p50_ms": round(statistics.median(refresh_ms), 1) if refresh_ms else None,
        "p95_ms": round(pct(refresh_ms, 0.95), 1) if refresh_ms else None,
    }
    if args.check:
        call_command("scoreboard_rebuild", "--check", verbosity=0)  # the refreshes left the counters exact
    print(json.dumps(result, indent=None if args.json else 2, ensure_ascii=False))


if __name__ == "__main__":
    main()
