from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("hien-thi/", views.display, name="display"),
    path("tinh-han/", views.due_calculator, name="due_calculator"),
]
