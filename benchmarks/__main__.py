"""The benchmark suite: ``python -m benchmarks`` (or ``make bench``, which starts its own
PostgreSQL and generates the load data first: scripts/bench.sh).

    python -m benchmarks [--only violation_list,notice_pdf] [--iterations 20] [--quick]
                         [--update-baseline] [--strict]

Prints, per scenario, median and p95 (or the run's seconds), the query count and the
target; the EXPLAIN (ANALYZE, BUFFERS) plan of the slowest query of the three slowest
scenarios; whether any list page scans the violations table sequentially; and the
change against ``benchmarks/baseline.json``. Writes ``benchmarks/results/<time>.json``
(``--update-baseline`` also overwrites the baseline). Needs PostgreSQL with the load data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
RESULTS = HERE / "results"


def _data_counts() -> dict:
    from conduct.models import Violation
    from penalties.models import Notice, Penalty
    from staff.models import Employee

    return {
        "employees": Employee.objects.count(),
        "violations": Violation.objects.count(),
        "penalties": Penalty.objects.count(),
        "pending_penalties": Penalty.objects.filter(status="pending").count(),
        "notices": Notice.objects.count(),
    }


def _machine() -> dict:
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="smaller batches (100 notices)")
    parser.add_argument("--update-baseline", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from .harness import explain
    from .scenarios import SCENARIOS, Context, seq_scan_check

    if connection.vendor != "postgresql":
        print("The benchmarks need PostgreSQL (DATABASE_URL): run `make bench`.")
        return 2
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    names = [n for n in args.only.split(",") if n] or list(SCENARIOS)
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    ctx = Context(
        iterations=args.iterations,
        quick=args.quick,
        rng=random.Random(args.seed),
        out=sys.stdout,
    )
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "settings": {"debug": settings.DEBUG, "quick": args.quick, "iterations": args.iterations},
        "data": _data_counts(),
        "scenarios": {},
    }
    print(f"data: {report['data']}")
    outcomes = []
    for name in names:
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        try:
            outcome = SCENARIOS[name](ctx)
        except Exception as exc:
            from .harness import Outcome, Target

            traceback.print_exc()
            outcome = Outcome(name, Target(), error=f"{type(exc).__name__}: {exc}")
        outcomes.append(outcome)
        row = outcome.as_dict()
        report["scenarios"][outcome.name] = row
        print(_line(outcome, row) + f"   ({time.perf_counter() - started:.0f}s)", flush=True)

    ranked = sorted((o for o in outcomes if o.slowest_sql), key=lambda o: o.cost, reverse=True)
    report["explain"] = {}
    print("\n== EXPLAIN (ANALYZE, BUFFERS) of the slowest query of the three slowest scenarios")
    for outcome in ranked[:3]:
        sql, ms = outcome.slowest_sql
        plan = outcome.plan
        if not plan:
            try:
                plan = explain(sql)
            except Exception as exc:  # a query that needs its transaction's state
                plan = f"(not explained: {exc})"
        report["explain"][outcome.name] = {"sql": sql, "ms": round(ms, 1), "plan": plan}
        print(f"\n-- {outcome.name}: slowest query {ms:.1f} ms\n{sql[:2000]}\n{plan}")

    if "violation_list" in names:
        scans = seq_scan_check(ctx)
        report["seq_scans_on_violations"] = scans
        print("\n== Sequential scans of conduct_violation on list pages")
        print("none" if not scans else "\n".join(f"{k}: {v}" for k, v in scans.items()))

    report["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    _compare(report)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    text = json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"\nwritten {path.relative_to(HERE.parent)}")
    if args.update_baseline:
        BASELINE.write_text(text, encoding="utf-8")
        print(f"baseline updated: {BASELINE.relative_to(HERE.parent)}")
    missed = [o for o in outcomes if o.misses()]
    return 1 if (args.strict and missed) else 0


def _line(outcome, row: dict) -> str:
    if outcome.error:
        return f"{outcome.name:<22} FAILED {outcome.error}"
    if outcome.total_s is not None:
        timing = f"{outcome.total_s:8.2f} s"
    else:
        timing = f"median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms"
    parts = [f"{outcome.name:<22} {timing}"]
    if row["queries"] is not None:
        parts.append(f"{row['queries']:>5} queries")
    if outcome.peak_mb is not None:
        parts.append(f"peak {outcome.peak_mb:g} MB")
    verdict = "ok" if row["met"] else "MISSED: " + "; ".join(row["missed"])
    parts.append(f"[target {outcome.target.describe()}: {verdict}]")
    return "  ".join(parts)


def _compare(report: dict) -> None:
    if not BASELINE.exists():
        return
    try:
        baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    except ValueError:
        return
    print("\n== Against the baseline (median or seconds)")
    for name, row in report["scenarios"].items():
        before = baseline.get("scenarios", {}).get(name)
        if not before:
            continue
        key = "total_s" if row.get("total_s") is not None else "median_ms"
        old, new = before.get(key), row.get(key)
        if old and new:
            print(f"{name:<22} {old:>9} → {new:>9} ({(new - old) / old:+.0%})")


if __name__ == "__main__":
    sys.exit(main())
