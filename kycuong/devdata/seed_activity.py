"""The rest of the city's synthetic history (issue 7): officials, citizens' ratings, feedback reports, meetings
with their attendance, directives with their tasks — generated after the dossiers (`scoreboard/seed.py`) for
the same window, reproducibly from `--seed` (each part its own `numpy.random.default_rng(seed + k)` stream).

Volumes follow the dossier volume (`--per-year`; the Hà Nội scale is 2.4 M dossiers a year):
* officials per unit at realistic strengths (a department 60–200, a commune 25–45, branches and points of the
  service centre 6–30), shrunk with the dossier volume (at least six a unit), topping up what the demo made;
* ratings on 8–15 % (by unit) of the returned dossiers (the portal rates only returned ones), a dislike far
  likelier when the dossier was late, the SIPAS five-factor survey on about a quarter, by a small pool of
  synthetic citizen accounts (a rating needs a user). The synthetic dossiers have no applicant account, so
  the rater is not their applicant as `portal.services.rate` would require: setting it afterwards is an
  UPDATE of every rated dossier through all its indexes (≈ 2 minutes at Hà Nội scale), not worth it;
* ≈ 1.25 reports (PAKN) per 100 dossiers (≈ 30,000 a year at Hà Nội scale), both classes, clocks from the
  working-day limits of `feedback.services` (2/5/15/2 working days) on the responsible unit's calendar, late
  shares by unit, repeats linked, some naming a dossier; conduct reports concluded, the founded ones with the
  conduct record `discipline.services.record_from_report` would have made (same text, source, reference);
  readers' votes on published answers;
* weekly and monthly meetings per unit and the city's monthly meeting of departments and communes, attendance
  with a small share of lateness and unexcused absence, and the conduct records `close_meeting` makes;
* directives of the city, departments and communes with tasks on time, late or overdue and still open.

What it is not: no row here has a chained event (core.events) — the pages show an empty history for them,
like the synthetic dossiers; no notifications; no letters (criticism, conclusions) and no disciplinary
cases. Everything is written through bulk paths (`core.bulk.insert_rows`, `bulk_create`), never `save()`.
Text stays on one line (the PostgreSQL COPY path takes values verbatim).
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from kycuong.catalog.models import Procedure
from kycuong.core.bulk import insert_rows
from kycuong.core.calendars import calendars_for_units
from kycuong.core.models import Official, Unit, User
from kycuong.core.text import fold
from kycuong.discipline.models import (
    Attendance, ConductRecord, ConductRule, Directive, Invitation, Meeting, SourceKind, Task, TaskReport,
)
from kycuong.feedback import repeats
from kycuong.feedback.models import Channel as ReportChannel
from kycuong.feedback.models import Conclusion, Kind, Report, Routing, Vote
from kycuong.feedback.services import CODE_ALPHABET, HANDLE_DAYS, INFO_DAYS, PUBLISH_DAYS, REFUSE_DAYS
from kycuong.feedback.workflow import State as ReportState
from kycuong.onestop.models import Dossier
from kycuong.onestop.workflow import State as DossierState
from kycuong.portal.models import Rating

from .seed import MARK, NAMES, NAMES_FOLDED, AlreadySeeded, _progress

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


# --- ratings (portal) -----------------------------------------------------------------------------------------

def seed_ratings(d: dict, window: Window, rng: np.random.Generator, users: list[int], out=sys.stderr) -> int:
    returned = np.nonzero((d["state"] == int(DossierState.RETURNED)) & (d["returned"] > 0))[0]
    unit_ids = np.unique(d["unit"])
    share = dict(zip(unit_ids.tolist(), rng.uniform(*RATED_SHARE, size=len(unit_ids)), strict=True))
    u = d["unit"][returned]
    p_rate = np.array([share[x] for x in u.tolist()])
    pick = returned[rng.random(len(returned)) < p_rate]
    n = len(pick)
    late = d["late"][pick] == 1
    rated_at = d["returned"][pick] + rng.exponential(1.5 * DAY, size=n).astype(np.int64) + 600
    keep = rated_at + 3600 <= window.now          # not yet rated: after now
    pick, late, rated_at = pick[keep], late[keep], rated_at[keep]
    n = len(pick)
    survey_only = rng.random(n) < 0.04
    disliked = rng.random(n) < np.where(late, 0.30, 0.03)
    liked = [None if s else (not x) for s, x in zip(survey_only.tolist(), disliked.tolist(), strict=True)]
    surveyed = survey_only | (rng.random(n) < 0.25)
    # Five factors: mostly pleased after a like, mostly not after a dislike.
    scale = np.arange(1, 6)
    p_like, p_dislike, p_none = [.02, .03, .1, .35, .5], [.3, .35, .2, .1, .05], [.05, .1, .3, .35, .2]
    scores = np.empty((n, 5), dtype=np.int64)
    likes = np.array([2 if v is None else int(v) for v in liked], dtype=np.int64)
    for mask, p in ((likes == 1, p_like), (likes == 0, p_dislike), (likes == 2, p_none)):
        scores[mask] = rng.choice(scale, size=(int(mask.sum()), 5), p=p)
    threshold = int(getattr(settings, "KYCUONG_RATING_ALERT_THRESHOLD", 2))
    low = surveyed & (scores.min(axis=1) <= threshold)
    alerted = disliked & ~survey_only | low
    comment_idx = rng.integers(0, len(RATING_COMMENTS), size=n)
    user_idx = rng.integers(0, len(users), size=n)
    surveyed_at = rated_at + rng.integers(60, 1800, size=n)
    columns = defaultdict(list)
    for i in range(n):
        j = pick[i]
        s = bool(surveyed[i])
        columns["dossier_id"].append(int(d["id"][j]))
        columns["unit_id"].append(int(d["unit"][j]))
        columns["procedure_id"].append(int(d["procedure"][j]))
        columns["user_id"].append(users[user_idx[i]])
        columns["rated_at"].append(_text(rated_at[i]))
        columns["liked"].append(None if liked[i] is None else int(liked[i]))
        for k, name in enumerate(("access", "procedure_score", "officer", "result", "feedback")):
            columns[name].append(int(scores[i, k]) if s else None)
        columns["comment"].append(RATING_COMMENTS[comment_idx[i]] if s and low[i] else "")
        columns["surveyed_at"].append(_text(surveyed_at[i]) if s else None)
        columns["alerted_at"].append(_text(rated_at[i]) if alerted[i] else None)
    written = 0
    started = time.perf_counter()
    step = 100_000
    for i in range(0, max(n, 1), step):
        part = {k: v[i:i + step] for k, v in columns.items()}
        if part and part["dossier_id"]:
            written += _insert(Rating, part)
        _progress("Đánh giá / ratings", min(i + step, n), n, started, out)
    return written


# --- feedback reports -----------------------------------------------------------------------------------------

PROCEDURE_TEXTS = [
    ("Hồ sơ {code} quá hạn chưa có kết quả", "Tôi nộp hồ sơ {code} ({proc}) tại {unit}, đã quá ngày hẹn trả mà chưa nhận được kết quả, không được thông báo lý do."),
    ("Yêu cầu bổ sung giấy tờ không có trong quy định", "Khi làm thủ tục {proc} tại {unit}, cán bộ yêu cầu nộp thêm giấy tờ không có trong thành phần hồ sơ đã công khai."),
    ("Kiến nghị đơn giản hóa thủ tục {proc}", "Đề nghị {unit} xem xét giảm bớt thành phần hồ sơ và cho phép nộp trực tuyến toàn trình đối với thủ tục {proc}."),
    ("Phản ánh về thu phí thủ tục {proc}", "Mức phí thu khi làm thủ tục {proc} tại {unit} không đúng với mức phí đã công khai trên Cổng dịch vụ công."),
    ("Không tra cứu được tình trạng hồ sơ {code}", "Tôi không tra cứu được tình trạng giải quyết hồ sơ {code} trên Cổng dịch vụ công, đề nghị {unit} kiểm tra."),
]
CONDUCT_TEXTS = [
    ("Thái độ của cán bộ tiếp nhận hồ sơ", "Cán bộ {who} tại {unit} có thái độ thiếu tôn trọng, không hướng dẫn đầy đủ khi tôi hỏi về thủ tục {proc}."),
    ("Cán bộ hẹn lại nhiều lần", "Tôi đến {unit} nhiều lần nhưng cán bộ {who} đều hẹn lại, không giải thích lý do hồ sơ chậm."),
    ("Phản ánh việc gây khó khăn khi giải quyết hồ sơ", "Cán bộ {who} ({unit}) gợi ý nộp thêm chi phí ngoài quy định để hồ sơ {proc} được giải quyết nhanh."),
    ("Cán bộ vắng mặt tại quầy trong giờ làm việc", "Trong giờ làm việc, quầy tiếp nhận của {unit} không có cán bộ {who}, người dân phải chờ lâu."),
]
COUNTER_DESCRIPTIONS = ["Cán bộ tiếp nhận tại quầy số 1", "Cán bộ tiếp nhận tại quầy số 2", "Cán bộ trả kết quả",
                        "Cán bộ hướng dẫn thủ tục"]
ANSWERS = {  # keyed by value: numpy hands back plain strings
    Kind.PROCEDURE.value: "{unit} đã kiểm tra nội dung phản ánh, chấn chỉnh việc giải quyết và thông báo kết quả cho người phản ánh.",
    Kind.CONDUCT.value: "{unit} đã xác minh nội dung phản ánh về cán bộ, kết luận và xử lý theo quy định.",
}
FINDINGS = {
    Conclusion.FOUNDED.value: "Xác minh cho thấy nội dung phản ánh đúng.",
    Conclusion.PARTLY_FOUNDED.value: "Xác minh cho thấy nội dung phản ánh đúng một phần.",
    Conclusion.UNFOUNDED.value: "Xác minh cho thấy nội dung phản ánh không có cơ sở.",
}
REFUSAL = "Nội dung không thuộc phạm vi tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính."
INFO_REQUEST = "Đề nghị cung cấp thêm thời gian, địa điểm cụ thể và giấy hẹn trả kết quả."
TRANSFER_REASON = "Không thuộc thẩm quyền, chuyển đơn vị có thẩm quyền giải quyết."


def _report_codes(n: int, rng) -> list[str]:
    taken = set(Report.objects.values_list("code", flat=True))
    alphabet = np.array(list(CODE_ALPHABET))
    codes = []
    while len(codes) < n:
        for row in alphabet[rng.integers(0, len(alphabet), size=(n - len(codes), 8))]:
            code = "PA-" + "".join(row.tolist())
            if code not in taken:
                taken.add(code)
                codes.append(code)
    return codes


def seed_feedback(d: dict, window: Window, rng: np.random.Generator, officials, citizens: list[int],
                  inspectors: list[int], per_year: int, out=sys.stderr) -> dict[str, int]:
    n = int(round(per_year * window.years * REPORTS_PER_DOSSIER))
    if n == 0 or len(d["id"]) == 0:
        return {"reports": 0}
    started = time.perf_counter()
    units = {u.pk: u for u in Unit.objects.all()}
    procedures = dict(Procedure.objects.values_list("pk", "name"))
    desk = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    submitted = np.sort(rng.integers(window.start, window.now - HOUR, size=n))
    kind = np.where(rng.random(n) < 0.6, Kind.PROCEDURE, Kind.CONDUCT)
    channel = rng.choice([ReportChannel.PORTAL, ReportChannel.HOTLINE, ReportChannel.WALK_IN, ReportChannel.OPEN311],
                         size=n, p=[0.6, 0.2, 0.1, 0.1])
    # The dossier each report is about: one received before it was sent (dossiers sorted by receipt).
    order = np.argsort(d["received"], kind="stable")
    received_sorted = d["received"][order]
    limit = np.searchsorted(received_sorted, submitted)        # dossiers received before
    ok = limit > 0
    j = order[(rng.random(n) * np.maximum(limit, 1)).astype(np.int64)]
    names_dossier = ok & (((kind == Kind.PROCEDURE) & (rng.random(n) < 0.4)) | ((kind == Kind.CONDUCT) & (rng.random(n) < 0.1)))
    names_official = (kind == Kind.CONDUCT) & (rng.random(n) < 0.75)
    transferred = rng.random(n) < 0.04
    refused = rng.random(n) < 0.06
    info = ~refused & (rng.random(n) < 0.10)
    unit_ids = sorted(units)
    late_rate = dict(zip(unit_ids, rng.uniform(0.03, 0.25, size=len(unit_ids)), strict=True))

    dossier_id = np.where(names_dossier, d["id"][j], 0)
    procedure_id = d["procedure"][j]
    official_id = np.zeros(n, dtype=np.int64)
    named_unit = np.zeros(n, dtype=np.int64)
    responsible = np.zeros(n, dtype=np.int64)
    staff_pick = rng.random(n)
    for i in range(n):
        if names_official[i]:
            counter = int(d["receiving"][j[i]])
            people = officials.get(counter) or officials.get(int(d["unit"][j[i]]))
            pool = (people or {}).get(Official.Rank.STAFF) or [p for r in (people or {}).values() for p in r]
            if pool:
                official_id[i] = pool[int(staff_pick[i] * len(pool))]
                responsible[i] = counter if officials.get(counter) else int(d["unit"][j[i]])
                continue
            names_official[i] = False
        if kind[i] == Kind.CONDUCT:
            named_unit[i] = int(d["receiving"][j[i]])
        else:
            named_unit[i] = int(d["unit"][j[i]])
        responsible[i] = int(d["unit"][j[i]]) if names_dossier[i] else named_unit[i]
    # Repeats (feedback/repeats.py): ~5 % restate an earlier report (≤ 90 days before) word for word.
    repeat_src = np.full(n, -1, dtype=np.int64)
    lo = np.searchsorted(submitted, submitted - repeats.REPEAT_WINDOW_DAYS * DAY)
    draw, pick = rng.random(n), rng.random(n)
    for i in np.nonzero((draw < 0.05) & (lo < np.arange(n)))[0].tolist():
        e = int(lo[i] + int(pick[i] * (i - lo[i])))
        repeat_src[i] = e
        for column in (kind, dossier_id, procedure_id, official_id, named_unit, responsible, names_dossier,
                       names_official, j):
            column[i] = column[e]
    suggested = responsible.copy()
    first_unit = np.where(transferred, desk.pk, responsible)

    clock = Clock(unit_ids)
    # A transfer a working day or so after submission restarts the clocks (feedback.services._transfer).
    moved_at = clock.due(first_unit, submitted, 1) + rng.integers(0, 4 * HOUR, size=n)
    start = np.where(transferred, moved_at, submitted)
    refuse_due = clock.due(responsible, start, REFUSE_DAYS)
    info_due = clock.due(responsible, start, INFO_DAYS)
    handle_due = clock.due(responsible, start, HANDLE_DAYS)
    is_late = rng.random(n) < np.array([late_rate[u] for u in responsible.tolist()])
    u01 = rng.random((n, 8))
    refused_at = np.where(u01[:, 0] < 0.05, refuse_due + (u01[:, 1] * 3 * DAY).astype(np.int64) + HOUR,
                          start + ((refuse_due - start) * (0.1 + 0.8 * u01[:, 1])).astype(np.int64))
    confirmed_at = start + np.maximum(HOUR, ((refuse_due - start) * 0.6 * u01[:, 2]).astype(np.int64))
    info_at = np.where(u01[:, 3] < 0.08, info_due + (u01[:, 4] * 5 * DAY).astype(np.int64) + HOUR,
                       confirmed_at + ((info_due - confirmed_at) * u01[:, 4]).astype(np.int64))
    provided_at = info_at + DAY + (u01[:, 5] * 3 * DAY).astype(np.int64)
    handled_at = np.where(is_late, handle_due + HOUR + (u01[:, 6] * 20 * DAY).astype(np.int64),
                          start + ((handle_due - start) * (0.3 + 0.7 * u01[:, 6])).astype(np.int64))
    handled_at = np.maximum(handled_at, np.where(info, provided_at, confirmed_at) + 4 * HOUR)
    verify_at = np.where(info, provided_at, confirmed_at) + HOUR + (u01[:, 7] * DAY).astype(np.int64)
    handled_at = np.where(kind == Kind.CONDUCT, np.maximum(handled_at, verify_at + 3 * HOUR), handled_at)
    if_late_handle = handled_at > handle_due
    concluded_at = np.maximum(handled_at - 2 * HOUR - (u01[:, 7] * 20 * HOUR).astype(np.int64), verify_at + HOUR)
    concluded_at = np.minimum(concluded_at, handled_at - HOUR)
    publish_due = clock.due(responsible, handled_at, PUBLISH_DAYS)
    late_publish = rng.random(n) < 0.06
    published_at = np.where(late_publish, publish_due + HOUR + rng.integers(0, 5 * DAY, size=n),
                            handled_at + ((publish_due - handled_at) * rng.uniform(0.1, 0.9, size=n)).astype(np.int64))
    conclusion = rng.choice([Conclusion.FOUNDED, Conclusion.PARTLY_FOUNDED, Conclusion.UNFOUNDED], size=n,
                            p=[0.25, 0.2, 0.55])
    anonymous = rng.random(n) < 0.2
    with_account = (channel == ReportChannel.PORTAL) & ~anonymous & (rng.random(n) < 0.5)
    name_idx = rng.integers(0, len(NAMES), size=n)
    phone = rng.integers(10**8, 10**9, size=n)
    template = rng.integers(0, 100, size=n)
    citizen_idx = rng.integers(0, max(len(citizens), 1), size=n)
    inspector_idx = rng.integers(0, max(len(inspectors), 1), size=n)
    votes_n = np.where(rng.random(n) < 0.35, 1 + rng.poisson(2, size=n), 0)
    codes = _report_codes(n, rng)
    dossier_codes = _codes(dossier_id[dossier_id > 0])
    official_names = dict(Official.objects.filter(pk__in=official_id[official_id > 0].tolist())
                          .values_list("pk", "full_name"))
    first_id = _next_id(Report)
    now = window.now

    cols = defaultdict(list)
    routings = defaultdict(list)
    votes = defaultdict(list)
    founded = []
    root_of = np.full(n, -1, dtype=np.int64)
    words_cache = {}
    for i in range(n):
        pk = first_id + i
        k = str(kind[i])
        proc_name = procedures.get(int(procedure_id[i]), "")
        unit_name = units[int(responsible[i])].name
        who = official_names.get(int(official_id[i]), COUNTER_DESCRIPTIONS[template[i] % len(COUNTER_DESCRIPTIONS)])
        texts = PROCEDURE_TEXTS if k == Kind.PROCEDURE else CONDUCT_TEXTS
        if k == Kind.PROCEDURE and not dossier_id[i]:
            texts = texts[1:4]           # the texts that quote a dossier code need one
        title, text = texts[template[i] % len(texts)]
        fill = {"code": dossier_codes.get(int(dossier_id[i]), ""), "proc": proc_name, "unit": unit_name, "who": who}
        title, text = title.format(**fill)[:200], text.format(**fill) + " " + MARK
        repeat_of = None
        e = int(repeat_src[i])
        if e >= 0:
            title, text = cols["title"][e], cols["text"][e]
            if not (cols["state"][e] == ReportState.REFUSED and refused_at[e] <= submitted[i]):
                repeat_of = int(root_of[e]) if root_of[e] >= 0 else e     # a chain of repeats stays one matter
        root_of[i] = -1 if repeat_of is None else repeat_of
        if (title, text) not in words_cache:
            words_cache[(title, text)] = repeats.words_key(title, text)
        # State at `now` from the timeline.
        overdue = []
        state = ReportState.RECEIVED
        fields = dict(refused_at=None, info_requested_at=None, handled_at=None, published_at=None,
                      publish_due_at=None, concluded_at=None, conclusion="", findings="", public_answer="",
                      inspector=None, verifier=None, refusal_reason="", info_request="", confirmed=False)
        writes = 1
        if refused[i] and refused_at[i] <= now:
            state = ReportState.REFUSED
            fields.update(refused_at=refused_at[i], refusal_reason=REFUSAL)
            if refused_at[i] > refuse_due[i]:
                overdue.append("refuse")
            writes += 1
        elif not refused[i] and confirmed_at[i] <= now:
            state, fields["confirmed"] = ReportState.PROCESSING, True
            writes += 1
            if info[i] and info_at[i] <= now:
                fields.update(info_requested_at=info_at[i], info_request=INFO_REQUEST)
                state = ReportState.INFO_REQUESTED
                if info_at[i] > info_due[i]:
                    overdue.append("info")
                writes += 1
                if provided_at[i] <= now:
                    state = ReportState.PROCESSING
                    writes += 1
            if state == ReportState.PROCESSING and k == Kind.CONDUCT and verify_at[i] <= now:
                state = ReportState.VERIFYING
                fields.update(inspector=inspectors[inspector_idx[i]] if inspectors else None)
                fields["verifier"] = fields["inspector"]
                writes += 1
                if concluded_at[i] <= now:
                    state = ReportState.CONCLUDED
                    fields.update(concluded_at=concluded_at[i], conclusion=str(conclusion[i]),
                                  findings=FINDINGS[str(conclusion[i])])
                    writes += 1
            if state in (ReportState.PROCESSING, ReportState.CONCLUDED) and handled_at[i] <= now:
                state = ReportState.AWAITING_PUBLICATION
                fields.update(handled_at=handled_at[i], publish_due_at=publish_due[i],
                              public_answer=ANSWERS[k].format(unit=unit_name))
                if if_late_handle[i]:
                    overdue.append("handle")
                writes += 1
                if published_at[i] <= now:
                    state = ReportState.PUBLISHED
                    fields["published_at"] = published_at[i]
                    if published_at[i] > publish_due[i]:
                        overdue.append("publish")
                    writes += 1
        # Clocks run out while still open: what the periodic job (services.mark_overdue) would have marked.
        if state == ReportState.RECEIVED and refuse_due[i] < now:
            overdue.append("refuse")
        if state not in (ReportState.REFUSED, ReportState.AWAITING_PUBLICATION, ReportState.PUBLISHED) \
                and handle_due[i] < now and "handle" not in overdue:
            overdue.append("handle")
        if state == ReportState.AWAITING_PUBLICATION and publish_due[i] < now:
            overdue.append("publish")
        likes = dislikes = 0
        if state == ReportState.PUBLISHED and votes_n[i]:
            p_like = 0.35 if if_late_handle[i] or repeat_of is not None else 0.75
            values = np.where(rng.random(int(votes_n[i])) < p_like, 1, -1)
            at = np.minimum(published_at[i] + rng.integers(HOUR, 10 * DAY, size=len(values)), now - 60)
            voters = rng.integers(0, 2**63 - 1, size=(len(values), 4))
            for v, a, voter in zip(values.tolist(), at.tolist(), voters.tolist(), strict=True):
                votes["report_id"].append(pk)
                votes["voter"].append("s:" + "".join(f"{x:016x}" for x in voter))
                votes["value"].append(v)
                votes["at"].append(_text(a))
            likes, dislikes = int((values == 1).sum()), int((values == -1).sum())
        if fields["conclusion"] in (Conclusion.FOUNDED, Conclusion.PARTLY_FOUNDED):
            founded.append(i)

        cols["id"].append(pk)
        cols["code"].append(codes[i])
        cols["kind"].append(k)
        cols["channel"].append(str(channel[i]))
        cols["state"].append(str(state))
        cols["version"].append(writes)
        cols["title"].append(title)
        cols["text"].append(text)
        cols["words"].append(words_cache[(title, text)])
        cols["dossier_id"].append(int(dossier_id[i]) or None)
        cols["procedure_id"].append(int(procedure_id[i]) if k == Kind.PROCEDURE or dossier_id[i] else None)
        cols["named_unit_id"].append(int(named_unit[i]) or None)
        cols["official_id"].append(int(official_id[i]) or None)
        cols["official_description"].append("" if official_id[i] or k == Kind.PROCEDURE else who)
        cols["suggested_unit_id"].append(None if transferred[i] else int(suggested[i]))
        moved = transferred[i] and moved_at[i] <= now
        current = int(responsible[i]) if moved or not transferred[i] else desk.pk
        cols["responsible_unit_id"].append(current)
        cols["unit_confirmed"].append(int(fields["confirmed"]))
        cols["transfer_count"].append(int(moved))
        reporter = citizens[citizen_idx[i]] if with_account[i] and citizens else None
        cols["reporter_id"].append(reporter)
        cols["anonymous"].append(int(anonymous[i]))
        cols["reporter_name"].append("" if anonymous[i] else NAMES[name_idx[i]])
        cols["reporter_phone"].append("" if anonymous[i] else f"09{phone[i]:08d}"[:10])
        cols["submitted_at"].append(_text(submitted[i]))
        cols["clock_start_at"].append(_text(start[i] if moved or not transferred[i] else submitted[i]))
        if moved or not transferred[i]:
            due3 = (refuse_due[i], info_due[i], handle_due[i])
        else:  # still at the desk: the desk's clocks from submission
            due3 = tuple(clock.due(np.array([desk.pk]), np.array([submitted[i]]), days)[0]
                         for days in (REFUSE_DAYS, INFO_DAYS, HANDLE_DAYS))
        cols["refuse_due_at"].append(_text(due3[0]))
        cols["info_due_at"].append(_text(due3[1]))
        cols["handle_due_at"].append(_text(due3[2]))
        for name in ("publish_due_at", "refused_at", "info_requested_at", "handled_at", "published_at", "concluded_at"):
            cols[name].append(_text(fields[name]))
        cols["overdue"].append(json.dumps(overdue))
        cols["refusal_reason"].append(fields["refusal_reason"])
        cols["info_request"].append(fields["info_request"])
        cols["inspector_id"].append(fields["inspector"])
        cols["verifier_id"].append(fields["verifier"])
        cols["concluded_by_id"].append(fields["inspector"] if fields["conclusion"] else None)
        cols["findings"].append(fields["findings"])
        cols["conclusion"].append(fields["conclusion"])
        cols["public_answer"].append(fields["public_answer"])
        cols["likes"].append(likes)
        cols["dislikes"].append(dislikes)
        cols["repeat_of_id"].append(first_id + repeat_of if repeat_of is not None else None)
        cols["updated_at"].append(_text(now))
        # Routing history (feedback.services: suggested at submission, transferred, confirmed).
        routings["report_id"].append(pk)
        routings["step"].append(Routing.Step.SUGGESTED.value)
        routings["from_unit_id"].append(None)
        routings["to_unit_id"].append(desk.pk if transferred[i] else int(responsible[i]))
        routings["reason"].append("desk" if transferred[i] else "")
        routings["at"].append(_text(submitted[i]))
        if moved:
            routings["report_id"].append(pk)
            routings["step"].append(Routing.Step.TRANSFERRED.value)
            routings["from_unit_id"].append(desk.pk)
            routings["to_unit_id"].append(int(responsible[i]))
            routings["reason"].append(TRANSFER_REASON)
            routings["at"].append(_text(moved_at[i]))
        if fields["confirmed"]:
            routings["report_id"].append(pk)
            routings["step"].append(Routing.Step.CONFIRMED.value)
            routings["from_unit_id"].append(int(responsible[i]))
            routings["to_unit_id"].append(int(responsible[i]))
            routings["reason"].append("")
            routings["at"].append(_text(confirmed_at[i]))
        if (i + 1) % 20000 == 0:
            _progress("Phản ánh / reports", i + 1, n, started, out)
    _insert(Report, cols)
    _insert(Routing, routings)
    if votes:
        _insert(Vote, votes)
    records = _founded_records(founded, cols, official_id, named_unit, units, first_id)
    _progress("Phản ánh / reports", n, n, started, out)
    return {"reports": n, "routings": len(routings["report_id"]), "votes": len(votes["report_id"]),
            "complaint_records": records}


def _founded_records(founded, cols, official_id, named_unit, units, first_id) -> int:
    """What `discipline.services.record_from_report` makes for a founded report, row for row."""
    unit_of = dict(Official.objects.filter(pk__in=[int(official_id[i]) for i in founded if official_id[i]])
                   .values_list("pk", "unit_id"))
    rows = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for i in founded:
            official = int(official_id[i]) or None
            unit = unit_of.get(official) if official else int(named_unit[i]) or None
            if unit is None:
                continue
            text = gettext("Phản ánh %(code)s được kết luận %(c)s.") % {
                "code": cols["code"][i],
                "c": gettext("có cơ sở") if cols["conclusion"][i] == "founded" else gettext("có cơ sở một phần")}
            if cols["findings"][i]:
                text += " " + cols["findings"][i]
            rows["official_id"].append(official)
            rows["unit_id"].append(unit)
            rows["rule_id"].append(None)
            rows["source_kind"].append(SourceKind.COMPLAINT.value)
            rows["source_ref"].append(cols["code"][i])
            rows["occurred_at"].append(cols["concluded_at"][i])
            rows["description"].append(text)
            rows["created_at"].append(cols["concluded_at"][i])
    return _insert(ConductRecord, rows) if rows else 0


# --- meetings ------------------------------------------------------------------------------------------------

def _working_days(window: Window, clock: Clock, unit_id: int) -> list[date]:
    cal = clock.calendars[unit_id]
    days, d = [], window.first_day
    last = timezone.localtime(datetime.fromtimestamp(window.now, dt_timezone.utc)).date()
    while d < last:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def _at(day: date, hour: int, minute: int = 0) -> int:
    return _epoch(timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)))


MEETING_TITLES = {"weekly": "Giao ban lãnh đạo tuần {week}/{year} — {unit}",
                  "monthly": "Họp cơ quan tháng {month:02d}/{year} — {unit}",
                  "city": "Hội nghị giao ban Ủy ban nhân dân Thành phố tháng {month:02d}/{year}"}


def seed_meetings(window: Window, rng: np.random.Generator, officials, share: float, out=sys.stderr) -> dict[str, int]:
    """Weekly leadership briefings and monthly staff meetings per unit; the city's monthly meeting of
    departments and communes (invited by unit, the head expected). Closed, with final attendance."""
    from kycuong.discipline.services import VIOLATIONS, late_grace

    started = time.perf_counter()
    units = list(Unit.objects.filter(valid_to__isnull=True).exclude(kind=Unit.Kind.SERVICE_POINT).order_by("path"))
    units = [u for u in units if officials.get(u.pk, {}).get(Official.Rank.HEAD)]
    clock = Clock([u.pk for u in units])
    days = _working_days(window, clock, units[0].pk) if units else []
    if not days:
        return {"meetings": 0}
    weeks = sorted({(d.isocalendar()[0], d.isocalendar()[1]) for d in days})
    first_day_of_week = {}
    for d in days:
        first_day_of_week.setdefault((d.isocalendar()[0], d.isocalendar()[1]), d)
    months = sorted({(d.year, d.month) for d in days})
    last_of_month = {}
    for d in days:
        last_of_month[(d.year, d.month)] = d
    # Every week and every month at Hà Nội scale; thinned with the dossier volume, never below two
    # briefings and one staff meeting a unit a year.
    weekly = min(len(weeks), max(2 * window.years, int(round(len(weeks) * share))))
    monthly = min(len(months), max(window.years, int(round(len(months) * share))))
    plan = []   # (unit, kind, day, hour, invitees [(unit_id, official_id, expected_rank)])
    city = next((u for u in units if u.kind == Unit.Kind.CITY_COMMITTEE), None)
    for u in units:
        people = officials[u.pk]
        leaders = people[Official.Rank.HEAD] + people[Official.Rank.DEPUTY]
        staff = people[Official.Rank.STAFF]
        for w in np.sort(rng.choice(len(weeks), size=weekly, replace=False)).tolist():
            key = weeks[w]
            day = first_day_of_week[key]
            picks = staff[:: max(1, len(staff) // 6)][:6]      # the division heads
            plan.append((u, "weekly", day, 8, [(u.pk, p, "") for p in leaders + picks], {"week": key[1], "year": key[0]}))
        for m in np.sort(rng.choice(len(months), size=monthly, replace=False)).tolist():
            year, month = months[m]
            plan.append((u, "monthly", last_of_month[(year, month)], 14, [(u.pk, p, "") for p in leaders + staff],
                         {"month": month, "year": year}))
    if city is not None:
        invited = [u for u in units if u.kind in DEPARTMENT_KINDS + COMMUNE_KINDS]
        for m in np.sort(rng.choice(len(months), size=monthly, replace=False)).tolist():
            year, month = months[m]
            day = next(d for d in days if (d.year, d.month) == (year, month))
            plan.append((city, "city", day, 8, [(u.pk, officials[u.pk][Official.Rank.HEAD][0], Official.Rank.HEAD.value)
                                                for u in invited], {"month": month, "year": year}))
    plan = [p for p in plan if _at(p[2], p[3]) + 3 * HOUR < window.now]
    meeting_id = _next_id(Meeting)
    meetings, invitations, records = defaultdict(list), defaultdict(list), defaultdict(list)
    rules = dict(ConductRule.objects.values_list("code", "pk"))
    grace = int(late_grace().total_seconds())
    conclusions_due = clock.due(np.array([p[0].pk for p in plan], dtype=np.int64),
                                np.array([_at(p[2], p[3]) + (2 * HOUR if p[1] != "weekly" else 90 * 60) for p in plan],
                                         dtype=np.int64), 5)
    with translation.override(settings.LANGUAGE_CODE):
        labels = {state: (code, str(label)) for state, (code, label) in VIOLATIONS.items()}
        for m, (unit, kind, day, hour, invitees, fill) in enumerate(plan):
            pk = meeting_id + m
            starts = _at(day, hour)
            ends = starts + (90 * 60 if kind == "weekly" else 2 * HOUR)
            chair = officials[unit.pk][Official.Rank.HEAD][0]
            title = MEETING_TITLES[kind].format(unit=unit.name, **fill)[:280] + " " + MARK
            meetings["id"].append(pk)
            meetings["title"].append(title[:300])
            meetings["unit_id"].append(unit.pk)
            meetings["chair_id"].append(chair)
            meetings["starts_at"].append(_text(starts))
            meetings["ends_at"].append(_text(ends))
            meetings["place"].append("Phòng họp số 1, trụ sở " + unit.name)
            meetings["state"].append(Meeting.State.CLOSED.value)
            meetings["closed_at"].append(_text(ends + 600))
            meetings["conclusions_due_at"].append(_text(conclusions_due[m]))
            meetings["created_at"].append(_text(starts - 3 * DAY))
            meetings["version"].append(2)
            fate = rng.random(len(invitees))
            jitter = rng.integers(-15 * 60, 8 * 60, size=len(invitees))
            lateness = rng.integers(grace + 60, 40 * 60, size=len(invitees))
            local_when = _local(starts)
            for (inv_unit, official, rank), f, jit, late in zip(invitees, fate.tolist(), jitter.tolist(), lateness.tolist(),
                                                           strict=True):
                reply, reason, replied = Invitation.Reply.ACCEPTED, "", starts - 2 * DAY
                check_in, check_out, consent = starts + jit, ends, None
                if f < 0.05:                       # declined and reported to the chair
                    state, reply, reason, check_in, check_out = Attendance.ABSENT_REPORTED, Invitation.Reply.DECLINED, \
                        "Bận công tác đã được phân công trước.", None, None
                elif f < 0.065:                    # absent without reporting
                    state, check_in, check_out = Attendance.ABSENT_UNREPORTED, None, None
                    reply, replied = (Invitation.Reply.PENDING, None) if f < 0.06 else (reply, replied)
                elif f < 0.095:
                    state, check_in = Attendance.LATE, starts + late
                elif f < 0.1:
                    state, check_out = Attendance.LEFT_UNREPORTED, ends - 40 * 60
                elif f < 0.11:
                    state, check_out, consent = Attendance.LEFT_WITH_CONSENT, ends - 30 * 60, ends - 35 * 60
                else:
                    state = Attendance.PRESENT
                invitations["meeting_id"].append(pk)
                invitations["unit_id"].append(inv_unit)
                invitations["expected_rank"].append(rank)
                invitations["official_id"].append(official)
                invitations["delegate_id"].append(None)
                invitations["reply"].append(reply.value)
                invitations["reply_reason"].append(reason)
                invitations["replied_at"].append(_text(replied))
                invitations["checked_in_at"].append(_text(check_in))
                invitations["checked_out_at"].append(_text(check_out))
                invitations["leave_consent_at"].append(_text(consent))
                invitations["leave_reason"].append("Có việc đột xuất." if consent else "")
                invitations["final_state"].append(state.value)
                if state in labels:               # discipline.services.close_meeting records the violation
                    code, label = labels[state]
                    records["official_id"].append(official)
                    records["unit_id"].append(inv_unit)
                    records["rule_id"].append(rules.get(code))
                    records["source_kind"].append(SourceKind.MEETING.value)
                    records["source_ref"].append(f"meeting:{pk}")
                    records["occurred_at"].append(_text(starts))
                    records["description"].append(f"{label}: {title} ({local_when:%H:%M %d/%m/%Y}).")
                    records["created_at"].append(_text(ends + 600))
            if (m + 1) % 2000 == 0:
                _progress("Cuộc họp / meetings", m + 1, len(plan), started, out)
    _insert(Meeting, meetings)
    _insert(Invitation, invitations)
    if records:
        _insert(ConductRecord, records)
    _progress("Cuộc họp / meetings", len(plan), len(plan), started, out)
    return {"meetings": len(plan), "invitations": len(invitations["meeting_id"]),
            "meeting_records": len(records["unit_id"])}


# --- directives and tasks -------------------------------------------------------------------------------------

DIRECTIVE_TITLES = [
    ("KH", "Kế hoạch cải cách hành chính năm {year}"), ("CT", "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính"),
    ("CV", "V/v chấn chỉnh tình trạng hồ sơ trễ hạn"), ("TB", "Thông báo kết luận của Chủ tịch tại cuộc họp giao ban"),
    ("QĐ", "Quyết định ban hành Kế hoạch kiểm tra công vụ năm {year}"),
    ("CV", "V/v đẩy mạnh thanh toán trực tuyến, số hóa hồ sơ"),
]
TASK_TITLES = ["Rà soát, công khai thủ tục hành chính thuộc thẩm quyền", "Báo cáo tình hình giải quyết hồ sơ trễ hạn",
               "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Tổ chức kiểm tra công vụ tại bộ phận một cửa",
               "Giải quyết dứt điểm phản ánh, kiến nghị tồn đọng", "Báo cáo kết quả thực hiện kế hoạch cải cách hành chính",
               "Tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến", "Rà soát, đề xuất đơn giản hóa thủ tục hành chính"]


def seed_tasks(window: Window, rng: np.random.Generator, share: float, out=sys.stderr) -> dict[str, int]:
    started = time.perf_counter()
    units = list(Unit.objects.filter(valid_to__isnull=True).order_by("path"))
    city = next((u for u in units if u.kind == Unit.Kind.CITY_COMMITTEE), None)
    departments = [u for u in units if u.kind in DEPARTMENT_KINDS]
    communes = [u for u in units if u.kind in COMMUNE_KINDS]
    clock = Clock([u.pk for u in units])
    per_year = {"city": 300, "department": 40, "commune": 20}
    issuers = ([(city, "city")] if city else []) + [(u, "department") for u in departments] + [(u, "commune") for u in communes]
    days = _working_days(window, clock, units[0].pk)
    plan = []     # (issuer, day, [assignees])
    for issuer, level in issuers:
        count = max(1, int(round(per_year[level] * share * window.years)))
        for day_idx in np.sort(rng.integers(0, len(days), size=count)).tolist():
            if level == "city":
                k = int(rng.integers(1, 16))
                pool = departments + communes
                assignees = [pool[x] for x in rng.choice(len(pool), size=min(k, len(pool)), replace=False).tolist()]
            elif level == "department" and rng.random() < 0.7 and communes:
                k = int(rng.integers(1, 7))
                assignees = [communes[x] for x in rng.choice(len(communes), size=min(k, len(communes)), replace=False).tolist()]
            else:
                assignees = [issuer] * int(rng.integers(1, 3))
            plan.append((issuer, days[day_idx], assignees))
    unit_ids = sorted({u.pk for u in units})
    on_time_rate = dict(zip(unit_ids, rng.uniform(0.7, 0.97, size=len(unit_ids)), strict=True))
    directive_id, task_id = _next_id(Directive), _next_id(Task)
    directives, tasks, reports = defaultdict(list), defaultdict(list), defaultdict(list)
    numbers = defaultdict(int)
    now = window.now
    assignee_units, issued_at = [], []
    for p, (_issuer, day, assignees) in enumerate(plan):
        for a in assignees:
            assignee_units.append(a.pk)
            issued_at.append(_at(day, 8) + p % 3600)
    assignee_units = np.array(assignee_units, dtype=np.int64)
    issued_at = np.array(issued_at, dtype=np.int64)
    n = len(assignee_units)
    due = clock.due(assignee_units, issued_at, rng.integers(5, 46, size=n))
    on_time = rng.random(n) < np.array([on_time_rate[u] for u in assignee_units.tolist()])
    never = ~on_time & (rng.random(n) < 0.12)          # some late tasks are never done
    done = np.where(on_time, issued_at + ((due - issued_at) * rng.uniform(0.3, 0.98, size=n)).astype(np.int64),
                    due + HOUR + rng.integers(0, 30 * DAY, size=n))
    decided = done + rng.integers(2 * HOUR, 3 * DAY, size=n)
    returned_first = rng.random(n) < 0.06
    title_idx = rng.integers(0, len(TASK_TITLES), size=n)
    t = 0
    for p, (issuer, day, assignees) in enumerate(plan):
        doc_type, title = DIRECTIVE_TITLES[int(rng.integers(0, len(DIRECTIVE_TITLES)))]
        numbers[(issuer.pk, doc_type, day.year)] += 1
        number = numbers[(issuer.pk, doc_type, day.year)]
        agency = issuer.short_name or "UBND"
        symbol = f"{agency}-VP" if doc_type == "CV" else f"{doc_type}-{agency}"
        pk = directive_id + p
        directives["id"].append(pk)
        directives["number"].append(f"{number}/{symbol}"[:60])
        directives["issued_on"].append(day.isoformat())
        directives["doc_type"].append(doc_type)
        directives["title"].append((title.format(year=day.year) + " " + MARK)[:300])
        directives["unit_id"].append(issuer.pk)
        directives["meeting_id"].append(None)
        directives["created_by_id"].append(None)
        for _assignee in assignees:  # its unit is assignee_units[t]
            tid = task_id + t
            state, done_at, reminded, notified = Task.State.OPEN, None, None, None
            reports_before = len(reports["task_id"])
            if returned_first[t] and not never[t] and done[t] - 3 * DAY <= now:
                back = done[t] - 3 * DAY
                _task_report(reports, tid, back - 4 * DAY, back, TaskReport.Decision.RETURNED)
                state = Task.State.RETURNED
            if not never[t] and done[t] <= now:
                if decided[t] <= now:
                    state, done_at = Task.State.ACCEPTED, done[t]
                    _task_report(reports, tid, done[t], decided[t], TaskReport.Decision.ACCEPTED)
                else:
                    state = Task.State.REPORTED
                    _task_report(reports, tid, done[t], None, TaskReport.Decision.PENDING)
            # Bookkeeping of discipline.tasks.remind_tasks, as if the job had run.
            remind_at = due[t] - 2 * DAY
            finished_by = done[t] if not never[t] else None
            if remind_at <= now and (finished_by is None or finished_by > remind_at):
                reminded = remind_at
            if due[t] + 900 <= now and (state != Task.State.ACCEPTED or done[t] > due[t]):
                notified = due[t] + 900
            tasks["id"].append(tid)
            tasks["directive_id"].append(pk)
            tasks["unit_id"].append(int(assignee_units[t]))
            tasks["title"].append(TASK_TITLES[title_idx[t]])
            tasks["due_at"].append(_text(due[t]))
            tasks["state"].append(state.value)
            tasks["done_at"].append(_text(done_at))
            tasks["reminded_at"].append(_text(reminded))
            tasks["overdue_notified_at"].append(_text(notified))
            # report_task and decide_task each bump the version once.
            made = len(reports["task_id"]) - reports_before
            tasks["version"].append(1 + 2 * made - (state == Task.State.REPORTED))
            t += 1
        if (p + 1) % 2000 == 0:
            _progress("Nhiệm vụ / tasks", t, n, started, out)
    _insert(Directive, directives)
    _insert(Task, tasks)
    if reports:
        _insert(TaskReport, reports)
    _progress("Nhiệm vụ / tasks", n, n, started, out)
    return {"directives": len(plan), "tasks": n, "task_reports": len(reports["task_id"])}


def _task_report(reports, task_id, submitted, decided, decision):
    reports["task_id"].append(task_id)
    reports["text"].append("Báo cáo kết quả thực hiện nhiệm vụ. " + MARK)
    reports["evidence"].append("")
    reports["submitted_at"].append(_text(submitted))
    reports["submitted_by_id"].append(None)
    reports["decision"].append(decision.value)
    reports["decided_at"].append(_text(decided))
    reports["decided_by_id"].append(None)
    reports["note"].append("" if decision != TaskReport.Decision.RETURNED else "Đề nghị bổ sung số liệu.")


# --- the step ---------------------------------------------------------------------------------------------------

def already_seeded() -> bool:
    return User.objects.filter(username__startswith=CITIZEN_PREFIX).exists() or \
        Meeting.objects.filter(title__endswith=MARK).exists()


def generate_activity(years: int, seed: int = 2026, *, per_year: int, now: datetime | None = None,
                      out=sys.stderr) -> dict[str, int]:
    """Generate and load everything but the dossiers for the window ending `now`. Returns counts by kind."""
    now = now or timezone.now()
    if already_seeded():
        raise AlreadySeeded("synthetic activity already loaded")
    window = Window(years, now)
    share = min(1.0, per_year / HANOI_PER_YEAR)
    counts: dict[str, int] = {}
    clock = [time.perf_counter()]

    def lap(label):
        now_ = time.perf_counter()
        out.write(f"  {label}: {now_ - clock[0]:.1f} s\n")
        clock[0] = now_

    with transaction.atomic():
        counts["officials"] = ensure_officials(share, np.random.default_rng(seed + K_OFFICIALS), out)
        officials = officials_by_unit()
        lap("officials")
        people = np.random.default_rng(seed + K_PEOPLE)
        dossiers = load_dossiers(out)
        lap("dossiers read")
        returned = int(((dossiers["state"] == int(DossierState.RETURNED)) & (dossiers["returned"] > 0)).sum())
        pool = int(min(5000, max(20, returned * 0.115 / 40)))          # a small pool: ~40 ratings a citizen
        citizens = _make_users(CITIZEN_PREFIX, pool, User.Role.CITIZEN, people)
        inspectors = ensure_inspectors(people)
        counts["citizens"] = len(citizens)
        counts["ratings"] = seed_ratings(dossiers, window, np.random.default_rng(seed + K_RATINGS), citizens, out)
        lap("ratings")
        counts.update(seed_feedback(dossiers, window, np.random.default_rng(seed + K_REPORTS), officials, citizens,
                                    inspectors, per_year, out))
        lap("reports")
        counts.update(seed_meetings(window, np.random.default_rng(seed + K_MEETINGS), officials, share, out))
        lap("meetings")
        counts.update(seed_tasks(window, np.random.default_rng(seed + K_TASKS), share, out))
        _reset_sequences([Report, Meeting, Directive, Task])
        lap("tasks")
    return counts
