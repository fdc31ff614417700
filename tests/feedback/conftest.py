from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

HN = ZoneInfo("Asia/Ho_Chi_Minh")
PROC = "HN-DEMO-CC01"  # decided by Sở Tư pháp (H26.104) in the demo catalog


def hn(*args):
    return datetime(*args, tzinfo=HN)


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(demo_city_with_catalog):
    """The demo units and catalog (restored from the session's one load: tests/conftest.py)."""


@pytest.fixture
def people(city, make_officer):
    from kycuong.core.models import Official, Unit

    R = make_officer.Role
    branch = Unit.objects.get(code="H26.200.01")
    clerk = Official.objects.create(full_name="Phạm Văn Quầy", unit=branch, position="Cán bộ một cửa")
    return {
        "counter": make_officer(R.RECEIVING_OFFICER, "H26.200.01", full_name="Nguyễn Thị Lan"),
        "desk": make_officer(R.RECEIVING_OFFICER, "H26", full_name="Tiếp dân Thành phố"),
        "specialist": make_officer(R.SPECIALIST, "H26.104", full_name="Trần Văn Minh"),
        "leader": make_officer(R.UNIT_LEADER, "H26.104", full_name="Lê Hoàng Nam"),
        "other": make_officer(R.SPECIALIST, "H26.105", full_name="Người sở khác"),
        "inspector": make_officer(R.INSPECTOR, "H26.115", full_name="Đỗ Quang Huy"),
        "inspector2": make_officer(R.INSPECTOR, "H26.115", full_name="Vũ Thanh Tra"),
        "ward_inspector": make_officer(R.INSPECTOR, "H26.501", full_name="Thanh tra phường"),
        "citizen": make_officer(R.CITIZEN, None, full_name="Hoàng Thị Mai"),
        "official": clerk,
    }


@pytest.fixture
def submit(people):
    from kycuong.feedback import services

    def go(at=None, user=None, **kw):
        kw.setdefault("kind", "procedure")
        kw.setdefault("procedure_code", PROC)
        kw.setdefault("title", "Thủ tục đòi quá nhiều giấy tờ")
        kw.setdefault("text", "Thủ tục công chứng yêu cầu nộp bản sao giấy tờ không có trong quy định.")
        return services.submit(services.ReportInput(**kw), user=user, at=at or hn(2026, 3, 2, 9))

    return go
