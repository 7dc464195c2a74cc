"""Benchmark of the payroll close and export (issue 8: 10,000 employees and 100,000 items
under 20 s and 500 MB, with a query count that does not grow with the employees).

``payroll_bench()`` builds the data set in the current database (bulk inserts, in
chunks), closes the month, exports the workbook and the CSV, and prints and returns the
seconds, the peak memory and the query counts of each step. Run it on PostgreSQL, in a
throwaway database (it leaves its data behind), e.g. from a test:

    from payroll.bench import payroll_bench
    payroll_bench(employees=10_000, items=100_000)

Wall seconds depend on what else the machine runs (the load average is printed with
them); ``cpu_seconds`` is this process's own work, ``query_seconds`` the time spent in
database statements. Peak memory is the process's peak resident size (``ru_maxrss``)
after each step, and the growth of Python's allocations during the step
(``tracemalloc``, only with ``trace_memory=True``: it slows the step down about twofold).
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHUNK = 5000
KINDS = ["fine"] * 70 + ["compensation"] * 10 + ["bonus_reduction"] * 10 + ["absence_cut"] * 10


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rule(tag: str):
    from conduct.models import Category, Rule, Rulebook, RulebookVersion

    rulebook = Rulebook.objects.create(code=f"bench-{tag}", name="压测规章")
    version = RulebookVersion.objects.create(
        rulebook=rulebook, label="压测版", effective_from=date(2020, 1, 1)
    )
    category = Category.objects.create(version=version, position=1, name="劳动纪律")
    return Rule.objects.create(
        version=version,
        category=category,
        number="14",
        position=14,
        title="不准吵架谩骂酗酒",
        text="不准在工作时间内吵架、谩骂、酗酒。",
        schedule={"steps": [{"charges": [{"basis": "fixed", "amount": "200"}]}]},
    )


def build(*, employees: int, items: int, month: date, seed: int = 8) -> dict:
    """The data set: ``employees`` people in 20 departments and ``items`` approved
    penalties (5% a department's, 3% a supervisor's) and awards dated in ``month``."""
    from penalties.models import Notice, Penalty
    from rewards.models import Award, RewardType
    from staff.models import Department, Employee

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    tag = f"{seed}-{rng.randrange(10**6)}"
    user = User.objects.create(username=f"bench-{tag}")
    rule = _rule(tag)
    departments = Department.objects.bulk_create(
        Department(name=f"压测部门{i}", code=f"B{tag}-{i}") for i in range(20)
    )
    people: list[int] = []
    for start in range(0, employees, CHUNK):
        batch = Employee.objects.bulk_create(
            Employee(
                employee_no=f"B{tag}-{n:06d}",
                name=f"压测员工{n}",
                department=departments[n % 20],
                hire_date=date(2020, 1, 1),
                monthly_wage=Decimal(rng.choice(["2200", "3000", "4500", "8000", "12000"])),
            )
            for n in range(start, min(employees, start + CHUNK))
        )
        people.extend(e.pk for e in batch)
    dept_of = {pk: departments[i % 20].pk for i, pk in enumerate(people)}

    reward_type = RewardType.objects.create(
        version=rule.version,
        code=f"star-{tag}"[:64],
        name="服务之星",
        text="服务之星奖励。",
        schedule={
            "steps": [{"charges": [{"basis": "fixed", "amount": "500", "money_kind": "reward"}]}]
        },
    )
    n_awards = items // 20
    n_penalties = items - n_awards
    days = (month.replace(day=28) - month).days
    decided = datetime.combine(month, dtime(9), tzinfo=SHANGHAI)
    sequence = 0
    for start in range(0, n_penalties, CHUNK):
        count = min(n_penalties, start + CHUNK) - start
        from conduct.models import Violation

        violators = [rng.choice(people) for _ in range(count)]
        occurred = [month + timedelta(days=rng.randrange(days)) for _ in range(count)]
        violations = Violation.objects.bulk_create(
            Violation(
                employee_id=emp,
                rulebook_id=rule.version.rulebook_id,
                rulebook_version_id=rule.version_id,
                rule=rule,
                rule_number="14",
                occurred_at=datetime.combine(day, dtime(10), tzinfo=SHANGHAI),
                occurred_on=day,
                logged_by=user,
            )
            for emp, day in zip(violators, occurred, strict=True)
        )
        penalties = []
        for violation in violations:
            roll = rng.random()
            party, payer = "employee", violation.employee_id
            if roll < 0.05:
                party, payer = "department", None
            elif roll < 0.08:
                party, payer = "supervisor", rng.choice(people)
            penalties.append(
                Penalty(
                    violation=violation,
                    party=party,
                    employee_id=payer,
                    department_id=dept_of[violation.employee_id],
                    is_primary=party == "employee",
                    money_kind=rng.choice(KINDS),
                    amount=Decimal(rng.choice(["20", "50", "100", "200", "500", "1000"])),
                    label="压测",
                    status="approved",
                    decided_by=user,
                    decided_at=decided,
                )
            )
        Penalty.objects.bulk_create(penalties)
        notices = []
        for penalty in penalties:
            sequence += 1
            notices.append(
                Notice(
                    number=f"BN{tag}-{sequence:07d}",
                    year=9000 + seed,
                    sequence=sequence,
                    penalty=penalty,
                    amount=penalty.amount,
                    appeal_until=month,
                    issued_at=decided,
                    issued_by=user,
                )
            )
        Notice.objects.bulk_create(notices)
    for start in range(0, n_awards, CHUNK):
        count = min(n_awards, start + CHUNK) - start
        awards = []
        for _ in range(count):
            emp = rng.choice(people)
            awards.append(
                Award(
                    employee_id=emp,
                    department_id=dept_of[emp],
                    reward_type=reward_type,
                    amount=Decimal(rng.choice(["20", "50", "500"])),
                    department_amount=Decimal(rng.choice(["0", "0", "200"])),
                    reason="压测",
                    awarded_on=month + timedelta(days=rng.randrange(days)),
                    status="approved",
                    logged_by=user,
                    logged_at=decided,
                    decided_by=user,
                    decided_at=decided,
                )
            )
        Award.objects.bulk_create(awards)
    return {"employees": employees, "penalties": n_penalties, "awards": n_awards, "user": user}


def _measure(label: str, func, *, trace_memory: bool, out) -> tuple[object, dict]:
    if trace_memory:
        tracemalloc.start()
    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = func()
    captured = queries.captured_queries
    stats = {
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "queries": len(captured),
        "query_seconds": round(sum(float(q["time"]) for q in captured), 2),
        "peak_rss_mb": round(_rss_mb(), 1),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if trace_memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        stats["python_peak_mb"] = round(peak / 2**20, 1)
    print(f"{label}: " + ", ".join(f"{k}={v}" for k, v in stats.items()), file=out)
    for query in sorted(captured, key=lambda q: -float(q["time"]))[:3]:
        print(f"    {float(query['time']):6.2f}s  {query['sql'][:90]}", file=out)
    return result, stats


def payroll_bench(
    *,
    employees: int = 10_000,
    items: int = 100_000,
    month: date = date(2026, 1, 1),
    trace_memory: bool = False,
    out=None,
) -> dict:
    """Build the data set, close ``month`` and export it; print and return the numbers."""
    from payroll.exports import payroll_summary_csv, payroll_workbook
    from payroll.services import payroll_period_close, payroll_period_get_or_create

    out = out or sys.stdout
    started = time.perf_counter()
    with transaction.atomic():
        data = build(employees=employees, items=items, month=month)
    print(
        f"built {employees} employees, {data['penalties']} penalties and {data['awards']} "
        f"awards in {time.perf_counter() - started:.1f}s (peak rss {_rss_mb():.0f} MB)",
        file=out,
    )
    period = payroll_period_get_or_create(month=month)
    closed_at = datetime.combine(month + timedelta(days=40), dtime(9), tzinfo=SHANGHAI)
    _period, close_stats = _measure(
        "close",
        lambda: payroll_period_close(period=period, closed_by=None, now=closed_at),
        trace_memory=trace_memory,
        out=out,
    )
    workbook, export_stats = _measure(
        "export xlsx",
        lambda: payroll_workbook(period=period),
        trace_memory=trace_memory,
        out=out,
    )
    csv_data, csv_stats = _measure(
        "export csv",
        lambda: payroll_summary_csv(period=period),
        trace_memory=trace_memory,
        out=out,
    )
    total = close_stats["seconds"] + export_stats["seconds"] + csv_stats["seconds"]
    print(
        f"close + exports: {total:.2f}s; workbook {len(workbook) / 2**20:.1f} MB, "
        f"csv {len(csv_data) / 2**20:.1f} MB",
        file=out,
    )
    return {
        "close": close_stats,
        "export_xlsx": export_stats,
        "export_csv": csv_stats,
        "total_seconds": round(total, 2),
        "workbook_bytes": len(workbook),
    }
