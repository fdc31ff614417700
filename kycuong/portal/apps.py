from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kycuong.portal"
    label = "portal"
    verbose_name = _("Cổng công khai")

    def ready(self):
        from kycuong.onestop.signals import dossier_event

        from .notify import on_dossier_event

        dossier_event.connect(on_dossier_event, dispatch_uid="portal-dossier-status")
