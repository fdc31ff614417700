"""Pages under /ky-luat/. Thin: scoped reads from `queries`, writes through `services` only."""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kycuong.core.errors import DomainError
from kycuong.core.models import Official
from kycuong.core.notifications import unread_for

from . import letters, queries, services
from .access import can, is_inspector, is_overseer
from .policy import CASE, INVITATION, MEETING, PROPOSAL, SUBJECT, TASK
from .errors import Invalid
from .forms import (
    AdmonitionForm, ConclusionsForm, CouncilForm, DeferralForm, DirectiveForm, MeetingForm, RecordForm, ReplyForm,
    TaskReportForm, aware,
)
from .models import Attendance, Case, CaseProposal
from .sanctions import STEP_BY_KEY, UNVERIFIED, measures_for

STATE_TAGS = {
    Attendance.PRESENT: "govuk-tag--green", Attendance.LATE: "govuk-tag--yellow",
    Attendance.ABSENT_REPORTED: "govuk-tag--grey", Attendance.ABSENT_UNREPORTED: "govuk-tag--red",
    Attendance.LEFT_WITH_CONSENT: "govuk-tag--blue", Attendance.LEFT_UNREPORTED: "govuk-tag--red",
}
TASK_TAGS = {
    queries.ON_TIME: (gettext_lazy("Đúng hạn"), "govuk-tag--green"),
    queries.LATE: (gettext_lazy("Trễ hạn"), "govuk-tag--yellow"),
    queries.OVERDUE_OPEN: (gettext_lazy("Quá hạn, chưa hoàn thành"), "govuk-tag--red"),
    queries.OPEN: (gettext_lazy("Trong hạn"), "govuk-tag--blue"),
}


def officer_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_officer or request.user.is_superuser):
            return render(request, "discipline/forbidden.html", status=403)
        return view(request, *args, **kwargs)
    return wrapper


def _forbidden(request):
    return render(request, "discipline/forbidden.html", status=403)


def _errors(form):
    items = []
    for name, errs in form.errors.items():
        href = ""
        if name in form.fields:
            bound = form[name]
            href = "#" + bound.auto_id + ("_0" if bound.widget_type in ("checkboxselectmultiple", "radioselect") else "")
        items += [{"text": e, "href": href} for e in errs]
    return items


def _domain(request, exc):
    messages.error(request, str(exc.message))


def _may(book, user, obj, action) -> bool:
    """Whether the button for `action` shows: the policy's answer, nothing else."""
    return obj is not None and book.decide(user, obj, action).allowed and book.in_scope(user, obj)


def _waiting(book, user, obj):
    """The actions this user could take but not now, with the policy's reason (state, time, order of steps)."""
    return [d for d in book.decisions(user, obj) if d.refusal is not None and not d.refusal.forbidden]


def _own_unit_may(user, action) -> bool:
    return bool(user.unit_id) and _may(SUBJECT, user, user.unit, action)


# --- home, officials, own records ----------------------------------------------------------------------------

@officer_required
def home(request):
    user = request.user
    ctx = {
        "overseer": is_overseer(user), "organiser": _own_unit_may(user, "create_meeting"), "inspector": is_inspector(user),
        "notifications": unread_for(user).filter(kind__startswith="task_")[:20],
        "proposals": queries.proposals(user).filter(state=CaseProposal.State.OPEN)[:20] if is_overseer(user) else [],
        "meetings": queries.meetings(user)[:10],
        "own": Official.objects.filter(user=user).first(),
    }
    return render(request, "discipline/home.html", ctx)


@officer_required
def officials(request):
    if not is_overseer(request.user):
        return _forbidden(request)
    q = request.GET.get("q", "")
    rows = queries.visible_officials(request.user, q)[:200]
    return render(request, "discipline/officials.html", {"rows": rows, "q": q})


def _history(request, official):
    history = queries.official_history(request.user, official)
    if history is None:
        raise Http404(_("Không tìm thấy cán bộ."))
    allowed = set(SUBJECT.allowed(request.user, official))
    form = RecordForm() if "record_conduct" in allowed else None
    adm = AdmonitionForm() if "admonish" in allowed else None
    return render(request, "discipline/official.html", {"official": official, "form": form, "adm_form": adm,
                                                         **history})


@officer_required
def official(request, pk):
    target = Official.objects.select_related("unit").filter(pk=pk).first()
    if target is None:
        raise Http404(_("Không tìm thấy cán bộ."))
    if request.method == "POST":
        action = "admonish" if request.POST.get("form") == "admonition" else "record_conduct"
        if not _may(SUBJECT, request.user, target, action):
            return _forbidden(request)
        try:
            if action == "admonish":
                f = AdmonitionForm(request.POST)
                if f.is_valid():
                    services.admonish(request.user, unit=target.unit, official=target, kind=f.cleaned_data["kind"],
                                      reason=f.cleaned_data["reason"], issued_on=timezone.localdate())
                    messages.success(request, _("Đã ghi nhận."))
            else:
                f = RecordForm(request.POST, request.FILES)
                if f.is_valid():
                    d = f.cleaned_data
                    services.record_conduct(request.user, unit=target.unit, official=target, source_kind=d["source_kind"],
                                            source_ref=d["source_ref"], rule_code=d["rule"] or None,
                                            description=d["description"], evidence=d["evidence"])
                    messages.success(request, _("Đã ghi nhận."))
        except DomainError as exc:
            _domain(request, exc)
        return redirect("discipline:official", pk=pk)
    return _history(request, target)


@officer_required
def mine(request):
    own = Official.objects.filter(user=request.user).first()
    if own is None:
        return render(request, "discipline/mine.html", {"official": None})
    return _history(request, own)


# --- meetings ------------------------------------------------------------------------------------------------

@officer_required
def meetings(request):
    return render(request, "discipline/meetings.html", {"rows": queries.meetings(request.user)[:100],
                                                        "organiser": _own_unit_may(request.user, "create_meeting")})


@officer_required
def meeting_new(request):
    user = request.user
    if not _own_unit_may(user, "create_meeting"):
        return _forbidden(request)
    form = MeetingForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.create_meeting(
                user, title=d["title"], unit=user.unit, chair=d["chair"], starts_at=aware(d["day"], d["start"]),
                ends_at=aware(d["day"], d["end"]), place=d["place"], online_link=d["online_link"],
                units=[(u, d["rank"]) for u in d["units"]], officials=list(d["officials"]))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Đã tạo cuộc họp và gửi giấy mời."))
            return redirect("discipline:meeting", pk=meeting.pk)
    return render(request, "discipline/meeting_new.html", {"form": form, "errors": _errors(form)})


def _meeting_or_404(user, pk):
    meeting = queries.meetings(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("Không tìm thấy cuộc họp."))
    return meeting


@officer_required
def meeting(request, pk):
    user = request.user
    meeting = _meeting_or_404(user, pk)
    manage = can(user, "organise", meeting.unit)  # reads: the invitees' codes and the letters
    actions = MEETING.allowed(user, meeting)
    invitations = list(meeting.invitations.select_related("unit", "official", "delegate"))
    for inv in invitations:
        inv.meeting = meeting
    rows = [{"inv": inv, "token": services.token_for(inv) if manage else "", "actions": INVITATION.allowed(user, inv),
             "tag": STATE_TAGS.get(inv.final_state, "govuk-tag--grey")} for inv in invitations]
    counts = {}
    for inv in invitations:
        if inv.final_state:
            counts[inv.final_state] = counts.get(inv.final_state, 0) + 1
    ctx = {"meeting": meeting, "rows": rows, "manage": manage, "counts": [(Attendance(k).label, v) for k, v in counts.items()],
           "letters": meeting.letters.all() if manage else [], "actions": actions,
           "secretary": any(r["actions"] for r in rows),
           "conclusions_form": ConclusionsForm(meeting) if "issue_conclusions" in actions else None,
           "checked_in": sum(1 for i in invitations if i.checked_in_at)}
    return render(request, "discipline/meeting.html", ctx)


@require_POST
@officer_required
def meeting_act(request, pk):
    """The secretary's buttons: check someone in/out on a tablet, record the chair's consent, close, draft."""
    user = request.user
    meeting = _meeting_or_404(user, pk)
    action = request.POST.get("action", "")
    inv_id = request.POST.get("invitation")
    try:
        if inv_id and not meeting.invitations.filter(pk=inv_id).exists():
            raise Http404()
        if action == "check_in":
            services.check_in(inv_id, actor=user)
        elif action == "check_out":
            services.check_out(inv_id, actor=user)
        elif action == "consent":
            services.consent_leave(user, inv_id, reason=request.POST.get("reason", ""))
        elif action == "close":
            services.close_meeting(user, meeting.pk)
        elif action == "draft":
            letter = services.draft_criticism(user, meeting.pk)
            messages.success(request, _("Đã dự thảo công văn phê bình."))
            return redirect("discipline:letter", pk=letter.pk)
        elif action == "conclusions":
            form = ConclusionsForm(meeting, request.POST)
            if not form.is_valid():
                for e in _errors(form):
                    messages.error(request, e["text"])
                return redirect("discipline:meeting", pk=pk)
            d = form.cleaned_data
            tasks = []
            if d["task_unit"] and d["task_title"] and d["task_due"]:
                from datetime import time
                tasks.append((d["task_unit"], d["task_title"], aware(d["task_due"], time(17, 0))))
            letter = services.issue_conclusions(user, meeting.pk, conclusions=d["conclusions"], tasks=tasks)
            return redirect("discipline:letter", pk=letter.pk)
        else:
            raise Http404()
        messages.success(request, _("Đã thực hiện."))
    except DomainError as exc:
        _domain(request, exc)
    return redirect("discipline:meeting", pk=pk)


# --- personal invitation and attendance by QR (no sign-in: the signed code is the credential) -----------------

def _invitation(token):
    try:
        return services.invitation_for_token(token)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


def invitation(request, token):
    inv = _invitation(token)
    form = ReplyForm(inv, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.reply(inv.pk, accept=d["answer"] == "accept", reason=d["reason"], delegate=d["delegate"])
            messages.success(request, _("Đã gửi trả lời tới người chủ trì."))
            return redirect("discipline:invitation", token=token)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
    if not _may(INVITATION, None, inv, "reply"):
        form = None
    checkin_url = request.build_absolute_uri(reverse("discipline:attend", args=[token]))
    import segno

    qr = segno.make(checkin_url, error="m").svg_data_uri(border=2, dark="#000")
    return render(request, "discipline/invitation.html", {"inv": inv, "meeting": inv.meeting, "form": form,
                                                          "errors": _errors(form) if form else [], "qr": qr,
                                                          "checkin_url": checkin_url})


def attend(request, token):
    inv = _invitation(token)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "out":
                services.check_out(inv.pk, reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã ghi nhận giờ rời cuộc họp."))
            else:
                services.check_in(inv.pk)
                messages.success(request, _("Đã điểm danh vào họp."))
        except DomainError as exc:
            _domain(request, exc)
        return redirect("discipline:attend", token=token)
    inv = _invitation(token)
    early = inv.checked_in_at and not inv.checked_out_at and timezone.now() < inv.meeting.ends_at
    return render(request, "discipline/attend.html", {"inv": inv, "meeting": inv.meeting, "early": early,
                                                      "actions": INVITATION.allowed(None, inv)})


# --- letters -------------------------------------------------------------------------------------------------

def _letter_or_404(user, pk):
    letter = queries.letters(user).filter(pk=pk).first()
    if letter is None:
        raise Http404(_("Không tìm thấy văn bản."))
    return letter


@officer_required
def letter(request, pk):
    letter = _letter_or_404(request.user, pk)
    ctx = letters.context(letter)
    ctx.pop("fonts")
    ctx["lines"] = letters.content_lines(letter, ctx)
    return render(request, "discipline/letter.html", ctx)


@require_GET
@officer_required
def letter_file(request, pk, ext):
    letter = _letter_or_404(request.user, pk)
    if ext == "pdf":
        content, ctype, disp = letters.render_pdf(letter), "application/pdf", "inline"
    else:
        content = letters.render_docx(letter)
        ctype, disp = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'{disp}; filename="{letters.filename(letter, ext)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- directives and tasks ------------------------------------------------------------------------------------

@officer_required
def tasks(request):
    user = request.user
    now = timezone.now()
    form = DirectiveForm(user, request.POST or None) if _own_unit_may(user, "create_directive") else None
    if request.method == "POST":
        if form is None:
            return _forbidden(request)
        if form.is_valid():
            d = form.cleaned_data
            from datetime import time
            try:
                services.create_directive(user, number=d["number"], issued_on=d["issued_on"], doc_type=d["doc_type"],
                                          title=d["title"], unit=user.unit,
                                          tasks=[(d["task_unit"], d["task_title"], aware(d["task_due"], time(17, 0)))])
                messages.success(request, _("Đã giao nhiệm vụ."))
                return redirect("discipline:tasks")
            except DomainError as exc:
                form.add_error(None, str(exc.message))
    rows = []
    for t in queries.tasks(user).order_by("due_at")[:300]:
        label, css = TASK_TAGS[queries.task_status(t, now)]
        rows.append({"t": t, "label": label, "css": css})
    return render(request, "discipline/tasks.html", {
        "rows": rows, "form": form, "errors": _errors(form) if form is not None and form.is_bound else [],
        "notifications": unread_for(user).filter(kind__startswith="task_")[:50]})


@officer_required
def task(request, pk):
    user = request.user
    t = queries.tasks(user).filter(pk=pk).first()
    if t is None:
        raise Http404(_("Không tìm thấy nhiệm vụ."))
    form = TaskReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") in ("accept", "return"):
                report = t.reports.filter(decision="pending").last()
                if report is None:
                    raise Http404()
                services.review_report(user, report.pk, accept=request.POST["action"] == "accept",
                                       note=request.POST.get("note", ""))
                messages.success(request, _("Đã thực hiện."))
                return redirect("discipline:task", pk=pk)
            if form.is_valid():
                services.report_task(user, t.pk, text=form.cleaned_data["text"], evidence=form.cleaned_data["evidence"])
                messages.success(request, _("Đã gửi báo cáo."))
                return redirect("discipline:task", pk=pk)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
    label, css = TASK_TAGS[queries.task_status(t)]
    actions = TASK.allowed(user, t)
    return render(request, "discipline/task.html", {
        "t": t, "label": label, "css": css, "form": form, "errors": _errors(form) if form.is_bound else [],
        "actions": actions, "can_report": "report" in actions,
        "can_review": "accept" in actions or "return" in actions, "reports": t.reports.all()})


# --- cases ---------------------------------------------------------------------------------------------------

@officer_required
def cases(request):
    user = request.user
    proposals = [{"p": p, "actions": PROPOSAL.allowed(user, p)} for p in queries.proposals(user)[:100]]
    return render(request, "discipline/cases.html", {"rows": queries.cases(user)[:200], "proposals": proposals})


@officer_required
def case(request, pk):
    c = queries.cases(request.user).filter(pk=pk).prefetch_related("violations", "deferrals", "council").first()
    if c is None:
        raise Http404(_("Không tìm thấy vụ việc."))
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "advance":
                services.advance_step(request.user, c.pk)
            elif action == "defer":
                f = DeferralForm(request.POST)
                if not f.is_valid():
                    raise Invalid(_("Hãy chọn lý do và nhập đủ ngày bắt đầu, ngày kết thúc."))
                services.add_deferral(request.user, c.pk, **f.cleaned_data)
            elif action == "council":
                f = CouncilForm(request.user, request.POST)
                if not f.is_valid():
                    raise Invalid(_("Hãy chọn 03 thành viên Hội đồng kỷ luật."))
                services.set_council(request.user, c.pk, list(f.cleaned_data["members"]))
            elif action == "notify":
                services.notify_consideration(request.user, c.pk, on=timezone.localdate())
            elif action == "decide":
                services.decide(request.user, c.pk, measure=request.POST.get("measure", ""),
                                decided_on=timezone.localdate())
            messages.success(request, _("Đã thực hiện."))
        except DomainError as exc:
            _domain(request, exc)
        return redirect("discipline:case", pk=pk)
    labels = dict(Case.MEASURES)
    return render(request, "discipline/case.html", {
        "c": c, "step": STEP_BY_KEY.get(c.step), "actions": CASE.allowed(request.user, c),
        "waiting": _waiting(CASE, request.user, c) if c.state == Case.State.OPEN else [],
        "measures": [(m, labels[m]) for m in measures_for(c.category, is_leader=c.is_leader)],
        "required": labels.get(services.required_measure(c)) if c.violations.exists() else "",
        "unverified": c.category in UNVERIFIED, "deferral_form": DeferralForm(), "council_form": CouncilForm(request.user)})


@require_POST
@officer_required
def proposal_open(request, pk):
    p = queries.proposals(request.user).filter(pk=pk).first()
    if p is None:
        raise Http404()
    try:
        if request.POST.get("action") == "dismiss":
            services.dismiss_proposal(request.user, p.pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã thực hiện."))
            return redirect("discipline:cases")
        c = services.open_proposal(request.user, p.pk, discovered_on=timezone.localdate())
        return redirect("discipline:case", pk=c.pk)
    except DomainError as exc:
        _domain(request, exc)
        return redirect("discipline:cases")


# --- annual evaluation ---------------------------------------------------------------------------------------

@require_GET
@officer_required
def evaluation(request):
    if not is_overseer(request.user):
        return _forbidden(request)
    from .evaluation import export_xlsx

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    content = export_xlsx(request.user, year)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="danh-gia-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
