"""Back office: the indicator values the city does not hold, entered from the national portal (through services)."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from kycuong.core.errors import DomainError

from . import services
from .models import DisciplineWeights, EnteredValue


@admin.register(EnteredValue)
class EnteredValueAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "indicator", "numerator", "denominator", "source", "entered_by", "entered_at")
    list_filter = ("indicator", "period")
    search_fields = ("unit__name", "unit__code", "source")
    readonly_fields = ("entered_by", "entered_at")
    autocomplete_fields = ("unit",)

    def save_model(self, request, obj, form, change):
        try:
            services.enter_value(request.user, unit=obj.unit, period=obj.period, indicator=obj.indicator,
                                 numerator=obj.numerator, denominator=obj.denominator, source=obj.source)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            raise ValidationError(str(exc.message)) from exc


class DisciplineWeightsForm(forms.ModelForm):
    class Meta:
        model = DisciplineWeights
        fields = ["effective_from", "index766", "sipas", "tasks", "feedback", "complaints", "meetings",
                  "complaints_cap", "meetings_cap", "reason"]

    def clean(self):
        from .discipline import score as ds
        from .discipline.services import check_weights

        data = super().clean()
        if not self.errors:
            try:
                check_weights(effective_from=data["effective_from"], weights={c: data[c] for c in ds.COMPONENTS},
                              caps={ds.COMPLAINTS: data["complaints_cap"], ds.MEETINGS: data["meetings_cap"]},
                              reason=data["reason"])
            except DomainError as exc:
                raise ValidationError(str(exc.message), code=exc.code) from exc
        return data


@admin.register(DisciplineWeights)
class DisciplineWeightsAdmin(admin.ModelAdmin):
    """Add-only: a change of weights is a new row from a date on; rows are never edited or deleted, so the
    list is the history (who, when, why) and a past period keeps the weights of its time."""

    form = DisciplineWeightsForm
    list_display = ("effective_from", "index766", "sipas", "tasks", "feedback", "complaints", "meetings",
                    "complaints_cap", "meetings_cap", "reason", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        from .discipline import score as ds

        return {**dict(ds.DEFAULT_WEIGHTS), "complaints_cap": ds.DEFAULT_CAPS[ds.COMPLAINTS],
                "meetings_cap": ds.DEFAULT_CAPS[ds.MEETINGS]}

    def save_model(self, request, obj, form, change):
        from .discipline import score as ds
        from .discipline.services import set_weights

        saved = set_weights(request.user, effective_from=obj.effective_from,
                            weights={c: getattr(obj, c) for c in ds.COMPONENTS},
                            caps={ds.COMPLAINTS: obj.complaints_cap, ds.MEETINGS: obj.meetings_cap},
                            reason=obj.reason)
        obj.pk = saved.pk
        obj.created_by, obj.created_at = saved.created_by, saved.created_at
