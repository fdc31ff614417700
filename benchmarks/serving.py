"""Benchmark: how the project is served (issue 14). On demand:

    .venv/bin/python benchmarks/serving.py [--workers 5] [--duration 10] [--rounds 3] [--json]

Figures and goals (docs/performance.md):
- gunicorn vs Django's development server (``runserver``), same database and pages: ``/`` and
  ``/api/v1/lookup/{code}`` at least 3x the requests per second under gunicorn;
- the public ranking ``/bang-diem/`` under gunicorn: at least 40 % of ``/``'s requests per second, p95
  under 100 ms at 16 connections.

Dataset (fixed): the demo city — a fresh SQLite file in a temporary directory, migrated, ``seed_demo``
(Hà Nội's units, the catalog, the demo dossiers, people and records) and ``scoreboard_rebuild``; the same
file serves both servers. Lookups cycle through the demo's dossier codes.
Method: gunicorn (sync workers, default 2 x CPUs + 1, ``benchmarks/bench_settings.py``: the project's
settings with the lookup's per-IP limit lifted for a load from one address) and ``runserver --noreload``
(threaded, as a newcomer would run it) on 127.0.0.1; ``wrk`` (Debian package) with 2 threads and 16
connections, closed loop, ``--duration`` seconds per measurement after a 2 s warm-up; rounds alternate the
pages and servers so the VM's drifting CPU speed hits all alike; figures are medians over rounds. wrk runs
on the same CPUs as the servers.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.onestop_lookup import free_port, wrk  # noqa: E402

CONNECTIONS = 16


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="benchmarks.bench_settings", KYCUONG_VAR_DIR=str(var_dir),
               PYTHONPATH=str(ROOT), KYCUONG_DEMO="true")
    return env


def build_dataset(var_dir: Path) -> list[str]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v", "0"], ["seed_demo"], ["scoreboard_rebuild"]):
        subprocess.run(manage + args, env=_env(var_dir), check=True, capture_output=True)
    out = subprocess.run(manage + ["shell", "-c", "from kycuong.onestop.models import Dossier; "
                                   "print('\\n'.join(Dossier.objects.exclude(code='').values_list('code', flat=True)))"],
                         env=_env(var_dir), check=True, capture_output=True, text=True)
    # (the shell also prints how many objects it imported: keep only dossier codes)
    return [c for c in out.stdout.split() if re.fullmatch(r"[A-Z0-9.]+-\d{6}-\d{4}", c)][:200]


def _wait(port: int, proc) -> None:
    import http.client

    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def start(kind: str, var_dir: Path, workers: int):
    port = free_port()
    if kind == "gunicorn":
        cmd = [str(Path(sys.executable).parent / "gunicorn"), "kycuong.wsgi:application", "--workers", str(workers),
               "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level",
               "warning", "--chdir", str(ROOT)]
    else:
        cmd = [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, env=_env(var_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(port, proc)
    return proc, port


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kc-serving-") as tmp:
        var_dir = Path(tmp)
        codes = build_dataset(var_dir)
        lookups = [f"/api/v1/lookup/{c}" for c in codes]
        pages = {"home": ["/"], "ranking": ["/bang-diem/"], "lookup": lookups}
        servers = {kind: start(kind, var_dir, args.workers) for kind in ("gunicorn", "runserver")}
        runs: dict[str, list[dict]] = {}
        try:
            for _round in range(args.rounds):
                for kind, (_proc, port) in servers.items():
                    for name, paths in pages.items():
                        if kind == "runserver" and name == "ranking":
                            continue  # the goal compares the ranking with / under gunicorn only
                        wrk(port, paths, 2, CONNECTIONS, 2, var_dir)  # warm-up (caches, connections)
                        runs.setdefault(f"{kind} {name}", []).append(
                            wrk(port, paths, args.duration, CONNECTIONS, 2, var_dir))
        finally:
            for proc, _port in servers.values():
                proc.terminate()
                proc.wait(10)
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "workers": args.workers,
                          "connections": CONNECTIONS, "duration_s": args.duration, "rounds": args.rounds,
                          "lookup_codes": len(codes)}, "figures": {}}
    for key, rs in runs.items():
        errors = sum(r.get("errors", 0) + r.get("non2xx", 0) for r in rs)
        result["figures"][key] = {"rps": round(statistics.median(r["rps"] for r in rs), 1),
                                  "p50_ms": round(statistics.median(r["p50_us"] for r in rs) / 1000, 1),
                                  "p95_ms": round(statistics.median(r["p95_us"] for r in rs) / 1000, 1),
                                  "errors": errors}
    f = result["figures"]
    result["ratios"] = {
        "home gunicorn/runserver": round(f["gunicorn home"]["rps"] / f["runserver home"]["rps"], 2),
        "lookup gunicorn/runserver": round(f["gunicorn lookup"]["rps"] / f["runserver lookup"]["rps"], 2),
        "ranking/home under gunicorn": round(f["gunicorn ranking"]["rps"] / f["gunicorn home"]["rps"], 3),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for key, v in f.items():
            print(f"{key:22} {v['rps']:8.1f} req/s  p50 {v['p50_ms']:6.1f} ms  p95 {v['p95_ms']:6.1f} ms  errors {v['errors']}")
        for key, v in result["ratios"].items():
            print(f"{key:30} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
