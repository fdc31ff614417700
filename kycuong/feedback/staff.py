"""Officer pages: the queue (every channel, Open311 included), staff intake (hotline, walk-in), and the
report page with routing, transfer, verification, conclusion, answer and publication. Inspectors see the
same pages; the reporter's identity only when they handle the report (queries.can_see_reporter).
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kycuong.core import events
from kycuong.core.errors import DomainError
from kycuong.core.models import User
from kycuong.onestop.views import error_items, officer_required, tag

from . import queries, services
from .forms import ReportForm, unit_choices
from .models import Conclusion, Kind
from .policy import REPORT, TRANSITIONS
from .views import apply_error, field_of, input_from
from .workflow import State

ACTION_FIELDS = {  # the form fields of each action, in order
    "confirm_unit": ("unit", "reason"), "transfer": ("unit", "reason"), "refuse": ("reason",),
    "request_info": ("message",), "provide_info": ("text",), "assign_verifier": ("verifier",),
    "record_findings": ("findings", "files"), "conclude": ("conclusion", "findings"), "answer": ("answer",),
    "publish": (),
}


@officer_required
def queue(request):
    now = timezone.now()
    state = request.GET.get("state", "open")
    kind = request.GET.get("kind", "")
    qs = queries.queue(request.user, state=state if state in ({"open"} | set(State.values)) else "open",
                       kind=kind if kind in Kind.values else "", q=request.GET.get("q", ""),
                       mine=request.GET.get("mine") == "1", now=now)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [{"r": r, "clock": tag(queries.clock_status(r, now))} for r in page.object_list]
    query = request.GET.copy()  # every filter (search and "mine" too) stays on the page links
    query.pop("page", None)
    return render(request, "feedback/staff_queue.html", {
        "page": page, "rows": rows, "query": query.urlencode(), "state": state, "kind": kind, "q": request.GET.get("q", ""),
        "states": State.choices, "kinds": Kind.choices, "mine": request.GET.get("mine") == "1",
        "is_inspector": request.user.role == User.Role.INSPECTOR})


@officer_required
def intake(request):
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, staff=True)
        if form.is_valid():
            try:
                report = services.submit(input_from(form, form.cleaned_data["channel"]), user=request.user)
            except DomainError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Đã tiếp nhận phản ánh %(code)s.") % {"code": report.code})
                return redirect("feedback:staff_report", code=report.code)
        status = 400
    else:
        form = ReportForm(staff=True)
    return render(request, "feedback/staff_intake.html", {"form": form, "errors": error_items(form)}, status=status)


def _verifiers(report):
    """Verifiers are inspectors (they record findings and see the reporter), never the official the report is
    about (policy.verifier_fit refuses them anyway); the list is short."""
    qs = User.objects.filter(is_active=True, role=User.Role.INSPECTOR, unit__isnull=False)
    if report.official_id and report.official.user_id:
        qs = qs.exclude(pk=report.official.user_id)
    return qs.select_related("unit").order_by("full_name")[:200]


def _page(request, report, errors=(), action="", values=None, status=200):
    now = timezone.now()
    values = values or {}

    def prefill(a, f):  # what the officer typed comes back after an error: nothing is lost
        if a == action:
            return values.get(f, "")
        return report.findings if f == "findings" else ""

    actions = [{"name": a, "label": TRANSITIONS[a].label, "basis": TRANSITIONS[a].basis,
                "fields": [(f, prefill(a, f)) for f in ACTION_FIELDS[a]]} for a in REPORT.allowed(request.user, report, now)]
    return render(request, "feedback/staff_report.html", {
        "r": report, "actions": actions, "errors": errors, "failed_action": action,
        "clock": tag(queries.clock_status(report, now)), "see_reporter": queries.can_see_reporter(request.user, report),
        "routings": report.routings.select_related("from_unit", "to_unit", "by"),
        "attachments": report.attachments.all(), "timeline": events.timeline(services.SUBJECT, report.code),
        "units": unit_choices()[1:], "verifiers": _verifiers(report), "conclusions": Conclusion.choices,
        "repeats": report.repeats.all()[:20],
    }, status=status)


@officer_required
def report_page(request, code):
    report = queries.report_for(request.user, code)
    if report is None:
        raise Http404
    return _page(request, report)


@officer_required
def attachment(request, code, pk):
    """A report's file, for officers who may see the report (scoped like the report page)."""
    report = queries.report_for(request.user, code)
    item = report.attachments.filter(pk=pk).first() if report is not None else None
    if item is None:
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.mime)


@officer_required
@require_POST
def act(request, code):
    report = queries.report_for(request.user, code)
    if report is None:
        raise Http404
    action = request.POST.get("action", "")
    params = {}
    for name in ACTION_FIELDS.get(action, ()):
        if name == "files":
            params["files"] = request.FILES.getlist("files")
        else:
            params[name] = request.POST.get(name, "")
    try:
        services.act(report.code, action, request.user, expected_version=request.POST.get("version"), **params)
    except DomainError as exc:
        fresh = queries.report_for(request.user, code) or report
        field = field_of(exc) or (ACTION_FIELDS.get(action) or ("",))[0]
        href = f"#{action}-{field}" if field else ""
        if exc.code.startswith("UPLOAD_"):
            href = f"#{action}-files"
        return _page(request, fresh, errors=[{"text": str(exc.message), "href": href}], action=action,
                     values=request.POST, status=exc.status if exc.status in (403, 409) else 400)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": TRANSITIONS[action].label})
    if queries.report_for(request.user, code) is None:  # transferred out of the officer's scope
        return redirect("feedback:staff_queue")
    return redirect("feedback:staff_report", code=report.code)
