"""Read-heavy public pages read from a PostgreSQL streaming replica (issue 14); everything else, and every
write, goes to the primary.

One place decides: `KYCUONG_REPLICA_PATHS` (settings) names the pages — the public scoreboard and its open
data, the public lookup (page and API). A GET or HEAD to one of them reads from the "replica" database
alias when one is configured (`KYCUONG_REPLICA_DATABASE_URL`), unless this browser wrote something a moment
ago: every unsafe request (POST, PUT, PATCH, DELETE) sets a short-lived cookie that sends the same client's
reads to the primary for `KYCUONG_READ_YOUR_WRITES_SECONDS`, longer than the replica's lag, so a writer always
reads its own writes. Sessions, users and sign-in records are always read from the primary.
"""
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PRIMARY_COOKIE = "kc_primary"
_on_replica: ContextVar[bool] = ContextVar("kycuong_reads_on_replica", default=False)
# Read where they are written: a session or a sign-in must never be looked up on a replica that lags.
PRIMARY_ONLY_APPS = {"sessions", "auth", "axes", "otp_totp", "otp_static", "django_otp", "admin", "contenttypes"}
SAFE = {"GET", "HEAD", "OPTIONS"}


def configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_on_replica(request) -> bool:
    """Whether this request's reads may use the replica: the rule above, in one place."""
    return (configured() and request.method in {"GET", "HEAD"} and PRIMARY_COOKIE not in request.COOKIES
            and any(request.path.startswith(prefix) for prefix in settings.KYCUONG_REPLICA_PATHS))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _on_replica.set(reads_on_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _on_replica.reset(token)
        if request.method not in SAFE and configured():
            seconds = settings.KYCUONG_READ_YOUR_WRITES_SECONDS
            response.set_cookie(PRIMARY_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response
