from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "kycuong.discipline"
    label = "discipline"
    verbose_name = _("Kỷ luật, công vụ")

    def ready(self):
        from kycuong.feedback.signals import report_founded

        from . import access, receivers, tasks  # noqa: F401  (rules, periodic jobs)

        report_founded.connect(receivers.on_report_founded, dispatch_uid="discipline.report_founded")
