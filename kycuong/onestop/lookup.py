"""The public dossier lookup: ONE service for the page (/tra-cuu/…, portal/lookup.py) and the API
(GET /api/v1/lookup/{code}, onestop/api.py), so both give the same answer, mask, limits and errors.

Anyone holding the code sees the procedure, the state, the dates, the steps done, the public timeline
and the 766 verdict — no personal data. The applicant's name, the masked phone number and the reasons
written on the timeline are added only for a visitor who proves the last 4 digits of the phone number
given at intake. Two limits, both here so neither door can skip them:
- every request costs from a per-IP budget (core/ratelimit.py, scope "lookup"); a wrong guess costs
  WRONG_GUESS_COST in all, and unknown codes cost too (no free enumeration);
- wrong guesses on one dossier are capped across all IPs and both doors (MAX_WRONG_PER_DOSSIER per
  LOCK_SECONDS), so the 10,000 possible endings cannot be tried out from many addresses.

The public answer (JSON bytes) is cached per code and language by lookup_cache (its docstring says
when an entry is stale); personal data is never cached. `cached()` is the fast path the API serves
before django-ninja (docs/performance.md, "Public lookup").
"""
from __future__ import annotations

import hmac
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, F, Value
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja.responses import NinjaJSONEncoder

from kycuong.core import ratelimit
from kycuong.core.errors import DomainError, ValidationFailed
from kycuong.core.models import Event

from . import lookup_cache, services
from .errors import DossierNotFound
from .labels import EVENT_LABELS, TIMELINESS_LABELS
from .models import Dossier, DossierStep
from .workflow import State

# Dossier codes are `<electronic ID>-YYMMDD-<seq>` (e.g. H26.104-260302-0001); anything else cannot
# exist, so it never reaches the database. Matched after normalise() (strip, upper case).
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,63}\Z")  # anchored: api._check_code uses match()
PROOF_RE = re.compile(r"[0-9]{4}")      # ASCII digits only: compare_digest refuses other text
LIMIT_PER_MINUTE = 30
WRONG_GUESS_COST = 2                    # a wrong last-4 guess costs double: slows brute force
MAX_WRONG_PER_DOSSIER = 10              # wrong guesses on one dossier per LOCK_SECONDS, whatever the IP
LOCK_SECONDS = 3600
PROGRESS_CACHE_SECONDS = 60
NAMES_CACHE_SECONDS = 600
MASK = "*"


# --- errors: stable codes, the same on the page and in the API -------------------------------------------

class BadCode(ValidationFailed):
    """The search form's input is not a dossier code (the detail URLs answer 404 instead: no such code)."""
    code = "ONESTOP_LOOKUP_BAD_CODE"
    status = 400
    message = _("Mã hồ sơ chỉ gồm chữ, số, dấu chấm và gạch ngang, ví dụ H26.104-260302-0001.")


class EmptyCode(BadCode):
    code = "ONESTOP_LOOKUP_EMPTY_CODE"
    message = _("Nhập mã hồ sơ ghi trên giấy tiếp nhận.")


class ProofMalformed(ValidationFailed):
    code = "ONESTOP_LOOKUP_PROOF_MALFORMED"
    message = _("Nhập đúng 4 chữ số cuối của số điện thoại.")


class ProofMismatch(ValidationFailed):
    code = "ONESTOP_LOOKUP_PROOF_MISMATCH"
    message = _("Bốn số cuối không khớp với số điện thoại đã khai khi nộp hồ sơ.")


class ProofLocked(ValidationFailed):
    code = "ONESTOP_LOOKUP_PROOF_LOCKED"
    message = _("Đã nhập sai quá nhiều lần; tạm khóa xem thông tin người nộp của hồ sơ này trong 1 giờ.")


# --- codes, masks, limits --------------------------------------------------------------------------------

def normalise(code: str | None) -> str:
    return (code or "").strip().upper()


def valid(code: str | None) -> bool:
    return CODE_RE.fullmatch(normalise(code)) is not None


def check(code: str | None) -> str:
    """The normalised code, or DossierNotFound: a code that cannot exist is simply not found."""
    if not valid(code):
        raise DossierNotFound()
    return normalise(code)


def form_code(raw: str | None) -> str:
    """The search form's field: the normalised code, or EmptyCode / BadCode (the form says why)."""
    code = normalise(raw)
    if not code:
        raise EmptyCode()
    if not valid(code):
        raise BadCode()
    return code


def digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if "0" <= ch <= "9")


def mask_phone(phone: str | None) -> str:
    ds = digits(phone)
    return MASK * max(0, len(ds) - 4) + ds[-4:]


def can_verify(phone: str | None) -> bool:
    return len(digits(phone)) >= 4


def limit() -> int:
    # Optional setting, for load tests; the public default is LIMIT_PER_MINUTE.
    return int(getattr(settings, "KYCUONG_LOOKUP_RATE_PER_MINUTE", LIMIT_PER_MINUTE))


def admit(request) -> None:
    """Charge this request's visit to its IP, once per request (the API's fast path and the ninja
    operation it hands over to are one request); RateLimited once the minute's budget is spent."""
    if getattr(request, "_kycuong_lookup_charged", False):
        return
    request._kycuong_lookup_charged = True
    ratelimit.charge("lookup", ratelimit.client_ip(request), limit())


def _wrong_key(code: str) -> str:
    return f"kc:lookup:wrong:{code}"


def locked(code: str) -> bool:
    return (cache.get(_wrong_key(code)) or 0) >= MAX_WRONG_PER_DOSSIER


def _count_wrong(code: str) -> None:
    key = _wrong_key(code)
    if not cache.add(key, 1, LOCK_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, LOCK_SECONDS)


# --- the answer ------------------------------------------------------------------------------------------

@dataclass
class Answer:
    content: bytes                      # the API's JSON body
    body: dict | None = None            # the same, unencoded (None when served from the cache)
    verified: bool = False
    proof_error: DomainError | None = None
    row: Dossier | None = None          # the lookup columns (None when served from the cache)


def cached(request, code: str) -> bytes | None:
    """The cached public answer for `code`, or None (unknown code, or not cached yet). Charges the
    visit; one indexed read. The stamp read here is reused by answer() in the same request."""
    admit(request)
    code = check(code)
    stamp = lookup_cache.stamp(code)
    request._kycuong_lookup_stamp = (code, stamp)
    return lookup_cache.get(code, translation.get_language(), stamp) if stamp is not None else None


def answer(request, code: str, proof: str | None = None, *, use_cache: bool = True) -> Answer:
    """The lookup's answer for `code`; with `proof` (the last 4 phone digits as typed) the personal part
    too if it matches. Raises DossierNotFound and RateLimited; a refused proof is `proof_error`."""
    admit(request)  # before any database work, and for unknown codes too
    code = check(code)
    language = translation.get_language()
    remembered = getattr(request, "_kycuong_lookup_stamp", None)
    stamp = remembered[1] if remembered and remembered[0] == code else lookup_cache.stamp(code)
    if stamp is None:
        raise DossierNotFound()
    if proof is None and use_cache:
        content = lookup_cache.get(code, language, stamp)
        if content is not None:
            return Answer(content)
    row = _row(code)
    if row is None:
        raise DossierNotFound()
    now = timezone.now()
    body = _public_body(row, now)
    # The stamp was read before the body was built, so a cached body is never older than its stamp.
    content = _encode(body)
    lookup_cache.put(code, language, stamp, lookup_cache.valid_until(row, now), content)
    if proof is None:
        return Answer(content, body, row=row)
    error = _check_proof(request, row, proof)
    if error is not None:
        body = body | {"proof_error": {"code": error.code, "message": str(error.message)}}
        return Answer(_encode(body), body, proof_error=error, row=row)
    body = _personal_body(row, body)
    return Answer(_encode(body), body, verified=True, row=row)


def _check_proof(request, row: Dossier, proof: str) -> DomainError | None:
    typed = re.sub(r"[\s.\-]", "", proof)  # "56 78", "56.78" are still four digits
    if PROOF_RE.fullmatch(typed) is None:
        return ProofMalformed()  # not a guess: neither capped nor charged extra
    if locked(row.code):
        error = ProofLocked()  # still a guess for the IP's budget: hammering a locked dossier costs too
    else:
        actual = digits(row.applicant_phone)
        # compare_digest: no timing hint about how many digits matched.
        if len(actual) >= 4 and hmac.compare_digest(actual[-4:].encode(), typed.encode()):
            return None
        _count_wrong(row.code)
        error = ProofMismatch()
    ratelimit.charge("lookup", ratelimit.client_ip(request), limit(), cost=WRONG_GUESS_COST - 1)
    return error


def _encode(body: dict) -> bytes:
    # Rendered here rather than validated against api.LookupOut on every call (a quarter of the view's
    # own time); tests/onestop/test_api.py validates the body against LookupOut instead.
    return json.dumps(body, cls=NinjaJSONEncoder).encode()


def _t(moment):
    return timezone.localtime(moment) if moment is not None else None


def _public_body(row: Dossier, now) -> dict:
    procedure_name, unit_name = _names(row)
    steps_done, timeline = _public_progress(row)
    verdict = services.timeliness(row, now)
    return {
        "code": row.code, "procedure": procedure_name, "unit": unit_name,
        "state": {"code": int(row.state), "label": str(State(row.state).label)},
        "submitted_at": _t(row.submitted_at), "received_at": _t(row.received_at),
        "appointment_at": _t(row.due_at), "returned_at": _t(row.returned_at),
        "steps_done": steps_done, "late": verdict.status == "late", "timeliness": verdict.status,
        "timeliness_label": str(TIMELINESS_LABELS.get(verdict.status, verdict.status)), "timeline": timeline,
        "verified": False, "personal": None, "proof_error": None,
    }


def _personal_body(row: Dossier, body: dict) -> dict:
    """The proven visitor's answer: name, masked phone, and the reasons written on the public events
    (they may name the applicant's papers, so they are personal too). One extra query, never cached."""
    data = (Event.objects.filter(subject_type=services.SUBJECT, subject_id=row.code, public=True)
            .order_by("seq").values_list("data", flat=True))
    reasons = [(d or {}).get("reason", "") or "" for d in data]
    timeline = [e | {"reason": reasons[i] if i < len(reasons) else ""} for i, e in enumerate(body["timeline"])]
    return body | {"timeline": timeline, "verified": True,
                   "personal": {"applicant_name": row.applicant_name, "phone_masked": mask_phone(row.applicant_phone)}}


# What the lookup shows and what services.timeliness reads; nothing else. queries.public_dossier loads the
# whole dossier and procedure-version rows (~100 columns, long texts) as model objects: several times slower.
_FIELDS = (
    "id", "code", "state", "version", "submitted_at", "received_at", "due_at", "original_due_at", "processing_end_at",
    "returned_at", "supplement_requested_at", "supplement_completed_at", "supplement_count", "limit_amount",
    "limit_unit", "applicant_name", "applicant_phone", "receiving_unit_id", "unit_id", "procedure_version_id",
    "apology_count",
)


def _row(code: str) -> Dossier | None:
    """The dossier's lookup columns in one single-table query, as an unsaved instance (enough for
    services.timeliness; a relation it might touch still loads lazily), or None."""
    rows = list(Dossier.objects.filter(code=code).values_list(*_FIELDS)[:1])
    return Dossier(**dict(zip(_FIELDS, rows[0], strict=True))) if rows else None


def _names(row: Dossier) -> tuple[str, str]:
    """Procedure and unit names: reference data, cached rather than joined into every lookup."""
    key = f"lookup:names:{row.procedure_version_id}:{row.unit_id}"
    names = cache.get(key)
    if names is None:
        names = Dossier.objects.filter(pk=row.pk).values_list("procedure_version__name", "unit__name").get()
        cache.set(key, names, NAMES_CACHE_SECONDS)
    return names


def _public_progress(row: Dossier):
    """Steps done and the public timeline, cached per (code, version, language).

    Every service write bumps the version, so a new step or event means a new key (safe with a
    per-process cache too, unlike the whole-answer cache of lookup_cache); the short expiry bounds what
    a write outside the services could leave stale. A miss costs one query (a UNION)."""
    key = f"lookup:progress:{row.code}:{row.version}:{translation.get_language()}"  # labels are translated
    hit = cache.get(key)
    if hit is not None:
        return hit
    text = CharField()
    steps = (DossierStep.objects.filter(dossier_id=row.pk, finished_at__isnull=False).order_by()
             .values_list(Value("s", output_field=text), F("order"), F("name"), F("finished_at")))
    public = (Event.objects.filter(subject_type=services.SUBJECT, subject_id=row.code, public=True).order_by()
              .values_list(Value("e", output_field=text), F("seq"), F("kind"), F("at")))
    steps_done, timeline = [], []
    for tag, n, name, at in sorted(steps.union(public, all=True), key=lambda r: (r[0], r[1])):
        if tag == "s":
            steps_done.append({"order": n, "name": name, "finished_at": _t(at)})
        else:
            timeline.append({"kind": name, "label": str(EVENT_LABELS.get(name, name)), "at": _t(at)})
    cache.set(key, (steps_done, timeline), PROGRESS_CACHE_SECONDS)
    return steps_done, timeline
