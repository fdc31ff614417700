"""Pages of the discipline app; the project includes them at /ky-luat/."""
from django.urls import path  # noqa: F401

app_name = "discipline"
urlpatterns: list = []
