"""Scoreboard storage: one fact row per dossier, counters per (unit, month, indicator), entered values.

The counters are a cache of the facts that the one-stop events keep current; `rebuild()` recomputes both
from the dossiers and must reproduce them exactly (docs/design.md rule 9). Written only by `services.py`.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from kycuong.core.models import Unit, User
from kycuong.onestop.models import Dossier


class DossierFact(models.Model):
    """What one dossier contributes to the 766 counters, as last computed (`facts.compute`; `facts.BITS`
    names the bits of the masks). Kept so a refresh can subtract the old contribution exactly."""

    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    received_month = models.DateField()
    ended_month = models.DateField(null=True)
    num_mask = models.PositiveSmallIntegerField()
    den_mask = models.PositiveSmallIntegerField()


class Counter(models.Model):
    """Σ contributions of the dossiers decided by `unit`, per calendar month (local time) and indicator."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("tháng"))  # first day of the month
    indicator = models.CharField(_("chỉ tiêu"), max_length=8)
    numerator = models.IntegerField(default=0)
    denominator = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm chỉ tiêu")
        verbose_name_plural = _("bộ đếm chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["indicator", "month", "unit"], name="scoreboard_counter_key")]


class EnteredValue(models.Model):
    """An indicator the city does not hold (national databases), entered by an administrator — never invented."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    period = models.CharField(_("kỳ"), max_length=10, help_text=_("Ví dụ 2026-11, 2026-Q4, 2026-H2, 2026."))
    indicator = models.CharField(_("chỉ tiêu"), max_length=8)
    numerator = models.PositiveIntegerField(_("tử số"))
    denominator = models.PositiveIntegerField(_("mẫu số"))
    source = models.CharField(_("nguồn số liệu"), max_length=300)
    entered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu nhập")
        verbose_name_plural = _("số liệu nhập")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "indicator"], name="scoreboard_entered_key")]


class DisciplineWeights(models.Model):
    """The weights and caps of our discipline score from a date on (docs/discipline-score.md).

    Never edited: a change is a new row with its own effective date, so the history (who, when, why) is the
    table itself and a past period keeps the weights that were in force at its end. Written only by
    `discipline.services.set_weights`; without any row the defaults in code (`discipline.score`) apply.
    """

    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    index766 = models.DecimalField(_("trọng số Bộ chỉ số 766"), max_digits=5, decimal_places=2)
    sipas = models.DecimalField(_("trọng số SIPAS"), max_digits=5, decimal_places=2)
    tasks = models.DecimalField(_("trọng số nhiệm vụ đúng hạn"), max_digits=5, decimal_places=2)
    feedback = models.DecimalField(_("trọng số phản ánh xử lý đúng hạn"), max_digits=5, decimal_places=2)
    complaints = models.DecimalField(_("trọng số phản ánh về cán bộ có cơ sở"), max_digits=5, decimal_places=2)
    meetings = models.DecimalField(_("trọng số vi phạm chế độ hội họp"), max_digits=5, decimal_places=2)
    complaints_cap = models.DecimalField(
        _("ngưỡng phản ánh có cơ sở / 100 cán bộ"), max_digits=6, decimal_places=2,
        help_text=_("Từ mức này trở lên, thành phần được 0 điểm."))
    meetings_cap = models.DecimalField(
        _("ngưỡng vi phạm hội họp / 100 cán bộ"), max_digits=6, decimal_places=2,
        help_text=_("Từ mức này trở lên, thành phần được 0 điểm."))
    reason = models.CharField(_("căn cứ, lý do thay đổi"), max_length=300)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("người thay đổi"))
    created_at = models.DateTimeField(_("thời điểm thay đổi"), auto_now_add=True)

    class Meta:
        verbose_name = _("trọng số điểm kỷ cương")
        verbose_name_plural = _("trọng số điểm kỷ cương")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.effective_from:%d/%m/%Y}"


class OnlineDossierCount(models.Model):
    """Dossiers received online per (deciding unit, receipt month, procedure) — indicator 3.2 needs the
    *distinct* online services used in a period, which a per-dossier bit summed over months cannot give.
    Kept by the same `refresh_dossier` delta as `Counter` and rewritten by `rebuild()`."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    dossiers = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "unit", "procedure"], name="scoreboard_online_key")]


class ReportFact(models.Model):
    """What one report (PAKN) contributes to the 5.1–5.3 counters, as last computed (`facts.report_fact`;
    `facts.REPORT_BITS` names the bits). Kept so a refresh subtracts the old contribution exactly, also
    when a transfer moves the report to another responsible unit."""

    report = models.OneToOneField("feedback.Report", primary_key=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    submitted_month = models.DateField()
    ended_month = models.DateField(null=True)
    num_mask = models.PositiveSmallIntegerField()
    den_mask = models.PositiveSmallIntegerField()
