"""/lookup/{code} (public): the one lookup service (`onestop.lookup`) behind the API's door; the page is
the other door (portal/lookup.py)."""

from django.http import HttpResponse
from ninja import Query, Router

from kycuong.core.errors import DomainError
from kycuong.onestop import lookup as public_lookup  # the one lookup service (page and API)

from .schemas import ErrorOut, LookupOut

router = Router(tags=["lookup"])  # public: no auth
LOOKUP_LIMIT_PER_MINUTE = public_lookup.LIMIT_PER_MINUTE


@router.get(
    "/{code}", response={200: LookupOut, 404: ErrorOut, 429: ErrorOut}, summary="Tra cứu hồ sơ (công khai)",
    description=(
        "Không cần đăng nhập. Trạng thái, ngày hẹn trả, các bước đã xong, trễ hạn hay không và dòng thời gian công khai. "
        "Họ tên người nộp chỉ hiện khi phone_last4 khớp 4 số cuối điện thoại đã khai; nếu không, proof_error nói vì sao "
        "(cùng mã lỗi với trang tra cứu). "
        f"Tối đa {LOOKUP_LIMIT_PER_MINUTE} lần/phút mỗi địa chỉ IP; nhập sai phone_last4 tính gấp đôi; "
        f"sau {public_lookup.MAX_WRONG_PER_DOSSIER} lần sai trên một hồ sơ (mọi địa chỉ, cả trang tra cứu) "
        "tạm khóa xem thông tin người nộp 1 giờ."
    ),
)
def lookup(request, code: str,
           phone_last4: str | None = Query(None, max_length=20, description="4 số cuối điện thoại người nộp")):
    return _json_response(public_lookup.answer(request, code, phone_last4).content)


def lookup_cached(request, code: str):
    """`GET /api/v1/lookup/{code}` in front of the ninja operation above, on the same URL (kycuong/urls.py):
    a request without parameters whose answer is in the lookup cache is answered here, because django-ninja's
    routing and parameter parsing cost more than the cached answer itself (docs/performance.md).
    Everything else — other methods, `phone_last4`, a bad or unknown code, a cache miss — is handed to the
    ninja operation, which documents the endpoint in the OpenAPI and gives every other answer; the rate
    limit is charged once either way (public_lookup.admit)."""
    if request.method != "GET" or request.GET or not public_lookup.valid(code):
        return _ninja_lookup(request)
    try:
        content = public_lookup.cached(request, code)
    except DomainError as exc:
        from kycuong.api import api

        return api.create_response(request, exc.as_dict(), status=exc.status)
    return _json_response(content) if content is not None else _ninja_lookup(request)


_ninja_resolver = None


def _ninja_lookup(request):
    """The ninja operation for this request's path (the project's URL for it is `lookup_cached`)."""
    global _ninja_resolver
    if _ninja_resolver is None:
        from django.urls.resolvers import RegexPattern, URLResolver

        from kycuong.api import api

        _ninja_resolver = URLResolver(RegexPattern(r"^/api/v1/"), api.urls[0])
    match = _ninja_resolver.resolve(request.path_info)
    return match.func(request, *match.args, **match.kwargs)


def _json_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
