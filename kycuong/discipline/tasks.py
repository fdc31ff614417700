"""Periodic jobs of the discipline app (through kycuong.core.jobs).

* ``remind_tasks`` — every 15 minutes of working time: (1) a task due within the next
  ``KYCUONG_TASK_REMIND_WORKING_DAYS`` working days (default 2) whose report has not come in: the leaders of
  the task's unit are reminded once; (2) a task past its deadline and not done: the leaders of the unit
  and the issuer are told once that it is late (overdue-open).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from kycuong.core import jobs
from kycuong.core.calendars import calendar_for
from kycuong.core.models import User
from kycuong.core.notifications import notify_many

from .models import Task

REMIND = "task_due_soon"
OVERDUE = "task_overdue"
WAITING = (Task.State.OPEN, Task.State.RETURNED)


def _leaders(unit_ids):
    out = defaultdict(list)
    for leader in User.objects.filter(role=User.Role.UNIT_LEADER, is_active=True, unit_id__in=unit_ids).order_by("pk"):
        out[leader.unit_id].append(leader)
    return out


def _due(task):
    return timezone.localtime(task.due_at).strftime("%H:%M %d/%m/%Y")


def remind_tasks(now: datetime | None = None) -> dict:
    """Send the reminders and late notices due at `now`; each task is claimed once by a guarded UPDATE of
    its bookkeeping flag (not a state change: no event, no version bump), so two runs never notify twice."""
    now = now or timezone.now()
    days = int(getattr(settings, "KYCUONG_TASK_REMIND_WORKING_DAYS", 2))
    horizon = calendar_for(None).due(now, days, "working_days").due
    soon = list(Task.objects.filter(state__in=WAITING, reminded_at__isnull=True, due_at__gt=now, due_at__lte=horizon)
                .select_related("directive", "unit"))
    late = list(Task.objects.filter(~Q(state=Task.State.ACCEPTED), overdue_notified_at__isnull=True, due_at__lte=now)
                .select_related("directive__created_by", "unit"))
    leaders = _leaders({t.unit_id for t in soon + late})
    sent = {"reminded": 0, "overdue": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for task in soon:
            with transaction.atomic():
                if Task.objects.filter(pk=task.pk, reminded_at__isnull=True).update(reminded_at=now) != 1:
                    continue
                notify_many(leaders[task.unit_id], REMIND, f"task:{task.pk}", gettext(
                    "Sắp đến hạn báo cáo nhiệm vụ “%(t)s” (%(d)s), hạn %(due)s.")
                    % {"t": task.title, "d": task.directive.number, "due": _due(task)})
            sent["reminded"] += 1
        for task in late:
            with transaction.atomic():
                if Task.objects.filter(pk=task.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=now) != 1:
                    continue
                issuer = task.directive.created_by
                notify_many(leaders[task.unit_id] + ([issuer] if issuer else []), OVERDUE, f"task:{task.pk}", gettext(
                    "Nhiệm vụ “%(t)s” (%(d)s) của %(u)s đã quá hạn %(due)s mà chưa hoàn thành.")
                    % {"t": task.title, "d": task.directive.number, "u": task.unit.name, "due": _due(task)})
            sent["overdue"] += 1
    return sent


remind_tasks_periodic = jobs.periodic(jobs.working_hours(every_minutes=15))(remind_tasks)


def record_late_dossiers(now: datetime | None = None, days: int = 2) -> int:
    """Late-dossier responsibility: for each dossier whose processing ended in the last `days` days and was
    late (onestop.services.timeliness), conduct records for the step assignees who overran their steps
    (services.record_late_dossier). Idempotent: one record per dossier step."""
    from datetime import timedelta

    from kycuong.onestop.models import Dossier
    from kycuong.onestop.services import timeliness

    from .services import record_late_dossier

    now = now or timezone.now()
    made = 0
    for dossier in Dossier.objects.filter(processing_end_at__gte=now - timedelta(days=days),
                                          processing_end_at__lte=now).select_related("receiving_unit"):
        if timeliness(dossier, now).status == "late":
            made += len(record_late_dossier(dossier, now))
    return made


# Every evening at 18:00 Hà Nội time (11:00 UTC).
record_late_dossiers_periodic = jobs.periodic(jobs.crontab(minute="0", hour="11"))(record_late_dossiers)
