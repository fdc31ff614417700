from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("form/<str:code>/<str:form>.pdf", views.form_pdf, name="form"),
    path("so-theo-doi.pdf", views.register_pdf, name="register_pdf"),
    path("so-theo-doi.xlsx", views.register_xlsx, name="register_xlsx"),
]
