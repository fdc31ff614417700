from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "kycuong.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self):
        from kycuong.core import events

        from .models import Report

        # `audit verify` compares each report's state with the state its chain's head sealed.
        events.register_state("feedback_report", lambda codes: dict(
            Report.objects.filter(code__in=codes).values_list("code", "state")))
