"""Background and periodic jobs of the one-stop shop (through the jobs facade, kycuong.core.jobs).

* ``warn_due_tomorrow`` — two working days (16 working hours) before an appointment, the person holding
  the dossier and the leaders of its deciding unit are told to finish it or to send the apology letter
  with a new appointment — while that is still allowed: the apology must go out at least one working
  day before the due time (docs/legal/one-stop.md §2.2, NĐ 61/2018 Đ.19). A moved appointment is warned about again.
  The consumer runs it every 15 minutes of working time.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from kycuong.core import jobs
from kycuong.core.models import User
from kycuong.core.notifications import notify_many

from . import queries
from .models import Dossier

DUE_SOON = "dossier_due_soon"


def mark_warned(dossier_ids, at: datetime) -> int:
    """Set the bookkeeping flag ``Dossier.warned_at`` on the dossiers not warned yet; returns how many.

    Only ``warned_at`` is written, with one queryset UPDATE: it is not a state change (no event, no
    version bump, ``updated_at`` untouched), so it stays outside ``services.py``. The ``warned_at IS
    NULL`` guard makes the flag a claim: of two concurrent runs, one gets the row and warns."""
    return Dossier.objects.filter(pk__in=list(dossier_ids), warned_at__isnull=True).update(warned_at=at)


def due_message(dossier: Dossier) -> str:
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    if dossier.apology_count:  # rescheduled once already: no second apology (docs/legal/one-stop.md §2.2)
        return gettext("Hồ sơ %(code)s đến hạn đã hẹn lại lúc %(due)s — không được hẹn lại lần nữa, cần trả "
                       "kết quả đúng hẹn.") % {"code": dossier.code, "due": due}
    return gettext("Hồ sơ %(code)s đến hạn lúc %(due)s — cần xử lý hoặc gửi văn bản xin lỗi, hẹn lại "
                   "trước hạn 01 ngày làm việc.") % {"code": dossier.code, "due": due}


def warn_due_tomorrow(now: datetime | None = None) -> int:
    """Warn once about every dossier of ``queries.due_for_warning(now)`` (open, clock running, due within
    the next 16 working hours, not warned since its due time last moved): its current step's assignee and every active unit leader of
    its deciding unit get a notification; the dossier is marked warned. Returns the dossiers warned.

    Idempotent: a dossier is claimed (``mark_warned``) and notified in one transaction, so running it
    twice — or in two consumers at once — warns once."""
    now = now or timezone.now()
    dossiers = list(queries.due_for_warning(now).select_related("current_step__assignee").order_by("due_at", "id"))
    if not dossiers:
        return 0
    leaders = defaultdict(list)
    for leader in User.objects.filter(role=User.Role.UNIT_LEADER, is_active=True,
                                      unit_id__in={d.unit_id for d in dossiers}).order_by("pk"):
        leaders[leader.unit_id].append(leader)
    warned = 0
    with translation.override(settings.LANGUAGE_CODE):
        for dossier in dossiers:
            step = dossier.current_step
            assignee = step.assignee if step is not None and step.assignee_id else None
            recipients = ([assignee] if assignee is not None and assignee.is_active else []) + leaders[dossier.unit_id]
            with transaction.atomic():
                if mark_warned([dossier.pk], now) != 1:
                    continue  # another run got there first
                notify_many(recipients, DUE_SOON, dossier.code, due_message(dossier))
            warned += 1
    return warned


# The consumer's scheduler: every 15 minutes inside the city's working windows of working days.
warn_due_tomorrow_periodic = jobs.periodic(jobs.working_hours(every_minutes=15))(warn_due_tomorrow)
