"""Benchmark: the discipline-score ranking for all units (docs/discipline-score.md). Run on demand,
on the dataset of `scoreboard_bench.py` (load it with that script first; this one only reads):

    .venv/bin/python benchmarks/discipline_bench.py --database-url postgres://postgres@127.0.0.1:5432/kycuong_board [--runs 30]

Measured, p50/p95 over `--runs`: `scoreboard.discipline.queries.discipline_board()` for departments and for communes,
current month and last full year (the 766 board inside it included), the public page /bang-diem/ky-cuong/
through Django's test client, and the number of SQL queries of one ranking. scoreboard_bench.py also loads
the synthetic officials, ratings, reports, meetings and tasks (`devdata/seed_activity/`), so every
component query runs over city-sized tables.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kycuong.settings")
    os.environ.setdefault("KYCUONG_DEMO", "true")  # demo data, demo secrets (core.checks)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kycuong.discipline.models import Invitation, Task
    from kycuong.feedback.models import Report
    from kycuong.onestop.models import Dossier
    from kycuong.portal.models import Rating
    from kycuong.scoreboard.discipline import queries as dq
    from kycuong.scoreboard import queries
    from scoreboard_bench import timed

    call_command("migrate", verbosity=0)
    now = timezone.now()
    month = queries.current_month(now)
    last_year = queries.parse_period(str(timezone.localtime(now).year - 1))
    result = {"database": connection.vendor, "rows": {
        "dossiers": Dossier.objects.count(), "ratings": Rating.objects.count(), "reports": Report.objects.count(),
        "tasks": Task.objects.count(), "invitations": Invitation.objects.count()}, "ranking": {}}
    for label, period in (("current_month", month), ("last_year", last_year)):
        for group in (queries.DEPARTMENTS, queries.COMMUNES):
            result["ranking"][f"{group}_{label}"] = timed(
                lambda group=group, period=period: dq.discipline_board(group, period, now=now), args.runs)
    with CaptureQueriesContext(connection) as ctx:
        dq.discipline_board(queries.COMMUNES, month, now=now)
    result["queries_per_ranking"] = len(ctx.captured_queries)
    client = Client()
    result["ranking"]["public_page"] = timed(lambda: client.get("/bang-diem/ky-cuong/"), args.runs)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
