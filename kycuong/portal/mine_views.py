"""“Hồ sơ của tôi”: the citizen's dossiers with state and clock, each dossier's public timeline, files,
fees and payment, the electronic result (only for the applicant) and the rating. Also the file download
officers use from the dossier page, and the unit leader's queue of unhappy ratings."""
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kycuong.core.errors import DomainError
from kycuong.core.notifications import mark_read, unread_for
from kycuong.core.queries import sees_everything
from kycuong.core.models import User
from kycuong.onestop import queries as onestop_queries
from kycuong.onestop.labels import CLOCK_TAGS, EVENT_LABELS, tag
from kycuong.onestop.views import timeline_rows
from kycuong.onestop.views import error_items, officer_required
from kycuong.onestop.workflow import State

from . import queries, services
from .forms import FACTORS, SurveyForm
from .models import DossierFile
from .submit_views import size_text

citizen_required = login_required(login_url="portal:sign_in")


@citizen_required
def mine(request):
    now = timezone.now()
    rows = [{"d": d, "clock": tag(onestop_queries.clock_of(d, now).status, CLOCK_TAGS)}
            for d in queries.my_dossiers(request.user)[:200]]
    notes = list(unread_for(request.user)[:20])
    return render(request, "portal/mine/list.html", {"rows": rows, "drafts": queries.my_drafts(request.user),
                                                     "notes": notes})


@citizen_required
@require_POST
def read_notes(request):
    mark_read(request.user)
    return redirect("portal:mine")


def _mine_or_404(request, code):
    dossier = queries.my_dossier(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _detail_context(request, d, survey=None, errors=()):
    now = timezone.now()
    clock = onestop_queries.clock_of(d, now)
    rating = queries.rating_of(d)
    files = [{"f": f, "size": size_text(f.size)} for f in queries.dossier_files(d)]
    payments = list(d.payments.all())
    return {
        "d": d, "clock": tag(clock.status, CLOCK_TAGS), "timeline": timeline_rows(d.code, public_only=True),
        "files": files, "payments": payments, "rating": rating,
        "fee_text": f"{d.fee_total_vnd:,}".replace(",", "."),
        "can_rate": d.state == State.RETURNED and (rating is None or rating.surveyed_at is None),
        "survey": survey or SurveyForm(), "factors": FACTORS, "errors": list(errors),
        "states_seen": [int(s) for s in State], "event_labels": EVENT_LABELS,
    }


@citizen_required
def my_dossier(request, code):
    d = _mine_or_404(request, code)
    return render(request, "portal/mine/detail.html", _detail_context(request, d))


@citizen_required
def result(request, code):
    """The electronic result: only the applicant; anyone else gets 404 (not 403: the code stays secret)."""
    d = _mine_or_404(request, code)
    if not (d.result_is_electronic and d.result_file):
        raise Http404(_("Hồ sơ chưa có kết quả điện tử."))
    name = f"ket-qua-{d.code}{_suffix(d.result_file.name)}"
    return FileResponse(d.result_file.open("rb"), as_attachment=True, filename=name,
                        content_type=mimetypes.guess_type(d.result_file.name)[0] or "application/octet-stream")


def _suffix(name):
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


@login_required(login_url="portal:sign_in")
def submitted_file(request, code, file_id):
    """A file submitted online: its applicant, and officers whose scope covers the dossier."""
    dossier = onestop_queries.dossier_for(request.user, code)
    row = DossierFile.objects.filter(pk=file_id, dossier=dossier).first() if dossier else None
    if row is None:
        raise Http404(_("Không tìm thấy tệp."))
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name, content_type=row.mime)


@citizen_required
@require_POST
def rate(request, code):
    d = _mine_or_404(request, code)
    liked = {"like": True, "dislike": False}.get(request.POST.get("vote", ""))
    survey = None
    scores, comment = None, ""
    if request.POST.get("survey"):
        survey = SurveyForm(request.POST)
        if not survey.is_valid():
            return render(request, "portal/mine/detail.html",
                          _detail_context(request, d, survey=survey, errors=error_items(survey)), status=422)
        scores = {k: survey.cleaned_data[k] for k, _l in FACTORS}
        comment = survey.cleaned_data["comment"]
    try:
        services.rate(request.user, d.code, liked=liked, scores=scores, comment=comment)
    except DomainError as exc:
        return render(request, "portal/mine/detail.html", _detail_context(
            request, d, survey=survey, errors=[{"text": str(exc.message), "href": "#rating"}]), status=exc.status)
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("portal:my_dossier", code=d.code)


@citizen_required
def receipt(request, code, txn_ref):
    d = _mine_or_404(request, code)
    payment = d.payments.filter(txn_ref=txn_ref, state="paid").first()
    if payment is None:
        raise Http404(_("Không tìm thấy biên lai."))
    return render(request, "portal/mine/receipt.html", {"d": d, "p": payment,
                                                        "amount": f"{payment.amount_vnd:,}".replace(",", ".")})


@officer_required
def leader_queue(request):
    """Dislikes and low scores of the leader's unit subtree, each with its dossier (docs/legal/decision-766.md §1.2 row 5.4)."""
    user = request.user
    if user.role != User.Role.UNIT_LEADER and not sees_everything(user):
        return render(request, "onestop/forbidden.html", status=403)
    return render(request, "portal/leader_queue.html", {"ratings": queries.leader_alerts(user)[:200]})
