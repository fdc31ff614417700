"""Pages of the feedback app; the project includes them at /phan-anh/."""
from django.urls import path

from . import staff, views

app_name = "feedback"
urlpatterns = [
    path("", views.index, name="index"),
    path("gui/", views.submit, name="submit"),
    path("gui/da-gui/", views.sent, name="sent"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:code>/", views.track_detail, name="track_detail"),
    path("tra-loi/<str:code>/", views.answer, name="answer"),
    path("tra-loi/<str:code>/danh-gia/", views.vote, name="vote"),
    path("can-bo/", staff.queue, name="staff_queue"),
    path("can-bo/tiep-nhan/", staff.intake, name="staff_intake"),
    path("can-bo/<str:code>/", staff.report_page, name="staff_report"),
    path("can-bo/<str:code>/thao-tac/", staff.act, name="staff_act"),
    path("can-bo/<str:code>/tep/<int:pk>/", staff.attachment, name="staff_attachment"),
]
