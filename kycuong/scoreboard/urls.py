"""Scoreboard pages; the project includes them at /bang-diem/."""
from django.urls import path

from . import views
from .discipline import views as discipline_views

app_name = "scoreboard"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("du-lieu-mo.json", views.open_data_json, name="open_json"),
    path("du-lieu-mo.csv", views.open_data_csv, name="open_csv"),
    path("xuat.xlsx", views.export_xlsx, name="xlsx"),
    path("bao-cao.pdf", views.report_pdf, name="report"),
    # Our discipline score and the leadership dashboard (before "<code>/": these are not unit codes).
    path("ky-cuong/", discipline_views.ranking, name="discipline"),
    path("ky-cuong/du-lieu-mo.json", discipline_views.open_data_json, name="discipline_json"),
    path("ky-cuong/du-lieu-mo.csv", discipline_views.open_data_csv, name="discipline_csv"),
    path("ky-cuong/<str:code>/<str:component>/", discipline_views.behind, name="discipline_behind"),
    path("lanh-dao/", discipline_views.dashboard, name="dashboard"),
    path("<str:code>/", views.unit_detail, name="unit"),
    path("<str:code>/<str:indicator>/", views.behind, name="behind"),
]
