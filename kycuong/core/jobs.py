"""The jobs facade: every background and periodic job goes through here (docs/design.md, stack).

Huey does the work. Its instance is built by ``huey.contrib.djhuey`` from ``settings.HUEY``:
``SqliteHuey`` on ``var/huey.sqlite3`` by default, ``RedisHuey`` when ``REDIS_URL`` is set, and
Huey's *immediate* mode under pytest (or ``KYCUONG_JOBS_IMMEDIATE=1``), where an enqueued task runs
inline, in the caller's thread and database transaction. The consumer is ``manage.py run_huey``:
it runs queued tasks and fires the periodic ones.

    from kycuong.core import jobs

    @jobs.task()
    def send_receipt(code): ...

    jobs.enqueue(send_receipt, code)                       # a task object …
    jobs.enqueue("kycuong.onestop.tasks.send_receipt", code)  # … or its dotted path, or a plain function
    jobs.on_commit(send_receipt, code)                     # once the current transaction has committed

    @jobs.periodic(jobs.working_hours(every_minutes=15))   # or jobs.crontab(minute="0", hour="2")
    def sweep(): ...

A plain importable function (not decorated) can be enqueued too: it runs through one generic task,
``call`` (below), which imports it by path in the consumer. Arguments are pickled, so pass ids and
codes, not model instances.

**The outbox** (issue 18). ``on_commit`` does not trust the queue to be up when the write commits: it
writes an ``OutboxJob`` row (task path + JSON arguments) inside the caller's transaction, and after
commit hands it to Huey best-effort — success marks the row sent; any failure (Redis down…) is logged
and swallowed, so the request that committed still answers success. ``sweep_outbox`` (every minute in
the consumer, at consumer start, and ``kycuong outbox_sweep`` for cron) re-sends rows not sent after
``KYCUONG_OUTBOX_DELAY`` seconds, with exponential backoff, up to ``KYCUONG_OUTBOX_MAX_ATTEMPTS``.
Delivery is therefore *at least once*: **every task queued through ``on_commit`` must tolerate running
twice** (recompute rather than add; claim a flag with a guarded UPDATE before notifying). In immediate
mode (pytest) no row is written: the task runs inline at commit and its errors surface, as before.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone as dt_timezone
from importlib import import_module
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from huey import crontab  # noqa: F401  (re-exported: jobs.crontab)
from huey.api import Result, TaskWrapper
from huey.contrib import djhuey

from kycuong.worktime import parse_windows

logger = logging.getLogger(__name__)

huey = djhuey.HUEY
"""The Huey instance the consumer runs (``settings.HUEY``)."""

__all__ = ["huey", "task", "periodic", "crontab", "working_hours", "enqueue", "on_commit", "call", "ping",
           "is_working_time", "sweep_outbox"]


def task(**options):
    """Decorator: a background task. Options are Huey's (``retries``, ``retry_delay``, ``priority``,
    ``name``, ``expires``…). Database connections are closed around each run in the consumer."""
    return djhuey.db_task(**options)


def periodic(schedule, **options):
    """Decorator: a task the consumer's scheduler starts whenever ``schedule(now)`` is true.

    ``schedule`` gets a naive UTC ``datetime`` once a minute (``settings.HUEY["utc"]`` is on):
    use :func:`working_hours` or :func:`crontab` (whose fields are then read in UTC)."""
    return djhuey.db_periodic_task(schedule, **options)


def _resolve_path(path: str):
    module, _, name = path.rpartition(".")
    if not module:
        raise ValueError(f"not a dotted path: {path!r}")
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot import {path!r}: {exc}") from exc


def _path_of(func) -> str:
    path = f"{func.__module__}.{func.__qualname__}"
    if "<" in path or _resolve_path(path) is not func:
        raise ValueError(f"{func!r} is not importable by path; define it at module level")
    return path


@djhuey.db_task()
def call(path: str, args=(), kwargs=None):
    """The generic task: import ``path`` and call it. Used by :func:`enqueue` for plain functions."""
    return _resolve_path(path)(*args, **(kwargs or {}))


@djhuey.task()
def ping(value="pong"):
    """A task without side effects: a health check for the consumer and its storage."""
    return value


def _bind(target, args, kwargs):
    """(task wrapper, args, kwargs) for a task object, a dotted path or a plain function."""
    obj = _resolve_path(target) if isinstance(target, str) else target
    if isinstance(obj, TaskWrapper):
        return obj, args, kwargs
    if callable(obj):
        path = target if isinstance(target, str) else _path_of(obj)
        return call, (path, tuple(args), dict(kwargs)), {}
    raise TypeError(f"cannot enqueue {target!r}: not a task, a function or a dotted path")


def enqueue(target, *args, **kwargs) -> Result | None:
    """Queue ``target(*args, **kwargs)`` now. Returns Huey's result handle (``.get(blocking=True)``
    waits for the value; periodic tasks keep none). In immediate mode the task has already run."""
    wrapper, a, k = _bind(target, args, kwargs)
    return wrapper(*a, **k)


def on_commit(target, *args, **kwargs) -> None:
    """Queue ``target(*args, **kwargs)`` once the current transaction commits; never if it rolls back.

    This is how a service schedules a side effect (docs/design.md rule 1). Outside a transaction it is
    queued at once. The target is checked now, so a typo fails in the service, not later. Outside
    immediate mode the job goes through the outbox (module docstring): arguments must be JSON
    (ids and codes), and a queue that is down never fails the caller."""
    wrapper, a, k = _bind(target, args, kwargs)
    if huey.immediate:
        transaction.on_commit(lambda: wrapper(*a, **k))
        return
    from .models import OutboxJob

    payload = {"args": list(args), "kwargs": dict(kwargs)}
    try:
        json.dumps(payload)
    except TypeError as exc:
        raise ValueError(f"job arguments must be JSON (ids, codes): {exc}") from exc
    now = timezone.now()
    job = OutboxJob.objects.create(task=_target_path(target), args=payload, created_at=now,
                                   next_try_at=now + timedelta(seconds=_outbox_delay()))
    transaction.on_commit(lambda: _send(job.pk, wrapper, a, k))


# --- the outbox ------------------------------------------------------------------------------------

def _outbox_delay() -> int:
    return int(getattr(settings, "KYCUONG_OUTBOX_DELAY", 60))


def _outbox_max_attempts() -> int:
    return int(getattr(settings, "KYCUONG_OUTBOX_MAX_ATTEMPTS", 12))


def _backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: the delay, doubled each time, ≤ 1 hour."""
    return timedelta(seconds=min(_outbox_delay() * 2 ** max(attempts - 1, 0), 3600))


def _target_path(target) -> str:
    """The dotted path that finds ``target`` again in the sweeper (a task wrapper's own name, or the
    module attribute that holds it, e.g. a periodic wrapper of a plain function)."""
    if isinstance(target, str):
        return target
    if isinstance(target, TaskWrapper):
        module = import_module(target.func.__module__)
        path = f"{target.func.__module__}.{target.func.__qualname__}"
        if getattr(module, target.func.__qualname__, None) is target:
            return path
        for name, value in vars(module).items():
            if value is target:
                return f"{module.__name__}.{name}"
        raise ValueError(f"{target!r} is not importable by path; define it at module level")
    return _path_of(target)


def _failed(pk: int, exc: Exception, *, count: bool) -> None:
    from .models import OutboxJob

    logger.warning("outbox job %s not queued (kept for the sweeper): %s", pk, exc, exc_info=True)
    try:
        changes = {"last_error": f"{type(exc).__name__}: {exc}"[:2000]}
        if count:
            row = OutboxJob.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0
            changes.update(attempts=F("attempts") + 1, next_try_at=timezone.now() + _backoff(row + 1))
        OutboxJob.objects.filter(pk=pk, sent_at__isnull=True).update(**changes)
    except Exception:  # the database is away too: the row stays unsent, the sweeper will find it
        logger.exception("outbox job %s: could not record the failure", pk)


def _mark_sent(pk: int, *, count: bool) -> None:
    from .models import OutboxJob

    try:
        changes = {"sent_at": timezone.now(), "last_error": ""}
        if count:
            changes["attempts"] = F("attempts") + 1
        OutboxJob.objects.filter(pk=pk, sent_at__isnull=True).update(**changes)
    except Exception:  # queued but not marked: the sweeper sends it again (tasks tolerate that)
        logger.exception("outbox job %s queued but not marked sent", pk)


def _send(pk: int, wrapper, args, kwargs) -> None:
    """After commit: hand one outbox row to Huey. Never raises — the write has committed."""
    try:
        wrapper(*args, **kwargs)
    except Exception as exc:
        _failed(pk, exc, count=True)
        return
    _mark_sent(pk, count=True)


def sweep_outbox(now: datetime | None = None, limit: int = 500) -> int:
    """Queue the outbox rows still unsent whose retry time has come (oldest first); returns how many
    were queued. Each row is claimed first (a guarded UPDATE of its attempt count), so two sweepers at
    once send it once. Rows that used up their attempts stay with their ``last_error`` for the
    operator; sent rows are deleted after 7 days."""
    from .models import OutboxJob

    now = now or timezone.now()
    pending = OutboxJob.objects.filter(sent_at__isnull=True, next_try_at__lte=now,
                                       attempts__lt=_outbox_max_attempts()).order_by("next_try_at", "pk")
    queued = 0
    for row in list(pending[:limit]):
        claimed = OutboxJob.objects.filter(pk=row.pk, sent_at__isnull=True, attempts=row.attempts).update(
            attempts=row.attempts + 1, next_try_at=now + _backoff(row.attempts + 1))
        if not claimed:
            continue
        try:
            wrapper, a, k = _bind(row.task, tuple(row.args.get("args", ())), row.args.get("kwargs", {}))
            wrapper(*a, **k)
        except Exception as exc:
            _failed(row.pk, exc, count=False)
            continue
        _mark_sent(row.pk, count=False)
        queued += 1
    OutboxJob.objects.filter(sent_at__lt=now - timedelta(days=7)).delete()
    return queued


def housekeeping() -> dict:
    """Every minute in the consumer: re-send the outbox, forget idempotency keys older than 24 h."""
    from .idempotency import purge

    return {"outbox_sent": sweep_outbox(), "idempotency_purged": purge()}


housekeeping_periodic = djhuey.db_periodic_task(crontab(), name="kycuong.core.housekeeping")(housekeeping)


@huey.on_startup()
def _sweep_at_start():
    """The consumer starts (after a Redis outage, a deploy…): send what is owed at once."""
    from django.db import close_old_connections

    try:
        sweep_outbox()
    except Exception:  # never stop the consumer from starting
        logger.exception("outbox sweep at consumer start failed")
    finally:
        close_old_connections()


def working_hours(every_minutes: int = 15, unit=None):
    """A periodic schedule: every ``every_minutes`` minutes (on the clock: :00, :15…) inside the
    working windows of a working day of ``unit``'s calendar (the city's by default), window ends
    included — so on a default day it fires from 08:00 to 12:00 and from 13:00 to 17:00."""
    if not 1 <= every_minutes <= 60 or 60 % every_minutes:
        raise ValueError("every_minutes must divide 60")

    def validate(moment: datetime) -> bool:
        if moment.minute % every_minutes:
            return False
        return is_working_time(moment, unit)

    validate.__name__ = f"working_hours_every_{every_minutes}"
    return validate


def is_working_time(moment: datetime, unit=None) -> bool:
    """True if ``moment`` (aware, or naive UTC as Huey's scheduler gives it) falls inside a working
    window of a working day, ends included."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_timezone.utc)
    try:
        from .calendars import calendar_for

        cal = calendar_for(unit)
        local = moment.astimezone(cal.zone)
        working_day = cal.is_working_day(local.date())
        windows = cal.windows
    except Exception:  # the database is away: fall back to Monday–Friday and the default windows
        logger.warning("calendar unavailable for the job schedule; assuming Monday-Friday", exc_info=True)
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        working_day = local.weekday() < 5
        windows = parse_windows(settings.KYCUONG_WORK_WINDOWS)
    if not working_day:
        return False
    clock = local.time().replace(second=0, microsecond=0, tzinfo=None)
    return any(start <= clock <= end for start, end in windows)
