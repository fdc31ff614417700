"""Demo city shaped like Hà Nội after 1/7/2025 (docs/legal/units.md §9).

Names of departments follow the February 2025 merger (thanhnien.vn, 25/02/2025); the 126 ward and
commune names follow NQ 1656/NQ-UBTVQH15 as recalled — not checked against the resolution text, so
those units are marked `is_demo`. Every electronic ID here is a DEMO code in the QĐ 20/2020 shape:
Hà Nội's real level-1 code is not confirmed (docs/legal/one-stop.md §2.4, ❌).
"""
from datetime import date

from django.db import transaction

from kycuong.core.models import Unit, User
from kycuong.core.services import create_unit, create_user

REFORM_DAY = date(2025, 7, 1)
CITY_CODE = "H26"

DEPARTMENTS = [
    # code suffix, name, short name, kind
    ("101", "Văn phòng Ủy ban nhân dân Thành phố", "VP", Unit.Kind.EQUIVALENT_BODY),
    ("102", "Sở Nội vụ", "SNV", Unit.Kind.DEPARTMENT),
    ("103", "Sở Tài chính", "STC", Unit.Kind.DEPARTMENT),
    ("104", "Sở Tư pháp", "STP", Unit.Kind.DEPARTMENT),
    ("105", "Sở Xây dựng", "SXD", Unit.Kind.DEPARTMENT),
    ("106", "Sở Nông nghiệp và Môi trường", "SNNMT", Unit.Kind.DEPARTMENT),
    ("107", "Sở Công Thương", "SCT", Unit.Kind.DEPARTMENT),
    ("108", "Sở Y tế", "SYT", Unit.Kind.DEPARTMENT),
    ("109", "Sở Giáo dục và Đào tạo", "SGDĐT", Unit.Kind.DEPARTMENT),
    ("110", "Sở Văn hóa và Thể thao", "SVHTT", Unit.Kind.DEPARTMENT),
    ("111", "Sở Du lịch", "SDL", Unit.Kind.DEPARTMENT),
    ("112", "Sở Khoa học và Công nghệ", "SKHCN", Unit.Kind.DEPARTMENT),
    ("113", "Sở Quy hoạch - Kiến trúc", "SQHKT", Unit.Kind.DEPARTMENT),
    ("114", "Sở Dân tộc và Tôn giáo", "SDTTG", Unit.Kind.DEPARTMENT),
    ("115", "Thanh tra Thành phố", "TTr", Unit.Kind.EQUIVALENT_BODY),
    ("116", "Ban Quản lý các Khu công nghệ cao và Khu công nghiệp Thành phố", "BQL", Unit.Kind.EQUIVALENT_BODY),
]

WARDS = """Hoàn Kiếm, Cửa Nam, Ba Đình, Ngọc Hà, Giảng Võ, Hai Bà Trưng, Vĩnh Tuy, Bạch Mai, Đống Đa, Kim Liên,
Văn Miếu - Quốc Tử Giám, Láng, Ô Chợ Dừa, Hồng Hà, Lĩnh Nam, Hoàng Mai, Vĩnh Hưng, Tương Mai, Định Công,
Hoàng Liệt, Yên Sở, Thanh Xuân, Khương Đình, Phương Liệt, Cầu Giấy, Nghĩa Đô, Yên Hòa, Tây Hồ, Phú Thượng,
Tây Tựu, Phú Diễn, Xuân Đỉnh, Đông Ngạc, Thượng Cát, Từ Liêm, Xuân Phương, Tây Mỗ, Đại Mỗ, Long Biên, Bồ Đề,
Việt Hưng, Phúc Lợi, Hà Đông, Dương Nội, Yên Nghĩa, Phú Lương, Kiến Hưng, Thanh Liệt, Chương Mỹ, Sơn Tây,
Tùng Thiện"""

COMMUNES = """Sóc Sơn, Đa Phúc, Nội Bài, Trung Giã, Kim Anh, Đông Anh, Phúc Thịnh, Thư Lâm, Thiên Lộc, Vĩnh Thanh,
Mê Linh, Yên Lãng, Tiến Thắng, Quang Minh, Gia Lâm, Thuận An, Bát Tràng, Phù Đổng, Thanh Trì, Đại Thanh,
Nam Phù, Ngọc Hồi, Thượng Phúc, Thường Tín, Chương Dương, Hồng Vân, Phú Xuyên, Phượng Dực, Chuyên Mỹ,
Đại Xuyên, Thanh Oai, Bình Minh, Tam Hưng, Dân Hòa, Vân Đình, Ứng Thiên, Hòa Xá, Ứng Hòa, Mỹ Đức, Hồng Sơn,
Phúc Sơn, Hương Sơn, Phú Nghĩa, Xuân Mai, Trần Phú, Hòa Phú, Quảng Bị, Minh Châu, Quảng Oai, Vật Lại, Cổ Đô,
Bất Bạt, Suối Hai, Ba Vì, Yên Bài, Đoài Phương, Phúc Thọ, Phúc Lộc, Hát Môn, Thạch Thất, Hạ Bằng, Tây Phương,
Hòa Lạc, Yên Xuân, Quốc Oai, Hưng Đạo, Kiều Phú, Phú Cát, Hoài Đức, Dương Hòa, Sơn Đồng, An Khánh,
Đan Phượng, Ô Diên, Liên Minh"""

# A few of the 30 districts dissolved on 1/7/2025, kept for historical dossiers with their successor.
HISTORICAL_DISTRICTS = [
    ("901", "Quận Hoàn Kiếm (trước 01/7/2025)", "Hoàn Kiếm"),
    ("902", "Quận Ba Đình (trước 01/7/2025)", "Ba Đình"),
    ("903", "Huyện Sóc Sơn (trước 01/7/2025)", "Sóc Sơn"),
]

ACCOUNTS = [
    # username, role, unit code, full name
    ("tiepnhan", User.Role.RECEIVING_OFFICER, "H26.200.01", "Nguyễn Thị Lan"),
    ("chuyenvien", User.Role.SPECIALIST, "H26.104", "Trần Văn Minh"),
    ("lanhdao", User.Role.UNIT_LEADER, "H26.104", "Lê Hoàng Nam"),
    ("vanthu", User.Role.CLERK, "H26.104", "Phạm Thu Hà"),
    ("thanhtra", User.Role.INSPECTOR, "H26.115", "Đỗ Quang Huy"),
    ("lanhdaotp", User.Role.CITY_LEADERSHIP, CITY_CODE, "Vũ Đức Thắng"),
    ("quantri", User.Role.ADMINISTRATOR, CITY_CODE, "Quản trị hệ thống"),
    ("congdan", User.Role.CITIZEN, None, "Hoàng Thị Mai"),
    ("tiepnhan_xa", User.Role.RECEIVING_OFFICER, "H26.501", "Bùi Văn Tùng"),
    # The commune's own people for its internal steps (onestop.policy: each step by its role; the
    # leader's signature step by the commune's leader).
    ("chuyenvien_xa", User.Role.SPECIALIST, "H26.501", "Ngô Thị Thu"),
    ("lanhdao_xa", User.Role.UNIT_LEADER, "H26.501", "Đinh Văn Sơn"),
    ("vanthu_xa", User.Role.CLERK, "H26.501", "Lưu Thị Hằng"),
]
# Every department's procedures end with its leader's approval/signature step, which only a leader of that
# department may complete (onestop.policy): one leader account each (Sở Tư pháp has "lanhdao" above).
ACCOUNTS += [(f"lanhdao_{suffix}", User.Role.UNIT_LEADER, f"{CITY_CODE}.{suffix}", f"Lãnh đạo {name}")
             for suffix, name, _short, _kind in DEPARTMENTS if suffix != "104"]
DEMO_PASSWORD = "kycuong-demo-2026"


def _names(block):
    return [n.strip() for n in block.replace("\n", " ").split(",") if n.strip()]


@transaction.atomic
def load_demo_units() -> int:
    if Unit.objects.filter(code=CITY_CODE).exists():
        return 0
    note = "Mã định danh minh họa (mã cấp 1 của Hà Nội chưa được xác nhận)."
    city = create_unit(code=CITY_CODE, name="Ủy ban nhân dân Thành phố Hà Nội", short_name="UBND",
                       kind=Unit.Kind.CITY_COMMITTEE, tier=Unit.Tier.PROVINCE, is_demo=True, note=note)
    for suffix, name, short, kind in DEPARTMENTS:
        create_unit(code=f"{CITY_CODE}.{suffix}", name=name, short_name=short, kind=kind,
                    tier=Unit.Tier.PROVINCE, parent=city, note=note, is_demo=True)
    centre = create_unit(code=f"{CITY_CODE}.200", name="Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                         short_name="TTPVHCC", kind=Unit.Kind.SERVICE_CENTRE, tier=Unit.Tier.PROVINCE,
                         parent=city, note=note, is_demo=True)
    for b in range(1, 13):
        branch = create_unit(code=f"{CITY_CODE}.200.{b:02d}", name=f"Chi nhánh số {b}", short_name=f"CN{b}",
                             kind=Unit.Kind.SERVICE_BRANCH, tier=Unit.Tier.PROVINCE, parent=centre,
                             note="Tên minh họa. " + note, is_demo=True)
        # 30 service points spread over the 12 branches (3 in the first six, 2 in the rest).
        for p in range(1, (3 if b <= 6 else 2) + 1):
            create_unit(code=f"{CITY_CODE}.200.{b:02d}.{p}", name=f"Điểm phục vụ {p} — Chi nhánh số {b}",
                        kind=Unit.Kind.SERVICE_POINT, tier=Unit.Tier.PROVINCE, parent=branch,
                        note="Tên minh họa. " + note, is_demo=True)
    seq = 1
    recalled = "Tên theo NQ 1656/NQ-UBTVQH15 (chưa đối chiếu văn bản). " + note
    communes = {}
    for kind, prefix, names in ((Unit.Kind.WARD, "Phường", _names(WARDS)), (Unit.Kind.COMMUNE, "Xã", _names(COMMUNES))):
        for name in names:
            communes[name] = create_unit(
                code=f"{CITY_CODE}.{500 + seq}", name=f"{prefix} {name}", short_name="UBND",
                kind=kind, tier=Unit.Tier.COMMUNE, parent=city, valid_from=REFORM_DAY, note=recalled, is_demo=True,
            )
            seq += 1
    for suffix, name, successor in HISTORICAL_DISTRICTS:
        create_unit(code=f"{CITY_CODE}.{suffix}", name=name, kind=Unit.Kind.DISTRICT_HISTORICAL,
                    tier=Unit.Tier.HISTORICAL_DISTRICT, parent=city, valid_to=date(2025, 6, 30),
                    successor=communes[successor], note=note, is_demo=True)
    return Unit.objects.count()


@transaction.atomic
def load_demo_accounts() -> list[tuple[str, str, str]]:
    rows = []
    for username, role, unit_code, full_name in ACCOUNTS:
        if not User.objects.filter(username=username).exists():
            unit = Unit.objects.get(code=unit_code) if unit_code else None
            extra = {"is_staff": role != User.Role.CITIZEN, "is_superuser": role == User.Role.ADMINISTRATOR}
            create_user(username, DEMO_PASSWORD, role=role, unit=unit, full_name=full_name, **extra)
        rows.append((username, str(User.Role(role).label), unit_code or "—"))
    return rows
