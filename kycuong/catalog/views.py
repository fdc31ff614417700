"""Public pages: procedure search and the procedure page. Plain GET forms; no JavaScript needed."""
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kycuong.core.errors import NotFound

from . import checks
from .models import Level, OnlineLevel
from .queries import fields, procedure_by_code, procedure_versions, search_procedures, today

PAGE_SIZE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã thủ tục"), required=False, max_length=200,
                        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: dang ky khai sinh"))
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), required=False,
                              choices=[("", _("Tất cả"))] + [(Level.PROVINCE, Level.PROVINCE.label),
                                                             (Level.COMMUNE, Level.COMMUNE.label)])
    online_level = forms.ChoiceField(label=_("Mức độ trực tuyến"), required=False,
                                     choices=[("", _("Tất cả"))] + list(OnlineLevel.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả"))] + [(f.code, f.name) for f in fields()]


def search(request):
    form = SearchForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        qs = search_procedures(data["q"], field=data["field"] or None, level=data["level"] or None,
                               online_level=data["online_level"] or None)
    else:
        qs = search_procedures()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalog/search.html", {"form": form, "page": page, "query": query.urlencode()})


def detail(request, code):
    on_date, bad_date = None, False
    raw = request.GET.get("ngay")
    if raw:
        try:
            on_date = date.fromisoformat(raw)
        except ValueError:
            bad_date = True
    try:
        version = procedure_by_code(code, on_date)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    steps = list(version.steps.all())
    parts = checks.completeness(version)
    return render(request, "catalog/detail.html", {
        "v": version,
        "procedure": version.procedure,
        "parts": parts,
        "missing": [p for p in parts if not p["present"]],
        "steps": steps,
        "step_check": checks.check_steps(version.limit_amount, version.limit_unit, steps),
        "limit_text": checks.limit_in_words(version.limit_amount, version.limit_unit),
        "target_text": checks.limit_in_words(version.service_target_amount, version.limit_unit)
        if version.service_target_amount else "",
        "fees": list(version.fees.all()),
        "documents": list(version.documents.all()),
        "versions": list(procedure_versions(version.procedure.code)),
        "on_date": on_date or today(),
        "bad_date": bad_date,
        "is_today": on_date is None,
    })
