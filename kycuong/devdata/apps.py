from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Development data (demo city, city-scale seed): an app only so that its management commands exist.
    No models; no runtime app imports it (the import-linter contract in pyproject.toml)."""

    name = "kycuong.devdata"
    label = "devdata"
    verbose_name = "Dữ liệu phát triển"
