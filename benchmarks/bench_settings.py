"""Settings for benchmark servers only: the project's settings with the benchmark URLconf.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings gunicorn kycuong.wsgi:application …

Nothing else changes, so a view is served exactly as in production (same middleware, same database
settings from the environment), except: the public lookup's per-IP rate limit — a load test comes from
one IP, so it is lifted here (the limiter still runs, one cache add + incr per request, and its cost
stays in the figures) — and, when the benchmark asks for it, persistent SQLite connections (below).
"""
import os

from kycuong.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.bench_urls"
KYCUONG_DEMO = True  # benchmark databases hold demo data and run with the demo secrets (core.checks)
KYCUONG_LOOKUP_RATE_PER_MINUTE = 10**9

# The project's settings keep SQLite connections for 60 s (since 30/11/2026); --persistent-sqlite
# asks for 600 s, as the earlier runs of docs/performance.md did when the project still reconnected.
if os.environ.get("KYCUONG_BENCH_SQLITE_PERSISTENT") == "1" and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
