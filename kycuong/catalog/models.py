"""The procedure catalog: procedures (stable code), their dated versions, internal steps, fees, documents,
legal bases, and the compliance-cost records of simplification plans.

A procedure is an identity (its national code); everything the law can change lives on a
`ProcedureVersion` with `effective_from`/`effective_to` (both inclusive), so a dossier can always be
judged against the rules in force on the day it was received (docs/legal/in-force.md §0).
Only `services.py` writes these tables.
"""
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Unit, User

# 1 working day = 8 working hours (Hà Nội QĐ 1594/QĐ-TTPVHCC: "30 ngày = 240 giờ"; docs/legal/working-time.md §2.3).
HOURS_PER_DAY = Decimal(8)


class Level(models.TextChoices):
    """Same values as core.Unit.Tier, so a unit's tier and a procedure's level compare directly."""

    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện (đã bãi bỏ từ 01/7/2025)")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày (theo lịch)")


class ResultForm(models.TextChoices):
    PAPER = "paper", _("Bản giấy")
    ELECTRONIC = "electronic", _("Bản điện tử")
    BOTH = "both", _("Bản giấy và bản điện tử")


class OnlineLevel(models.TextChoices):
    """k.1 Đ.11 NĐ 42/2022/NĐ-CP (docs/legal/portal-and-payments.md §3)."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không cung cấp trực tuyến")


class Channel(models.TextChoices):
    """Receiving channels; the numbers are KenhThucHien of the national portal (docs/legal/decision-766.md §1.2, 3.3)."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")


COMMUNE_UNIT_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)


class Field(models.Model):
    """Lĩnh vực (hộ tịch, chứng thực, đất đai, …)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalBasis(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=64, unique=True,
                              help_text=_("Ví dụ 118/2025/NĐ-CP."))
    title = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hiệu lực đến hết ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} — {self.title}"


class Procedure(models.Model):
    """The stable identity of a procedure: its code. Name and rules live on the versions."""

    code = models.CharField(_("mã thủ tục"), max_length=64, unique=True,
                            help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193."))
    # Name of the latest version, kept here for the back-office list and search.
    name = models.CharField(_("tên thủ tục (phiên bản mới nhất)"), max_length=500, blank=True, editable=False)
    name_folded = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False,
                                  help_text=_("Mã hoặc thời hạn chưa đối chiếu với văn bản công bố chính thức."))
    source_note = models.TextField(_("nguồn, ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}" if self.name else self.code


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions",
                                  verbose_name=_("thủ tục"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("áp dụng đến hết ngày"), null=True, blank=True,
                                    help_text=_("Để trống nếu đang áp dụng. Tự điền khi công bố phiên bản mới."))

    # Part 1 — tên.
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_folded = models.CharField(max_length=500, editable=False, db_index=True, default="")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices)
    # Part 2 — trình tự thực hiện.
    sequence = models.TextField(_("trình tự thực hiện"), blank=True)
    # Part 3 — cách thức thực hiện: the channels, with optional detail.
    channel_direct = models.BooleanField(_("nộp trực tiếp"), default=False)
    channel_online = models.BooleanField(_("nộp trực tuyến"), default=False)
    channel_postal = models.BooleanField(_("nộp qua bưu chính công ích"), default=False)
    method = models.TextField(_("cách thức thực hiện (chi tiết)"), blank=True)
    # Part 4 — thành phần, số lượng hồ sơ: documents (ProcedureDocument) and number of sets.
    dossier_sets = models.PositiveSmallIntegerField(_("số lượng bộ hồ sơ"), default=1)
    # Part 5 — thời hạn giải quyết.
    limit_amount = models.DecimalField(_("thời hạn giải quyết"), max_digits=6, decimal_places=1)
    limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=LimitUnit.choices,
                                  default=LimitUnit.WORKING_DAYS)
    limit_note = models.CharField(_("diễn giải thời hạn"), max_length=500, blank=True,
                                  help_text=_("Nguyên văn khi thời hạn không chỉ là một con số, "
                                              "ví dụ “ngay trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo”."))
    service_target_amount = models.DecimalField(
        _("thời hạn cam kết của đơn vị"), max_digits=6, decimal_places=1, null=True, blank=True,
        help_text=_("Cùng đơn vị với thời hạn luật định; không được dài hơn."),
    )
    cutoff = models.TimeField(_("giờ tiếp nhận muộn nhất trong ngày"), null=True, blank=True,
                              help_text=_("Hồ sơ nhận sau giờ này tính từ ngày làm việc tiếp theo (ví dụ 15:00)."))
    # Part 6 — đối tượng thực hiện.
    subjects = models.TextField(_("đối tượng thực hiện"), blank=True)
    # Part 7 — cơ quan thực hiện: the published text, plus the units it resolves to.
    deciding_authority = models.CharField(_("cơ quan thực hiện"), max_length=500, blank=True,
                                          help_text=_("Như công bố, ví dụ “Ủy ban nhân dân cấp xã”."))
    deciding_units = models.ManyToManyField(Unit, blank=True, related_name="deciding_procedure_versions",
                                            verbose_name=_("đơn vị có thẩm quyền quyết định"))
    receiving_units = models.ManyToManyField(Unit, blank=True, related_name="receiving_procedure_versions",
                                             verbose_name=_("nơi tiếp nhận hồ sơ"))
    # A commune-level procedure is done by every ward/commune: one flag instead of 126 M2M rows per version.
    all_communes = models.BooleanField(_("mọi UBND cấp xã thực hiện"), default=False)

    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_form = models.CharField(_("hình thức kết quả"), max_length=16, choices=ResultForm.choices,
                                   default=ResultForm.BOTH)
    result_name = models.CharField(_("tên kết quả"), max_length=500, blank=True)
    online_level = models.CharField(_("mức độ dịch vụ công trực tuyến"), max_length=16,
                                    choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    full_online_eligible = models.BooleanField(_("đủ điều kiện cung cấp toàn trình"), default=False)
    legal_bases = models.ManyToManyField(LegalBasis, blank=True, related_name="versions",
                                         verbose_name=_("căn cứ pháp lý"))
    dossiers_per_year = models.PositiveIntegerField(_("số hồ sơ bình quân mỗi năm"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "effective_from"], name="catalog_version_unique_start"),
            models.CheckConstraint(condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                                   name="catalog_version_dates_ordered"),
            models.CheckConstraint(condition=Q(limit_amount__gt=0), name="catalog_version_limit_positive"),
        ]
        indexes = [models.Index(fields=["effective_from", "effective_to"], name="catalog_version_dates")]

    def __str__(self):
        return f"{self.procedure.code} — {self.name} ({self.effective_from:%d/%m/%Y})"

    @property
    def channels(self) -> list[str]:
        return [c for c, on in ((Channel.DIRECT, self.channel_direct), (Channel.ONLINE, self.channel_online),
                                (Channel.POSTAL, self.channel_postal)) if on]

    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels]

    def is_in_force(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class ProcedureStep(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps",
                                verbose_name=_("phiên bản"))
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=32, choices=User.Role.choices, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị thực hiện"))
    hours = models.DecimalField(_("số giờ làm việc"), max_digits=7, decimal_places=2)
    is_return_step = models.BooleanField(_("bước trả kết quả"), default=False,
                                         help_text=_("Bước cuối, không tính thời gian."))
    # Separation of duties (onestop.policy): whoever completed an earlier step of the dossier may not
    # complete this one (e.g. the specialist who examined it does not also sign it).
    requires_second_person = models.BooleanField(
        _("người khác hoàn thành"), default=False,
        help_text=_("Người đã hoàn thành một bước trước của hồ sơ không được hoàn thành bước này."))

    class Meta:
        verbose_name = _("bước xử lý nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="catalog_step_unique_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ProcedureFee(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees",
                                verbose_name=_("phiên bản"))
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("khoản phí, lệ phí"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "order"]

    def __str__(self):
        return f"{self.name}: {self.amount_vnd:,} đ".replace(",", ".")


class ProcedureDocument(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("phiên bản"))
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order"]

    def __str__(self):
        return self.name


class HourlyRate(models.Model):
    """Cost of one working hour of a citizen, by year (docs/legal/reform.md §5; default 40,000 VND)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    vnd_per_hour = models.PositiveIntegerField(_("chi phí một giờ làm việc (đồng)"))
    source = models.CharField(_("nguồn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đơn giá giờ làm việc")
        verbose_name_plural = _("đơn giá giờ làm việc")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.vnd_per_hour:,} đ/giờ".replace(",", ".")


class SimplificationRecord(models.Model):
    """A simplification of one procedure's time, with its compliance cost before and after (docs/legal/reform.md §5).

    The hourly rate used is stored, so the figures do not move when the rate table changes later.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="simplifications",
                                  verbose_name=_("thủ tục"))
    basis = models.CharField(_("phương án, quyết định"), max_length=300, blank=True,
                             help_text=_("Ví dụ QĐ 2816/QĐ-UBND ngày 20/11/2025."))
    year = models.PositiveSmallIntegerField(_("năm tính đơn giá"))
    time_unit = models.CharField(_("đơn vị thời gian"), max_length=16, choices=LimitUnit.choices)
    time_before = models.DecimalField(_("thời gian trước"), max_digits=6, decimal_places=1)
    time_after = models.DecimalField(_("thời gian sau"), max_digits=6, decimal_places=1)
    dossiers_per_year = models.PositiveIntegerField(_("số hồ sơ mỗi năm"))
    hourly_rate_vnd = models.PositiveIntegerField(_("đơn giá giờ làm việc đã dùng (đồng)"))
    cost_before_vnd = models.PositiveBigIntegerField(_("chi phí tuân thủ trước (đồng/năm)"))
    cost_after_vnd = models.PositiveBigIntegerField(_("chi phí tuân thủ sau (đồng/năm)"))
    saving_vnd = models.BigIntegerField(_("chi phí tiết kiệm (đồng/năm)"))
    reduction_percent = models.DecimalField(_("tỷ lệ cắt giảm (%)"), max_digits=6, decimal_places=2,
                                            null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phương án đơn giản hóa")
        verbose_name_plural = _("phương án đơn giản hóa")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.procedure.code}: {self.time_before} → {self.time_after}"
