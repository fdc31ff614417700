"""Online payments of dossier fees. Written only by `integrations.services`."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Đang chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Thanh toán không thành công")
        CANCELLED = "cancelled", _("Đã hủy thanh toán")

    dossier = models.ForeignKey("onestop.Dossier", on_delete=models.PROTECT, related_name="payments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    gateway = models.CharField(max_length=32)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    gateway_txn_no = models.CharField(max_length=64, blank=True)
    response_code = models.CharField(max_length=8, blank=True)
    receipt_no = models.CharField(_("số biên lai"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thanh toán trực tuyến")
        verbose_name_plural = _("thanh toán trực tuyến")
