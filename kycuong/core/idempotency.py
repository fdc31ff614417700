"""``Idempotency-Key`` for the API's POST operations that create or act (issue 18): a client that did not
hear the answer (timeout, dropped connection) sends the same request again with the same key and gets the
first answer back — same status, same body — without a second write.

    @router.post("/things", response=..., openapi_extra=...)
    @idempotent
    def create_thing(request, payload: ThingIn): ...

One decorator, two halves (django-ninja runs authentication inside ``Operation.run``, before the handler):
* around the handler (the user is known): look the key up for this user. A finished answer with the same
  method, path and body hash is replayed; a different request under the same key → 422
  ``IDEMPOTENCY_KEY_REUSED``; a request still running under it → 409 ``IDEMPOTENCY_IN_PROGRESS``. Otherwise
  the key is claimed (a row with no status yet, committed at once: the unique (user, key) constraint makes
  the claim; a concurrent duplicate waits on it or finds it) and the handler runs. A refused request (a
  domain error, nothing written) releases the claim: a retry is judged again.
* around ``Operation.run`` (the response is serialised): the answer is stored on the claimed row.

A request without the header behaves as before. Keys are kept 24 hours (``purge``, from the jobs
housekeeping every minute). A claim left by a crashed process answers 409 until it is purged.
"""
from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from .errors import Conflict, ValidationFailed
from .models import IdempotentResponse

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)
MAX_KEY = 255
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")

OPENAPI_PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY},
    "description": ("Khóa chống ghi trùng (tùy chọn, do máy khách sinh, ví dụ UUID). Gửi lại cùng khóa và cùng nội "
                    "dung trong 24 giờ → nhận lại đúng câu trả lời lần đầu, không ghi thêm; cùng khóa, nội dung "
                    "khác → 422 IDEMPOTENCY_KEY_REUSED; yêu cầu đầu còn đang chạy → 409 IDEMPOTENCY_IN_PROGRESS."),
}


class KeyReused(ValidationFailed):
    code = "IDEMPOTENCY_KEY_REUSED"


class InProgress(Conflict):
    code = "IDEMPOTENCY_IN_PROGRESS"


def _fingerprint(request) -> tuple[str, str]:
    return f"{request.method} {request.path}"[:300], hashlib.sha256(request.body or b"").hexdigest()


def _replay(row: IdempotentResponse) -> HttpResponse:
    response = HttpResponse(bytes(row.response), status=row.status)
    for name, value in (row.headers or {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _existing(row: IdempotentResponse, target: str, digest: str) -> HttpResponse:
    if row.request != target or row.body_hash != digest:
        raise KeyReused(_("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."),
                        details={"header": HEADER})
    if row.status is None:
        raise InProgress(_("Yêu cầu với khóa Idempotency-Key này đang được xử lý; hãy thử lại sau."),
                         details={"header": HEADER})
    return _replay(row)


def _claim(user, key: str, target: str, digest: str) -> IdempotentResponse | HttpResponse:
    """The claimed row, or the answer for a key seen before (raises for reuse / in progress)."""
    fresh = timezone.now() - KEEP
    row = IdempotentResponse.objects.filter(user=user, key=key, created_at__gte=fresh).first()
    if row is not None:
        return _existing(row, target, digest)
    IdempotentResponse.objects.filter(user=user, key=key, created_at__lt=fresh).delete()  # an expired key
    try:
        with transaction.atomic():
            return IdempotentResponse.objects.create(user=user, key=key, request=target, body_hash=digest)
    except IntegrityError:  # a concurrent twin claimed it first
        return _existing(IdempotentResponse.objects.get(user=user, key=key), target, digest)


def _release(request) -> None:
    row = getattr(request, "_idempotency_claim", None)
    if row is not None:
        request._idempotency_claim = None
        IdempotentResponse.objects.filter(pk=row.pk, status__isnull=True).delete()


def _store_after(run):
    @functools.wraps(run)
    def wrapped(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        row = getattr(request, "_idempotency_claim", None)
        if row is None:
            return response
        if response.status_code >= 500 or getattr(response, "streaming", False):
            _release(request)
            return response
        headers = {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)}
        IdempotentResponse.objects.filter(pk=row.pk).update(status=response.status_code,
                                                            response=response.content, headers=headers)
        request._idempotency_claim = None
        return response

    return wrapped


def _document(operation) -> None:
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), OPENAPI_PARAMETER]
    operation.openapi_extra = extra


def idempotent(handler):
    """Decorate a ninja POST handler (below the ``@router.post``) so it honours ``Idempotency-Key``."""

    @functools.wraps(handler)
    def wrapped(request, *args, **kwargs):
        key = (request.headers.get(HEADER) or "").strip()
        user = getattr(request, "auth", None)
        if not key or user is None or not getattr(user, "pk", None):
            return handler(request, *args, **kwargs)
        if len(key) > MAX_KEY:
            raise ValidationFailed(_("Khóa Idempotency-Key dài tối đa %(n)d ký tự.") % {"n": MAX_KEY},
                                   code="IDEMPOTENCY_KEY_INVALID")
        target, digest = _fingerprint(request)
        claim = _claim(user, key, target, digest)
        if isinstance(claim, HttpResponse):
            return claim
        request._idempotency_claim = claim
        try:
            return handler(request, *args, **kwargs)
        except BaseException:
            _release(request)  # refused or failed: nothing was written, a retry is judged again
            raise

    contribute_operation_callback(wrapped, _document)
    return decorate_view(_store_after)(wrapped)  # kept when ninja clones the operation for its router


def purge(now=None) -> int:
    """Forget keys older than 24 hours; returns how many."""
    cutoff = (now or timezone.now()) - KEEP
    return IdempotentResponse.objects.filter(created_at__lt=cutoff).delete()[0]
