"""Citizen accounts (profile, one-time codes), online-submission drafts and their files, and ratings.

Written only by `portal.services`. Dossiers themselves belong to onestop; a draft becomes a dossier
through `onestop.services.submit_online` in one transaction.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kycuong.catalog.models import Procedure, ProcedureDocument
from kycuong.core.models import Unit


class Profile(models.Model):
    """What pre-fills a citizen's forms. Name, e-mail and phone live on core.User."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Công dân")
        BUSINESS = "business", _("Doanh nghiệp, tổ chức")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_profile")
    kind = models.CharField(_("loại tài khoản"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    id_number = models.CharField(_("số định danh cá nhân / mã số doanh nghiệp"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    vneid_verified = models.BooleanField(_("đã xác thực bằng VNeID"), default=False)

    class Meta:
        verbose_name = _("hồ sơ tài khoản công dân")
        verbose_name_plural = _("hồ sơ tài khoản công dân")


class OneTimeCode(models.Model):
    """A sign-up or sign-in code sent by e-mail or SMS. Only its hash is kept; it expires and allows few tries."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("Đăng ký")
        SIGN_IN = "sign_in", _("Đăng nhập")

    destination = models.CharField(max_length=254, db_index=True)  # normalised e-mail or phone
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)  # sign-up details, applied when the code is right
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["destination", "purpose", "-created_at"], name="otp_latest")]


class Draft(models.Model):
    """An online submission in progress: resumable across sign-out, submitted at most once."""

    class Step(models.TextChoices):
        APPLICANT = "applicant", _("Người nộp")
        DOCUMENTS = "documents", pgettext_lazy("step", "Giấy tờ")
        FEES = "fees", _("Phí, lệ phí")
        REVIEW = "review", _("Kiểm tra lại")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_drafts")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    deciding_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.APPLICANT)
    applicant = models.JSONField(default=dict, blank=True)
    # The review page carries this key; a second POST of the same page finds the draft already submitted.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.OneToOneField("onestop.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="portal_draft")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]


def _draft_path(instance, filename):
    return f"drafts/{instance.draft.idempotency_key}/{uuid.uuid4().hex}.{instance.extension}"


class DraftFile(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(ProcedureDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(upload_to=_draft_path, max_length=255)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    mime = models.CharField(max_length=64)
    extension = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class DossierFile(models.Model):
    """A file the applicant submitted online with the dossier; officers see it on the dossier page."""

    dossier = models.ForeignKey("onestop.Dossier", on_delete=models.PROTECT, related_name="portal_files")
    document = models.ForeignKey(ProcedureDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    document_name = models.CharField(max_length=500, blank=True)
    file = models.FileField(max_length=255)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    mime = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]


class Rating(models.Model):
    """One rating per dossier: the 766 like/dislike signal and the optional SIPAS survey (docs/legal/decision-766.md §1.2 5.4, docs/legal/reform.md §4.1).

    Unit, procedure and time are stored with it so the scoreboard counts by (unit, period) without joins.
    """

    FACTORS = ("access", "procedure", "officer", "result", "feedback")

    dossier = models.OneToOneField("onestop.Dossier", on_delete=models.PROTECT, related_name="portal_rating")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(default=timezone.now, db_index=True)
    liked = models.BooleanField(null=True)
    # SIPAS five factors, 1 (rất không hài lòng) … 5 (rất hài lòng); empty until the survey is answered.
    access = models.PositiveSmallIntegerField(null=True, blank=True)
    procedure_score = models.PositiveSmallIntegerField(null=True, blank=True)
    officer = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    surveyed_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-rated_at", "-id"]
        indexes = [models.Index(fields=["unit", "rated_at"], name="rating_unit_time")]

    def scores(self) -> dict:
        return {"access": self.access, "procedure": self.procedure_score, "officer": self.officer,
                "result": self.result, "feedback": self.feedback}
