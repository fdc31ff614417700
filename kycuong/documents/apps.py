from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kycuong.documents"
    label = "documents"
    verbose_name = _("Văn bản, biểu mẫu in (NĐ 30/2020/NĐ-CP)")
