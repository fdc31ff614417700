from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "kycuong.core"
    label = "core"
    verbose_name = _("Nền tảng: đơn vị, người dùng, lịch làm việc")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, signals  # noqa: F401  (production checks; calendar cache invalidation)
        from .roles import sync_role_groups

        # After every app's permissions exist (post_migrate of the last app), not in a migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="kycuong-role-groups")


class AdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "kycuong.core.admin_site.KyCuongAdminSite"
