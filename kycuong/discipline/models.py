"""Conduct rules and records, reminders and criticisms, meetings and attendance, outgoing letters,
disciplinary cases and directives with their tasks (docs/legal/discipline.md §6, docs/legal/documents.md §7). Written only by `services.py`."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Official, Unit

from . import sanctions

USER = settings.AUTH_USER_MODEL


# --- conduct ---------------------------------------------------------------------------------------------

class ConductRule(models.Model):
    class Group(models.TextChoices):
        PROHIBITED = "prohibited", _("Việc cán bộ, công chức không được làm (Luật CBCC 2025 Đ.14)")
        ONE_STOP = "one_stop", _("Trách nhiệm công chức Bộ phận Một cửa (NĐ 118/2025)")
        MANNERS = "manners", _("Quy tắc ứng xử “4 xin, 4 luôn”")
        MEETING = "meeting", _("Trách nhiệm người dự họp (QĐ 45/2018/QĐ-TTg Đ.15)")
        UNIT = "unit", _("Quy chế của đơn vị")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    group = models.CharField(_("nhóm"), max_length=16, choices=Group.choices)
    title = models.CharField(_("nội dung"), max_length=400)
    source = models.CharField(_("căn cứ"), max_length=200)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị (quy chế riêng)"))
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc công vụ")
        verbose_name_plural = _("quy tắc công vụ")
        ordering = ["group", "code"]

    def __str__(self):
        return f"{self.code} — {self.title}"


class SourceKind(models.TextChoices):
    COMPLAINT = "complaint", _("Phản ánh, kiến nghị có cơ sở")
    MEETING = "meeting", _("Vi phạm chế độ hội họp")
    LATE_DOSSIER = "late_dossier", _("Trách nhiệm hồ sơ trễ hạn")
    INSPECTION = "inspection", _("Kiểm tra công vụ")
    OTHER = "other", _("Khác")


class ConductRecord(models.Model):
    official = models.ForeignKey(Official, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="conduct_records", verbose_name=_("cán bộ, công chức"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    rule = models.ForeignKey(ConductRule, null=True, blank=True, on_delete=models.PROTECT, related_name="records",
                             verbose_name=_("quy tắc vi phạm"))
    source_kind = models.CharField(_("nguồn"), max_length=16, choices=SourceKind.choices)
    source_ref = models.CharField(_("mã nguồn"), max_length=64, blank=True)
    occurred_at = models.DateTimeField(_("thời điểm"))
    description = models.TextField(_("nội dung"))
    evidence = models.FileField(_("chứng cứ"), upload_to="discipline/evidence/%Y/%m/", blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ghi nhận công vụ")
        verbose_name_plural = _("ghi nhận công vụ")
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source_kind", "source_ref", "official", "unit"],
                                               name="conduct_once_per_source")]


class Admonition(models.Model):
    """Nhắc nhở, phê bình, kiểm điểm: never a disciplinary measure (docs/legal/discipline.md §6.2)."""

    class Kind(models.TextChoices):
        REMINDER = "nhac_nho", _("Nhắc nhở")
        CRITICISM = "phe_binh", _("Phê bình")
        SELF_REVIEW = "kiem_diem", _("Yêu cầu kiểm điểm")

    official = models.ForeignKey(Official, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="admonitions", verbose_name=_("cán bộ, công chức"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    kind = models.CharField(_("hình thức"), max_length=12, choices=Kind.choices)
    issued_on = models.DateField(_("ngày"))
    reason = models.TextField(_("lý do"))
    record = models.ForeignKey(ConductRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    letter = models.ForeignKey("Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="admonitions")
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("nhắc nhở, phê bình")
        verbose_name_plural = _("nhắc nhở, phê bình")
        ordering = ["-issued_on", "-id"]


class CaseProposal(models.Model):
    """Repeated admonitions propose a disciplinary case; the inspector opens it or sets it aside."""

    class State(models.TextChoices):
        OPEN = "open", _("Chờ xem xét")
        OPENED = "opened", _("Đã mở vụ việc")
        DISMISSED = "dismissed", _("Không xử lý")

    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="case_proposals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    admonitions = models.ManyToManyField(Admonition, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đề xuất xem xét kỷ luật")
        verbose_name_plural = _("đề xuất xem xét kỷ luật")
        ordering = ["-created_at"]


# --- meetings --------------------------------------------------------------------------------------------

class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Đã mời")
        CLOSED = "closed", _("Đã kết thúc")

    title = models.CharField(_("tên cuộc họp"), max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan tổ chức"))
    chair = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="+", verbose_name=_("chủ trì"))
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    online_link = models.URLField(_("đường dẫn họp trực tuyến"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    closed_at = models.DateTimeField(null=True, blank=True)
    conclusions_due_at = models.DateTimeField(_("hạn ban hành thông báo kết luận"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title


class Attendance(models.TextChoices):
    """The one final state of an invitee (QĐ 45/2018/QĐ-TTg Đ.15; docs/legal/discipline.md §6.3)."""

    PRESENT = "present", _("Có mặt")
    LATE = "late", _("Đến muộn")
    ABSENT_REPORTED = "absent_reported", _("Vắng có lý do (đã báo cáo chủ trì)")
    ABSENT_UNREPORTED = "absent_unreported", _("Vắng không lý do")
    LEFT_WITH_CONSENT = "left_consent", _("Về sớm có sự đồng ý của chủ trì")
    LEFT_UNREPORTED = "left_unreported", _("Về sớm không báo cáo")


class Invitation(models.Model):
    class Reply(models.TextChoices):
        PENDING = "pending", _("Chưa trả lời")
        ACCEPTED = "accepted", _("Sẽ dự")
        DECLINED = "declined", _("Không dự được (đã báo cáo chủ trì)")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    # A unit invitation names the expected rank; the attendee is its head/deputy or the named delegate.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    expected_rank = models.CharField(_("thành phần"), max_length=8, choices=Official.Rank.choices, blank=True)
    official = models.ForeignKey(Official, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations",
                                 verbose_name=_("người được mời"))
    delegate = models.ForeignKey(Official, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("người được cử đi thay"))
    reply = models.CharField(max_length=10, choices=Reply.choices, default=Reply.PENDING)
    reply_reason = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    leave_consent_at = models.DateTimeField(null=True, blank=True)
    leave_consent_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    leave_reason = models.TextField(blank=True)
    final_state = models.CharField(max_length=20, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["meeting", "unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "unit", "official"], name="invitation_once")]

    @property
    def attendee(self):
        return self.delegate or self.official

    def __str__(self):
        return str(self.attendee or self.unit)


# --- outgoing documents -------------------------------------------------------------------------------------

class NumberCounter(models.Model):
    """Số văn bản per issuing agency, document type and year, restarting each year (NĐ 30/2020 Phụ lục)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    doc_type = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "doc_type", "year"], name="number_counter_uniq")]


class Letter(models.Model):
    """A công văn / thông báo drafted here in the NĐ 30/2020 layout (criticism letter, conclusions notice)."""

    class Kind(models.TextChoices):
        CRITICISM = "criticism", _("Công văn phê bình")
        CONCLUSIONS = "conclusions", _("Thông báo kết luận cuộc họp")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    doc_type = models.CharField(max_length=8)  # "CV" (công văn) or "TB"
    number = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    symbol = models.CharField(max_length=60)
    issued_on = models.DateField()
    subject = models.CharField(_("trích yếu"), max_length=300)
    body = models.JSONField(default=dict)     # paragraphs and the named units/people, frozen at drafting
    recipients = models.JSONField(default=list)
    signer_title = models.CharField(max_length=120, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["unit", "doc_type", "year", "number"], name="letter_number_uniq")]

    @property
    def number_text(self):
        return f"{self.number}/{self.symbol}"


# --- disciplinary cases -----------------------------------------------------------------------------------

class Relation(models.Model):
    """Family ties that bar a council seat (NĐ 172/2025 Đ.2 k.11), kept simply as pairs."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="relations")
    relative = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=[(k, v) for k, v in sanctions.RELATIVE_KINDS.items()])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["official", "relative"], name="relation_once")]


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Đang xem xét")
        DECIDED = "decided", _("Đã quyết định kỷ luật")
        CLOSED = "closed", _("Không kỷ luật, kết thúc")

    MEASURES = [
        (sanctions.KHIEN_TRACH, _("Khiển trách")), (sanctions.CANH_CAO, _("Cảnh cáo")),
        (sanctions.CACH_CHUC, _("Cách chức")), (sanctions.BUOC_THOI_VIEC, _("Buộc thôi việc")),
        (sanctions.BAI_NHIEM, _("Bãi nhiệm")),
    ]

    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=16)            # snapshot of the person's category
    is_leader = models.BooleanField(default=False)
    discovered_on = models.DateField(_("ngày phát hiện"))
    notice_on = models.DateField(_("ngày thông báo xem xét kỷ luật"), null=True, blank=True)
    complex_case = models.BooleanField(_("vụ việc phức tạp"), default=False)
    deadline_on = models.DateField(_("hạn xử lý"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    step = models.CharField(max_length=16, default="report")
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    measure = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=MEASURES, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    lapses_on = models.DateField(null=True, blank=True)
    council = models.ManyToManyField(Official, related_name="+", blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("vụ việc kỷ luật")
        verbose_name_plural = _("vụ việc kỷ luật")
        ordering = ["-created_at"]


class Violation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    description = models.TextField()
    rule = models.ForeignKey(ConductRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(max_length=14, choices=[(sanctions.MINOR, _("Ít nghiêm trọng")),
                                                        (sanctions.SERIOUS, _("Nghiêm trọng")),
                                                        (sanctions.VERY_SERIOUS, _("Rất nghiêm trọng"))])
    committed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    no_limitation_reason = models.CharField(max_length=20, blank=True)
    warranted = models.CharField(max_length=16, blank=True)
    limitation_expires_on = models.DateField(null=True, blank=True)


class Deferral(models.Model):
    """A period not counted in the processing limit (NĐ 172/2025 Đ.3, Đ.5 k.6)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deferrals")
    reason = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()


# --- directives and tasks ----------------------------------------------------------------------------------

class Directive(models.Model):
    class Type(models.TextChoices):
        PLAN = "KH", _("Kế hoạch")
        LETTER = "CV", _("Công văn")
        DIRECTIVE = "CT", _("Chỉ thị")
        NOTICE = "TB", _("Thông báo kết luận")
        DECISION = "QĐ", _("Quyết định")

    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=Type.choices)
    title = models.CharField(_("trích yếu"), max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"{self.number} — {self.title}"


class Task(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        REPORTED = "reported", _("Đã báo cáo, chờ đánh giá")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Hoàn thành")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị thực hiện"))
    title = models.CharField(_("nhiệm vụ"), max_length=400)
    due_at = models.DateTimeField(_("thời hạn"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)   # when the accepted report was submitted
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["unit", "state", "due_at"], name="task_unit_state_due")]


class TaskReport(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Chờ đánh giá")
        ACCEPTED = "accepted", _("Chấp nhận")
        RETURNED = "returned", _("Trả lại")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("nội dung báo cáo"))
    evidence = models.FileField(upload_to="discipline/tasks/%Y/%m/", blank=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
