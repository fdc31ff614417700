import sys
import types
from datetime import date

import pytest
from django.urls import include, path


def _urlconf():
    """The project's URLs plus, until the lead wires them, the catalog pages at /thu-tuc/ and a test API
    with the catalog router at /api/test-catalog/ (same error mapping as kycuong.api)."""
    name = "tests_catalog_urls"
    if name in sys.modules:
        return name
    from ninja import NinjaAPI

    import kycuong.urls as root
    from kycuong.catalog.api import router
    from kycuong.core.errors import DomainError

    patterns = list(root.urlpatterns)
    if not any(getattr(p, "namespace", None) == "catalog" for p in patterns):
        patterns.insert(0, path("thu-tuc/", include("kycuong.catalog.urls")))
    api = NinjaAPI(title="catalog test", urls_namespace="catalog_test_api")

    @api.exception_handler(DomainError)
    def _domain_error(request, exc):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    api.add_router("/", router)
    patterns.insert(0, path("api/test-catalog/", api.urls))
    module = types.ModuleType(name)
    module.urlpatterns = patterns
    sys.modules[name] = module
    return name


@pytest.fixture(autouse=True)
def _catalog_urls(settings):
    settings.ROOT_URLCONF = _urlconf()


@pytest.fixture
def units(db):
    """A small organisation tree with the codes the lead seeds (enough for most tests)."""
    from kycuong.core.models import Unit
    from kycuong.core.services import create_unit

    city = create_unit(code="H26", name="Ủy ban nhân dân Thành phố Hà Nội", kind=Unit.Kind.CITY_COMMITTEE,
                       tier=Unit.Tier.PROVINCE)
    made = {"H26": city}
    for code, name, kind in (("H26.103", "Sở Tài chính", Unit.Kind.DEPARTMENT),
                             ("H26.104", "Sở Tư pháp", Unit.Kind.DEPARTMENT),
                             ("H26.200", "Trung tâm Phục vụ hành chính công Thành phố Hà Nội", Unit.Kind.SERVICE_CENTRE)):
        made[code] = create_unit(code=code, name=name, kind=kind, tier=Unit.Tier.PROVINCE, parent=city)
    made["H26.501"] = create_unit(code="H26.501", name="Phường Hoàn Kiếm", kind=Unit.Kind.WARD,
                                  tier=Unit.Tier.COMMUNE, parent=city)
    made["H26.502"] = create_unit(code="H26.502", name="Xã Sóc Sơn", kind=Unit.Kind.COMMUNE,
                                  tier=Unit.Tier.COMMUNE, parent=city)
    return made


@pytest.fixture
def field(db):
    from kycuong.catalog import services

    return services.save_field("HT", "Hộ tịch")


def version_data(**overrides):
    """A complete, valid 5-working-day version (40 h of steps)."""
    data = {
        "name": "Đăng ký khai sinh",
        "field": "HT",
        "level": "commune",
        "sequence": "Bước 1: Nộp hồ sơ.\nBước 2: Xử lý.\nBước 3: Trả kết quả.",
        "channels": ["direct", "online"],
        "online_level": "partial",
        "subjects": "Cha, mẹ của trẻ.",
        "deciding_authority": "Ủy ban nhân dân cấp xã",
        "all_communes": True,
        "result_name": "Giấy khai sinh",
        "limit_amount": "5",
        "limit_unit": "working_days",
        "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0, "mandatory": True, "note": ""}],
        "fees": [{"name": "Lệ phí", "amount_vnd": 0, "note": "Miễn"}],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "role": "receiving_officer", "hours": "4"},
            {"name": "Thẩm định", "role": "specialist", "hours": "28"},
            {"name": "Phê duyệt", "role": "unit_leader", "hours": "8"},
            {"name": "Trả kết quả", "role": "receiving_officer", "hours": "0", "is_return_step": True},
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_procedure(field):
    from kycuong.catalog import services

    def make(code="1.001193", effective_from=date(2025, 7, 1), **overrides):
        return services.create_procedure(code, effective_from=effective_from, **version_data(**overrides))

    return make


@pytest.fixture
def vdata():
    return version_data
