"""Public dossier lookup page by code (also the target of the QR code on every printed form).

What it shows, the code pattern, the phone mask, the per-IP limit and the per-dossier cap on wrong
guesses all come from the one lookup service, onestop/lookup.py, which GET /api/v1/lookup/{code} uses
too: both doors give the same answer and the same errors, and guesses on one count against the other.
"""
from django.shortcuts import redirect, render

from kycuong.core import ratelimit
from kycuong.onestop import lookup as service
from kycuong.onestop.errors import DossierNotFound
from kycuong.onestop.labels import VERDICT_TAGS, tag
from kycuong.onestop.workflow import OPEN_STATES, State


def _too_many(request, exc: ratelimit.RateLimited):
    """The 429 page in Vietnamese once the visitor's per-minute budget is spent."""
    retry = int(exc.details.get("retry_after_seconds") or ratelimit.WINDOW_SECONDS)
    response = render(request, "portal/lookup_429.html", {"retry": retry}, status=429)
    response["Retry-After"] = str(retry)
    return response


def lookup(request):
    """The search form; `?ma=CODE` goes to the dossier's page (that URL is also printed as a QR code)."""
    try:
        service.admit(request)
    except ratelimit.RateLimited as exc:
        return _too_many(request, exc)
    error = ""
    if "ma" in request.GET:
        try:
            return redirect("lookup_detail", code=service.form_code(request.GET["ma"]))
        except service.BadCode as exc:
            error = exc.message
    return render(request, "portal/lookup.html", {"code": request.GET.get("ma", ""), "error": error},
                  status=400 if error else 200)


def lookup_detail(request, code):
    proof = request.POST.get("so_cuoi", "") if request.method == "POST" else None
    try:
        # Built from the database (the page needs datetimes, not the API's cached JSON), through the
        # same service: same body, same limits; it refreshes the API's cache entry as a side effect.
        answer = service.answer(request, code, proof, use_cache=False)
    except ratelimit.RateLimited as exc:
        return _too_many(request, exc)
    except DossierNotFound:
        return render(request, "portal/lookup.html", {"code": service.normalise(code), "not_found": True},
                      status=404)
    a, row = answer.body, answer.row
    state = State(a["state"]["code"])
    response = render(request, "portal/lookup_detail.html", {
        "a": a, "verdict": tag(a["timeliness"], VERDICT_TAGS) | {"label": a["timeliness_label"]},
        "is_open": state in OPEN_STATES, "paused": state == State.SUPPLEMENT_REQUESTED,
        "rescheduled": row.apology_count > 0, "verified": answer.verified,
        "phone_error": answer.proof_error.message if answer.proof_error else "",
        "can_verify": service.can_verify(row.applicant_phone),
    }, status=422 if answer.proof_error else 200)
    response["Cache-Control"] = "private, no-store"
    return response
