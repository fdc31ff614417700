"""Benchmark-only URLconf (selected by benchmarks/bench_settings.py): the project's URLs plus a minimal
Django JSON view to compare the public lookup with (benchmarks/onestop_lookup.py).

The public lookup is rate-limited per IP (30/min, `kycuong.onestop.api.LOOKUP_LIMIT_PER_MINUTE`), and the
limiter has no setting; a load test from one IP must lift it, so this module raises that constant for
the benchmark server only. The limiter itself still runs (one cache add + incr per request), so its
cost stays in the figures.
"""
from django.http import JsonResponse
from django.urls import path

import kycuong.onestop.api as onestop_api
from kycuong.urls import urlpatterns as project_urlpatterns

onestop_api.LOOKUP_LIMIT_PER_MINUTE = 10**9


def minimal(request, code):
    """The smallest Django JSON view: no database, no template."""
    return JsonResponse({"code": code, "ok": True})


urlpatterns = [path("bench/minimal/<str:code>/", minimal), *project_urlpatterns]
