"""Benchmark-only URLconf (selected by benchmarks/bench_settings.py): the project's URLs plus a minimal
Django JSON view to compare the public lookup with (benchmarks/onestop_lookup.py).
"""
import os

from django.http import JsonResponse
from django.urls import path

from kycuong.urls import urlpatterns as project_urlpatterns


def minimal(request, code):
    """The smallest Django JSON view: no database, no template."""
    return JsonResponse({"code": code, "ok": True})


urlpatterns = [path("bench/minimal/<str:code>/", minimal), *project_urlpatterns]

if os.environ.get("KYCUONG_BENCH_LOOKUP_COLD") == "1":
    # Cold-cache variant (onestop_lookup.py): every lookup misses — answers are stored under a key no
    # lookup reads, so the miss path costs what it costs in production (stamp, database, store).
    from kycuong.onestop import lookup_cache

    _put = lookup_cache.put
    lookup_cache.put = lambda code, language, *args: _put(code + "#cold", language, *args)
