"""The generator: scales, the synthetic catalog, the plan of the window (units, days, calendars) and the
dossiers as numpy columns, chunk by chunk, in code order."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from kycuong.catalog.models import LimitUnit, OnlineLevel, Procedure, ProcedureVersion, ResultForm
from kycuong.core.calendars import calendar_for
from kycuong.core.models import Unit
from kycuong.core.text import fold
from kycuong.onestop.models import Channel, DailyCounter, Dossier
from kycuong.onestop.workflow import State

SYNTHETIC_PREFIX = "HN-SYN-"
MARK = "[dữ liệu tổng hợp]"


@dataclass(frozen=True)
class Scale:
    per_year: int
    procedures: int


SCALES = {
    "hanoi": Scale(2_400_000, 300),
    "district": Scale(200_000, 120),  # a medium set for SQLite figures and quick looks
    "small": Scale(5_000, 40),        # tests
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Thanh", "Hoài", "Xuân", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
         "Vân", "Yến"]
LIMIT_DAYS = [1, 3, 5, 7, 10, 12, 15, 20, 30]


class AlreadySeeded(Exception):
    pass


def _progress(label: str, done: int, total: int, started: float, out=sys.stderr):
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.perf_counter() - started, 1e-9)
    out.write(f"\r{label}: [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.0f}/s)")
    if done >= total:
        out.write("\n")
    out.flush()


# --- catalog ---------------------------------------------------------------------------------------------

def ensure_procedures(count: int, rng: np.random.Generator) -> list[ProcedureVersion]:
    """The demo procedures plus synthetic ones (HN-SYN-…) up to `count`, through the catalog services."""
    from kycuong.catalog import services as catalog
    from kycuong.devdata.demo.catalog import load_demo_catalog
    from kycuong.devdata.demo.core import load_demo_units

    load_demo_units()
    load_demo_catalog()
    have = Procedure.objects.count()
    departments = list(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).values_list("code", flat=True))
    fields = list(ProcedureVersion.objects.values_list("field__code", flat=True).distinct())
    for i in range(have, count):
        commune = rng.random() < 0.55
        days = int(rng.choice(LIMIT_DAYS))
        fee = int(rng.choice([0, 0, 0, 20_000, 50_000, 100_000, 500_000]))
        eligible = bool(rng.random() < 0.4)  # only an eligible procedure may be offered end-to-end
        data = {
            "name": f"Thủ tục tổng hợp số {i + 1:03d}", "field": str(rng.choice(fields)),
            "level": "commune" if commune else "province", "limit_amount": str(days),
            "limit_unit": LimitUnit.WORKING_DAYS, "channels": ["direct", "online", "postal"],
            "sequence": "Bước 1: Nộp hồ sơ.\nBước 2: Xử lý.\nBước 3: Trả kết quả.", "method": "Trực tiếp, trực tuyến",
            "subjects": "Cá nhân, tổ chức", "deciding_authority": "UBND cấp xã" if commune else "Sở",
            "full_online_eligible": eligible,
            "online_level": OnlineLevel.FULL if eligible and rng.random() < 0.7 else OnlineLevel.PARTIAL,
            "result_form": str(rng.choice([ResultForm.BOTH, ResultForm.PAPER, ResultForm.ELECTRONIC])),
            "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0, "mandatory": True, "note": ""}],
            "fees": [{"name": "Lệ phí", "amount_vnd": fee, "note": ""}] if fee else [],
            "steps": [{"name": "Tiếp nhận", "role": "receiving_officer", "unit": None, "hours": "4",
                       "is_return_step": False},
                      {"name": "Xử lý", "role": "specialist", "unit": None, "hours": str(days * 8 - 4),
                       "is_return_step": False},
                      {"name": "Trả kết quả", "role": "receiving_officer", "unit": None, "hours": "0",
                       "is_return_step": True}],
        }
        if commune:
            data["all_communes"] = True
        else:
            data["deciding_units"] = [str(rng.choice(departments))]
        catalog.create_procedure(f"{SYNTHETIC_PREFIX}{i + 1:03d}", effective_from=date(2020, 1, 1), is_demo=True,
                                 source_note=f"{MARK} Thủ tục tổng hợp cho dữ liệu quy mô thành phố.", **data)
    latest = {}
    for v in ProcedureVersion.objects.select_related("procedure").prefetch_related("deciding_units", "fees") \
            .order_by("procedure_id", "effective_from"):
        latest[v.procedure_id] = v
    return list(latest.values())


# --- dossiers ---------------------------------------------------------------------------------------------
def _working_days(first: date, last: date, cal) -> list[date]:
    days, d = [], first
    while d <= last:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


EPOCH_ORD = date(1970, 1, 1).toordinal()
NULL_TIME = np.iinfo(np.int64).min  # "no value" in the epoch-second columns of a chunk
END_REASONS = ["", "Không thuộc thẩm quyền giải quyết", "Công dân rút hồ sơ", "Dừng giải quyết"]
SUPPLEMENT_REASON = "Bổ sung giấy tờ"
NAMES = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN]
NAMES_FOLDED = [fold(n) for n in NAMES]


@dataclass
class _Plan:
    """Everything a chunk needs, fixed before the first one (arrays aligned as commented)."""
    versions: list            # ProcedureVersion per procedure index
    popularity: np.ndarray    # per procedure index
    hours: np.ndarray         # limit in working hours, per procedure index
    fee: np.ndarray           # per procedure index
    options: list             # deciding unit ids (np.ndarray) per procedure index
    all_communes: np.ndarray  # per procedure index
    commune_ids: np.ndarray
    commune_weight: np.ndarray
    point_ids: np.ndarray
    unit_ids: np.ndarray      # sorted: every unit a dossier can belong to
    unit_codes: list          # aligned with unit_ids
    code_rank: np.ndarray     # aligned with unit_ids: the rank of the unit's code in the codes' byte order
    late_rate: np.ndarray     # aligned with unit_ids
    online_rate: np.ndarray   # aligned with unit_ids
    day_ord: np.ndarray       # the window's working days (proleptic ordinals)
    day_ymd: np.ndarray       # the same days as YYMMDD integers (the code's date part)
    cal: object
    now_epoch: int
    counters: np.ndarray      # [unit position, day position] → last daily sequence used
    counters_before: np.ndarray


def _plan(versions, rng, years: int, now: datetime) -> _Plan:
    communes = list(Unit.objects.filter(kind__in=(Unit.Kind.WARD, Unit.Kind.COMMUNE, Unit.Kind.SPECIAL_ZONE),
                                        valid_to__isnull=True))
    points = list(Unit.objects.filter(kind__in=(Unit.Kind.SERVICE_POINT, Unit.Kind.SERVICE_BRANCH))
                  .values_list("pk", flat=True))
    cal = calendar_for(None)
    today = timezone.localtime(now).date()
    days = _working_days(today - timedelta(days=365 * years), today - timedelta(days=1), cal)

    # Per-procedure: popularity (Zipf), deciding units, limit in working hours, fee.
    n_proc = len(versions)
    popularity = 1.0 / np.arange(1, n_proc + 1) ** 1.07
    popularity = rng.permutation(popularity) / popularity.sum()
    hours = np.array([int(Decimal(v.limit_amount) * (8 if v.limit_unit != LimitUnit.WORKING_HOURS else 1))
                      for v in versions], dtype=np.int64)
    hours = np.maximum(hours, 1)
    fee = np.array([sum(f.amount_vnd for f in v.fees.all()) for v in versions], dtype=np.int64)
    deciding = [list(v.deciding_units.all()) for v in versions]
    all_communes = np.array([v.all_communes or not deciding[i] for i, v in enumerate(versions)])

    # Per-unit behaviour: how late, how online (varies by unit).
    units = {u.pk: u for u in communes}
    for ds in deciding:
        for u in ds:
            units[u.pk] = u
    unit_ids = np.array(sorted(units), dtype=np.int64)
    late_rate = rng.uniform(0.005, 0.14, size=len(unit_ids))
    online_rate = rng.uniform(0.55, 0.97, size=len(unit_ids))
    commune_weight = rng.pareto(2.0, size=len(communes)) + 1
    commune_weight /= commune_weight.sum()

    # Codes continue the daily sequences already in the database (intakes made before the seed).
    counters = np.zeros((len(unit_ids), len(days)), dtype=np.int64)
    day_pos = {d: i for i, d in enumerate(days)}
    unit_pos = {u: i for i, u in enumerate(unit_ids.tolist())}
    for u, d, last in DailyCounter.objects.filter(unit_id__in=unit_pos, day__in=days) \
            .values_list("unit_id", "day", "last"):
        counters[unit_pos[u], day_pos[d]] = last
    return _Plan(
        versions=versions, popularity=popularity, hours=hours, fee=fee,
        options=[np.array([u.pk for u in ds], dtype=np.int64) for ds in deciding], all_communes=all_communes,
        commune_ids=np.array([c.pk for c in communes], dtype=np.int64), commune_weight=commune_weight,
        point_ids=np.array(points, dtype=np.int64), unit_ids=unit_ids,
        unit_codes=[units[u].code for u in unit_ids.tolist()],
        code_rank=np.argsort(np.argsort([(units[u].code + "-").encode() for u in unit_ids.tolist()], kind="stable")),
        late_rate=late_rate, online_rate=online_rate,
        day_ord=np.array([d.toordinal() for d in days], dtype=np.int64),
        day_ymd=np.array([(d.year % 100) * 10000 + d.month * 100 + d.day for d in days], dtype=np.int64),
        cal=cal, now_epoch=int(now.timestamp()), counters=counters, counters_before=counters.copy())


def _layout(total: int, rng: np.random.Generator, plan: _Plan) -> dict[str, np.ndarray]:
    """First pass, over all `total` dossiers: procedure, unit, day and moment of reception, put in the order
    of their codes (unit code, day, daily sequence) and numbered. Loaded in that order, the table's rows
    come presorted for the code indexes and the unit index, whose builds then skip most of their sort."""
    proc = rng.choice(len(plan.versions), size=total, p=plan.popularity).astype(np.int32)
    day_idx = rng.integers(0, len(plan.day_ord), size=total, dtype=np.int32)
    # A moment inside the 8 working hours (08:00–12:00, 13:00–17:00 local) of that working day.
    sec = rng.integers(0, 8 * 3600, size=total, dtype=np.int32)
    sec = np.where(sec < 4 * 3600, 8 * 3600 + sec, 13 * 3600 + sec - 4 * 3600).astype(np.int32)

    unit = np.empty(total, dtype=np.int64)
    is_commune = plan.all_communes[proc]
    unit[is_commune] = rng.choice(plan.commune_ids, size=int(is_commune.sum()), p=plan.commune_weight)
    by_proc = np.nonzero(~is_commune)[0]
    by_proc = by_proc[np.argsort(proc[by_proc], kind="stable")]
    bounds = np.searchsorted(proc[by_proc], np.unique(proc[by_proc]))
    for rows in np.split(by_proc, bounds[1:]):
        if rows.size:
            options = plan.options[int(proc[rows[0]])]
            unit[rows] = options[rng.integers(0, len(options), size=len(rows))]
    pos = np.searchsorted(plan.unit_ids, unit)

    order = np.lexsort((sec, day_idx, plan.code_rank[pos]))
    proc, day_idx, sec, unit, pos = proc[order], day_idx[order], sec[order], unit[order], pos[order]
    # Codes: <unit electronic ID>-YYMMDD-<daily sequence>, numbered in order of reception within each
    # (unit, day) and continuing plan.counters (the sequences used by intakes before the seed).
    key = pos * len(plan.day_ord) + day_idx
    index = np.arange(total)
    starts = np.ones(total, dtype=bool)
    starts[1:] = key[1:] != key[:-1]
    rank = index - np.maximum.accumulate(np.where(starts, index, 0))
    flat = plan.counters.reshape(-1)
    seq = flat[key] + rank + 1
    flat += np.bincount(key, minlength=flat.size)
    return {"proc": proc, "day_idx": day_idx, "sec": sec, "unit": unit, "pos": pos, "seq": seq}


def _chunk(rng: np.random.Generator, plan: _Plan, rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The dossiers of `rows` (a slice of the layout) as narrow numpy columns (ids, small codes, UTC epoch
    seconds with NULL_TIME for NULL)."""
    proc, day_idx, unit, pos, seq = rows["proc"], rows["day_idx"], rows["unit"], rows["pos"], rows["seq"]
    n = len(proc)
    received = (plan.day_ord[day_idx] - EPOCH_ORD) * 86400 + rows["sec"] - 7 * 3600  # Asia/Ho_Chi_Minh = UTC+7
    due = plan.cal.due_many(received, plan.hours[proc], "working_hours")
    is_commune = plan.all_communes[proc]
    receiving = unit.copy()
    if plan.point_ids.size:
        receiving[~is_commune] = rng.choice(plan.point_ids, size=int((~is_commune).sum()))

    late = rng.random(n) < plan.late_rate[pos]
    online = rng.random(n) < plan.online_rate[pos]
    postal = ~online & (rng.random(n) < 0.03)
    channel = np.where(online, int(Channel.ONLINE), np.where(postal, int(Channel.POSTAL), int(Channel.DIRECT)))
    span = np.maximum(due - received, 3600)
    end = np.where(late, due + rng.integers(3600, 10 * 86400, size=n),
                   received + (span * rng.uniform(0.2, 1.0, n)).astype(np.int64))
    supplement = rng.random(n) < 0.04
    sup_req = received + (span * 0.2).astype(np.int64)
    sup_done = sup_req + rng.integers(86400, 6 * 86400, size=n)
    pause = np.where(supplement, sup_done - sup_req, 0)
    due = due + pause                  # the appointment moves by the paused time (calendar approximation)
    end = end + pause
    refused = rng.random(n) < 0.01
    received_ok = ~refused
    ended = received_ok & (end <= plan.now_epoch)
    fate = rng.random(n)
    withdrawn = ended & (fate < 0.01)
    stopped = ended & (fate >= 0.01) & (fate < 0.015)
    finished = ended & (fate >= 0.015) & (fate < 0.06)
    returned = ended & (fate >= 0.06)
    state = np.full(n, int(State.PROCESSING))
    for mask, value in ((refused, State.REFUSED), (withdrawn, State.WITHDRAWN), (stopped, State.STOPPED),
                        (finished, State.FINISHED), (returned, State.RETURNED)):
        state[mask] = int(value)
    fee_n = plan.fee[proc]
    paid = np.where((fee_n > 0) & online & (rng.random(n) < 0.6), rng.integers(1, 3, size=n), 0)
    e_result = (finished | returned) & (rng.random(n) < 0.7)
    digitised = online | (rng.random(n) < 0.85)
    reused = rng.random(n) < 0.35
    vneid = online & (rng.random(n) < 0.7)
    name_idx = rng.integers(0, len(NAMES), size=n)

    sup = supplement & received_ok
    return {
        "proc": proc, "unit": unit, "receiving": receiving, "channel": channel, "state": state, "name": name_idx,
        "ymd": plan.day_ymd[day_idx], "seq": seq,
        "submitted": received - online * 1800,
        "received": np.where(received_ok, received, NULL_TIME), "due": np.where(received_ok, due, NULL_TIME),
        "ended": np.where(ended, end, NULL_TIME), "returned": np.where(returned, end + 7200, NULL_TIME),
        "sup_req": np.where(sup, sup_req, NULL_TIME), "sup_done": np.where(sup, sup_done, NULL_TIME),
        "sup_count": sup.astype(np.int64),
        "end_reason": np.select([refused, withdrawn, stopped], [1, 2, 3], 0),
        "fee": fee_n, "paid": paid, "e_result": e_result, "digitised": digitised, "reused": reused, "vneid": vneid,
    }


def _columns():
    return [f for f in Dossier._meta.concrete_fields if f.name != "id"]


def _times(epoch: np.ndarray) -> list:
    """UTC epoch seconds → 'YYYY-MM-DD HH:MM:SS' (the database reads it as UTC); NULL_TIME → None."""
    present = epoch != NULL_TIME
    text = np.char.replace(np.datetime_as_string(np.where(present, epoch, 0).astype("datetime64[s]"), unit="s"),
                           "T", " ").tolist()
    return [t if p else None for t, p in zip(text, present.tolist(), strict=True)]


def _constant(field):
    """The db text of a column the generator leaves at its default (so new Dossier fields need no change here)."""
    value = field.get_default()
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value)
    return value
