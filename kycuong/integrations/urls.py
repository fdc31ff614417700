from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("ho-so/<str:code>/", views.pay, name="pay"),
    path("ngan-hang-minh-hoa/", views.demo_bank, name="demo_bank"),
    path("<str:gateway_key>/ipn/", views.ipn, name="ipn"),
    path("<str:gateway_key>/ket-qua/", views.payment_return, name="return"),
]
