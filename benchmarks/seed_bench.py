"""Benchmark: `kycuong seed` — dossiers generated and loaded per second (goal on PostgreSQL: ≥ 50,000/s,
end to end: generation + load + rebuilding the indexes and keys). Run on demand, on a database of its own:

    createdb -h 127.0.0.1 -U postgres kycuong_seed
    .venv/bin/python benchmarks/seed_bench.py --database-url postgres://postgres@127.0.0.1:5432/kycuong_seed \
        [--years 1] [--per-year 600000] [--reset] [--json]
    .venv/bin/python benchmarks/seed_bench.py --database-url sqlite:///var/seed.sqlite3 --per-year 200000

The final figure: `--years 3 --per-year 2400000` (≈ 7.2 M dossiers, `kycuong seed --scale hanoi --years 3`).
`--reset` empties the dossier tables (TRUNCATE … CASCADE: only on a benchmark database!) so a run can be
repeated; the catalog stays, so the setup phase (creating ~300 procedures through the catalog services) is
quick on a second run — it is reported apart.

Printed, in seconds and as dossiers/s: setup; generation (numpy, this process); load (COPY + INSERT … SELECT on
the second connection, overlapped with generation); the rows phase (generation and load together, wall);
indexes, foreign keys, ANALYZE; daily counters; the end-to-end rate (total without setup, and with it). CPU
seconds: this process (all threads) and the PostgreSQL backends it used (read from /proc; the machine is
shared, so wall time alone misleads). The scoreboard rebuild afterwards is not part of it (scoreboard_bench).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--per-year", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=200_000)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kycuong.settings")
    os.environ.setdefault("KYCUONG_DEMO", "true")  # demo data, demo secrets (core.checks)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kycuong.onestop.models import DailyCounter, Dossier
    from kycuong.devdata import seed

    call_command("migrate", verbosity=0)
    if args.reset:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {Dossier._meta.db_table}, {DailyCounter._meta.db_table} CASCADE")
            else:
                Dossier.objects.all().delete()
                DailyCounter.objects.all().delete()

    main_db_cpu = 0.0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            main_db_cpu = -seed.backend_cpu_seconds(cursor)
    stats: dict = {}
    cpu = process_cpu()
    n = seed.generate(seed.SCALES["hanoi"], args.years, args.seed, per_year=args.per_year, chunk=args.chunk,
                      stats=stats)
    cpu = process_cpu() - cpu
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            main_db_cpu += seed.backend_cpu_seconds(cursor)

    def rate(seconds):
        return round(n / seconds) if seconds else None

    work = stats["total_s"] - stats["setup_s"]
    indexes = stats.get("indexes_s", 0.0) + stats.get("foreign_keys_s", 0.0) + stats.get("analyze_s", 0.0)
    result = {
        "database": connection.vendor, "dossiers": n, "years": args.years, "per_year": args.per_year,
        "chunk": args.chunk,
        "seconds": {key: round(value, 2) for key, value in stats.items() if key.endswith("_s")},
        "per_second": {
            "generation (numpy, CPU of this thread)": rate(stats["generate_s"]),
            "load (database side, busy)": rate(stats["load_s"]),
            "rows phase (generation + load, overlapped, wall)": rate(stats["rows_s"]),
            "indexes + foreign keys + analyze": rate(indexes),
            "end to end without setup": rate(work),
            "end to end with setup": rate(stats["total_s"]),
        },
        "cpu_seconds": {
            "this process": round(cpu, 1),
            "database, load connection": round(stats.get("load_db_cpu_s", 0.0), 1),
            "database, index connections": round(stats.get("indexes_db_cpu_s", 0.0), 1),
            "database, main connection": round(main_db_cpu, 1),
        },
    }
    print(json.dumps(result, indent=None if args.json else 2, ensure_ascii=False))


if __name__ == "__main__":
    main()
