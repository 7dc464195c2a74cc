"""A batch scenario in a database of its own, copied from the migrated empty template
(``BENCH_TEMPLATE_DB``, made by scripts/bench.sh) and dropped afterwards.

    python -m benchmarks.isolated payroll|attendance [--quick]
    python -m benchmarks.isolated notices --keep-database   # on the load data itself

Prints the bench's own lines, then one ``RESULT {json}`` line: seconds, peak resident
memory of this process, the slowest SELECT and its EXPLAIN (ANALYZE, BUFFERS).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time
import uuid
from contextlib import contextmanager, nullcontext
from urllib.parse import urlparse, urlunparse


@contextmanager
def scratch_database():
    import psycopg2

    url = urlparse(os.environ["DATABASE_URL"])
    template = os.environ.get("BENCH_TEMPLATE_DB", "jc_empty")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(urlunparse(url._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/{name}"))
    try:
        yield name
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def peak_rss_mb() -> float:
    """This process's peak resident memory. ``VmHWM`` belongs to the process image, so it
    does not inherit the parent's peak the way ``ru_maxrss`` does across fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Slowest:
    """Remembers the slowest SELECT (with its parameters) while installed."""

    def __init__(self) -> None:
        self.sql: str | None = None
        self.params = None
        self.ms = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            if not many and sql.lstrip().upper().startswith("SELECT") and ms > self.ms:
                self.sql, self.params, self.ms = sql, params, ms


def run_payroll(quick: bool) -> dict:
    from payroll.bench import payroll_bench

    employees, items = (1000, 10_000) if quick else (10_000, 100_000)
    log = io.StringIO()
    result = payroll_bench(employees=employees, items=items, out=log)
    print(log.getvalue().rstrip())
    return {
        "seconds": result["total_seconds"],
        "peak_mb": peak_rss_mb(),
        "extra": {
            "employees": employees,
            "items": items,
            "close_s": result["close"]["seconds"],
            "xlsx_s": result["export_xlsx"]["seconds"],
            "csv_s": result["export_csv"]["seconds"],
            "queries": result["close"]["queries"]
            + result["export_xlsx"]["queries"]
            + result["export_csv"]["queries"],
            "workbook_mb": round(result["workbook_bytes"] / 2**20, 1),
            "peak_note": "VmHWM of the process, building the data set included",
        },
    }


def run_attendance(quick: bool) -> dict:
    from attendance.bench import run

    employees = 200 if quick else 2000
    lines: list[str] = []
    steps = run(employees=employees, days=30, out=lines.append)
    print("\n".join(lines))
    timed = {step.name: step for step in steps}
    measured = ["import: upload", "import: preview", "import: confirm", "process"]
    return {
        "seconds": round(sum(timed[name].seconds for name in measured if name in timed), 2),
        "peak_mb": peak_rss_mb(),
        "extra": {
            "rows": employees * 30,
            "steps": {
                step.name: {"seconds": round(step.seconds, 2), "queries": step.queries}
                for step in steps
            },
            "queries": sum(timed[name].queries for name in measured if name in timed),
        },
    }


def run_notices(quick: bool) -> dict:
    """A month's worth of notices (the newest month with 1,000 or more) as one PDF, made
    as the background job makes it."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jobs.kinds import NOTICES_PER_CHUNK, merge_pdfs
    from penalties.notices_pdf import penalty_notices_pdf
    from penalties.selectors.approvals import notices_for_print

    count = 100 if quick else 1000
    user = get_user_model().objects.get(username="load-hr")
    month = timezone.localdate().replace(day=1) - timedelta(days=40)
    started = time.perf_counter()
    notices = list(
        notices_for_print(user=user, year=month.year, month=month.month).select_related(
            "penalty", "acknowledged_by__employee"
        )[:count]
    )
    parts = [
        penalty_notices_pdf(notices=notices[start : start + NOTICES_PER_CHUNK])
        for start in range(0, len(notices), NOTICES_PER_CHUNK)
    ]
    pdf = merge_pdfs(parts)
    seconds = round(time.perf_counter() - started, 2)
    return {
        "seconds": seconds,
        "peak_mb": peak_rss_mb(),
        "extra": {
            "notices": len(notices),
            "month": f"{month:%Y-%m}",
            "chunk": NOTICES_PER_CHUNK,
            "pdf_mb": round(len(pdf) / 2**20, 1),
            "per_notice_ms": round(seconds * 1000 / max(1, len(notices)), 1),
        },
    }


RUNNERS = {"payroll": run_payroll, "attendance": run_attendance, "notices": run_notices}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=sorted(RUNNERS))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--keep-database", action="store_true", help="run on DATABASE_URL itself (read only)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    with nullcontext() if args.keep_database else scratch_database():
        import django

        django.setup()
        from django.db import connection

        slowest = Slowest()
        with connection.execute_wrapper(slowest):
            data = RUNNERS[args.name](args.quick)
        if slowest.sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest.sql}", slowest.params)
                data["plan"] = "\n".join(row[0] for row in cursor.fetchall())
                data["slowest_sql"] = cursor.mogrify(slowest.sql, slowest.params).decode()
            data["slowest_ms"] = round(slowest.ms, 1)
        connection.close()
    print("RESULT " + json.dumps(data, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
