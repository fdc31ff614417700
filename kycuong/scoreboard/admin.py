"""Back office: the indicator values the city does not hold, entered from the national portal (through services)."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from kycuong.core.errors import DomainError

from . import services
from .models import EnteredValue


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
