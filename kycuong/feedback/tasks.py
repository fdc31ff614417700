"""Background and periodic jobs of the feedback app (through kycuong.core.jobs).

* ``warn_due_tomorrow`` — the working day before a report's running clock ends (refusal, handling or
  publication, docs/legal/decision-766.md §1.4), the leaders of the responsible unit and the inspector handling it are told.
* ``mark_overdue`` — every clock that ran out is marked once on the report (services.mark_overdue).
* ``tell_reporter`` — after publication, the reporter is told (in-app notification and e-mail).
"""
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy

from kycuong.core import jobs
from kycuong.core.models import User
from kycuong.core.notifications import notify, notify_many

from . import queries, services
from .models import Report

DUE_SOON = "feedback_due_soon"
PUBLISHED = "feedback_published"
CLOCK_NAMES = {"refuse": gettext_lazy("từ chối tiếp nhận"), "handle": gettext_lazy("xử lý"),
               "publish": gettext_lazy("công khai")}


def warn_due_tomorrow(now=None) -> int:
    now = now or timezone.now()
    warned = 0
    with translation.override(settings.LANGUAGE_CODE):
        for report, clock, due in queries.due_within_a_working_day(now):
            recipients = list(User.objects.filter(role=User.Role.UNIT_LEADER, is_active=True,
                                                  unit=report.responsible_unit).order_by("pk"))
            if report.inspector_id:
                recipients.append(report.inspector)
            message = gettext("Phản ánh %(code)s: hạn %(clock)s lúc %(due)s.") % {
                "code": report.code, "clock": str(CLOCK_NAMES[clock]),
                "due": timezone.localtime(due).strftime("%H:%M %d/%m/%Y")}
            with transaction.atomic():
                # The flag is bookkeeping (no state change): a guarded UPDATE so two runs warn once.
                fresh = Report.objects.select_for_update().get(pk=report.pk)
                if clock in fresh.warned:
                    continue
                Report.objects.filter(pk=report.pk).update(warned=[*fresh.warned, clock])
                notify_many(recipients, DUE_SOON, report.code, message)
            warned += 1
    return warned


def mark_overdue(now=None) -> int:
    return services.mark_overdue(now)


TOLD = "told_reporter"  # the bookkeeping mark in Report.warned: the reporter was told of the publication


def tell_reporter(report_id: int) -> None:
    """Tell the reporter once: the outbox delivers at least once (core.jobs), so the run claims the mark
    (a locked read + UPDATE, as ``warn_due_tomorrow`` does) in the transaction that writes the in-app
    notification; a second run finds the mark and stops. The e-mail goes after the commit."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        report = Report.objects.select_for_update().get(pk=report_id)
        if TOLD in report.warned:
            return
        Report.objects.filter(pk=report.pk).update(warned=[*report.warned, TOLD])
        message = gettext("Phản ánh %(code)s đã được trả lời công khai trên Cổng dịch vụ công.") % {
            "code": report.code}
        if report.reporter_id:
            notify(report.reporter, PUBLISHED, report.code, message)
        subject = gettext("Kết quả xử lý phản ánh %(code)s") % {"code": report.code}
    if report.reporter_email:
        send_mail(subject, message, None, [report.reporter_email], fail_silently=True)


warn_due_tomorrow_periodic = jobs.periodic(jobs.working_hours(every_minutes=15))(warn_due_tomorrow)
mark_overdue_periodic = jobs.periodic(jobs.working_hours(every_minutes=15))(mark_overdue)
