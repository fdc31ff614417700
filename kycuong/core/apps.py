from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "kycuong.core"
    label = "core"
    verbose_name = _("Nền tảng: đơn vị, người dùng, lịch làm việc")

    def ready(self):
        from . import signals  # noqa: F401  (calendar cache invalidation)


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "kycuong.core.admin_site.KyCuongAdminSite"
