"""Reports (phản ánh, kiến nghị), their routing history, files, readers' votes and Open311 API keys.

Every deadline is computed once by `worktime` and stored with the instant its clock started (docs/design.md
rule 5); a calendar edit never moves them silently.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kycuong.catalog.models import Procedure
from kycuong.core.models import Official, Unit
from kycuong.onestop.models import Dossier

from .workflow import State


class Kind(models.TextChoices):
    """The two classes of indicator 5.1 (docs/legal/decision-766.md §1.2)."""

    PROCEDURE = "procedure", _("Về quy định, thủ tục hành chính")
    CONDUCT = "conduct", _("Về hành vi, thái độ của cán bộ, công chức, đơn vị")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    HOTLINE = "hotline", _("Đường dây nóng")
    WALK_IN = "walk_in", _("Trực tiếp tại cơ quan")
    OPEN311 = "open311", _("Ứng dụng qua Open311")


class Conclusion(models.TextChoices):
    FOUNDED = "founded", _("Đúng")
    PARTLY_FOUNDED = "partly_founded", _("Đúng một phần")
    UNFOUNDED = "unfounded", _("Không đúng")


FOUNDED_CONCLUSIONS = (Conclusion.FOUNDED, Conclusion.PARTLY_FOUNDED)


class Report(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    kind = models.CharField(_("phân loại"), max_length=16, choices=Kind.choices, db_index=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=16, choices=Channel.choices)
    state = models.CharField(_("trạng thái"), max_length=24, choices=State.choices, db_index=True)
    version = models.PositiveIntegerField(default=1)

    title = models.CharField(_("tiêu đề"), max_length=200)
    text = models.TextField(_("nội dung"))
    # Sorted distinct words of the folded title + text: the input of the repeat detection (repeats.py).
    words = models.TextField(editable=False, default="")

    # What the report names (any may be empty).
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="reports",
                                verbose_name=_("hồ sơ"))
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="reports", verbose_name=_("thủ tục"))
    named_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("đơn vị bị phản ánh"))
    official = models.ForeignKey(Official, null=True, blank=True, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("cán bộ bị phản ánh"))
    official_description = models.CharField(_("mô tả cán bộ (nếu không rõ tên)"), max_length=200, blank=True)

    # Routing: the unit suggested from what is named, the one responsible now, where it came in.
    suggested_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("đơn vị gợi ý"))
    responsible_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="feedback_reports",
                                         verbose_name=_("đơn vị xử lý"))
    unit_confirmed = models.BooleanField(_("đã xác nhận đơn vị xử lý"), default=False)
    transfer_count = models.PositiveSmallIntegerField(_("số lần chuyển"), default=0)

    # The reporter. Visible only to the inspectors handling the report (queries.can_see_reporter).
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="feedback_reports", verbose_name=_("tài khoản người phản ánh"))
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    reporter_name = models.CharField(_("họ tên người phản ánh"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("thư điện tử"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("cán bộ nhập"))

    # Open311 extras.
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(blank=True, max_length=500)
    attributes = models.JSONField(default=dict, blank=True)
    api_key = models.ForeignKey("ApiKey", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    open311_token = models.CharField(max_length=40, blank=True, db_index=True)

    # Clocks (docs/legal/decision-766.md §1.4). clock_start_at = submission or the latest transfer.
    submitted_at = models.DateTimeField(_("thời điểm gửi"), db_index=True)
    clock_start_at = models.DateTimeField(_("bắt đầu tính hạn"))
    refuse_due_at = models.DateTimeField(_("hạn từ chối"))
    info_due_at = models.DateTimeField(_("hạn yêu cầu bổ sung"))
    handle_due_at = models.DateTimeField(_("hạn xử lý"), db_index=True)
    publish_due_at = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    # Overdue marks: which clocks were missed ("refuse", "info", "handle", "publish"), set once, never cleared.
    overdue = models.JSONField(_("quá hạn"), default=list, blank=True)
    warned = models.JSONField(default=list, blank=True)  # clocks already warned about (the day before)

    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    info_request = models.TextField(_("nội dung yêu cầu bổ sung"), blank=True)

    # Verification of conduct reports.
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("thanh tra phụ trách"))
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("người xác minh"))
    findings = models.TextField(_("kết quả xác minh"), blank=True)
    conclusion = models.CharField(_("kết luận"), max_length=16, choices=Conclusion.choices, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("người kết luận"))

    # The answer: written by the officer for the public; masked again on the way out (masking.py).
    public_answer = models.TextField(_("nội dung trả lời công khai"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("người trả lời"))
    likes = models.PositiveIntegerField(_("thích"), default=0)
    dislikes = models.PositiveIntegerField(_("không thích"), default=0)

    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats",
                                  verbose_name=_("trùng với phản ánh"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["responsible_unit", "state", "handle_due_at"], name="fb_report_queue"),
            models.Index(fields=["state", "published_at"], name="fb_report_published"),
            # The live part of the scoreboard's 5.2/5.3: reports whose handling has not ended, per unit.
            models.Index(fields=["responsible_unit"], include=["handle_due_at", "repeat_of", "likes", "dislikes"],
                         condition=models.Q(handled_at__isnull=True) & ~models.Q(state=State.REFUSED),
                         name="fb_report_open_by_unit"),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None

    @property
    def unit(self):
        """The unit concerned (signals.report_founded): the official's unit, else the unit the report names."""
        return self.official.unit if self.official_id else self.named_unit


class Routing(models.Model):
    """One step of the routing history: suggested, confirmed, transferred. Never edited."""

    class Step(models.TextChoices):
        SUGGESTED = "suggested", _("Gợi ý")
        CONFIRMED = "confirmed", _("Xác nhận")
        TRANSFERRED = "transferred", _("Chuyển")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="routings")
    step = models.CharField(max_length=16, choices=Step.choices)
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lịch sử chuyển")
        verbose_name_plural = _("lịch sử chuyển")


class Attachment(models.Model):
    class Purpose(models.TextChoices):
        REPORT = "report", _("Tệp kèm phản ánh")
        EVIDENCE = "evidence", _("Chứng cứ xác minh")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.REPORT)
    file = models.FileField(upload_to="feedback/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    mime = models.CharField(max_length=60)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]


class Vote(models.Model):
    """A reader's like (+1) or dislike (−1) of a published answer (indicator 5.3): one per reader."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)  # "u:<user id>" or "s:<sha256 of a cookie id>"
    value = models.SmallIntegerField()
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "voter"], name="fb_vote_one_per_reader")]


class ApiKey(models.Model):
    """An Open311 client's key. Only the SHA-256 is kept; the key is shown once, when created in admin."""

    name = models.CharField(_("ứng dụng"), max_length=150)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API Open311")
        verbose_name_plural = _("khóa API Open311")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
