"""Demo data: officials in every demo unit, a past meeting with its attendance, a directive with tasks.
Names are invented. Everything after the officials goes through the services like real work."""
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kycuong.core.models import Official, Unit, User
from kycuong.core.text import fold
from kycuong.discipline import services
from kycuong.discipline.models import Directive

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hồng", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Tuấn", "Vân", "Yến"]
RANKS = [(Official.Rank.HEAD, "Giám đốc", "Chủ tịch"), (Official.Rank.DEPUTY, "Phó Giám đốc", "Phó Chủ tịch"),
         (Official.Rank.STAFF, "Chuyên viên", "Công chức")]
COMMUNE_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)
# Demo accounts that are officials (devdata.demo.core.ACCOUNTS).
ACCOUNT_OFFICIALS = {"chuyenvien": Official.Rank.STAFF, "lanhdao": Official.Rank.HEAD, "vanthu": Official.Rank.STAFF,
                     "thanhtra": Official.Rank.STAFF, "lanhdaotp": Official.Rank.HEAD}


def _name(i):
    return f"{SURNAMES[i % 12]} {MIDDLE[(i // 12) % 8]} {GIVEN[(i * 7) % 20]}"


def _officials():
    units = list(Unit.objects.filter(valid_to__isnull=True).exclude(kind=Unit.Kind.SERVICE_POINT).order_by("path"))
    rows, i = [], 0
    for unit in units:
        for rank, dept_title, commune_title in RANKS:
            name = _name(i)
            position = commune_title if unit.kind in COMMUNE_KINDS else dept_title
            elected = unit.kind in COMMUNE_KINDS + (Unit.Kind.CITY_COMMITTEE,) and rank != Official.Rank.STAFF
            rows.append(Official(full_name=name, full_name_folded=fold(name), unit=unit, position=position,
                                 category=Official.Category.CAN_BO if elected else Official.Category.CONG_CHUC,
                                 rank=rank))
            i += 1
    Official.objects.bulk_create(rows)
    # The demo accounts that are officials take one of their unit's records (name and account).
    for username, rank in ACCOUNT_OFFICIALS.items():
        user = User.objects.filter(username=username, unit__isnull=False).first()
        target = Official.objects.filter(unit_id=user.unit_id, rank=rank, user__isnull=True).first() if user else None
        if target:
            name = user.full_name or user.username
            Official.objects.filter(pk=target.pk).update(user=user, full_name=name, full_name_folded=fold(name))
    return len(rows)


def _at(day, hh, mm=0):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)), timezone.get_default_timezone())


def seed_discipline_demo() -> int:
    """Idempotent: does nothing once officials exist. Returns the number of officials created."""
    if Official.objects.exists():
        return 0
    leader = User.objects.filter(username="lanhdaotp").first() or User.objects.filter(is_superuser=True).first()
    with transaction.atomic():
        made = _officials()
    city = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    organiser = leader
    if city is None or organiser is None:
        return made
    chair = Official.objects.filter(unit=city, rank=Official.Rank.HEAD).first()
    day = timezone.localdate() - timedelta(days=14)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    departments = list(Unit.objects.filter(parent=city, kind=Unit.Kind.DEPARTMENT).order_by("code")[:10])
    meeting = services.create_meeting(
        organiser, title="Hội nghị giao ban công tác cải cách hành chính", unit=city, chair=chair,
        starts_at=_at(day, 8), ends_at=_at(day, 11), place="Hội trường tầng 2, 12 Lê Lai, Hoàn Kiếm",
        units=[(u, Official.Rank.HEAD) for u in departments])
    invitations = list(meeting.invitations.order_by("pk"))
    services.reply(invitations[0].pk, accept=False, reason="Đi công tác Trung ương", at=_at(day - timedelta(days=1), 9))
    for n, inv in enumerate(invitations[1:8], 1):
        services.check_in(inv.pk, at=_at(day, 7, 50) + timedelta(minutes=30 * (n == 3)))
    services.check_out(invitations[4].pk, at=_at(day, 9, 30))
    services.consent_leave(organiser, invitations[5].pk, reason="Xử lý việc đột xuất", at=_at(day, 9, 40))
    services.check_out(invitations[5].pk, at=_at(day, 9, 45))
    services.close_meeting(organiser, meeting.pk, at=_at(day, 11, 5))
    services.draft_criticism(organiser, meeting.pk, at=_at(day + timedelta(days=1), 9))
    today = timezone.localdate()
    plan_units = departments[:4]
    services.create_directive(
        organiser, number="04/KH-UBND", issued_on=today - timedelta(days=30), doc_type=Directive.Type.PLAN,
        title="Kế hoạch cải cách hành chính năm", unit=city,
        tasks=[(u, f"Báo cáo kết quả rà soát thủ tục hành chính ({u.short_name})",
                _at(today + timedelta(days=(k - 1) * 7), 17)) for k, u in enumerate(plan_units)])
    return made
