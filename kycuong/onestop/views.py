"""Officer workspace: the queue, counter intake and the dossier page. Thin: scoped reads from `queries`,
writes through `services` only (docs/design.md rules 1 and 4)."""
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kycuong.catalog.models import Procedure
from kycuong.catalog.queries import procedure_by_code, search_procedures
from kycuong.core import events
from kycuong.core.calendars import calendar_for, calendars_for_units
from kycuong.core.errors import DomainError, NotFound

from . import queries, services
from .errors import DossierNotFound, StaleVersion
from .forms import ACTION_FORMS, CLOCK_LABELS, ERROR_FIELDS, IntakeForm, QueueForm
from .labels import EVENT_LABELS, VERDICT_TAGS, tag
from .policy import DOSSIER, TRANSITIONS
from .services import Applicant
from .verdicts import step_verdict
from .workflow import OPEN_STATES, State

PAGE_SIZE = 50

# The printed forms (documents app) and when each applies.
FORM_LINKS = [
    ("01", gettext_lazy("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), lambda d: d.received_at is not None),
    ("02", gettext_lazy("Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), lambda d: bool(d.supplement_requested_at)),
    ("03", gettext_lazy("Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ"), lambda d: d.state == State.REFUSED),
    ("06", gettext_lazy("Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ"), lambda d: d.received_at is not None),
    ("apology", gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), lambda d: bool(d.apology_count)),
    ("stop", gettext_lazy("Thông báo dừng giải quyết hồ sơ"), lambda d: d.state in (State.STOPPED, State.WITHDRAWN)),
]
# The step forward in each state comes first and open; the rest (supplement, stop…) stay folded.
PRIMARY_ACTIONS = ("accept", "complete_supplement", "start_processing", "handover", "finish", "confirm_payment",
                   "return_result")
INTAKE_FORM = {State.RECEIVED: "01", State.SUPPLEMENT_REQUESTED: "02", State.REFUSED: "03"}


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def error_items(form) -> list[dict]:
    """A form's errors as GOV.UK error-summary items, each linking to its field (first box of a group)."""
    items = []
    if form is None:
        return items
    for name, errs in form.errors.items():
        href = ""
        if name in form.fields:
            bound = form[name]
            href = "#" + bound.auto_id
            if bound.widget_type in ("checkboxselectmultiple", "radioselect"):
                href += "_0"
            if bound.widget_type == "hidden":
                href = ""
        for err in errs:
            items.append({"text": err, "href": href})
    return items


def _parse(value):
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# --- access --------------------------------------------------------------------------------------------

def officer_required(view):
    """Signed in (else the sign-in page) and an officer (else a 403 page in Vietnamese)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_officer:
            return render(request, "onestop/forbidden.html", status=403)
        return view(request, *args, **kwargs)
    return wrapper


def _forms_url(name, *args, query=None):
    """URL of a documents view, or "" while that app is not installed."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


# --- queue ---------------------------------------------------------------------------------------------

def _row_clock(dossier, now, calendars):
    """`queries.clock_of` with the page's calendars, one per receiving unit (`calendars_for_units`)."""
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return "paused"
    if dossier.state not in OPEN_STATES:
        return "ended"
    if dossier.state == State.SUBMITTED_ONLINE or dossier.due_at is None:
        return "not_started"
    return calendars[dossier.receiving_unit_id].status(now, dossier.due_at).value


def _hm_dmy(moment) -> str:
    """"H:i d/m/Y" in local time, as the templates' `|date` gives it; "" for None."""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


@officer_required
def queue(request):
    user = request.user
    now = timezone.now()
    procedures = Procedure.objects.order_by("code").values_list("code", "name")
    form = QueueForm(request.GET, procedures=procedures)
    data = form.cleaned_data if form.is_valid() else {}
    mine = data.get("tab") == "mine"
    qs = queries.queue(user, mine=mine, state=data.get("state"), procedure=data.get("procedure") or None,
                       clock=data.get("clock") or None, q=data.get("q") or "", now=now)
    try:
        number = max(1, min(int(request.GET.get("page") or 1), 100_000))
    except ValueError:
        number = 1
    page = queries.page(qs, number, PAGE_SIZE)  # no exact COUNT over a scope of up to 1M rows
    calendars = calendars_for_units(d.receiving_unit_id for d in page.rows)
    # Link and dates prepared here: `{% url %}` and `|date` per row were a third of the page's rendering.
    link = reverse("onestop:dossier", args=["CODE"])
    rows = [{"d": d, "clock": tag(_row_clock(d, now, calendars)), "url": link.replace("CODE", d.code),
             "received": _hm_dmy(d.received_at), "due": _hm_dmy(d.due_at)} for d in page.rows]
    query = request.GET.copy()
    query.pop("page", None)
    tabs = request.GET.copy()
    tabs.pop("page", None)
    tabs.pop("tab", None)
    today = timezone.localdate()
    return render(request, "onestop/queue.html", {
        "form": form, "page": page, "rows": rows, "mine": mine, "query": query.urlencode(),
        "tab_query": tabs.urlencode(), "clock_labels": CLOCK_LABELS,
        "register_pdf": _forms_url("documents:register_pdf"),
        "register_xlsx": _forms_url("documents:register_xlsx"),
        "register_from": today.replace(day=1).isoformat(), "register_to": today.isoformat(),
        "unit": user.unit,
    })


# --- counter intake -------------------------------------------------------------------------------------

@officer_required
def intake(request):
    code = (request.POST.get("procedure") or request.GET.get("thu_tuc") or "").strip()
    if not code:
        q = (request.GET.get("q") or "").strip()
        results = list(search_procedures(q)[:25]) if q else []
        return render(request, "onestop/intake_choose.html", {"q": q, "results": results, "searched": bool(q)})
    try:
        version = procedure_by_code(code, timezone.localdate())
    except NotFound as exc:
        return render(request, "onestop/intake_choose.html", {
            "q": code, "results": [], "searched": True, "error": exc.message,
            "error_items": [{"text": exc.message, "href": "#intake-q"}]}, status=404)
    if request.method != "POST":
        form = IntakeForm(version=version, officer=request.user)
        return render(request, "onestop/intake.html", {"form": form, "version": version, "error_items": []})
    form = IntakeForm(request.POST, version=version, officer=request.user)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.receive_at_counter(
                request.user, procedure_code=version.procedure.code,
                applicant=Applicant(name=data["applicant_name"], id_number=data["applicant_id_number"],
                                    phone=data["applicant_phone"], email=data["applicant_email"],
                                    address=data["applicant_address"]),
                documents=data["documents"], outcome=data["outcome"], reason=data["reason"],
                deciding_unit=form.deciding(), channel=data["channel"])
        except DomainError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), str(exc.message))
            status = exc.status if exc.status in (403, 409) else 422
        else:
            texts = {
                State.RECEIVED: _("Đã tiếp nhận hồ sơ %(code)s. Hãy in Giấy tiếp nhận hồ sơ và hẹn trả kết quả."),
                State.SUPPLEMENT_REQUESTED: _("Đã lập yêu cầu bổ sung hồ sơ %(code)s. Hãy in Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."),
                State.REFUSED: _("Đã từ chối tiếp nhận hồ sơ %(code)s. Hãy in Phiếu từ chối tiếp nhận."),
            }
            messages.success(request, texts[dossier.state] % {"code": dossier.code}, extra_tags="intake")
            return redirect("onestop:dossier", code=dossier.code)
    else:
        status = 422
    return render(request, "onestop/intake.html", {"form": form, "version": version,
                                                   "error_items": error_items(form)}, status=status)


# --- the dossier page -------------------------------------------------------------------------------------

def _step_rows(dossier, now, cal):
    rows = []
    for step in dossier.steps.select_related("unit", "assignee", "finished_by").order_by("order"):
        verdict = None
        if step.is_return_step:
            verdict = None
        elif step.finished_at is not None:
            verdict = tag(step_verdict(step), VERDICT_TAGS)
        elif step.started_at is not None and step.due_at is not None and dossier.state in OPEN_STATES:
            verdict = tag("paused" if dossier.state == State.SUPPLEMENT_REQUESTED else cal.status(now, step.due_at).value)
        rows.append({"step": step, "verdict": verdict, "current": step.pk == dossier.current_step_id,
                     "hours": step.allotted_minutes / 60})
    return rows


def timeline_rows(code, *, public_only=False, details=True):
    rows = []
    for event in events.timeline(services.SUBJECT, code, public_only=public_only):
        data = event.data or {}
        lines = []
        if details:
            if data.get("reason"):
                lines.append(_("Lý do: %(r)s") % {"r": data["reason"]})
            if event.kind == "reassigned":
                lines.append(_("Giao lại bước %(n)s. %(name)s: %(old)s → %(new)s") % {
                    "n": data.get("step"), "name": data.get("step_name", ""),
                    "old": data.get("old_assignee") or _("chưa giao"), "new": data.get("assignee", "")})
                if data.get("note"):
                    lines.append(_("Ghi chú: %(t)s") % {"t": data["note"]})
            elif data.get("step_name"):
                verdict = VERDICT_TAGS.get(data.get("verdict"), ("", ""))[0]
                lines.append(_("Hoàn thành bước %(n)s. %(name)s — %(v)s") % {
                    "n": data.get("step"), "name": data["step_name"], "v": verdict})
            if data.get("next_step_name"):
                lines.append(_("Chuyển bước %(n)s. %(name)s%(who)s") % {
                    "n": data.get("next_step"), "name": data["next_step_name"],
                    "who": (" — " + data["assignee"]) if data.get("assignee") else ""})
            if data.get("old_due_at") and data.get("due_at"):
                lines.append(_("Hẹn trả: %(a)s → %(b)s") % {"a": local(_parse(data["old_due_at"])),
                                                            "b": local(_parse(data["due_at"]))})
            elif data.get("due_at"):
                lines.append(_("Hẹn trả: %(b)s") % {"b": local(_parse(data["due_at"]))})
            if data.get("paused_working_minutes") is not None:
                minutes = int(data["paused_working_minutes"])
                lines.append(_("Thời gian tạm dừng (giờ làm việc): %(h)s giờ %(m)s phút") % {"h": minutes // 60,
                                                                                            "m": minutes % 60})
            if data.get("amount_vnd") is not None:
                lines.append(_("Số tiền: %(n)s đồng") % {"n": f"{int(data['amount_vnd']):,}".replace(",", ".")})
        rows.append({"event": event, "label": EVENT_LABELS.get(event.kind, event.kind), "lines": lines})
    return rows


def _dossier_context(request, dossier, now, *, bound=None, error=None):
    cal = calendar_for(dossier.receiving_unit)
    clock = queries.clock_of(dossier, now)
    verdict = services.timeliness(dossier, now)
    decisions = {d.action: d for d in DOSSIER.decisions(request.user, dossier, now)}
    available = [name for name, d in decisions.items() if d.allowed and name in ACTION_FORMS]
    forms = []
    for name in available:
        form = bound if bound is not None and bound.action == name else ACTION_FORMS[name](dossier=dossier, now=now)
        forms.append({"name": name, "label": TRANSITIONS[name].label, "basis": TRANSITIONS[name].basis, "form": form,
                      "primary": name in PRIMARY_ACTIONS})
    forms.sort(key=lambda f: not f["primary"])
    errors = []
    if error:
        errors.append({"text": error["message"], "href": "" if error.get("stale") else "#actions",
                       "reload": reverse("onestop:dossier", args=[dossier.code]) if error.get("stale") else ""})
    if bound is not None:
        if bound.action in available:
            errors += error_items(bound)
        else:  # the action is no longer offered: its messages stand alone
            errors += [{"text": item["text"], "href": ""} for item in error_items(bound)]
    printed = []
    for form, label, applies in FORM_LINKS:
        if applies(dossier):
            url = _forms_url("documents:form", dossier.code, form)
            if url:
                printed.append({"form": form, "label": label, "url": url})
    intake_form = INTAKE_FORM.get(dossier.state)  # the slip to print right after intake (flash message)
    intake_url = _forms_url("documents:form", dossier.code, intake_form) if intake_form else ""
    apology = decisions.get("apologize")
    remaining = None
    if clock.remaining is not None and clock.status in ("on_track", "due_soon"):
        minutes = int(clock.remaining.total_seconds() // 60)
        remaining = {"h": minutes // 60, "m": minutes % 60}
    late_rows = []
    if verdict.status == "late":
        late_rows = [{"step": r.step, "allotted": r.step.allotted_minutes / 60, "used": r.used_minutes / 60,
                      "over": r.overrun_minutes / 60} for r in services.accountability(dossier, now)]
    return {
        "d": dossier, "clock": tag(clock.status), "remaining": remaining,
        "verdict": tag(verdict.status, VERDICT_TAGS), "steps": _step_rows(dossier, now, cal),
        "timeline": timeline_rows(dossier.code), "accountability": late_rows,
        "actions": forms, "printed": printed, "errors": errors,
        "apology_too_late": bool(apology and apology.refusal and apology.refusal.code == "ONESTOP_APOLOGY_TOO_LATE"
                                 and dossier.due_at is not None),
        "can_attach_result": bool(decisions.get("attach_result") and decisions["attach_result"].allowed),
        "intake_url": intake_url, "intake_label": dict((f, lbl) for f, lbl, _a in FORM_LINKS).get(intake_form, ""),
        "documents": _documents(dossier), "open_states": [int(s) for s in OPEN_STATES],
        "warn_actions": ("refuse", "withdraw", "stop"),
        "fee_text": _("%(n)s đồng") % {"n": f"{dossier.fee_total_vnd:,}".replace(",", ".")},
    }


def _documents(dossier):
    received = set(dossier.documents_received or [])
    return [{"doc": d, "received": d.pk in received} for d in dossier.procedure_version.documents.all()]


def _load(request, code):
    dossier = queries.dossier_for(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


@officer_required
def dossier(request, code):
    d = _load(request, code)
    return render(request, "onestop/dossier.html", _dossier_context(request, d, timezone.now()))


@officer_required
@require_POST
def act(request, code):
    d = _load(request, code)
    now = timezone.now()
    action = request.POST.get("action", "")
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        ctx = _dossier_context(request, d, now, error={"message": _("Không có thao tác này.")})
        return render(request, "onestop/dossier.html", ctx, status=400)
    form = form_class(request.POST, dossier=d, now=now)
    if not form.is_valid():
        return render(request, "onestop/dossier.html", _dossier_context(request, d, now, bound=form), status=422)
    try:
        services.act(d.code, action, request.user, expected_version=form.cleaned_data["version"], **form.params())
    except DossierNotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        d = _load(request, code)
        field = ERROR_FIELDS.get(exc.code)
        if field and field in form.fields:
            form.add_error(field, str(exc.message))
            error = None
        else:
            error = {"message": str(exc.message), "stale": isinstance(exc, StaleVersion)}
        return render(request, "onestop/dossier.html", _dossier_context(request, d, now, bound=form, error=error),
                      status=exc.status)
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": TRANSITIONS[action].label})
    return redirect("onestop:dossier", code=d.code)


# --- portal: the electronic result, attached by the officer --------------------------------------------


@officer_required
@require_POST
def attach_result(request, code):
    """Checked by content in `services.attach_result`; errors come back on the dossier page, linked."""
    d = _load(request, code)
    upload = request.FILES.get("result")
    try:
        if upload is None:
            raise services.Invalid(_("Chọn tệp kết quả để đính kèm."), code="ONESTOP_RESULT_REQUIRED")
        services.attach_result(d.code, request.user, upload, expected_version=request.POST.get("version") or None)
    except DossierNotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        ctx = _dossier_context(request, _load(request, code), timezone.now())
        ctx["errors"] = ctx["errors"] + [{"text": str(exc.message), "href": "#result-file"}]
        return render(request, "onestop/dossier.html", ctx, status=exc.status)
    messages.success(request, _("Đã đính kèm kết quả điện tử."))
    return redirect("onestop:dossier", code=d.code)
