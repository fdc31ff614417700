"""A tiny fixed-window rate limiter on Django's cache (LocMem by default, Redis when configured).

Fixed one-minute windows: one cache `add` + one `incr` per request, no lists of timestamps. A client can
burst up to twice the limit across a window edge; for a lookup page that is an acceptable price for speed.
With the default LocMem cache each server process counts on its own; a shared cache (Redis) makes the
limit global.
"""
import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

WINDOW_SECONDS = 60


class RateLimited(DomainError):
    code = "RATE_LIMITED"
    status = 429
    message = _("Bạn đã gửi quá nhiều yêu cầu; hãy thử lại sau ít phút.")


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a trusted proxy
    # rewrites it, and that proxy should then set REMOTE_ADDR (e.g. nginx real_ip) for us.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(scope: str, ident: str, now: float) -> str:
    return f"rl:{scope}:{ident}:{int(now // WINDOW_SECONDS)}"


def charge(scope: str, ident: str, limit: int, cost: int = 1, now: float | None = None) -> int:
    """Add `cost` to this window's count for (scope, ident); raise RateLimited once it exceeds `limit`."""
    now = time.time() if now is None else now
    key = _key(scope, ident, now)
    # add() is a no-op when the key exists, so concurrent first requests do not reset each other.
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key, cost)
    except ValueError:  # evicted between add and incr
        cache.set(key, cost, WINDOW_SECONDS + 5)
        count = cost
    if count > limit:
        retry = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
        raise RateLimited(details={"limit_per_minute": limit, "retry_after_seconds": retry})
    return count
