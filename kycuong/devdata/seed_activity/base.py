"""Shared pieces of the synthetic activity: volumes, the bulk helpers, the window and the dossiers read back,
the working-day clock, officials and synthetic people."""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from kycuong.core.bulk import insert_rows
from kycuong.core.calendars import calendars_for_units
from kycuong.core.models import Official, Unit, User
from kycuong.core.text import fold
from kycuong.onestop.models import Dossier

from ..seed import MARK, NAMES, NAMES_FOLDED

HANOI_PER_YEAR = 2_400_000
# Streams: seed + k, one per part, so changing one part never shifts another.
K_OFFICIALS, K_PEOPLE, K_RATINGS, K_REPORTS, K_MEETINGS, K_TASKS = 1, 2, 3, 4, 5, 6
CITIZEN_PREFIX = "syn-congdan-"
INSPECTOR_PREFIX = "syn-thanhtra-"
DAY = 86400
HOUR = 3600

COMMUNE_KINDS = (Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE)
DEPARTMENT_KINDS = (Unit.Kind.DEPARTMENT, Unit.Kind.EQUIVALENT_BODY)
# Realistic strengths (people per unit) at Hà Nội scale.
STRENGTH = {
    Unit.Kind.DEPARTMENT: (60, 200), Unit.Kind.EQUIVALENT_BODY: (40, 120), Unit.Kind.CITY_COMMITTEE: (30, 60),
    Unit.Kind.SERVICE_CENTRE: (20, 40), Unit.Kind.SERVICE_BRANCH: (15, 30), Unit.Kind.SERVICE_POINT: (6, 12),
    Unit.Kind.WARD: (25, 45), Unit.Kind.COMMUNE: (25, 45), Unit.Kind.SPECIAL_ZONE: (25, 45),
    Unit.Kind.DIVISION: (8, 20),
}
MIN_STRENGTH = 6
# (head, deputy, staff) titles by kind of unit.
TITLES = {
    "commune": ("Chủ tịch", "Phó Chủ tịch", "Công chức"),
    "city": ("Chủ tịch", "Phó Chủ tịch", "Chuyên viên"),
    "centre": ("Giám đốc", "Phó Giám đốc", "Viên chức"),
    "other": ("Giám đốc", "Phó Giám đốc", "Chuyên viên"),
}

RATED_SHARE = (0.08, 0.15)
REPORTS_PER_DOSSIER = 0.0125
RATING_COMMENTS = ["Cán bộ hướng dẫn chưa rõ ràng.", "Thời gian chờ quá lâu.", "Phải đi lại nhiều lần.",
                   "Kết quả trả chậm so với giấy hẹn.", "Thái độ tiếp dân chưa niềm nở."]


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _text(seconds) -> str | None:
    """UTC epoch seconds → the database text `insert_rows` expects."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(int(seconds), dt_timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _local(seconds) -> datetime:
    return datetime.fromtimestamp(int(seconds), timezone.get_default_timezone())


def _constant(field):
    value = field.get_default()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def _insert(model, columns: dict[str, list]) -> int:
    """Insert the given columns (by attname); every other concrete column takes its field default."""
    n = len(next(iter(columns.values())))
    if not n:
        return 0
    fields = [f for f in model._meta.concrete_fields if f.attname in columns or not f.primary_key]
    data = [columns[f.attname] if f.attname in columns else [_constant(f)] * n for f in fields]
    return insert_rows(model, [f.column for f in fields], zip(*data, strict=True))


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _reset_sequences(models) -> None:
    """Rows were written with explicit ids (so children can point at them without reading them back)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Clock:
    """Working-day deadlines on each unit's calendar, vectorised (worktime `due_many`, equal to `due()`)."""

    def __init__(self, unit_ids):
        self.calendars = calendars_for_units(unit_ids)

    def due(self, units: np.ndarray, starts: np.ndarray, amounts, unit="working_days") -> np.ndarray:
        out = np.empty(len(starts), dtype=np.int64)
        amounts = np.broadcast_to(np.asarray(amounts), (len(starts),))
        groups = defaultdict(list)
        for u in np.unique(units).tolist():
            groups[id(self.calendars[u])].append(u)
        for members in groups.values():
            rows = np.nonzero(np.isin(units, members))[0]
            if len(rows):
                cal = self.calendars[members[0]]
                out[rows] = cal.due_many(starts[rows].astype(np.int64), amounts[rows], unit)
        return out


# --- the window and the dossiers ----------------------------------------------------------------------------

class Window:
    def __init__(self, years: int, now: datetime):
        self.now = _epoch(now)
        today = timezone.localtime(now).date()
        self.first_day = today - timedelta(days=365 * years)
        self.start = _epoch(timezone.make_aware(datetime.combine(self.first_day, datetime.min.time())))
        self.years = years


def _epoch_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"  # %% : Django's SQLite cursor rewrites %s


def load_dossiers(out=sys.stderr) -> dict[str, np.ndarray]:
    """The received synthetic dossiers as columns (numpy), in code order (stable for a given seed)."""
    table = Dossier._meta.db_table
    sql = (f"SELECT id, unit_id, receiving_unit_id, procedure_id, state, {_epoch_sql('received_at')}, "
           f"COALESCE({_epoch_sql('returned_at')}, -1), "
           f"CASE WHEN processing_end_at > original_due_at OR supplement_count > 1 THEN 1 ELSE 0 END "
           f"FROM {table} WHERE note = %s AND received_at IS NOT NULL ORDER BY code")
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK])
        while True:
            rows = cursor.fetchmany(200_000)
            if not rows:
                break
            chunks.append(np.array(rows, dtype=np.int64))
    data = np.concatenate(chunks) if chunks else np.zeros((0, 8), dtype=np.int64)
    names = ("id", "unit", "receiving", "procedure", "state", "received", "returned", "late")
    return {name: data[:, i].copy() for i, name in enumerate(names)}


def _codes(ids) -> dict[int, str]:
    ids = [int(i) for i in ids]
    found = {}
    for i in range(0, len(ids), 5000):
        found.update(Dossier.objects.filter(pk__in=ids[i:i + 5000]).values_list("pk", "code"))
    return found


# --- officials and people ----------------------------------------------------------------------------------

def _titles(unit: Unit):
    if unit.kind in COMMUNE_KINDS:
        return TITLES["commune"]
    if unit.kind == Unit.Kind.CITY_COMMITTEE:
        return TITLES["city"]
    if unit.kind in (Unit.Kind.SERVICE_CENTRE, Unit.Kind.SERVICE_BRANCH, Unit.Kind.SERVICE_POINT):
        return TITLES["centre"]
    return TITLES["other"]


def ensure_officials(share: float, rng: np.random.Generator, out=sys.stderr) -> int:
    """Top every current unit up to its strength (× `share`, at least MIN_STRENGTH); returns how many were made."""
    units = list(Unit.objects.filter(valid_to__isnull=True).order_by("path"))
    have = defaultdict(lambda: defaultdict(int))
    for unit_id, rank in Official.objects.values_list("unit_id", "rank"):
        have[unit_id][rank] += 1
    rows = []
    for unit in units:
        lo, hi = STRENGTH.get(unit.kind, (8, 20))
        target = max(MIN_STRENGTH, int(round(int(rng.integers(lo, hi + 1)) * share)))
        head_title, deputy_title, staff_title = _titles(unit)
        deputies = 3 if unit.kind in DEPARTMENT_KINDS and target >= 40 else 2
        mine = have[unit.pk]
        wanted = [(Official.Rank.HEAD, head_title, 1 - mine[Official.Rank.HEAD]),
                  (Official.Rank.DEPUTY, deputy_title, deputies - mine[Official.Rank.DEPUTY])]
        wanted.append((Official.Rank.STAFF, staff_title, target - sum(mine.values()) - sum(max(0, n) for *_r, n in wanted)))
        elected = unit.kind in COMMUNE_KINDS + (Unit.Kind.CITY_COMMITTEE,)
        for rank, title, count in wanted:
            for _i in range(max(0, count)):
                k = int(rng.integers(0, len(NAMES)))
                if rank != Official.Rank.STAFF and elected:
                    category = Official.Category.CAN_BO
                elif unit.kind in (Unit.Kind.SERVICE_BRANCH, Unit.Kind.SERVICE_POINT) and rng.random() < 0.5:
                    category = Official.Category.VIEN_CHUC
                else:
                    category = Official.Category.CONG_CHUC
                rows.append(Official(full_name=NAMES[k], full_name_folded=NAMES_FOLDED[k], unit=unit,
                                     position=title, category=category, rank=rank))
    Official.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def officials_by_unit() -> dict[int, dict[str, list[int]]]:
    out: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, unit_id, rank in Official.objects.filter(active=True).order_by("unit_id", "pk").values_list(
            "pk", "unit_id", "rank"):
        out[unit_id][rank].append(pk)
    return out


def _make_users(prefix: str, count: int, role: str, rng: np.random.Generator, unit=None) -> list[int]:
    stamp = timezone.now()
    users = []
    for i in range(count):
        k = int(rng.integers(0, len(NAMES)))
        users.append(User(username=f"{prefix}{i + 1:05d}", password=make_password(None), role=role, unit=unit,
                          full_name=NAMES[k], is_active=True, date_joined=stamp))
    User.objects.bulk_create(users, batch_size=5000)
    return list(User.objects.filter(username__startswith=prefix).order_by("username").values_list("pk", flat=True))


def ensure_inspectors(rng) -> list[int]:
    """The inspectors who verify conduct reports: the existing ones, else three synthetic ones."""
    found = list(User.objects.filter(role=User.Role.INSPECTOR, is_active=True).order_by("pk").values_list("pk", flat=True))
    if found:
        return found
    body = Unit.objects.filter(name_folded__startswith=fold("Thanh tra"), valid_to__isnull=True).order_by("path").first()
    body = body or Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return _make_users(INSPECTOR_PREFIX, 3, User.Role.INSPECTOR, rng, unit=body)
