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
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone as dt_timezone
from importlib import import_module
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from huey import crontab  # noqa: F401  (re-exported: jobs.crontab)
from huey.api import Result, TaskWrapper
from huey.contrib import djhuey

from kycuong.worktime import parse_windows

logger = logging.getLogger(__name__)

huey = djhuey.HUEY
"""The Huey instance the consumer runs (``settings.HUEY``)."""

__all__ = ["huey", "task", "periodic", "crontab", "working_hours", "enqueue", "on_commit", "call", "ping",
           "is_working_time"]


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
    queued at once. The target is checked now, so a typo fails in the service, not later."""
    wrapper, a, k = _bind(target, args, kwargs)
    transaction.on_commit(lambda: wrapper(*a, **k))


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
