"""Settings for benchmark servers only: the project's settings with the benchmark URLconf.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings gunicorn kycuong.wsgi:application …

Nothing else changes, so a view is served exactly as in production (same middleware, same database
settings from the environment).
"""
from kycuong.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.bench_urls"
