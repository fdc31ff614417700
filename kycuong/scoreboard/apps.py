from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoreboardConfig(AppConfig):
    name = "kycuong.scoreboard"
    label = "scoreboard"
    verbose_name = _("Bảng điểm: Bộ chỉ số 766 và điểm kỷ cương")

    def ready(self):
        from kycuong.core import events

        from . import receivers

        events.appended.connect(receivers.on_event, dispatch_uid="scoreboard.on_event")
