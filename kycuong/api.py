"""The REST API root (django-ninja): OpenAPI 3.1 at /api/v1/openapi.json.

Domain errors become JSON with a stable `code` and a Vietnamese `message`; nothing maps to 500.
"""
from django.db import DataError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kycuong.core.errors import DomainError

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


class KyCuongAPI(NinjaAPI):
    """Documents the answers the root gives for every operation (the handlers below), so the published schema
    lists every status code the API can answer (issue 18, tests/test_api_fuzz.py): 400 (a body that is not
    JSON) where there is a body, 422 where there is any input, 401 where a token is required."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        common = {
            "400": _("Nội dung yêu cầu không đọc được (không phải JSON hợp lệ)"),
            "401": _("Chưa xác thực (thiếu hoặc sai mã truy cập)"),
            "422": _("Dữ liệu gửi lên không hợp lệ"),
        }
        for path in schema.get("paths", {}).values():
            for op in path.values():
                wanted = []
                if op.get("requestBody"):
                    wanted.append("400")
                if op.get("requestBody") or op.get("parameters"):
                    wanted.append("422")
                if op.get("security"):
                    wanted.append("401")
                responses = op.setdefault("responses", {})
                for status in wanted:
                    responses.setdefault(status, {"description": common[status],
                                                  "content": {"application/json": {"schema": ERROR_REF}}})
        return schema


api = KyCuongAPI(
    title="Kỷ Cương API",
    version="1",
    description="API của nền tảng Kỷ Cương. Lỗi trả về dạng {code, message}; code ổn định, message tiếng Việt.",
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "payload")]
        fields.append({"field": ".".join(loc), "problem": err.get("msg", "")})
    body = {"code": "VALIDATION_FAILED", "message": _("Dữ liệu gửi lên không hợp lệ."), "details": {"fields": fields}}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # django-ninja's own refusals (a body that is not JSON → 400) in the house format; 401 has its own handler.
    if exc.status_code == 400:
        body = {"code": "MALFORMED_BODY", "message": _("Nội dung yêu cầu không đọc được (không phải JSON hợp lệ).")}
    else:
        body = {"code": f"HTTP_{exc.status_code}", "message": _("Yêu cầu không được chấp nhận.")}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(DataError)
def _nul_in_text(request, exc: DataError):
    # PostgreSQL cannot store or compare text with NUL; psycopg refuses it before the query is sent (the
    # transaction stays usable). Any other DataError is a bug: it stays a 500.
    if "NUL (0x00)" not in str(exc):
        raise exc
    body = {"code": "VALIDATION_FAILED", "message": _("Dữ liệu gửi lên chứa ký tự NUL (0x00), không được chấp nhận.")}
    return api.create_response(request, body, status=422)


def _register_routers():
    from kycuong.core.api import router as worktime_router

    from kycuong.catalog.api import router as catalog_router
    from kycuong.core.tokens import install as install_token_auth

    api.add_router("/worktime", worktime_router)
    api.add_router("/catalog", catalog_router)
    install_token_auth(api)  # refused authentication → 401 {code: AUTH_REQUIRED}
    api.add_router("", "kycuong.onestop.api.router")  # /dossiers…, /lookup/…
    api.add_router("/discipline", "kycuong.discipline.api.router")
    api.add_router("/feedback", "kycuong.feedback.api.router")  # /feedback/reports…


_register_routers()
