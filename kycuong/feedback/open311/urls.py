"""GeoReport v2 routes; the project includes them at /open311/v2/. Every route ends in .json or .xml."""
from django.urls import path, re_path

from . import views

FMT = r"\.(?P<fmt>json|xml)$"
app_name = "open311"
urlpatterns = [
    path("", views.discovery, {"fmt": "json"}, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services_list, name="services"),
    re_path(r"^services/(?P<code>[\w.\-]{1,64})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_view, name="requests"),
    re_path(r"^requests/(?P<code>[\w.\-]{1,64})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[\w\-]{1,64})" + FMT, views.token_detail, name="token"),
]
