"""Public dossier lookup by code (also the target of the QR code on every printed form).

Anyone holding the code sees the procedure, the state, the dates, the steps done and whether the dossier
is on time — no personal data. The applicant's name and a masked phone number are shown only to a
visitor who types the last 4 digits of the phone number given at intake. Every request costs from a
per-IP budget (a wrong guess costs more), and wrong guesses on one dossier are capped across all IPs,
so the 10,000 possible endings cannot be tried out.
"""
import hmac
import re

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kycuong.core import events, ratelimit
from kycuong.onestop import queries, services
from kycuong.onestop.labels import EVENT_LABELS, TIMELINESS_LABELS, VERDICT_TAGS, tag
from kycuong.onestop.workflow import OPEN_STATES, State

CODE_RE = re.compile(r"^[0-9A-Z.\-]{1,64}$")


# --- rate limiting ---------------------------------------------------------------------------------------

def _charge(request, cost=1):
    """Spend `cost` from the visitor's per-minute budget, shared with GET /api/v1/lookup/{code} (same scope
    and setting); the 429 page in Vietnamese once it is spent."""
    limit = int(getattr(settings, "KYCUONG_LOOKUP_RATE_PER_MINUTE", LOOKUP_LIMIT_PER_MINUTE))
    try:
        ratelimit.charge("lookup", ratelimit.client_ip(request), limit, cost=cost)
    except ratelimit.RateLimited as exc:
        retry = int(exc.details.get("retry_after_seconds") or ratelimit.WINDOW_SECONDS)
        response = render(request, "portal/lookup_429.html", {"retry": retry}, status=429)
        response["Retry-After"] = str(retry)
        return response
    return None


LOOKUP_LIMIT_PER_MINUTE = 30
WRONG_GUESS_COST = 5          # a wrong last-4 guess costs this much of the per-minute budget
MAX_WRONG_PER_DOSSIER = 10    # wrong guesses on one dossier per hour, whatever the IP


def _mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return "•" * max(0, len(digits) - 4) + digits[-4:]


def _normalise(code: str) -> str:
    return (code or "").strip().upper()


# --- views -----------------------------------------------------------------------------------------------

def lookup(request):
    """The search form; `?ma=CODE` goes to the dossier's page (that URL is also printed as a QR code)."""
    blocked = _charge(request)
    if blocked:
        return blocked
    code = _normalise(request.GET.get("ma", ""))
    error = ""
    if "ma" in request.GET:
        if not code:
            error = _("Nhập mã hồ sơ ghi trên giấy tiếp nhận.")
        elif not CODE_RE.match(code):
            error = _("Mã hồ sơ chỉ gồm chữ, số, dấu chấm và gạch ngang, ví dụ H26.104-260302-0001.")
        else:
            return redirect("lookup_detail", code=code)
    return render(request, "portal/lookup.html", {"code": request.GET.get("ma", ""), "error": error},
                  status=400 if error else 200)


def lookup_detail(request, code):
    blocked = _charge(request)
    if blocked:
        return blocked
    code = _normalise(code)
    dossier = queries.public_dossier(code) if CODE_RE.match(code) else None
    if dossier is None:
        return render(request, "portal/lookup.html", {"code": code, "not_found": True}, status=404)

    verified, phone_error = False, ""
    if request.method == "POST":
        digits = re.sub(r"\D", "", request.POST.get("so_cuoi", ""))
        if len(digits) != 4:
            phone_error = _("Nhập đúng 4 chữ số cuối của số điện thoại.")
        else:
            wrong_key = f"kc:lookup:wrong:{dossier.code}"
            locked = (cache.get(wrong_key) or 0) >= MAX_WRONG_PER_DOSSIER
            actual = re.sub(r"\D", "", dossier.applicant_phone or "")
            if locked:
                phone_error = _("Đã nhập sai quá nhiều lần; tạm khóa xem thông tin người nộp của hồ sơ này trong 1 giờ.")
            elif len(actual) >= 4 and hmac.compare_digest(actual[-4:], digits):
                verified = True
            else:
                if not cache.add(wrong_key, 1, 3600):
                    try:
                        cache.incr(wrong_key)
                    except ValueError:
                        cache.set(wrong_key, 1, 3600)
                blocked = _charge(request, WRONG_GUESS_COST - 1)
                if blocked:
                    return blocked
                phone_error = _("Bốn số cuối không khớp với số điện thoại đã khai khi nộp hồ sơ.")

    now = timezone.now()
    verdict = services.timeliness(dossier, now)
    steps = [s for s in dossier.steps.order_by("order") if s.finished_at is not None]
    timeline = []
    for event in events.timeline(services.SUBJECT, dossier.code, public_only=True):
        timeline.append({"at": event.at, "label": EVENT_LABELS.get(event.kind, _("Cập nhật hồ sơ")),
                         "reason": (event.data or {}).get("reason", "") if verified else ""})
    response = render(request, "portal/lookup_detail.html", {
        "d": dossier, "verdict": tag(verdict.status, VERDICT_TAGS) | {"label": TIMELINESS_LABELS[verdict.status]},
        "is_open": dossier.state in OPEN_STATES, "steps": steps, "timeline": timeline,
        "verified": verified, "phone_error": phone_error, "masked_phone": _mask_phone(dossier.applicant_phone),
        "paused": dossier.state == State.SUPPLEMENT_REQUESTED,
        "can_verify": bool(re.sub(r"\D", "", dossier.applicant_phone or "")),
    }, status=422 if phone_error else 200)
    response["Cache-Control"] = "private, no-store"
    return response
