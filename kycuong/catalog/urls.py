"""Public catalog pages; the project includes them at /thu-tuc/."""
from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
]
