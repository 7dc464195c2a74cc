"""Attendance at company scale, for the benchmark suite: import a month of clock records
for ``employees`` people (2,000 × 30 days = 60,000 rows), process the month, process it
again. Prints and returns the seconds and the number of SQL queries of each step, and
prints their total for what issue 7 times (import and process).

    from attendance.bench import run
    run()                      # 2,000 employees, 30 days

Run it on a throwaway database: it creates a BENCH department, its employees, a shift and
(if missing) the hospitality rulebook with its attendance policy, and refuses to run twice
on the same database.
"""

from __future__ import annotations

import csv
import io
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from conduct.models import Rulebook
from staff.models import Department, Employee

from . import services
from .selectors import clock_import_preview, month_bounds

BENCH_DEPARTMENT = "BENCH"
# What issue 7 times: importing the month and processing it (under 60 s for 60,000 rows).
TARGET_STEPS = ("import: upload", "import: preview", "import: confirm", "process")


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    queries: int = 0
    detail: dict = field(default_factory=dict)

    def line(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.detail.items())
        return f"{self.name:<22} {self.seconds:8.2f} s {self.queries:8d} queries  {extra}"


@contextmanager
def measured(step: Step) -> Iterator[Step]:
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        yield step
    step.seconds = time.perf_counter() - started
    step.queries = count


def _people(employees: int) -> list[Employee]:
    if Department.objects.filter(code=BENCH_DEPARTMENT).exists():
        raise RuntimeError("attendance.bench has run on this database already: use a fresh one")
    department = Department.objects.create(code=BENCH_DEPARTMENT, name="压测部门")
    Employee.objects.bulk_create(
        [
            Employee(
                employee_no=f"B{n:05d}",
                name=f"压测{n}",
                department=department,
                hire_date=date(2020, 1, 1),
                monthly_wage=Decimal("3000.00"),
                monthly_bonus=Decimal("600.00"),
            )
            for n in range(1, employees + 1)
        ],
        batch_size=2000,
    )
    shift = services.shift_create(
        name="压测班", start=dtime(9, 0), end=dtime(18, 0), work_weekdays="1234567"
    )
    services.shift_assignment_create(
        shift=shift, department=department, effective_from=date(2020, 1, 1)
    )
    if not Rulebook.objects.filter(code="hospitality").exists():
        from conduct.demo import load_fixture

        load_fixture(Path(settings.BASE_DIR) / "fixtures" / "rulebooks" / "hospitality.yaml")
    services.attendance_policies_for_seed_rulebooks()
    services.department_rulebook_set(
        department=department, rulebook=Rulebook.objects.get(code="hospitality")
    )
    return list(Employee.objects.filter(department=department).order_by("employee_no"))


def _clock_file(people, first: date, days: int, late_share: float, seed: int) -> bytes:
    rng = random.Random(seed)  # noqa: S311 - test data, deterministic
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["工号", "日期", "上班时间", "下班时间"])
    for person in people:
        for offset in range(days):
            roll = rng.random()
            clock_in = f"08:{rng.randrange(40, 60):02d}"
            if roll < late_share:
                minutes = rng.choice((5, 15, 25, 45))
                clock_in = f"09:{minutes:02d}"
            day = first + timedelta(days=offset)
            writer.writerow([person.employee_no, day.isoformat(), clock_in, "18:05"])
    return buffer.getvalue().encode("gb18030")


def run(
    *,
    employees: int = 2000,
    days: int = 30,
    month: date = date(2025, 11, 1),
    late_share: float = 0.02,
    seed: int = 2026,
    out: Callable[[str], None] = print,
) -> list[Step]:
    """Import ``employees`` × ``days`` clock rows for ``month``, process it twice."""
    first, last = month_bounds(month)
    days = min(days, (last - first).days + 1)
    User = get_user_model()
    user, _created = User.objects.get_or_create(username="bench-hr")
    steps = [Step("set-up")]
    with measured(steps[0]):
        people = _people(employees)
    content = _clock_file(people, first, days, late_share, seed)

    upload = Step("import: upload")
    with measured(upload):
        draft = services.clock_import_start(file_name="bench.csv", content=content, by=user)
    preview_step = Step("import: preview")
    with measured(preview_step):
        preview = clock_import_preview(clock_import=draft, mapping=draft.mapping)
    preview_step.detail = {"rows": preview.result.total, "errors": len(preview.result.errors)}
    confirm = Step("import: confirm")
    with measured(confirm):
        done = services.clock_import_confirm(clock_import=draft, mapping=draft.mapping, by=user)
    confirm.detail = {"created": done.rows_created}
    steps += [upload, preview_step, confirm]

    for name in ("process", "process again"):
        step = Step(name)
        with measured(step):
            result = services.attendance_month_process(
                month=first, by=user, today=first + timedelta(days=days)
            )
        step.detail = {
            "days": result.days,
            "created": result.violations_created,
            "voided": result.violations_voided,
            "kept": result.violations_kept,
        }
        steps.append(step)
    out(f"attendance bench: {employees} employees × {days} days ({len(content):,} bytes)")
    for step in steps:
        out(step.line())
    by_name = {step.name: step for step in steps}
    timed = [by_name[name] for name in TARGET_STEPS]
    total = Step(
        "import + process",
        seconds=sum(s.seconds for s in timed),
        queries=sum(s.queries for s in timed),
    )
    out(total.line())
    return steps
