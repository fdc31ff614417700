"""Pages of the feedback app; the project includes them at /phan-anh/."""
from django.urls import path  # noqa: F401

app_name = "feedback"
urlpatterns: list = []
