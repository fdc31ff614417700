"""Online submission, step by step: applicant → documents → fees → review → submit. Every step is saved on
the draft, so a citizen can sign out and resume; the review page carries the draft's idempotency key."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kycuong.catalog.queries import procedure_by_code
from kycuong.core.errors import DomainError
from kycuong.core.uploads import MB, max_file_bytes, max_total_bytes
from kycuong.onestop.views import error_items

from . import queries, services
from .errors import AlreadySubmitted, DraftNotFound
from .forms import ApplicantForm
from .models import Draft

STEPS = [("applicant", "portal:draft_applicant"), ("documents", "portal:draft_documents"),
         ("fees", "portal:draft_fees"), ("review", "portal:draft_review")]
citizen_required = login_required(login_url="portal:sign_in")


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n)s MB") % {"n": f"{size / (1024 * 1024):.1f}".replace(".", ",")}
    return _("%(n)s KB") % {"n": max(1, round(size / 1024))}


def catalogue(request):
    q = (request.GET.get("q") or "").strip()
    return render(request, "portal/submit/catalogue.html",
                  {"q": q, "versions": list(queries.online_procedures(q)[:50])})


@citizen_required
@require_POST
def start(request, code):
    try:
        draft = services.start_draft(request.user, code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return redirect("portal:draft", draft_id=draft.pk)


def _load(request, draft_id):
    draft = queries.my_draft(request.user, draft_id)
    if draft is None:
        raise Http404(DraftNotFound.message)
    return draft


def _context(draft, step, **extra):
    version = procedure_by_code(draft.procedure.code)
    done = [s for s, _n in STEPS]
    return {"draft": draft, "version": version, "step": step, "steps": [
        {"key": s, "url": reverse(n, args=[draft.pk]), "label": Draft.Step(s).label,
         "current": s == step, "n": i} for i, (s, n) in enumerate(STEPS, 1)], "step_keys": done} | extra


def _submitted(request, draft):
    messages.info(request, _("Hồ sơ này đã được nộp với mã %(code)s.") % {"code": draft.dossier.code})
    return redirect("portal:my_dossier", code=draft.dossier.code)


@citizen_required
def resume(request, draft_id):
    draft = _load(request, draft_id)
    if draft.dossier_id:
        return _submitted(request, draft)
    return redirect(dict(STEPS)[draft.step], draft_id=draft.pk)


@citizen_required
def applicant(request, draft_id):
    draft = _load(request, draft_id)
    if draft.dossier_id:
        return _submitted(request, draft)
    version = procedure_by_code(draft.procedure.code)
    units = services.deciding_choices(version)
    initial = dict(draft.applicant or {})
    initial["deciding_unit"] = str(draft.deciding_unit_id or (units[0].pk if len(units) == 1 else ""))
    form = ApplicantForm(request.POST or None, units=units, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("name", "id_number", "phone", "email", "address")}
            try:
                services.save_applicant(request.user, draft.pk, applicant=data, deciding_unit=form.unit())
            except AlreadySubmitted:
                return _submitted(request, _load(request, draft_id))
            except DomainError as exc:
                form.add_error({"PORTAL_UNIT_REQUIRED": "deciding_unit"}.get(exc.code, "name"), str(exc.message))
                status = exc.status
            else:
                if request.POST.get("save") == "later":
                    messages.success(request, _("Đã lưu. Bạn có thể tiếp tục bất cứ lúc nào trong “Hồ sơ của tôi”."))
                    return redirect("portal:mine")
                return redirect("portal:draft_documents", draft_id=draft.pk)
        else:
            status = 422
    return render(request, "portal/submit/applicant.html",
                  _context(draft, "applicant", form=form, errors=error_items(form),
                           single_unit=len(units) == 1), status=status)


def _documents_context(draft, errors=(), status=200):
    version = procedure_by_code(draft.procedure.code)
    files = list(draft.files.all())
    rows = []
    for doc in version.documents.all():
        mine = [{"f": f, "size": size_text(f.size)} for f in files if f.document_id == doc.pk]
        rows.append({"doc": doc, "files": mine})
    total = sum(f.size for f in files)
    return _context(draft, "documents", rows=rows, errors=list(errors), total=size_text(total) if files else "",
                    limits={"file": max_file_bytes() // MB, "total": max_total_bytes() // MB})


@citizen_required
def documents(request, draft_id):
    draft = _load(request, draft_id)
    if draft.dossier_id:
        return _submitted(request, draft)
    errors, status = [], 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "upload":
                doc_id = request.POST.get("document")
                try:
                    services.add_files(request.user, draft.pk, doc_id, request.FILES.getlist("files"))
                except DomainError as exc:
                    errors.append({"text": str(exc.message), "href": f"#files-{doc_id}"})
                    status = exc.status
                else:
                    messages.success(request, _("Đã tải lên."))
                    return redirect("portal:draft_documents", draft_id=draft.pk)
            elif action == "remove":
                services.remove_file(request.user, draft.pk, request.POST.get("file"))
                messages.success(request, _("Đã xóa tệp."))
                return redirect("portal:draft_documents", draft_id=draft.pk)
            else:
                missing = services.missing_documents(draft)
                if missing:
                    for d in missing:
                        errors.append({"text": _("Tải lên “%(doc)s” (bắt buộc).") % {"doc": d.name},
                                       "href": f"#files-{d.pk}"})
                    status = 422
                else:
                    services.set_step(request.user, draft.pk, Draft.Step.FEES)
                    return redirect("portal:draft_fees", draft_id=draft.pk)
        except AlreadySubmitted:
            return _submitted(request, _load(request, draft_id))
    return render(request, "portal/submit/documents.html", _documents_context(draft, errors), status=status)


@citizen_required
def fees(request, draft_id):
    draft = _load(request, draft_id)
    if draft.dossier_id:
        return _submitted(request, draft)
    if request.method == "POST":
        services.set_step(request.user, draft.pk, Draft.Step.REVIEW)
        return redirect("portal:draft_review", draft_id=draft.pk)
    version = procedure_by_code(draft.procedure.code)
    total = sum(f.amount_vnd for f in version.fees.all())
    return render(request, "portal/submit/fees.html", _context(draft, "fees", fees=version.fees.all(),
                                                              total=total))


@citizen_required
def review(request, draft_id):
    draft = _load(request, draft_id)
    errors, status = [], 200
    if request.method == "POST":
        lookup_path = "/tra-cuu/"
        try:
            dossier = services.submit_draft(request.user, draft.pk, request.POST.get("key", ""),
                                            lookup_url=request.build_absolute_uri(lookup_path))
        except AlreadySubmitted:
            # A second POST (double click, back button): nothing new is created; show the dossier.
            messages.info(request, _("Hồ sơ này đã được nộp trước đó với mã %(code)s; không nộp lại lần thứ hai.")
                          % {"code": _load(request, draft_id).dossier.code})
            return redirect("portal:my_dossier", code=_load(request, draft_id).dossier.code)
        except DomainError as exc:
            errors.append({"text": str(exc.message), "href": "#submit"})
            status = exc.status
        else:
            request.session["portal_just_submitted"] = dossier.code
            return redirect("portal:submitted", code=dossier.code)
    elif draft.dossier_id:
        return _submitted(request, draft)
    ctx = _documents_context(draft)
    version = ctx["version"]
    ctx.update(step="review", errors=errors, fees=version.fees.all(),
               total=sum(f.amount_vnd for f in version.fees.all()))
    ctx["steps"] = _context(draft, "review")["steps"]
    return render(request, "portal/submit/review.html", ctx, status=status)


@citizen_required
def submitted(request, code):
    dossier = queries.my_dossier(request.user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return render(request, "portal/submit/submitted.html", {
        "d": dossier, "lookup_url": request.build_absolute_uri(reverse("lookup_detail", args=[dossier.code]))})
