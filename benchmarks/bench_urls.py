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

if os.environ.get("KYCUONG_BENCH_LOOKUP_PROPOSAL") == "1":
    # onestop_lookup.py --compare: a second server with the proposed lookup helpers (an experiment).
    from benchmarks import onestop_lookup_proposals

    onestop_lookup_proposals.apply()
