"""The only code that changes units, accounts and calendar overrides."""
import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed
from .models import CalendarOverride, Unit, User
from .roles import assign_role_group


def _set_path(unit: Unit) -> None:
    prefix = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{prefix}{unit.pk}/"
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)


@transaction.atomic
def create_unit(**fields) -> Unit:
    unit = Unit(**fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    return unit


@transaction.atomic
def save_unit(unit: Unit) -> Unit:
    """Create or update a unit and keep the materialised paths of its subtree right (moves included)."""
    old_path = Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first() if unit.pk else None
    if unit.parent_id and unit.pk:
        ancestor = unit.parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise ValidationFailed(_("Không thể chuyển đơn vị vào cấp dưới của chính nó."), code="CORE_UNIT_CYCLE")
            ancestor = ancestor.parent
    unit.save()
    _set_path(unit)
    if old_path and old_path != unit.path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("path"):
            child.path = unit.path + child.path[len(old_path):]
            Unit.objects.filter(pk=child.pk).update(path=child.path)
    return unit


@transaction.atomic
def create_user(username, password, *, role, unit=None, full_name="", email="", phone="", **extra) -> User:
    if role in User.OFFICER_ROLES and unit is None and role != User.Role.ADMINISTRATOR:
        raise ValidationFailed(_("Cán bộ phải thuộc một đơn vị."), code="CORE_OFFICER_WITHOUT_UNIT")
    user = User(username=username, role=role, unit=unit, full_name=full_name, email=email, phone=phone, **extra)
    user.is_staff = user.is_staff or role in User.OFFICER_ROLES
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    assign_role_group(user)
    return user


def load_calendar_overrides(path: Path | None = None) -> tuple[int, int]:
    """Load official swap days from a JSON file (format of shared/data/vn-calendar-overrides.json).

    Existing dates are updated, new ones added, none removed. Returns (created, updated).
    """
    path = Path(path or settings.KYCUONG_CALENDAR_OVERRIDES_FILE)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        rows = payload["days"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed(_("Không đọc được tệp lịch hoán đổi: %(err)s") % {"err": exc},
                               code="CORE_BAD_CALENDAR_FILE") from exc
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            try:
                day = date.fromisoformat(row["date"])
                kind = row["kind"]
                if kind not in CalendarOverride.Kind.values:
                    raise ValueError(kind)
            except (KeyError, ValueError, TypeError) as exc:
                raise ValidationFailed(_("Dòng lịch không hợp lệ: %(row)s") % {"row": row},
                                       code="CORE_BAD_CALENDAR_ROW") from exc
            _override, was_created = CalendarOverride.objects.update_or_create(
                date=day, defaults={"kind": kind, "name": row.get("name", ""), "basis": row.get("basis", "")}
            )
            created += was_created
            updated += not was_created
    return created, updated
