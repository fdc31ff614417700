"""Pages of the discipline app; the project includes them at /ky-luat/."""
from django.urls import path

from . import views

app_name = "discipline"
urlpatterns = [
    path("", views.home, name="home"),
    path("cua-toi/", views.mine, name="mine"),
    path("can-bo/", views.officials, name="officials"),
    path("can-bo/<int:pk>/", views.official, name="official"),
    path("hop/", views.meetings, name="meetings"),
    path("hop/moi/", views.meeting_new, name="meeting_new"),
    path("hop/<int:pk>/", views.meeting, name="meeting"),
    path("hop/<int:pk>/thao-tac/", views.meeting_act, name="meeting_act"),
    path("giay-moi/<str:token>/", views.invitation, name="invitation"),
    path("diem-danh/<str:token>/", views.attend, name="attend"),
    path("van-ban/<int:pk>/", views.letter, name="letter"),
    path("van-ban/<int:pk>/pdf/", views.letter_file, {"ext": "pdf"}, name="letter_pdf"),
    path("van-ban/<int:pk>/docx/", views.letter_file, {"ext": "docx"}, name="letter_docx"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/<int:pk>/", views.task, name="task"),
    path("vu-viec/", views.cases, name="cases"),
    path("vu-viec/<int:pk>/", views.case, name="case"),
    path("de-xuat/<int:pk>/mo/", views.proposal_open, name="proposal_open"),
    path("danh-gia.xlsx", views.evaluation, name="evaluation"),
]
