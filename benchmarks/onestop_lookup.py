"""Benchmark: the public lookup by code vs a minimal Django JSON view, served the same way. On demand:

    .venv/bin/python benchmarks/onestop_lookup.py [--database-url postgres://…/own_bench_db] [--workers 5]
        [--duration 20] [--rounds 3] [--persistent-sqlite] [--json]

Goal: ``GET /api/v1/lookup/{code}`` throughput at least 70 % of a minimal Django JSON view
served the same way (both measured in the same run), and p95 latency < 20 ms at 32 concurrent clients.

Method: gunicorn (sync workers, ``--workers``, default 2 × CPUs + 1) on 127.0.0.1 serves the project's
WSGI app with ``benchmarks/bench_settings.py`` (the project's settings, URLconf
``benchmarks/bench_urls.py`` = the project's URLs + ``/bench/minimal/<code>/``, a view returning a
two-key JsonResponse without touching the database). The per-IP rate limit is raised for the
benchmark server only (the limiter still runs). ``--persistent-sqlite`` keeps SQLite connections open
between requests (``CONN_MAX_AGE``, as the project already does for PostgreSQL). Two servers: the
project as it is (the lookup's answer cache, kycuong/onestop/lookup_cache.py, checks each answer with
one indexed read), and a "cold" one where every lookup misses that cache (answers are stored under
keys no lookup reads: stamp read + database + store on every request).
Load: ``wrk`` (Debian package) with 2 threads and 32 connections, closed loop, for ``--duration``
seconds per measurement, after a 3 s warm-up (the lookup: 3 x workers x 1,000 requests, as each
gunicorn worker keeps its own answers); rounds alternate minimal / lookup / cold so the VM's
drifting CPU speed hits all alike; figures are the medians over rounds. A second, single connection
pass gives the service time of one request. wrk runs on the same 2 CPUs as the server.

Dataset (fixed): a fresh database — by default a SQLite file in a temporary directory (the embedded
default); with ``--database-url`` a PostgreSQL database of your own, which is emptied — migrated, with
the demo Hà Nội units and catalog and 1,000 dossiers received at the counter through the services:
400 left received, 400 in processing after a hand-over, 200 finished and returned. The load cycles
through their 1,000 codes (each thread in the same order), without ``phone_last4``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_DOSSIERS = 1_000
CONNECTIONS = 32
HN = ZoneInfo("Asia/Ho_Chi_Minh")

LUA = r"""
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%.1f, ' ..
    '"max_us": %%d, "errors": %%d, "non2xx": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def build_dataset(var_dir: Path, database_url: str | None) -> list[str]:
    os.environ["KYCUONG_VAR_DIR"] = str(var_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kycuong.settings"
    os.environ.setdefault("KYCUONG_DEMO", "true")  # demo data, demo secrets (core.checks)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if database_url:  # a database of one's own: start from nothing
        with connection.cursor() as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0, interactive=False)
    from kycuong.devdata.demo.catalog import load_demo_catalog
    from kycuong.catalog.queries import procedure_by_code
    from kycuong.devdata.demo.core import load_demo_units
    from kycuong.core.models import Unit, User
    from kycuong.core.services import create_user
    from kycuong.onestop.services import Applicant, act, receive_at_counter

    load_demo_units()
    load_demo_catalog()
    unit = Unit.objects.get(code="H26.200.01")
    counter = create_user("bench_counter", "bench-Pass-123", role=User.Role.RECEIVING_OFFICER, unit=unit,
                          full_name="Cán bộ một cửa")
    specialist = create_user("bench_specialist", "bench-Pass-123", role=User.Role.SPECIALIST,
                             unit=Unit.objects.get(code="H26.104"), full_name="Chuyên viên")
    proc = "HN-DEMO-CC01"
    start = datetime(2026, 3, 2, 8, 0, tzinfo=HN)
    docs = [d.pk for d in procedure_by_code(proc, on_date=start.date()).documents.all()]
    codes = []
    for i in range(N_DOSSIERS):
        at = start + timedelta(minutes=2 * i)
        d = receive_at_counter(counter, procedure_code=proc, documents=docs, at=at,
                               applicant=Applicant(name=f"Người nộp {i}", phone=f"09{i:08d}"))
        codes.append(d.code)
        if i % 5 in (1, 2, 3, 4):
            act(d.code, "start_processing", counter, assignee_id=specialist.pk, at=at + timedelta(hours=1))
            act(d.code, "handover", specialist, at=at + timedelta(days=1))
        if i % 5 in (3, 4):
            d = act(d.code, "handover", specialist, at=at + timedelta(days=2))
            d = act(d.code, "finish", specialist, at=at + timedelta(days=4))
            act(d.code, "return_result", counter, at=at + timedelta(days=5))
    connection.close()
    return codes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(var_dir: Path, database_url: str | None, workers: int, persistent: bool, cold: bool = False):
    port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="benchmarks.bench_settings", KYCUONG_VAR_DIR=str(var_dir),
               PYTHONPATH=str(ROOT), KYCUONG_BENCH_LOOKUP_COLD="1" if cold else "0",
               KYCUONG_BENCH_SQLITE_PERSISTENT="1" if persistent else "0")
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "kycuong.wsgi:application", "--workers", str(workers),
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning",
         "--chdir", str(ROOT)], env=env)
    import http.client

    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/minimal/ping/")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def get_json(port: int, path: str):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    r = conn.getresponse()
    body = json.loads(r.read())
    if r.status != 200:
        raise RuntimeError(f"{path}: HTTP {r.status} {body}")
    return body


def check(port: int, codes: list[str], cold_port: int):
    assert get_json(port, f"/bench/minimal/{codes[0]}/")["ok"]
    for code in codes[:: len(codes) // 20]:
        real = get_json(port, f"/api/v1/lookup/{code}")
        assert real["code"] == code and "state" in real and real["personal"] is None, real
        assert get_json(port, f"/api/v1/lookup/{code}") == real, code  # from the cache: the same answer
        assert get_json(cold_port, f"/api/v1/lookup/{code}") == real, code


def wrk(port: int, paths: list[str], duration: float, connections: int, threads: int, tmp: Path) -> dict:
    script = tmp / "paths.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s", "--timeout", "10s",
         "-s", str(script), f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    res = json.loads(line[len("RESULT "):])
    res["rps"] = res["requests"] / (res["duration_us"] / 1e6)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Dataset and method: see the module docstring and docs/performance.md.")
    ap.add_argument("--database-url", help="a PostgreSQL database of your own (emptied!); default: fresh SQLite")
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                    help="gunicorn sync workers (default 2 x CPUs + 1)")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per measurement (default 20)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating minimal/lookup rounds (default 3)")
    ap.add_argument("--persistent-sqlite", action="store_true",
                    help="keep SQLite connections open between requests (CONN_MAX_AGE), as for PostgreSQL")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        ap.error("wrk not found: apt-get install -y wrk")
    if args.database_url and "bench" not in args.database_url.rsplit("/", 1)[-1]:
        ap.error("--database-url is emptied first: use a database whose name contains 'bench'")

    tmp = Path(tempfile.mkdtemp(prefix="kycuong-lookup-bench-"))
    servers = []
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    try:
        t0 = time.perf_counter()
        codes = build_dataset(tmp, args.database_url)
        log(f"dataset: {len(codes):,} dossiers in {time.perf_counter() - t0:.0f} s "
            f"({'PostgreSQL' if args.database_url else 'SQLite ' + str(tmp / 'kycuong.sqlite3')})")
        server, port = start_server(tmp, args.database_url, args.workers, args.persistent_sqlite)
        servers.append(server)
        server2, port2 = start_server(tmp, args.database_url, args.workers, args.persistent_sqlite, cold=True)
        servers.append(server2)
        ports = {"minimal": port, "lookup": port, "cold": port2}
        check(port, codes, port2)
        targets = {"minimal": [f"/bench/minimal/{c}/" for c in codes], "lookup": [f"/api/v1/lookup/{c}" for c in codes]}
        targets["cold"] = targets["lookup"]
        names = ["minimal", "lookup", "cold"]
        for name in names:
            wrk(ports[name], targets[name], 3, CONNECTIONS, 2, tmp)  # warm-up
        # The answer cache is per gunicorn worker: each worker must miss each code once before the
        # lookup is warm. Load it until it has served 3 x workers x codes requests (at most 150 s).
        rates, served, t_end = [], 0, time.perf_counter() + 150
        while served < 3 * args.workers * len(codes) and time.perf_counter() < t_end:
            run = wrk(ports["lookup"], targets["lookup"], 5, CONNECTIONS, 2, tmp)
            rates.append(run["rps"])
            served += run["requests"]
        log(f"lookup warm-up: {served:,} requests; requests/s per 5 s: " + ", ".join(f"{r:.0f}" for r in rates))
        load_before = os.getloadavg()
        rounds = {n: [] for n in names}
        for _ in range(args.rounds):
            for name in names:  # alternating, so the VM's drifting CPU speed hits all alike
                rounds[name].append(wrk(ports[name], targets[name], args.duration, CONNECTIONS, 2, tmp))
        single = {n: wrk(ports[n], targets[n], min(args.duration, 10), 1, 1, tmp) for n in names}
        load_after = os.getloadavg()

        def med(name, key):
            return statistics.median(r[key] for r in rounds[name])

        def ratios(name):
            return [lk["rps"] / mn["rps"] for mn, lk in zip(rounds["minimal"], rounds[name], strict=True)]

        res = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                        "database": "postgresql" if args.database_url else "sqlite", "workers": args.workers,
                        "persistent_sqlite": args.persistent_sqlite,
                        "loadavg_before": load_before, "loadavg_after": load_after},
            "connections": CONNECTIONS, "duration_s": args.duration, "rounds": args.rounds,
            "errors": sum(r["errors"] + r["non2xx"] for rs in rounds.values() for r in rs),
            "rounds_raw": rounds,
        }
        for n in names:
            res[n] = {"rps": med(n, "rps"), "p50_ms": med(n, "p50_us") / 1e3, "p95_ms": med(n, "p95_us") / 1e3,
                      "p99_ms": med(n, "p99_us") / 1e3,
                      "single_connection": {"rps": single[n]["rps"], "p50_ms": single[n]["p50_us"] / 1e3,
                                            "p95_ms": single[n]["p95_us"] / 1e3}}
            if n != "minimal":
                res[n]["ratio"] = statistics.median(ratios(n))
                res[n]["ratio_per_round"] = ratios(n)
        if args.json:
            print(json.dumps(res, indent=2))
            return 0
        m = res["machine"]
        print(f"Python {m['python']}, {m['cpus']} CPUs, {m['database']}{' (persistent connections)' if m['persistent_sqlite'] else ''}, gunicorn {m['workers']} sync workers, "
              f"wrk 2 threads; load average {load_before[0]:.1f} → {load_after[0]:.1f}")
        rows = [("", "requests/s", "ratio [>= 0.70]", "p50 ms", "p95 ms [< 20]", "p99 ms", "1 connection: req/s, p50 ms")]
        labels = {"minimal": "minimal JSON view", "lookup": "GET /api/v1/lookup/{code}",
                  "cold": "same, every request a cache miss (cold)"}
        for n in names:
            r, s1 = res[n], res[n]["single_connection"]
            rows.append((labels[n], f"{r['rps']:.0f}", f"{r['ratio']:.2f}" if "ratio" in r else "",
                         f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}",
                         f"{s1['rps']:.0f}, {s1['p50_ms']:.2f}"))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        print(f"{CONNECTIONS} connections, {args.rounds} x {args.duration:.0f} s each, medians over rounds:")
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        for n in names[1:]:
            print(f"{labels[n]}: ratio per round {', '.join(f'{x:.2f}' for x in res[n]['ratio_per_round'])}")
        print(f"socket errors + non-2xx responses: {res['errors']}")
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
