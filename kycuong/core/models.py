"""Units (the organisation tree), people and roles, and the admin-editable calendar overrides."""
import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import fold

# QĐ 20/2020/QĐ-TTg Đ.4: ≤ 35 characters, dot-separated groups; level-1 code MX1X2 (M ∈ A–Y, X digits).
ELECTRONIC_ID_RE = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]{1,6})*$")


def validate_electronic_id(value):
    if len(value) > 35 or not ELECTRONIC_ID_RE.match(value):
        raise ValidationError(
            _("Mã định danh điện tử không đúng định dạng QĐ 20/2020/QĐ-TTg (ví dụ H26.101.01, tối đa 35 ký tự)."),
            code="CORE_BAD_ELECTRONIC_ID",
        )


def validate_windows(value):
    from kycuong.worktime import WorktimeError, parse_windows

    if not value:
        return
    try:
        parse_windows(value)
    except WorktimeError as exc:
        raise ValidationError(
            _("Khung giờ làm việc không hợp lệ; viết dạng 08:00-12:00,13:00-17:00."), code=exc.code
        ) from exc


class Unit(models.Model):
    class Kind(models.TextChoices):
        CITY_COMMITTEE = "city_committee", _("UBND thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        EQUIVALENT_BODY = "equivalent_body", _("Cơ quan tương đương sở")
        SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
        SERVICE_BRANCH = "service_branch", _("Chi nhánh Trung tâm Phục vụ hành chính công")
        SERVICE_POINT = "service_point", _("Điểm phục vụ hành chính công")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        DIVISION = "division", _("Phòng, ban chuyên môn")
        DISTRICT_HISTORICAL = "district_historical", _("Quận, huyện, thị xã (trước 01/7/2025)")

    class Tier(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")
        HISTORICAL_DISTRICT = "district", _("Cấp huyện (đã bãi bỏ từ 01/7/2025)")

    code = models.CharField(
        _("mã định danh điện tử"), max_length=35, unique=True, validators=[validate_electronic_id],
        help_text=_("Theo QĐ 20/2020/QĐ-TTg."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=32, blank=True,
                                  help_text=_("Dùng trong số, ký hiệu văn bản (ví dụ STP, UBND)."))
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=Kind.choices)
    tier = models.CharField(_("cấp"), max_length=16, choices=Tier.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("đơn vị cấp trên"))
    # Materialised path "/<id>/<id>/…/": a subtree is one indexed prefix match on both databases.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="predecessors", verbose_name=_("đơn vị kế thừa"))
    work_windows = models.CharField(
        _("khung giờ làm việc"), max_length=100, blank=True, validators=[validate_windows],
        help_text=_("Để trống để dùng khung giờ của đơn vị cấp trên hoặc mặc định 08:00-12:00,13:00-17:00."),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False,
                                  help_text=_("Tên hoặc mã chưa đối chiếu với văn bản chính thức."))
    note = models.TextField(_("ghi chú, nguồn"), blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Đơn vị không thể kế thừa chính nó.")})

    def is_active_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def effective_windows(self):
        unit = self
        while unit is not None:
            if unit.work_windows:
                return unit.work_windows
            unit = unit.parent
        return ""


class User(AbstractUser):
    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Công dân, doanh nghiệp")
        RECEIVING_OFFICER = "receiving_officer", _("Cán bộ tiếp nhận (một cửa)")
        SPECIALIST = "specialist", _("Chuyên viên xử lý")
        UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
        CLERK = "clerk", _("Văn thư")
        INSPECTOR = "inspector", _("Thanh tra, Nội vụ")
        CITY_LEADERSHIP = "city_leadership", _("Lãnh đạo thành phố")
        ADMINISTRATOR = "administrator", _("Quản trị hệ thống")

    OFFICER_ROLES = frozenset({
        Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK, Role.INSPECTOR,
        Role.CITY_LEADERSHIP, Role.ADMINISTRATOR,
    })

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, default=Role.CITIZEN)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("đơn vị công tác"))
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_officer(self):
        return self.role in self.OFFICER_ROLES


class CalendarOverride(models.Model):
    """An official swap day on top of the `holidays` package (docs/legal/working-time.md §8.2): admins add each year's notice."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ (hoán đổi, nghỉ bù)")
        MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù (thứ Bảy/Chủ nhật đi làm)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngày hoán đổi, làm bù")
        verbose_name_plural = _("ngày hoán đổi, làm bù")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.name}"


from django.utils import timezone  # noqa: E402


class EventQuerySet(models.QuerySet):
    def delete(self):
        # Append-only (docs/design.md rule 3). `update()` stays possible, as raw SQL always is: `audit verify` finds both.
        raise RuntimeError("Events are append-only: they cannot be deleted.")


class Event(models.Model):
    """One fact in the life of a subject (a dossier, a complaint, a case…), chained by hash to the one before.

    Written only by `kycuong.core.events.append`; checked by `kycuong audit verify`.
    """

    subject_type = models.CharField(_("loại đối tượng"), max_length=40)
    # A string key so any aggregate can use it (a dossier code, a complaint number, a pk).
    subject_id = models.CharField(_("mã đối tượng"), max_length=64)
    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại sự kiện"), max_length=60)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("người thực hiện"))
    # The name at the time: the record must not change when the account is renamed.
    actor_label = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị thực hiện"))
    public = models.BooleanField(_("công khai"), default=False, help_text=_("Công dân được xem sự kiện này."))
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    prev_hash = models.CharField(_("mã băm sự kiện trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["seq"]
        constraints = [
            # Two concurrent appends to one subject cannot both get the same seq: the loser's insert fails
            # instead of forking the chain. Its unique index also serves every per-subject read.
            models.UniqueConstraint(fields=["subject_type", "subject_id", "seq"], name="core_event_subject_seq_uniq"),
        ]

    def __str__(self):
        return f"{self.subject_type} {self.subject_id} #{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Events are append-only: an existing event cannot be saved again.")
        # force_insert: an explicit pk of an existing row must fail, not silently become an UPDATE.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Events are append-only: they cannot be deleted.")


class ChainHead(models.Model):
    """The head of one subject's event chain — how many events it has, the last hash, and the state the
    aggregate reached — written in the same transaction as each event and sealed with an HMAC whose key is
    not in the database (settings.KYCUONG_AUDIT_KEY). Deleting the newest events, a whole chain, or rewriting
    a chain with recomputed hashes leaves a head that no longer matches, and forging the head needs the key.
    """

    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64)
    count = models.PositiveIntegerField()
    last_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=40, blank=True)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("đầu chuỗi sự kiện")
        verbose_name_plural = _("đầu chuỗi sự kiện")
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="core_chainhead_subject")]

    def __str__(self):
        return f"{self.subject_type} {self.subject_id} ×{self.count}"


class Notification(models.Model):
    """A message to one person (in-app first; e-mail/SMS adapters come later). Written by `core.notifications`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("người nhận"))
    kind = models.CharField(_("loại thông báo"), max_length=60)
    # What it is about, as a key a page can link to (e.g. a dossier code).
    subject = models.CharField(_("đối tượng"), max_length=64, blank=True)
    message = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    read_at = models.DateTimeField(_("thời điểm đọc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.subject}"


class ApiToken(models.Model):
    """A bearer token for the REST API (`kycuong token USERNAME`). Written by `kycuong.core.tokens`.

    Only the SHA-256 of the token is kept: a leaked table does not give access, and the token itself is
    shown once, when it is issued.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("người dùng"))
    name = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    key_hash = models.CharField(_("mã băm SHA-256 của token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.name or self.pk}"


class Official(models.Model):
    """A cán bộ, công chức or viên chức — a person of the administration, with or without an account.

    Lives in core because both feedback (a report names an official) and discipline (conduct, meetings,
    cases) point at officials, and feedback may not import discipline (docs/design.md: apps import leftwards).
    """

    class Category(models.TextChoices):
        # Luật Cán bộ, công chức 2025; NĐ 172/2025 (cán bộ, công chức); NĐ 112/2020 + 71/2023 (viên chức).
        CAN_BO = "can_bo", _("Cán bộ")
        CONG_CHUC = "cong_chuc", _("Công chức")
        VIEN_CHUC = "vien_chuc", _("Viên chức")
        LAO_DONG = "lao_dong", _("Người lao động")

    class Rank(models.TextChoices):
        HEAD = "head", _("Người đứng đầu")
        DEPUTY = "deputy", _("Cấp phó")
        STAFF = "staff", _("Cán bộ, công chức, viên chức")

    full_name = models.CharField(_("họ và tên"), max_length=150)
    full_name_folded = models.CharField(max_length=150, editable=False, db_index=True, default="")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officials", verbose_name=_("đơn vị"))
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    category = models.CharField(_("đối tượng"), max_length=16, choices=Category.choices, default=Category.CONG_CHUC)
    rank = models.CharField(_("cấp"), max_length=8, choices=Rank.choices, default=Rank.STAFF)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="official",
                                verbose_name=_("tài khoản"))
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    active = models.BooleanField(_("đang công tác"), default=True)

    class Meta:
        verbose_name = _("cán bộ, công chức, viên chức")
        verbose_name_plural = _("cán bộ, công chức, viên chức")
        ordering = ["unit__path", "full_name"]
        indexes = [models.Index(fields=["unit", "rank"], name="official_unit_rank")]

    def __str__(self):
        return f"{self.full_name} ({self.position})" if self.position else self.full_name

    @property
    def is_leader(self):
        return self.rank in (self.Rank.HEAD, self.Rank.DEPUTY)

    def save(self, *args, **kwargs):
        self.full_name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class OutboxJob(models.Model):
    """A job promised by a committed write (``jobs.on_commit``): written in the caller's transaction,
    handed to Huey after commit, re-sent by the sweeper until the queue took it (issue 18)."""

    task = models.CharField(max_length=200)                 # dotted path of the task or plain function
    args = models.JSONField(default=dict)                   # {"args": [...], "kwargs": {...}}
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(default=timezone.now)  # the sweeper's backoff
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "next_try_at"], name="core_outbox_pending")]

    def __str__(self):
        return f"{self.task} #{self.pk}"


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key`` (core.idempotency): a retry with the same
    key gets it back instead of writing again. ``status`` is null while the first request is running."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request = models.CharField(max_length=300)              # "POST /api/v1/dossiers"
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.BinaryField(default=b"")
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]
