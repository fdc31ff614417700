"""Officer workspace of the one-stop shop; the project includes it at /mot-cua/."""
from django.urls import path

from . import views

app_name = "onestop"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("<str:code>/", views.dossier, name="dossier"),
    path("<str:code>/thao-tac/", views.act, name="act"),
]
