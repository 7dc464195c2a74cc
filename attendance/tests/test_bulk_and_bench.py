"""The bulk insert (COPY on PostgreSQL) keeps NULL and empty text apart; the benchmark
function runs end to end at a small size."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from attendance.bench import run
from attendance.bulk import insert_rows
from attendance.models import AttendanceDay
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_insert_rows_keeps_null_and_empty_text_apart(department):
    employee = EmployeeFactory(department=department)
    now = timezone.now()
    insert_rows(
        AttendanceDay,
        (
            "employee",
            "date",
            "status",
            "note",
            "leave_kind",
            "clock_in",
            "leave_fraction",
            "needs_review",
            "processed_at",
            "late_minutes",
            "early_minutes",
        ),
        [
            (
                employee.pk,
                date(2026, 3, 2),
                "absent",
                'a "quoted", note',
                "",
                None,
                Decimal("0.5"),
                True,
                now,
                0,
                7,
            ),
        ],
    )
    day = AttendanceDay.objects.get()
    assert (day.note, day.leave_kind, day.clock_in) == ('a "quoted", note', "", None)
    assert (day.leave_fraction, day.needs_review, day.processed_at) == (Decimal("0.5"), True, now)


def test_bench_runs_small():
    lines = []
    steps = run(employees=20, days=10, month=date(2025, 11, 1), late_share=0.1, out=lines.append)
    by_name = {step.name: step for step in steps}
    assert by_name["import: confirm"].detail["created"] == 200
    assert by_name["process"].detail["days"] == 200
    assert by_name["process again"].detail["created"] == 0
    assert by_name["process again"].detail["kept"] == by_name["process"].detail["created"]
    assert lines[0].startswith("attendance bench: 20 employees")
    with pytest.raises(RuntimeError):
        run(employees=1, out=lines.append)
