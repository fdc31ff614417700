from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kycuong.portal"
    label = "portal"
    verbose_name = _("Cổng công khai")

    def ready(self):
        from django.db.models.signals import post_save

        from kycuong.core.models import Event

        from .notify import on_dossier_event

        post_save.connect(on_dossier_event, sender=Event, dispatch_uid="portal-dossier-status")
