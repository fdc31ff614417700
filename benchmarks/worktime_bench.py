"""Benchmark of the working-time engine (kycuong.worktime). Run on demand, not a test:

    .venv/bin/python benchmarks/worktime_bench.py [--json] [--rows 1000000] [--repeats 7]

Fixed dataset (seeded RNG), calendar built as the Django side builds it (``holidays`` package +
kycuong/core/data/vn-calendar-overrides.json). Measures:

1. scalar ``Calendar.due()`` on day-granular inputs (start at a working day's 08:00, integer
   working days) vs scalar ``numpy.busday_offset(d, n, roll="forward", busdaycal=cal)`` with a
   prebuilt ``numpy.busdaycalendar`` of the same holidays and weekmask, on the same inputs (inputs
   whose range touches a make-up Saturday are left out: numpy cannot express those);
2. general scalar ``due()``: random instants (nights, weekends, holidays included), hour amounts;
3. ``due_many`` on 1,000,000 rows (seconds);
4. building a ``Calendar`` for 2020-2035.

Per-call figures are medians (and minima) of many interleaved samples of 1,000 calls each and
include the same Python loop overhead on both sides of the comparison; batch and build figures are
medians of several runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time as _time
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kycuong.worktime import Calendar, vietnam_holidays  # noqa: E402

Z = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 20260101
OVERRIDES = ROOT / "kycuong" / "core" / "data" / "vn-calendar-overrides.json"
FIRST, LAST = 2020, 2035


def calendar_inputs():
    data = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    holidays = vietnam_holidays(FIRST, LAST)
    kinds = dict.fromkeys(holidays, "holiday")
    makeups = {}
    for row in data["days"]:
        d = date.fromisoformat(row["date"])
        if row["kind"] == "day_off":
            holidays[d], kinds[d] = row["name"], "day_off"
        else:
            makeups[d] = row["name"]
    return holidays, makeups, kinds


def build(holidays, makeups, kinds) -> Calendar:
    return Calendar(holidays=holidays, makeup_workdays=makeups, holiday_kinds=kinds, first_year=FIRST, last_year=LAST)


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up (caches, lazily built tables)
    runs = []
    for _ in range(repeats):
        t0 = _time.perf_counter()
        fn()
        runs.append(_time.perf_counter() - t0)
    return statistics.median(runs)


CHUNK = 1000


def interleaved(make_fns, inputs: list, repeats: int) -> list[list[float]]:
    """Seconds per call of each loop, one sample per (repeat, chunk of CHUNK inputs); the loops
    run back to back on the same chunk. The VM's CPU speed drifts, so many short interleaved
    samples compare better than a few long runs."""
    chunks = [inputs[k : k + CHUNK] for k in range(0, len(inputs), CHUNK)]
    for fn in make_fns:
        fn(chunks[0])  # warm-up
    out = [[] for _ in make_fns]
    for _ in range(repeats):
        for chunk in chunks:
            for k, fn in enumerate(make_fns):
                t0 = _time.perf_counter()
                fn(chunk)
                out[k].append((_time.perf_counter() - t0) / len(chunk))
    return out


def summary(samples: list[float]) -> dict:
    return {"median_ns": statistics.median(samples) * 1e9, "min_ns": min(samples) * 1e9}


def bench_day_granular(cal, holidays, makeups, rng, n, repeats):
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=sorted(holidays))
    lo, hi = date(2024, 1, 1).toordinal(), date(2027, 12, 31).toordinal()
    mk = sorted(d.toordinal() for d in makeups)
    rows = []  # (aware start at 08:00, datetime64 day, date, k working days)
    while len(rows) < n:
        o = int(rng.integers(lo, hi))
        d = date.fromordinal(o)
        k = int(rng.integers(1, 31))
        if not cal.is_working_day(d) or any(o <= m <= o + 3 * k + 30 for m in mk):
            continue  # numpy's calendar has no make-up Saturdays: keep inputs where that is moot
        rows.append((datetime(d.year, d.month, d.day, 8, tzinfo=Z), np.datetime64(d, "D"), d, k))
    # Same answers: k working days from a day's opening end at 17:00 of working day k-1 after it.
    for s, d64, _d, k in rows:
        want = np.busday_offset(d64, k - 1, roll="forward", busdaycal=busdaycal)
        assert cal.due(s, k, "working_days").due == datetime.combine(want.item(), time(17), tzinfo=Z)

    due = cal.due
    off = np.busday_offset

    def run_engine(chunk):
        for s, _d64, _d, k in chunk:
            due(s, k, "working_days")

    def run_numpy(chunk):
        for _s, d64, _d, k in chunk:
            off(d64, k, roll="forward", busdaycal=busdaycal)

    def run_numpy_date(chunk):
        for _s, _d64, d, k in chunk:
            off(d, k, roll="forward", busdaycal=busdaycal)

    e, nb, nd = interleaved([run_engine, run_numpy, run_numpy_date], rows, repeats)
    ratios = [a / b for a, b in zip(e, nb, strict=True)]
    return {
        "engine": summary(e),
        "numpy_datetime64": summary(nb),
        "numpy_date": summary(nd),
        "ratio_median": statistics.median(ratios),
        "ratio_of_minima": min(e) / min(nb),
        "share_of_samples_engine_faster": sum(r < 1 for r in ratios) / len(ratios),
        "n": n,
        "samples": len(ratios),
    }


def bench_general(cal, rng, n, repeats):
    lo, hi = int(datetime(2024, 1, 1, tzinfo=Z).timestamp()), int(datetime(2028, 1, 1, tzinfo=Z).timestamp())
    rows = [
        (datetime.fromtimestamp(int(x), Z), int(h), float(q) / 4)
        for x, h, q in zip(rng.integers(lo, hi, n), rng.integers(1, 241, n), rng.integers(1, 961, n), strict=True)
    ]
    due = cal.due
    cut = time(15)

    def run_int(chunk):
        for s, h, _q in chunk:
            due(s, h, "working_hours")

    def run_float_cutoff(chunk):
        for s, _h, q in chunk:
            due(s, q, "working_hours", cutoff=cut)

    a, b = interleaved([run_int, run_float_cutoff], rows, repeats)
    return {"int_hours": summary(a), "quarter_hours_cutoff": summary(b), "n": n}


def bench_many(cal, rng, rows, repeats):
    lo, hi = int(datetime(2024, 1, 1, tzinfo=Z).timestamp()), int(datetime(2028, 1, 1, tzinfo=Z).timestamp())
    starts = rng.integers(lo, hi, rows, dtype=np.int64)
    hours = rng.integers(0, 241, rows)
    days = rng.integers(0, 61, rows) / 2
    cdays = rng.integers(0, 61, rows)
    fresh = Calendar(holidays=cal._holidays, makeup_workdays=cal._makeup, first_year=FIRST, last_year=LAST)
    t0 = _time.perf_counter()
    fresh.due_many(starts, hours, "working_hours")  # first call also builds the numpy tables
    cold = _time.perf_counter() - t0
    out = {"rows": rows, "cold_working_hours_s": cold}
    for name, amounts, unit, cutoff in [
        ("working_hours_s", hours, "working_hours", None),
        ("working_hours_cutoff_s", hours, "working_hours", time(15)),
        ("working_days_half_s", days, "working_days", None),
        ("calendar_days_s", cdays, "calendar_days", None),
    ]:
        out[name] = median_time(
            lambda amounts=amounts, unit=unit, cutoff=cutoff: cal.due_many(starts, amounts, unit, cutoff=cutoff), repeats)
    # spot check against the scalar path
    got = cal.due_many(starts[:5000], hours[:5000], "working_hours")
    for k in range(0, 5000, 97):
        s = datetime.fromtimestamp(int(starts[k]), Z)
        assert got[k] == int(cal.due(s, int(hours[k]), "working_hours").due.timestamp())
    return out


def bench_build(holidays, makeups, kinds, repeats):
    return {
        "calendar_s": median_time(lambda: build(holidays, makeups, kinds), repeats),
        "vietnam_holidays_s": median_time(lambda: vietnam_holidays(FIRST, LAST), repeats),
        "span": f"{FIRST}-{LAST}",
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows for due_many (default 1,000,000)")
    ap.add_argument("--scalar", type=int, default=20_000, help="inputs for the scalar loops")
    ap.add_argument("--repeats", type=int, default=5, help="passes over the scalar inputs / due_many runs")
    args = ap.parse_args(argv)

    rng = np.random.default_rng(SEED)
    holidays, makeups, kinds = calendar_inputs()
    cal = build(holidays, makeups, kinds)
    res = {
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "day_granular": bench_day_granular(cal, holidays, makeups, rng, args.scalar, args.repeats),
        "general": bench_general(cal, rng, args.scalar, args.repeats),
        "due_many": bench_many(cal, rng, args.rows, args.repeats),
        "build": bench_build(holidays, makeups, kinds, args.repeats),
    }
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    d, g, m, b = res["day_granular"], res["general"], res["due_many"], res["build"]
    ns = "{median_ns:.0f} ns (min {min_ns:.0f})".format
    rows = [
        ("Scalar due(), day-granular (start 08:00, int working days)", ns(**d["engine"])),
        ("  numpy.busday_offset, datetime64 input, prebuilt busdaycalendar", ns(**d["numpy_datetime64"])),
        ("  numpy.busday_offset, datetime.date input", ns(**d["numpy_date"])),
        ("  ratio due() / busday_offset(datetime64), median  [goal <= 1]", f"{d['ratio_median']:.2f}"),
        ("  ratio of the minima", f"{d['ratio_of_minima']:.2f}"),
        ("  samples where due() was faster", f"{d['share_of_samples_engine_faster']:.0%} of {d['samples']}"),
        ("Scalar due(), random instants, int hours", ns(**g["int_hours"])),
        ("Scalar due(), random instants, quarter hours + cut-off 15:00", ns(**g["quarter_hours_cutoff"])),
        (f"due_many, {m['rows']:,} rows, working_hours  [goal < 2 s]", f"{m['working_hours_s']:.3f} s"),
        ("  same, cut-off 15:00", f"{m['working_hours_cutoff_s']:.3f} s"),
        ("  working_days (halves)", f"{m['working_days_half_s']:.3f} s"),
        ("  calendar_days", f"{m['calendar_days_s']:.3f} s"),
        ("  first call on a fresh calendar (builds numpy tables)", f"{m['cold_working_hours_s']:.3f} s"),
        (f"Calendar(...) build, span {b['span']}", f"{b['calendar_s'] * 1e3:.1f} ms"),
        (f"vietnam_holidays({FIRST}, {LAST}) (warm)", f"{b['vietnam_holidays_s'] * 1e3:.1f} ms"),
    ]
    mc = res["machine"]
    print(f"Python {mc['python']}, numpy {mc['numpy']}, {mc['cpus']} CPUs, {mc['platform']}")
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>14}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
