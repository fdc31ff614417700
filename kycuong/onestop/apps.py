from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "kycuong.onestop"
    label = "onestop"
    verbose_name = _("Một cửa: hồ sơ thủ tục hành chính")

    def ready(self):
        # Connects the intake cache's invalidation signals (catalog edits) in every process.
        from kycuong.catalog import queries  # noqa: F401
        from kycuong.core import events

        from .models import Dossier

        # `audit verify` compares each dossier's state with the state its chain's head sealed.
        events.register_state("dossier", lambda codes: dict(
            Dossier.objects.filter(code__in=codes).values_list("code", "state")))
