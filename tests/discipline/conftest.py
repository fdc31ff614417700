from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

HN = ZoneInfo("Asia/Ho_Chi_Minh")


def hn(*args):
    return datetime(*args, tzinfo=HN)


@pytest.fixture
def city(demo_city):
    """The demo units (restored from the session's one load: tests/conftest.py)."""


@pytest.fixture
def official(city):
    from kycuong.core.models import Official, Unit

    def make(unit_code, name, *, rank=Official.Rank.STAFF, category=Official.Category.CONG_CHUC, position="", user=None):
        return Official.objects.create(full_name=name, unit=Unit.objects.get(code=unit_code), rank=rank,
                                       category=category, position=position or ("Giám đốc" if rank == "head" else "Chuyên viên"),
                                       user=user)

    make.Rank = Official.Rank
    return make


@pytest.fixture
def people(city, make_officer, official):
    """One account per role, each with its Official record where the person is an official."""
    R = make_officer.Role
    p = {
        "secretary": make_officer(R.CLERK, "H26", full_name="Phạm Thu Hà"),
        "city_leader": make_officer(R.CITY_LEADERSHIP, "H26", full_name="Vũ Đức Thắng"),
        "inspector": make_officer(R.INSPECTOR, "H26", full_name="Đỗ Quang Huy"),  # city level: the whole tree
        "dept_inspector": make_officer(R.INSPECTOR, "H26.105", full_name="Thanh tra Sở Xây dựng"),
        "leader": make_officer(R.UNIT_LEADER, "H26.104", full_name="Lê Hoàng Nam"),
        "other_leader": make_officer(R.UNIT_LEADER, "H26.105", full_name="Ngô Văn Sở"),
        "specialist": make_officer(R.SPECIALIST, "H26.104", full_name="Trần Văn Minh"),
        "specialist2": make_officer(R.SPECIALIST, "H26.104", full_name="Đỗ Thị Hồng"),
        "citizen": make_officer(R.CITIZEN, None, full_name="Hoàng Thị Mai"),
    }
    p["chair"] = official("H26", "Nguyễn Văn Chủ", rank="head", category="can_bo", position="Chủ tịch")
    p["me"] = official("H26.104", "Trần Văn Minh", user=p["specialist"])
    p["colleague"] = official("H26.104", "Đỗ Thị Hồng", user=p["specialist2"])
    p["head104"] = official("H26.104", "Lê Hoàng Nam", rank="head", user=p["leader"], position="Giám đốc Sở Tư pháp")
    p["head105"] = official("H26.105", "Ngô Văn Sở", rank="head", user=p["other_leader"], position="Giám đốc Sở Xây dựng")
    return p
