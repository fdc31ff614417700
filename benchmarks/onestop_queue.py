"""Benchmark: the officer's scoped queue page on PostgreSQL with 1,000,000 dossiers. Run on demand:

    createdb -h 127.0.0.1 -U postgres kycuong_bench
    .venv/bin/python benchmarks/onestop_queue.py --database-url postgres://postgres@127.0.0.1:5432/kycuong_bench \
        [--runs 200] [--no-http] [--explain] [--json]

Goal: p50 < 50 ms and p95 < 150 ms for one page (50 rows) of ``onestop.queries.queue(user, …)``
with any filter, on this 2-core machine.

The first run migrates the database and bulk-loads the fixed dataset (COPY; ~2-4 min); later runs
reuse it (``--reload`` rebuilds it). The dataset (seeded, ``numpy.random.default_rng(20260301)``),
generated relative to the load day D (so the clock filters, which use the real "now" like the HTTP
endpoint, see a realistic mix):

* the demo Hà Nội units (189: city, 16 departments, the service centre, 12 branches, 30 service
  points, 126 wards/communes, 3 dissolved districts) and the demo catalog (30 procedures);
* 1,000,000 dossiers submitted at random working instants over the 3 years before D, ordered by
  time (ids grow with time), procedures drawn with Zipf-like weights; deciding unit = the
  procedure's department, or a ward/commune for commune-level procedures (before 1/7/2025 one in
  ten of those went to a dissolved district, now visible through its successor); received at a
  branch or service point (province procedures, 80 %), online at the deciding unit (20 %), at the
  commune itself (commune procedures, 90 %) or at a branch (10 %);
* appointments computed by ``worktime`` (``Calendar.due_many``) from each procedure's limit and
  cut-off; processing ends at 30-110 % of the allowed time (so about 10 % late); dossiers whose end
  is after D are open (processing 70 %, received 12 %, waiting for a supplement 10 %, financial
  obligation 8 %); 1 % of older dossiers are stuck open (overdue); 3 % refused at intake,
  1.5 % withdrawn, 1 % stopped; online dossiers of the last 2 days may still await acceptance;
* applicant names from common Vietnamese family, middle and given names (with their folded
  search key); no internal steps (the "mine" filter is not measured).

Measured, for an officer of a department (Sở Nội vụ, H26.102), of a service-centre branch
(H26.200.01) and of the city (city leadership, H26) — each with no filter, state=4, one procedure,
clock=overdue, clock=due_soon, q=<a dossier code> and q=<an applicant's name without marks>
(codes and names drawn from the officer's scope, a different one per run): the time to evaluate
``list(queries.queue(user, …)[:50])`` in-process, and the same page over HTTP (gunicorn, 2 sync
workers): the officer's HTML queue ``GET /mot-cua/?…`` (signed-in session; it counts up to
``queries.COUNT_CAP``) and ``GET /api/v1/dossiers?…`` (bearer token) without and with the count.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone as dt_timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_DOSSIERS = 1_000_000
SEED = 20260301
YEARS = 3
OFFICERS = [  # key, role, unit code, label
    ("department", "specialist", "H26.102", "department (Sở Nội vụ)"),
    ("branch", "receiving_officer", "H26.200.01", "branch (Chi nhánh số 1)"),
    ("city", "city_leadership", "H26", "city (lãnh đạo TP)"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
FAMILY_W = [38, 11, 9.5, 7, 5.1, 2, 4.5, 3.9, 2, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Xuân", "Hồng", "Anh"]
GIVEN = ["An", "Anh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Duy", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoa",
         "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong",
         "Phúc", "Phương", "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Yến"]
FILTERS = ["none", "state", "procedure", "overdue", "due_soon", "q_code", "q_name"]
COLUMNS = [
    "code", "channel", "state", "state_before_supplement", "applicant_name", "applicant_name_folded",
    "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "documents_received", "note",
    "limit_amount", "limit_unit", "cutoff", "submitted_at", "received_at", "clock_start_at", "due_at",
    "original_due_at", "processing_end_at", "returned_at", "supplement_requested_at", "supplement_completed_at",
    "supplement_count", "supplement_reason", "apology_count", "apology_reason", "apologized_at", "end_reason",
    "fee_total_vnd", "paid_online", "result_is_electronic", "result_file", "digitised", "reused_data",
    "vneid_verified", "warned_at", "version", "created_at", "updated_at", "applicant_id", "procedure_id",
    "procedure_version_id", "receiving_unit_id", "unit_id", "current_step_id",
]


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kycuong.settings")
    os.environ.setdefault("KYCUONG_DEMO", "true")  # demo data, demo secrets (core.checks)
    import django

    django.setup()


# --- dataset ---------------------------------------------------------------------------------------

def dataset_ready() -> bool:
    from kycuong.onestop.models import Dossier

    try:
        return Dossier.objects.filter(code__startswith="H26").count() >= N_DOSSIERS
    except Exception:
        return False


def load(database_url: str, log=print):
    import numpy as np
    import psycopg
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from kycuong.devdata.demo.catalog import load_demo_catalog
    from kycuong.catalog.models import ProcedureVersion
    from kycuong.core.calendars import calendar_for
    from kycuong.devdata.demo.core import REFORM_DAY, load_demo_units
    from kycuong.core.models import Unit
    from kycuong.core.text import fold

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as c:
        c.execute("TRUNCATE onestop_dossierstep, onestop_dossier, onestop_dailycounter RESTART IDENTITY CASCADE")
    load_demo_units()
    load_demo_catalog()
    rng = np.random.default_rng(SEED)
    cal = calendar_for(None)
    tz = cal.zone
    anchor_day = timezone.localdate()
    meta = {"anchor_day": anchor_day.isoformat(), "seed": SEED, "dossiers": N_DOSSIERS}

    units = {u.code: u for u in Unit.objects.all()}
    departments = [u for u in units.values() if u.kind in ("department", "equivalent_body")]
    communes = [u for u in units.values() if u.tier == "commune"]
    historical = [u for u in units.values() if u.kind == "district_historical"]
    intake_points = [u for u in units.values() if u.kind in ("service_branch", "service_point")]
    branches = [u for u in units.values() if u.kind == "service_branch"]

    versions = list(ProcedureVersion.objects.select_related("procedure").prefetch_related("deciding_units", "fees")
                    .order_by("procedure__code", "effective_from"))
    procs = {}
    for v in versions:
        procs.setdefault(v.procedure.code, []).append(v)
    codes = sorted(procs)
    weights = np.array([1 / (k + 1) ** 0.8 for k in range(len(codes))])
    rng.shuffle(weights)
    weights /= weights.sum()

    # Working instants: a random working day of the last 3 years, a random minute of its 8 hours.
    first_day = anchor_day.replace(year=anchor_day.year - YEARS)
    days = [first_day + timedelta(days=k) for k in range((anchor_day - first_day).days)]
    days = np.array([d.toordinal() for d in days if cal.is_working_day(d)], dtype=np.int64)
    epoch_ord = date(1970, 1, 1).toordinal()
    n = N_DOSSIERS
    day_pick = days[rng.integers(0, len(days), n)]
    minute = rng.integers(0, 480, n)
    sec_of_day = 8 * 3600 + minute * 60 + np.where(minute >= 240, 3600, 0) + rng.integers(0, 60, n)
    submitted = (day_pick - epoch_ord) * 86400 + sec_of_day - 7 * 3600  # Asia/Ho_Chi_Minh is +07:00
    submitted.sort()
    anchor_epoch = int(datetime.combine(anchor_day, datetime.min.time(), tz).timestamp()) + 10 * 3600

    proc_idx = rng.choice(len(codes), n, p=weights)
    # Due dates, vectorised per procedure version.
    due = np.zeros(n, dtype=np.int64)
    chosen_version = np.empty(n, dtype=object)
    reform_epoch = int(datetime.combine(REFORM_DAY, datetime.min.time(), tz).timestamp())
    for k, code in enumerate(codes):
        sel = np.nonzero(proc_idx == k)[0]
        if not len(sel):
            continue
        vs = procs[code]
        # The version in force on the day (the earliest one before the catalog starts).
        starts = np.array([int(datetime.combine(v.effective_from, datetime.min.time(), tz).timestamp()) for v in vs])
        pick = np.clip(np.searchsorted(starts, submitted[sel], side="right") - 1, 0, len(vs) - 1)
        for j, v in enumerate(vs):
            sub = sel[pick == j]
            if not len(sub):
                continue
            chosen_version[sub] = v
            due[sub] = cal.due_many(submitted[sub], float(v.limit_amount), v.limit_unit, cutoff=v.cutoff)
    log(f"  schedule and due dates computed ({time.perf_counter() - t0:.0f} s)")

    r_end = rng.uniform(0.3, 1.1, n)
    end = submitted + ((due - submitted) * r_end).astype(np.int64)
    ret = end + rng.integers(3600, 3 * 86400, n)
    u_fate = rng.random(n)
    u_open = rng.random(n)
    u_unit = rng.random(n)
    unit_pick = rng.integers(0, 10_000, n)
    fam = rng.choice(len(FAMILY), n, p=np.array(FAMILY_W) / sum(FAMILY_W))
    mid = rng.integers(0, len(MIDDLE), n)
    giv = rng.integers(0, len(GIVEN), n)
    names = {}

    def name(i):
        key = (fam[i], mid[i], giv[i])
        got = names.get(key)
        if got is None:
            full = f"{FAMILY[key[0]]} {MIDDLE[key[1]]} {GIVEN[key[2]]}"
            got = names[key] = (full, fold(full))
        return got

    def ts(x):
        return datetime.fromtimestamp(int(x), dt_timezone.utc)

    deciders_of = {v.pk: list(v.deciding_units.all()) for v in versions}
    fee_of = {v.pk: sum(f.amount_vnd for f in v.fees.all()) for v in versions}
    seq = {}
    now_ts = datetime.now(dt_timezone.utc)
    counts = {}
    pg = psycopg.connect(database_url, autocommit=False)
    with pg, pg.cursor() as cur:
        with cur.copy(f"COPY onestop_dossier ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(n):
                v = chosen_version[i]
                deciders = deciders_of[v.pk]
                s = int(submitted[i])
                if v.all_communes or not deciders:
                    if v.all_communes:
                        if s < reform_epoch and u_unit[i] < 0.1:
                            unit = historical[unit_pick[i] % len(historical)]
                        else:
                            unit = communes[unit_pick[i] % len(communes)]
                    else:
                        unit = departments[unit_pick[i] % len(departments)]
                else:
                    unit = deciders[unit_pick[i] % len(deciders)]
                province = unit.tier == "province"
                channel = 1
                if province:
                    if u_unit[i] < 0.2:
                        channel, receiving = 2, unit
                    else:
                        receiving = intake_points[(unit_pick[i] // 7) % len(intake_points)]
                else:
                    receiving = unit if u_unit[i] < 0.9 else branches[(unit_pick[i] // 7) % len(branches)]
                d_local = datetime.fromtimestamp(s, tz).date()
                key = (unit.code, d_local)
                seq[key] = seq.get(key, 0) + 1
                code = f"{unit.code}-{d_local:%y%m%d}-{seq[key]:04d}"
                full, folded = name(i)
                fee = fee_of[v.pk]
                received_at = clock_start = due_at = original_due = p_end = returned = None
                sup_req = sup_done = None
                sup_count = 0
                before_sup = None
                end_reason = ""
                f = u_fate[i]
                if f < 0.03:
                    state, end_reason = 3, "Hồ sơ không thuộc thẩm quyền"
                elif channel == 2 and s > anchor_epoch - 2 * 86400 and u_open[i] < 0.5:
                    state = 1
                else:
                    received_at = clock_start = ts(s)
                    due_at = original_due = ts(due[i])
                    if f < 0.045:
                        state, end_reason, p_end = 7, "Công dân rút hồ sơ", ts(min(end[i], anchor_epoch))
                    elif f < 0.055:
                        state, end_reason, p_end = 8, "Dừng xử lý", ts(min(end[i], anchor_epoch))
                    elif end[i] > anchor_epoch or f > 0.99:  # still open (or stuck open: overdue)
                        o = u_open[i]
                        if o < 0.70:
                            state = 4
                        elif o < 0.82:
                            state = 2
                        elif o < 0.92:
                            state, before_sup, sup_count = 5, 4, 1
                            sup_req = ts(min(s + (anchor_epoch - s) // 2, anchor_epoch))
                        else:
                            state = 6
                    else:
                        p_end = ts(end[i])
                        if ret[i] > anchor_epoch:
                            state = 9
                        else:
                            state, returned = 10, ts(ret[i])
                if state == 5 and sup_req is None:
                    sup_req = received_at
                if sup_count == 0 and state in (9, 10) and f > 0.9:
                    sup_count, sup_req, sup_done = 1, ts(s + 3600), ts(s + 2 * 86400)
                counts[state] = counts.get(state, 0) + 1
                created = ts(s)
                copy.write_row((
                    code, channel, state, before_sup, full, folded, f"001{i:09d}", f"09{i % 100_000_000:08d}", "",
                    "Hà Nội", "[]", "", v.limit_amount, v.limit_unit, v.cutoff, ts(s), received_at, clock_start,
                    due_at, original_due, p_end, returned, sup_req, sup_done, sup_count, "", 0, "", None, end_reason,
                    fee, 0, False, "", channel == 2, False, False, None, 1, created, now_ts, None,
                    v.procedure_id, v.pk, receiving.pk, unit.pk, None,
                ))
                if (i + 1) % 200_000 == 0:
                    log(f"  {i + 1:,} rows copied ({time.perf_counter() - t0:.0f} s)")
        pg.commit()
    pg.close()
    meta["states"] = {str(k): v for k, v in sorted(counts.items())}
    with connection.cursor() as c:
        c.execute("VACUUM (ANALYZE) onestop_dossier")
    meta["load_s"] = round(time.perf_counter() - t0, 1)
    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_meta (k text primary key, v jsonb)")
        c.execute("INSERT INTO bench_meta VALUES ('queue', %s) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                  [json.dumps(meta)])
    return meta


def read_meta():
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT v FROM bench_meta WHERE k = 'queue'")
        row = c.fetchone()
    if not row:
        return {}
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


# --- measurement -----------------------------------------------------------------------------------

def officers():
    from kycuong.core.models import Unit, User
    from kycuong.core.services import create_user

    out = {}
    for key, role, unit_code, _label in OFFICERS:
        user = User.objects.filter(username=f"bench_{key}").first()
        if user is None:
            user = create_user(f"bench_{key}", "bench-Pass-123", role=role, unit=Unit.objects.get(code=unit_code))
        out[key] = user
    return out


def samples(user, rng, k=200):
    """Codes and folded names from the officer's scope, and the procedure it sees most."""
    from django.db.models import Count

    from kycuong.onestop.queries import visible_dossiers

    qs = visible_dossiers(user)
    # Spread over the table: sample by id ranges, not the first rows.
    from kycuong.onestop.models import Dossier

    top = Dossier.objects.order_by("-id").values_list("id", flat=True).first()
    ids = sorted(int(x) for x in rng.integers(1, top + 1, 40 * k))
    rows = list(qs.filter(id__in=ids).values_list("code", "applicant_name_folded")[:k])
    proc = (qs.filter(id__in=ids).values("procedure__code").annotate(n=Count("id")).order_by("-n")
            .values_list("procedure__code", flat=True).first())
    return [r[0] for r in rows], [r[1] for r in rows], proc


def params_for(filter_name, i, codes, names, proc):
    return {
        "none": {}, "state": {"state": 4}, "procedure": {"procedure": proc}, "overdue": {"clock": "overdue"},
        "due_soon": {"clock": "due_soon"}, "q_code": {"q": codes[i % len(codes)]}, "q_name": {"q": names[i % len(names)]},
    }[filter_name]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def timed_runs(fn, runs, budget_s):
    out, t_end = [], time.perf_counter() + budget_s
    for i in range(runs):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1e3)
        if time.perf_counter() > t_end and len(out) >= 20:
            break
    return out


def measure_orm(users, samples_by, runs, budget_s, explain):
    """{(officer, filter): [ms]} for ``list(queries.queue(user, …)[:50])``, and EXPLAIN ANALYZE plans."""
    from django.db import connection

    from kycuong.onestop import queries

    res, plans = {}, {}
    for key, user in users.items():
        codes, names, proc = samples_by[key]
        for f in FILTERS:
            def one(i, f=f, user=user, codes=codes, names=names, proc=proc):
                list(queries.queue(user, **params_for(f, i, codes, names, proc))[:50])

            one(0)  # warm (plan cache, calendar)
            res[(key, f)] = timed_runs(one, runs, budget_s)
            if explain:
                qs = queries.queue(user, **params_for(f, 1, codes, names, proc))[:50]
                sql, params = qs.query.sql_with_params()
                with connection.cursor() as c:
                    c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    plans[(key, f)] = "\n".join(r[0] for r in c.fetchall())
    return res, plans


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url, workers=2):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="kycuong.settings", KYCUONG_DEMO="true")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "kycuong.wsgi:application", "-w", str(workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
    import http.client

    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            conn.getresponse().read()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def session_cookies(users):
    """A signed-in session per officer, as a browser holds it (the HTML queue needs a login)."""
    from django.test import Client

    out = {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        out[key] = f"sessionid={client.cookies['sessionid'].value}"
    return out


def measure_http(database_url, users, samples_by, runs, budget_s):
    import http.client

    from kycuong.core.tokens import issue_token

    tokens = {k: issue_token(u, "queue benchmark")[1] for k, u in users.items()}
    cookies = session_cookies(users)
    proc, port = start_gunicorn(database_url)
    res = {}
    try:
        for key in users:  # the officer's HTML queue, /mot-cua/ (50 rows, count up to queries.COUNT_CAP)
            codes, names, proc_code = samples_by[key]
            for f in FILTERS:
                def page(i, f=f, key=key, codes=codes, names=names, proc_code=proc_code):
                    q = params_for(f, i, codes, names, proc_code)
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    conn.request("GET", "/mot-cua/?" + urlencode(q), headers={"Cookie": cookies[key]})
                    r = conn.getresponse()
                    body = r.read()
                    conn.close()
                    if r.status != 200:
                        raise RuntimeError(f"HTML queue: HTTP {r.status}: {body[:300]!r}")
                    if i == 0 and f == "none" and body.count(b'<th scope="row"') != 50:
                        raise RuntimeError("expected a full page")

                page(0)
                res[(key, f, "html")] = timed_runs(page, runs, budget_s)
        for with_count in (False, True):
            for key in users:
                codes, names, proc_code = samples_by[key]
                for f in FILTERS:
                    def one(i, f=f, key=key, with_count=with_count, codes=codes, names=names, proc_code=proc_code):
                        q = dict(params_for(f, i, codes, names, proc_code), page_size=50,
                                 with_count="true" if with_count else "false")
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                        conn.request("GET", "/api/v1/dossiers?" + urlencode(q),
                                     headers={"Authorization": f"Bearer {tokens[key]}"})
                        r = conn.getresponse()
                        body = r.read()
                        conn.close()
                        if r.status != 200:
                            raise RuntimeError(f"HTTP {r.status}: {body[:300]!r}")
                        if i == 0 and f == "none" and len(json.loads(body)["items"]) != 50:
                            raise RuntimeError("expected a full page")

                    one(0)
                    res[(key, f, with_count)] = timed_runs(one, runs, budget_s)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Dataset and method: see the module docstring and docs/performance.md.")
    ap.add_argument("--database-url", required=True,
                    help="a PostgreSQL database of your own for the benchmark (it is migrated and filled)")
    ap.add_argument("--reload", action="store_true", help="rebuild the 1,000,000-dossier dataset")
    ap.add_argument("--runs", type=int, default=200, help="runs per (officer, filter) (default 200)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds at most per (officer, filter), min 20 runs")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP endpoint")
    ap.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of each query once")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        ap.error("--database-url must be a PostgreSQL URL")

    setup_django(args.database_url)
    import numpy as np

    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # the project's indexes, as deployed
    if args.reload or not dataset_ready():
        log(f"loading {N_DOSSIERS:,} dossiers into {args.database_url} …")
        meta = load(args.database_url, log)
        log(f"  loaded in {meta['load_s']} s")
    meta = read_meta()
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('onestop_dossier')), "
                  "pg_size_pretty(pg_relation_size('onestop_dossier')) FROM onestop_dossier")
        total, size_all, size_heap = c.fetchone()
        c.execute("SELECT version()")
        pg_version = c.fetchone()[0].split(",")[0]
        c.execute("SHOW shared_buffers")
        shared_buffers = c.fetchone()[0]
    users = officers()
    rng = np.random.default_rng(SEED + 1)
    samples_by = {k: samples(u, rng) for k, u in users.items()}
    load_before = os.getloadavg()
    orm, plans = measure_orm(users, samples_by, args.runs, args.budget, args.explain)
    http = {} if args.no_http else measure_http(args.database_url, users, samples_by, args.runs, args.budget)
    load_after = os.getloadavg()

    def summary(xs):
        return {"n": len(xs), "p50_ms": round(pct(xs, 50), 2), "p95_ms": round(pct(xs, 95), 2),
                "max_ms": round(max(xs), 1)}

    out = {
        "dataset": dict(meta, rows=total, table_size=size_all, heap_size=size_heap),
        "machine": {"python": platform.python_version(), "postgres": pg_version, "shared_buffers": shared_buffers,
                    "cpus": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": load_after},
        "procedures": {k: v[2] for k, v in samples_by.items()},
        "orm": {f"{k}/{f}": summary(v) for (k, f), v in orm.items()},
        "http": {f"{k}/{f}/{wc if wc == 'html' else ('count' if wc else 'nocount')}": summary(v)
                 for (k, f, wc), v in http.items()},
    }
    if args.json:
        print(json.dumps(out, indent=2, default=str))
        return 0
    print(f"{total:,} dossiers ({size_heap} heap, {size_all} with indexes), anchor day {meta.get('anchor_day')}, "
          f"{pg_version}, shared_buffers {shared_buffers}, {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.1f} → {load_after[0]:.1f}")
    print("procedure filter: " + ", ".join(f"{k} {v}" for k, v in out["procedures"].items()))
    header = ["officer", "filter", "queries.queue p50/p95 ms"]
    if http:
        header += ["HTML /mot-cua/ p50/p95", "API no count p50/p95", "API with count p50/p95"]
    rows = [header]

    def cell(r):
        return f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f}  (n={r['n']})"

    for key, *_ in OFFICERS:
        for f in FILTERS:
            row = [key, f, cell(out["orm"][f"{key}/{f}"])]
            if http:
                row += [cell(out["http"][f"{key}/{f}/{wc}"]) for wc in ("html", "nocount", "count")]
            rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    print("goal: p50 < 50 ms, p95 < 150 ms")
    for (key, f), plan in plans.items():
        print(f"\n--- EXPLAIN ANALYZE {key} / {f} ---\n{plan}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
