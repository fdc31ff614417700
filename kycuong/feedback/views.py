"""Public pages: send a report, track it by code, read published answers and like/dislike them.

Thin: reads from `queries`, writes through `services`. Anything public goes through `masking.mask`, and
templates autoescape everything a citizen typed (HTML and scripts are shown as text).
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kycuong.core import events, ratelimit
from kycuong.core.errors import DomainError
from kycuong.onestop.views import error_items

from . import queries, services
from .forms import ReportForm, TrackForm
from .masking import mask
from .models import Channel, Conclusion
from .policy import REPORT
from .workflow import State

SUBMIT_LIMIT_PER_MINUTE = 5
TRACK_LIMIT_PER_MINUTE = 30
EVENT_LABELS = {
    "submitted": gettext_lazy("Tiếp nhận phản ánh"),
    "unit_confirmed": gettext_lazy("Xác định đơn vị xử lý"),
    "transferred": gettext_lazy("Chuyển đơn vị xử lý"),
    "refused": gettext_lazy("Từ chối tiếp nhận"),
    "info_requested": gettext_lazy("Yêu cầu bổ sung thông tin"),
    "info_provided": gettext_lazy("Đã bổ sung thông tin"),
    "verification_started": gettext_lazy("Bắt đầu xác minh"),
    "concluded": gettext_lazy("Có kết luận xác minh"),
    "answered": gettext_lazy("Đã xử lý xong, chờ công khai"),
    "published": gettext_lazy("Công khai kết quả trả lời"),
}


def _over_limit(request, scope, setting, default):
    """Charge the visitor's per-minute budget; the RateLimited error when it is spent."""
    limit = int(getattr(settings, setting, default))
    try:
        ratelimit.charge(scope, ratelimit.client_ip(request), limit)
    except ratelimit.RateLimited as exc:
        return exc
    return None


def field_of(exc: DomainError) -> str:
    return (exc.details or {}).get("field", "")


def apply_error(form, exc: DomainError):
    """Put a service error on its form field (so the summary links to it), else on the form."""
    name = field_of(exc)
    aliases = {"official": "official_name", "lat": None, "long": None}
    name = aliases.get(name, name)
    if exc.code.startswith("UPLOAD_"):
        name = "files"
    form.add_error(name if name in form.fields else None, str(exc.message))


def input_from(form, channel) -> services.ReportInput:
    d = form.cleaned_data
    return services.ReportInput(
        kind=d["kind"], title=d.get("title", ""), text=d["text"], channel=channel,
        dossier_code=d.get("dossier_code", ""), procedure_code=d.get("procedure_code", ""),
        unit_code=d.get("unit_code", ""), official_name=d.get("official_name", ""),
        official_description=d.get("official_description", ""), reporter_name=d.get("reporter_name", ""),
        reporter_phone=d.get("reporter_phone", ""), reporter_email=d.get("reporter_email", ""),
        files=d.get("files") or [])


def index(request):
    page = Paginator(queries.published_answers(), 20).get_page(request.GET.get("page"))
    rows = [{"r": r, "title": mask(r.title), "answer": mask(r.public_answer)} for r in page.object_list]
    return render(request, "feedback/index.html", {"page": page, "rows": rows})


def submit(request):
    user = request.user if request.user.is_authenticated and not request.user.is_officer else None
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        limited = _over_limit(request, "feedback_submit", "KYCUONG_FEEDBACK_RATE_PER_MINUTE", SUBMIT_LIMIT_PER_MINUTE)
        if limited is not None:
            # Nothing is lost: the form comes back filled in, with the reason and when to try again.
            form.is_valid()
            retry = int(limited.details.get("retry_after_seconds") or ratelimit.WINDOW_SECONDS)
            response = render(request, "feedback/submit.html", {
                "form": form, "errors": [{"text": str(limited.message), "href": ""}], "retry": retry}, status=429)
            response["Retry-After"] = str(retry)
            return response
        if form.is_valid():
            try:
                report = services.submit(input_from(form, Channel.PORTAL), user=user)
            except DomainError as exc:
                apply_error(form, exc)
            else:
                request.session["feedback_sent"] = report.code
                return redirect("feedback:sent")
        status = 400
    else:
        form = ReportForm()
    return render(request, "feedback/submit.html", {"form": form, "errors": error_items(form)}, status=status)


def sent(request):
    code = request.session.get("feedback_sent")
    if not code:
        return redirect("feedback:submit")
    report = queries.public_report(code)
    return render(request, "feedback/sent.html", {"report": report})


def track(request):
    form = TrackForm(request.GET or None)
    if request.GET:
        limited = _over_limit(request, "feedback_track", "KYCUONG_FEEDBACK_TRACK_RATE_PER_MINUTE",
                              TRACK_LIMIT_PER_MINUTE)
        if limited is not None:
            return render(request, "feedback/track.html", {"form": form, "errors": [
                {"text": str(limited.message), "href": ""}]}, status=429)
        if form.is_valid():
            return redirect("feedback:track_detail", code=form.cleaned_data["ma"].strip().upper())
    return render(request, "feedback/track.html", {"form": form, "errors": error_items(form) if request.GET else []},
                  status=400 if request.GET else 200)


def track_detail(request, code):
    limited = _over_limit(request, "feedback_track", "KYCUONG_FEEDBACK_TRACK_RATE_PER_MINUTE", TRACK_LIMIT_PER_MINUTE)
    if limited is not None:
        return render(request, "feedback/track.html", {"form": TrackForm(), "errors": [
            {"text": str(limited.message), "href": ""}]}, status=429)
    report = queries.public_report(code)
    if report is None:
        return render(request, "feedback/track.html", {"form": TrackForm({"ma": code}), "not_found": code},
                      status=404)
    errors = []
    # The reporter holds the code: the policy says whether information may be added now.
    can_provide = REPORT.decide(AnonymousUser(), report, "provide_info").allowed
    if request.method == "POST" and can_provide:
        try:
            services.provide_info_by_code(report.code, text=request.POST.get("text", ""),
                                          files=request.FILES.getlist("files"))
        except DomainError as exc:
            errors = [{"text": str(exc.message), "href": "#info-text"}]
        else:
            messages.success(request, _("Đã gửi thông tin bổ sung."))
            return redirect("feedback:track_detail", code=report.code)
    timeline = [{"at": e.at, "label": EVENT_LABELS.get(e.kind, e.kind)}
                for e in events.timeline(services.SUBJECT, report.code, public_only=True)
                if e.kind in EVENT_LABELS]
    return render(request, "feedback/track_detail.html", {
        "r": report, "text": mask(report.text), "answer": mask(report.public_answer),
        "timeline": timeline, "errors": errors, "clock": queries.clock_status(report, timezone.now()),
        "info_request": mask(report.info_request), "can_provide": can_provide,
    }, status=400 if errors else 200)


def answer(request, code):
    report = queries.public_report(code)
    if report is None or report.state != State.PUBLISHED:
        return render(request, "feedback/track.html", {"form": TrackForm(), "not_found": code}, status=404)
    mine = None
    if request.user.is_authenticated or request.session.session_key:  # reading creates no session
        mine = report.votes.filter(voter=services.voter_key(request)).values_list("value", flat=True).first()
    return render(request, "feedback/answer.html", {
        "r": report, "title": mask(report.title), "answer": mask(report.public_answer), "text": mask(report.text),
        "mine": mine,
        "conclusion": Conclusion(report.conclusion).label if report.conclusion else ""})


@require_POST
def vote(request, code):
    try:
        value = int(request.POST.get("value", "0"))
        services.vote(code, services.voter_key(request), value)
    except (ValueError, DomainError):
        messages.error(request, _("Không ghi nhận được đánh giá."))
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá câu trả lời."))
    return redirect("feedback:answer", code=code)
