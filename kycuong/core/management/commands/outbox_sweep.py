from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kycuong.core import jobs
from kycuong.core.idempotency import purge
from kycuong.core.models import OutboxJob


class Command(BaseCommand):
    help = _("Gửi lại vào hàng đợi các việc nền chưa gửi được (outbox) và xóa khóa Idempotency-Key quá 24 giờ "
             "(cho cron/systemd; tiến trình nền cũng tự chạy mỗi phút).")

    def handle(self, *args, **opts):
        queued = jobs.sweep_outbox()
        purged = purge()
        left = OutboxJob.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(_("Đã gửi %(queued)d việc; còn %(left)d việc chưa gửi; xóa %(purged)d khóa cũ.")
                          % {"queued": queued, "left": left, "purged": purged})
