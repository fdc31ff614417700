"""The REST API root (django-ninja): OpenAPI 3.1 at /api/v1/openapi.json.

Domain errors become JSON with a stable `code` and a Vietnamese `message`; nothing maps to 500.
"""
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from kycuong.core.errors import DomainError

api = NinjaAPI(
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
