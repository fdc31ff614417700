"""Public pages: home, display preferences, and the due-date calculator. Thin: reads and one service call."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kycuong.core.duedates import UNIT_LABELS, compute_due
from kycuong.core.errors import DomainError
from kycuong.core.models import Unit

from .context import TEXT_SIZES

WEEKDAYS = [gettext_lazy("Thứ Hai"), gettext_lazy("Thứ Ba"), gettext_lazy("Thứ Tư"), gettext_lazy("Thứ Năm"),
            gettext_lazy("Thứ Sáu"), gettext_lazy("Thứ Bảy"), gettext_lazy("Chủ nhật")]
DAY_KIND_LABELS = {
    "weekend": gettext_lazy("Ngày nghỉ hằng tuần"),
    "holiday": gettext_lazy("Ngày lễ, Tết"),
    "day_off": gettext_lazy("Ngày nghỉ hoán đổi, nghỉ bù"),
    "makeup_workday": gettext_lazy("Ngày làm bù — được tính là ngày làm việc"),
}
YEAR = 365 * 24 * 3600


def home(request):
    return render(request, "portal/home.html")


@require_POST
def display(request):
    """No-JS fallback of the A-/A/A+ and contrast buttons: set the cookie and go back."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    size = request.POST.get("text")
    if size in TEXT_SIZES:
        response.set_cookie("kc_text", size, max_age=YEAR, samesite="Lax")
    contrast = request.POST.get("contrast")
    if contrast in ("high", "normal"):
        response.set_cookie("kc_contrast", contrast, max_age=YEAR, samesite="Lax")
    return response


def describe(moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return f"{local:%H:%M} {WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y}"


def due_calculator(request):
    """Anyone can compute a due date and see which days were skipped and why."""
    data = request.GET
    context = {
        "units": Unit.objects.filter(valid_to__isnull=True).only("code", "name").order_by("name"),
        "unit_choices": list(UNIT_LABELS.items()),
        "form": {
            "date": data.get("date", ""), "time": data.get("time", "08:00"), "amount": data.get("amount", ""),
            "unit": data.get("unit", "working_days"), "cutoff": data.get("cutoff", ""),
            "unit_code": data.get("unit_code", ""),
        },
    }
    if "date" in data:
        form = context["form"]
        errors = {}
        if not form["date"]:
            errors["date"] = _("Nhập ngày tiếp nhận.")
        if not form["amount"]:
            errors["amount"] = _("Nhập thời hạn giải quyết.")
        if not errors:
            start = f"{form['date']}T{form['time'] or '08:00'}:00+07:00" if len(form["time"] or "") <= 5 \
                else f"{form['date']}T{form['time']}+07:00"
            try:
                answer = compute_due(start=start, amount=form["amount"], unit=form["unit"],
                                     cutoff=form["cutoff"], unit_code=form["unit_code"])
            except DomainError as exc:
                field = {"WT_BAD_DATETIME": "date", "WT_NAIVE_DATETIME": "date", "WT_BAD_CUTOFF": "cutoff",
                         "CORE_UNIT_NOT_FOUND": "unit_code", "WT_UNKNOWN_UNIT": "unit"}.get(exc.code, "amount")
                errors[field] = str(exc.message)
            else:
                context["answer"] = answer
                context["answer_text"] = {
                    "start": describe(answer.start), "effective_start": describe(answer.effective_start),
                    "due": describe(answer.due),
                    "hours": answer.working_minutes // 60, "minutes": answer.working_minutes % 60,
                }
                context["skipped"] = [
                    {"date": f"{WEEKDAYS[d.date.weekday()]}, {d.date:%d/%m/%Y}",
                     "kind": DAY_KIND_LABELS.get(d.kind, d.kind), "name": d.name or "",
                     "counted": d.kind == "makeup_workday"}
                    for d in answer.skipped
                ]
        context["errors"] = errors
    return render(request, "portal/due_calculator.html", context)
