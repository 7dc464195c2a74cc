"""Demo attendance: shifts, the company calendar, the seed rulebooks' attendance policies,
two months of clock records for the demo company with some lateness, early leaving,
absence and missing punches, leave in every state, both months processed.

Idempotent: each month's clock file is imported once (by name), leave is keyed by
employee and start date, and processing a month again changes nothing.

The public holidays below follow the State Council's notices for 2025 and 2026 as the demo
knows them; a real company enters its own calendar.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from conduct.models import Rulebook
from payroll.selectors import month_is_closed
from staff.models import Department, Employee, EmployeeStatus
from staff.selectors import department_ancestor_ids

from . import services
from .models import (
    AttendanceSettings,
    CalendarDay,
    ClockImport,
    ImportStatus,
    Leave,
    LeaveKind,
    Shift,
    ShiftAssignment,
)
from .selectors import month_bounds

HOLIDAYS = {  # (first, last, name), make-up working days
    2025: (
        [
            (date(2025, 1, 1), date(2025, 1, 1), "元旦"),
            (date(2025, 1, 28), date(2025, 2, 4), "春节"),
            (date(2025, 4, 4), date(2025, 4, 6), "清明节"),
            (date(2025, 5, 1), date(2025, 5, 5), "劳动节"),
            (date(2025, 5, 31), date(2025, 6, 2), "端午节"),
            (date(2025, 10, 1), date(2025, 10, 8), "国庆节、中秋节"),
        ],
        [
            date(2025, 1, 26),
            date(2025, 2, 8),
            date(2025, 4, 27),
            date(2025, 9, 28),
            date(2025, 10, 11),
        ],
    ),
    2026: (
        [
            (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
            (date(2026, 2, 15), date(2026, 2, 23), "春节"),
            (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
            (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
            (date(2026, 6, 19), date(2026, 6, 21), "端午节"),
            (date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
            (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
        ],
        [
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        ],
    ),
}

SHIFTS = [  # name, start, end, crosses midnight, weekdays
    ("白班", time(8, 30), time(17, 30), False, "12345"),
    ("营业厅班", time(9, 0), time(18, 0), False, "123456"),
    ("夜班", time(22, 0), time(6, 0), True, "12345"),
]
NIGHT_WORKERS = ("E0021", "E0022")
ABSENT_THREE_DAYS = "E0025"  # hospitality: three days in a row → resignation flag
HEADER = ["工号", "日期", "上班时间", "下班时间"]


def _calendar(first: date, last: date) -> int:
    made = 0
    for year in range(first.year, last.year + 1):
        holidays, workdays = HOLIDAYS.get(year, ([], []))
        for start, end, name in holidays:
            day = start
            while day <= end:
                if first <= day <= last and not CalendarDay.objects.filter(date=day).exists():
                    services.calendar_day_set(day=day, kind="holiday", name=name)
                    made += 1
                day += timedelta(days=1)
        for day in workdays:
            if first <= day <= last and not CalendarDay.objects.filter(date=day).exists():
                services.calendar_day_set(day=day, kind="workday", name="调休上班")
                made += 1
    return made


def _shifts(first: date) -> dict[str, Shift]:
    shifts = {}
    for name, start, end, crosses, weekdays in SHIFTS:
        shifts[name] = Shift.objects.filter(name=name).first() or services.shift_create(
            name=name, start=start, end=end, crosses_midnight=crosses, work_weekdays=weekdays
        )
    departments = {d.code: d for d in Department.objects.all()}
    if (
        "CS-HALL" in departments
        and not ShiftAssignment.objects.filter(department=departments["CS-HALL"]).exists()
    ):
        services.shift_assignment_create(
            shift=shifts["营业厅班"], department=departments["CS-HALL"], effective_from=first
        )
    for number in NIGHT_WORKERS:
        employee = Employee.objects.filter(employee_no=number).first()
        if employee and not ShiftAssignment.objects.filter(employee=employee).exists():
            services.shift_assignment_create(
                shift=shifts["夜班"], employee=employee, effective_from=first
            )
    settings = AttendanceSettings.get()
    if settings.default_shift_id is None:
        services.attendance_settings_update(default_shift=shifts["白班"])
    return shifts


def _rulebooks() -> None:
    services.attendance_policies_for_seed_rulebooks()
    settings = AttendanceSettings.get()
    customer = Rulebook.objects.filter(code="customer-service").first()
    hospitality = Rulebook.objects.filter(code="hospitality").first()
    if customer and settings.default_rulebook_id is None:
        services.attendance_settings_update(default_rulebook=customer)
    ops = Department.objects.filter(code="OPS").first()
    if ops and hospitality and not hasattr(ops, "attendance_rulebook"):
        services.department_rulebook_set(department=ops, rulebook=hospitality)


def _at(moment: time, minutes: int) -> str:
    total = (moment.hour * 60 + moment.minute + minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def _rows(
    rng: random.Random, employees, plan, first: date, last: date, kinds, absent: set
) -> list[list]:
    """One row per working employee-day, with the occasional late, early, missing punch
    or absence (no row); ``absent`` holds (工号, date) pairs that have no row."""
    from .judge import is_working_day

    rows = []
    for employee in employees:
        day = first
        while day <= last:
            shift = plan.shift_for(employee.pk, employee.department_id, day)
            working = is_working_day(shift, day, kinds.get(day))
            in_service = day >= employee.hire_date and (
                employee.left_on is None or day <= employee.left_on
            )
            if not working or not in_service:
                day += timedelta(days=1)
                continue
            roll = rng.random()
            steady = employee.status == EmployeeStatus.LEFT  # no violations for leavers
            clock_in = _at(shift.start, -rng.randrange(1, 15))
            clock_out = _at(shift.end, rng.randrange(0, 25))
            if (employee.employee_no, day) in absent:
                day += timedelta(days=1)
                continue
            if not steady:
                if roll < 0.012:
                    day += timedelta(days=1)
                    continue  # absent, no row
                if roll < 0.07:
                    clock_in = _at(shift.start, rng.choice((3, 8, 15, 20, 21, 28, 35, 50, 70)))
                elif roll < 0.09:
                    clock_out = _at(shift.end, -rng.choice((10, 25, 40)))
                elif roll < 0.097:
                    clock_out = ""
            rows.append([employee.employee_no, day.isoformat(), clock_in, clock_out])
            day += timedelta(days=1)
    return rows


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")  # time clocks in China export GBK


def _approver(employee: Employee) -> User | None:
    for department_id in [employee.department_id, *department_ancestor_ids(employee.department_id)]:
        head = Department.objects.select_related("head__user").get(pk=department_id).head
        if head is not None and head.pk != employee.pk and head.user_id:
            return head.user
    return None


def _leave(employee, kind, start, end, by, state, rng, **halves) -> int:
    if employee is None or Leave.objects.filter(employee=employee, start_date=start).exists():
        return 0
    requester = employee.user or by
    try:
        leave = services.leave_request(
            employee=employee,
            kind=kind,
            start_date=start,
            end_date=end,
            by=requester,
            reason=rng.choice(["家中有事", "身体不适,就医", "探亲", "办理个人事务", "调休"]),
            **halves,
        )
    except ValidationError:  # e.g. no working day in the range: the demo skips it
        return 0
    approver = _approver(employee)
    if state == "approved" and approver:
        services.leave_approve(leave=leave, by=approver, comment="同意")
    elif state == "rejected" and approver:
        services.leave_reject(leave=leave, by=approver, comment="本周人手紧张,请改期")
    elif state == "cancelled":
        services.leave_cancel(leave=leave, by=requester, reason="行程取消")
    return 1


def _working_day(day: date, skip: int = 0) -> date:
    """The first weekday on or after ``day`` that is not a holiday (after skipping ``skip``
    such days)."""
    off = set(
        CalendarDay.objects.filter(
            date__range=(day, day + timedelta(days=60)), kind__in=["holiday", "rest_day"]
        ).values_list("date", flat=True)
    )
    while day.isoweekday() > 5 or day in off or skip:
        if day.isoweekday() <= 5 and day not in off:
            skip -= 1
        day += timedelta(days=1)
    return day


def seed(*, rng: random.Random, today: date) -> dict:
    this_month = today.replace(day=1)
    months = []
    month = this_month
    for _ in range(2):
        month = (month - timedelta(days=1)).replace(day=1)
        months.insert(0, month)
    first = months[0]
    hr = User.objects.filter(username="hr").first()
    if hr is None:  # staff.demo did not run
        return {}
    calendar_days = _calendar(first, month_bounds(this_month)[1])
    _shifts(first)
    _rulebooks()

    from .planning import ShiftPlan, calendar_kinds

    employees = list(
        Employee.objects.exclude(status=EmployeeStatus.SUSPENDED)
        .select_related("department")
        .order_by("employee_no")
    )
    by_number = {e.employee_no: e for e in employees}
    leaves = 0
    for month in months:
        m1 = _working_day(month, 3)
        m2 = _working_day(month, 9)
        leaves += _leave(
            by_number.get("E0015"), LeaveKind.ANNUAL, m1, m1 + timedelta(1), hr, "approved", rng
        )
        leaves += _leave(by_number.get("E0012"), LeaveKind.PERSONAL, m2, m2, hr, "approved", rng)
        leaves += _leave(by_number.get("E0023"), LeaveKind.SICK, m1, m1, hr, "approved", rng)
        leaves += _leave(
            by_number.get("E0036"),
            LeaveKind.PERSONAL,
            m2,
            m2,
            hr,
            "approved",
            rng,
            start_half="am",
            end_half="am",
        )
        leaves += _leave(
            by_number.get("E0040"), LeaveKind.MARRIAGE, m2, m2 + timedelta(2), hr, "rejected", rng
        )
        leaves += _leave(
            by_number.get("E0018"), LeaveKind.COMPENSATORY, m1, m1, hr, "cancelled", rng
        )
    upcoming = _working_day(today + timedelta(days=3))
    leaves += _leave(
        by_number.get("E0015"), LeaveKind.PERSONAL, upcoming, upcoming, hr, "pending", rng
    )
    leaves += _leave(
        by_number.get("E0027"),
        LeaveKind.ANNUAL,
        upcoming,
        upcoming + timedelta(1),
        hr,
        "pending",
        rng,
    )

    tuesday = months[-1] + timedelta(days=12)
    while tuesday.isoweekday() != 2:
        tuesday += timedelta(days=1)
    absent = {(ABSENT_THREE_DAYS, tuesday + timedelta(days=n)) for n in range(3)}
    imported = 0
    for month in months:
        name = f"考勤机导出-{month:%Y-%m}.csv"
        if ClockImport.objects.filter(file_name=name, status=ImportStatus.CONFIRMED).exists():
            continue
        start, end = month_bounds(month)
        plan = ShiftPlan.load(start, end)
        rows = _rows(rng, employees, plan, start, end, calendar_kinds(start, end), absent)
        draft = services.clock_import_start(file_name=name, content=_csv(rows), by=hr)
        services.clock_import_confirm(clock_import=draft, mapping=draft.mapping, by=hr)
        imported += len(rows)

    created = 0
    for month in months:
        if month_is_closed(month):  # a closed payroll month's attendance is final
            continue
        result = services.attendance_month_process(month=month, by=hr, today=today)
        created += result.violations_created
    return {
        "calendar_days": calendar_days,
        "clock_rows": imported,
        "leave": leaves,
        "violations": created,
    }
