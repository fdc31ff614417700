"""Health endpoints for process managers and load balancers (docs/operations.md).

`/healthz`: the process answers — no dependency is touched, so a slow database never gets a healthy
worker restarted. `/readyz`: this process can serve — the database answers, every migration is applied, the
cache and the job queue's storage answer; 503 with the failing checks otherwise, so a proxy stops sending
traffic to it. Both are plain JSON, uncached, and reveal no configuration.
"""
import logging
import time

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
_MIGRATIONS_RECHECK_SECONDS = 60
_migrations_ok_at = 0.0  # reading the migration graph costs ~0.1 s: a positive answer is kept a minute


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _migrations():
    global _migrations_ok_at
    if time.monotonic() - _migrations_ok_at < _MIGRATIONS_RECHECK_SECONDS:
        return
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} migration(s) not applied")
    _migrations_ok_at = time.monotonic()


def _cache():
    cache.set("kycuong:readyz", "1", 10)
    if cache.get("kycuong:readyz") != "1":
        raise RuntimeError("cache did not return what was written")


def _jobs():
    from kycuong.core.jobs import huey

    huey.storage.queue_size()


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache, "jobs": _jobs}


@never_cache
@require_GET
def readyz(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 — any failure of a dependency means "not ready"
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = "error"
            ready = False
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)
