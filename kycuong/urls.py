from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kycuong.api import api
from kycuong.core import health
from kycuong.onestop import api as onestop_api
from kycuong.onestop import views as onestop_views
from kycuong.onestop.forms import OfficerLoginForm
from kycuong.portal import lookup

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # The public lookup's cached answers skip django-ninja (onestop.api.lookup_cached); the rest is the API.
    path("api/v1/lookup/<str:code>", onestop_api.lookup_cached),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("thu-tuc/", include("kycuong.catalog.urls")),
    path("giay-to/", include("kycuong.documents.urls")),
    # Portal: the officer attaches the electronic result; online payments.
    path("mot-cua/<str:code>/ket-qua-dien-tu/", onestop_views.attach_result, name="onestop_attach_result"),
    path("mot-cua/", include("kycuong.onestop.urls")),
    path("thanh-toan/", include("kycuong.integrations.urls")),
    path("phan-anh/", include("kycuong.feedback.urls")),
    path("open311/v2/", include("kycuong.feedback.open311.urls")),
    path("ky-luat/", include("kycuong.discipline.urls")),
    path("bang-diem/", include("kycuong.scoreboard.urls")),
    path("dang-nhap/", auth_views.LoginView.as_view(authentication_form=OfficerLoginForm), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", lookup.lookup_detail, name="lookup_detail"),
    path("", include("kycuong.portal.urls")),
]
