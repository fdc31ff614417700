"""API authentication: bearer tokens (`kycuong token USERNAME`) and the browser's Django session.

A token is `secrets.token_urlsafe(32)`, shown once; only its SHA-256 is stored, so the table alone gives
no access. SHA-256 (not a slow password hash) is enough: the token has 256 bits of entropy, and every
request must check it cheaply. This module is the only code that writes `ApiToken` rows.
"""
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .errors import DomainError, ValidationFailed
from .models import ApiToken, User

# last_used_at is bookkeeping, not an audit trail: one UPDATE per token every few minutes, not per request
# (on SQLite every write takes the database's single write lock).
LAST_USED_RESOLUTION = timedelta(minutes=5)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AuthRequired(DomainError):
    code = "AUTH_REQUIRED"
    status = 401
    message = _("Cần đăng nhập hoặc gửi token hợp lệ (Authorization: Bearer …).")


class CsrfFailed(DomainError):
    code = "CSRF_FAILED"
    status = 403
    message = _("Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; return the row and the token text (the only time it exists in clear)."""
    if not user.is_active:
        raise ValidationFailed(_("Tài khoản đã bị khóa; không cấp token."), code="CORE_USER_INACTIVE")
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=(name or "").strip()[:100], key_hash=hash_token(token))
    return row, token


def revoke_token(token_id: int, user: User | None = None) -> bool:
    qs = ApiToken.objects.filter(pk=token_id, revoked=False)
    if user is not None:
        qs = qs.filter(user=user)
    return qs.update(revoked=True) == 1


def user_for_token(token: str) -> User | None:
    """The active user behind a token, or None (unknown, revoked, or the account is disabled)."""
    if not token or len(token) > 200:
        return None
    row = (ApiToken.objects.select_related("user", "user__unit")
           .filter(key_hash=hash_token(token.strip()), revoked=False).first())
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from `kycuong token USERNAME`."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            # Handlers and services read request.user either way, whichever auth admitted the request.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session. CSRF is checked only for a signed-in session on unsafe methods.

    ninja's own `django_auth` checks CSRF before it knows whether anyone is signed in, so a token client
    with a wrong token would get 403 CSRF instead of 401.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request):
                raise CsrfFailed()
        # The plain User, not the lazy wrapper: it goes on into services and model fields.
        return getattr(user, "_wrapped", user)


# Both schemes appear in the OpenAPI document; the first that admits the request wins.
api_auth = [BearerToken(), SessionAuth()]


def install(api) -> None:
    """Answer a refused authentication in the house format: 401 {code: AUTH_REQUIRED, message}."""

    def _auth_required(request, exc):
        response = api.create_response(request, AuthRequired().as_dict(), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="kycuong"'
        return response

    api.add_exception_handler(AuthenticationError, _auth_required)
