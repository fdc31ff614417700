"""Dossiers (hồ sơ) and their internal steps. Fields follow what QĐ 766 needs per dossier (docs/legal/decision-766.md §1.4)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kycuong.catalog.models import Procedure, ProcedureVersion
from kycuong.core.models import Unit

from .workflow import OPEN_STATES, State


class Channel(models.IntegerChoices):
    """KenhThucHien of the national reporting system."""

    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")


class OnlinePayment(models.IntegerChoices):
    """DuocThanhToanTrucTuyen."""

    NONE = 0, _("Không")
    NATIONAL_PORTAL = 1, _("Qua Cổng DVCQG")
    LOCAL_PORTAL = 2, _("Qua cổng thanh toán của địa phương")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers",
                                  verbose_name=_("thủ tục"))
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers")
    # The deciding unit owns the dossier (scoping, dossier code); the receiving unit is where it came in
    # (boundary-free intake: any branch may receive for any unit, docs/legal/units.md §9).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossiers",
                             verbose_name=_("đơn vị giải quyết"))
    receiving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="received_dossiers",
                                       verbose_name=_("nơi tiếp nhận"))
    channel = models.PositiveSmallIntegerField(_("kênh thực hiện"), choices=Channel.choices)
    state = models.PositiveSmallIntegerField(_("trạng thái"), choices=State.choices, db_index=True)
    state_before_supplement = models.PositiveSmallIntegerField(null=True, blank=True, choices=State.choices)

    applicant_name = models.CharField(_("người nộp"), max_length=200)
    applicant_name_folded = models.CharField(max_length=200, db_index=True, editable=False, default="")
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="dossiers", verbose_name=_("tài khoản công dân"))
    documents_received = models.JSONField(_("giấy tờ đã nhận"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    # The clock (all aware, stored UTC). Snapshot of the limit so a catalog edit never moves a running clock.
    limit_amount = models.DecimalField(max_digits=6, decimal_places=1)
    limit_unit = models.CharField(max_length=16)
    cutoff = models.TimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày nộp"))                                   # NgayNopHoSo
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)       # NgayTiepNhan
    clock_start_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)  # NgayHenTra
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"), null=True, blank=True)
    processing_end_at = models.DateTimeField(_("ngày kết thúc xử lý"), null=True, blank=True)  # NgayKetThucXuLy
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    supplement_completed_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_reason = models.TextField(blank=True)
    apology_count = models.PositiveSmallIntegerField(default=0)
    apology_reason = models.TextField(blank=True)
    apologized_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("lý do từ chối, dừng, rút"), blank=True)

    fee_total_vnd = models.PositiveBigIntegerField(default=0)
    paid_online = models.PositiveSmallIntegerField(choices=OnlinePayment.choices, default=OnlinePayment.NONE)
    result_is_electronic = models.BooleanField(default=False)
    result_file = models.FileField(upload_to="results/%Y/%m/", blank=True)
    digitised = models.BooleanField(default=False)
    reused_data = models.BooleanField(default=False)
    vneid_verified = models.BooleanField(default=False)
    warned_at = models.DateTimeField(null=True, blank=True)

    current_step = models.ForeignKey("DossierStep", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # Optimistic concurrency: every write bumps it; a write based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["unit", "state", "due_at"], name="dossier_queue"),
            models.Index(fields=["unit", "-received_at"], name="dossier_recent"),
            models.Index(fields=["procedure", "state"], name="dossier_proc_state"),
            # The live part of the scoreboard's 2.1 (received, still open dossiers per unit): read in unit order
            # from this small index instead of sorting ~80,000 rows of the big table (at city scale, docs/performance.md).
            models.Index(fields=["unit"], include=["id", "state", "supplement_count", "supplement_requested_at",
                                                   "original_due_at"],
                         condition=models.Q(state__in=sorted(OPEN_STATES), received_at__isnull=False,
                                            processing_end_at__isnull=True),
                         name="dossier_open_by_unit"),
        ]

    def __str__(self):
        return self.code


class DossierStep(models.Model):
    """A step of the procedure's internal process, with its own clock and the person who held it (Mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=32, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    allotted_minutes = models.PositiveIntegerField()
    is_return_step = models.BooleanField(default=False)
    requires_second_person = models.BooleanField(default=False)  # copied from the procedure at intake
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="dossier_steps")
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    used_minutes = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order")]
        indexes = [models.Index(fields=["assignee", "finished_at"], name="step_assignee_open")]


class DailyCounter(models.Model):
    """The daily sequence XXXX of the dossier code, per deciding unit (TT 04/2025/TT-VPCP)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_counter_unit_day")]
