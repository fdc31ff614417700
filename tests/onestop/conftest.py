from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

HN = ZoneInfo("Asia/Ho_Chi_Minh")
PROC = "HN-DEMO-CC01"  # 10 working days, decided by Sở Tư pháp (H26.104) in the demo catalog


def hn(*args):
    return datetime(*args, tzinfo=HN)


@pytest.fixture(autouse=True)
def _empty_lookup_cache():
    """The lookup's answers are cached per process; a rolled-back test's codes come back in the next one."""
    from kycuong.onestop import lookup_cache

    lookup_cache.clear()
    yield
    lookup_cache.clear()


@pytest.fixture
def city(demo_city_with_catalog):
    """The demo units and catalog (restored from the session's one load: tests/conftest.py)."""


@pytest.fixture
def people(city, make_officer):
    R = make_officer.Role
    return {
        "counter": make_officer(R.RECEIVING_OFFICER, "H26.200.01", full_name="Nguyễn Thị Lan"),
        "specialist": make_officer(R.SPECIALIST, "H26.104", full_name="Trần Văn Minh"),
        "leader": make_officer(R.UNIT_LEADER, "H26.104", full_name="Lê Hoàng Nam"),
        "clerk": make_officer(R.CLERK, "H26.104", full_name="Phạm Thu Hà"),
        "other": make_officer(R.SPECIALIST, "H26.105", full_name="Người sở khác"),
        "citizen": make_officer(R.CITIZEN, None, full_name="Hoàng Thị Mai"),
    }


@pytest.fixture
def all_documents():
    from kycuong.catalog.queries import procedure_by_code

    def ids(code=PROC, on=None):
        return [d.pk for d in procedure_by_code(code, on_date=on).documents.all()]

    return ids


@pytest.fixture
def receive(people, all_documents):
    from kycuong.onestop.services import Applicant, receive_at_counter

    def go(at=None, code=PROC, **kw):
        kw.setdefault("documents", all_documents(code, (at or hn(2026, 3, 2, 9)).date()))
        kw.setdefault("applicant", Applicant(name="Hoàng Thị Mai", phone="0912345678", id_number="001190012345"))
        return receive_at_counter(people["counter"], procedure_code=code, at=at or hn(2026, 3, 2, 9), **kw)

    return go
