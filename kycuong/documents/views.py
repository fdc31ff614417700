"""Printed forms for officers. Thin: a scoped read (onestop.queries), then forms.py renders."""
from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kycuong.core.errors import DomainError
from kycuong.core.queries import visible_units
from kycuong.onestop.queries import visible_dossiers

from . import forms

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _officer(request):
    user = request.user
    if not (user.is_officer or user.is_superuser):
        raise PermissionDenied(_("Chỉ cán bộ, công chức được in biểu mẫu."))
    return user


def _error(request, message, status):
    return render(request, "documents/unavailable.html", {"message": message, "status": status}, status=status)


def _file(content: bytes, content_type: str, filename: str, disposition="inline") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's back/forward cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@require_GET
@login_required
def form_pdf(request, code: str, form: str):
    user = _officer(request)
    if form not in forms.FORMS:
        return _error(request, str(forms.UnknownForm.message), 404)
    dossier = (visible_dossiers(user)
               .select_related("procedure", "procedure_version", "unit__parent", "receiving_unit__parent")
               .filter(code=(code or "").strip().upper()).first())
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        pdf = forms.render_form(dossier, form, base_url=_base_url(request))
    except DomainError as exc:
        return _error(request, str(exc.message), exc.status)
    return _file(pdf, PDF, forms.filename(dossier, form))


def _parse_date(text: str | None, default: date) -> date:
    text = (text or "").strip()
    if not text:
        return default
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise forms.BadPeriod(_("Ngày không hợp lệ: “%(v)s” (viết dạng 2026-03-31 hoặc 31/03/2026).") % {"v": text[:20]})


def _register_args(request):
    user = _officer(request)
    today = timezone.localtime(timezone.now(), forms.TZ).date()
    date_from = _parse_date(request.GET.get("from"), today.replace(day=1))
    date_to = _parse_date(request.GET.get("to"), today)
    forms.period_bounds(date_from, date_to)  # validates the order
    code = (request.GET.get("unit") or "").strip().upper()
    if code:
        unit = visible_units(user).filter(code=code).first()
        if unit is None:
            raise Http404(_("Không tìm thấy đơn vị."))
    elif user.unit_id:
        unit = user.unit
    else:
        # An administrator without a unit: the root of the organisation tree.
        unit = visible_units(user).filter(parent__isnull=True).order_by("path").first()
        if unit is None:
            raise Http404(_("Không tìm thấy đơn vị."))
    return user, unit, date_from, date_to


def _register(request, kind):
    try:
        user, unit, date_from, date_to = _register_args(request)
        dossiers = visible_dossiers(user)
        if kind == "pdf":
            content = forms.register_pdf(dossiers, unit, date_from, date_to, base_url=_base_url(request))
            return _file(content, PDF, forms.register_filename(unit, date_from, date_to, "pdf"))
        content = forms.register_xlsx(dossiers, unit, date_from, date_to, base_url=_base_url(request))
        return _file(content, XLSX, forms.register_filename(unit, date_from, date_to, "xlsx"), "attachment")
    except DomainError as exc:
        return _error(request, str(exc.message), 400 if exc.status == 422 else exc.status)


@require_GET
@login_required
def register_pdf(request):
    return _register(request, "pdf")


@require_GET
@login_required
def register_xlsx(request):
    return _register(request, "xlsx")
