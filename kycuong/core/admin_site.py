from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class KyCuongAdminSite(AdminSite):
    site_header = _("Kỷ Cương — Quản trị")
    site_title = _("Kỷ Cương")
    index_title = _("Quản trị hệ thống")
