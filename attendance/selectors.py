"""Reads of attendance, already scoped to what the user may see (404 for "not yours")."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import pgettext_lazy

from staff.models import Department, Employee
from staff.selectors import (
    department_subtree_ids,
    employee_for_user,
    employees_visible_to,
)

from .importing import (
    FIELDS,
    ImportFileError,
    ParsedRow,
    ParseResult,
    check_mapping,
    parse_date,
    parse_rows,
    read_table,
)
from .marks import STATUS_CSS, day_mark
from .models import (
    AttendanceDay,
    AttendanceMonth,
    CalendarDay,
    ClockImport,
    ClockRecord,
    DayStatus,
    DepartmentRulebook,
    ImportStatus,
    Leave,
    LeaveStatus,
)
from .planning import ShiftPlan

WEEKDAY_INITIALS = [
    pgettext_lazy("weekday initial", "Mo"),
    pgettext_lazy("weekday initial", "Tu"),
    pgettext_lazy("weekday initial", "We"),
    pgettext_lazy("weekday initial", "Th"),
    pgettext_lazy("weekday initial", "Fr"),
    pgettext_lazy("weekday initial", "Sa"),
    pgettext_lazy("weekday initial", "Su"),
]

# --- months -------------------------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(text: str) -> date | None:
    """``2026-03`` → 2026-03-01; ``None`` when unreadable."""
    try:
        year, month = (int(part) for part in text.strip().split("-", 1))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return None


# --- imports ------------------------------------------------------------------------------------


def clock_imports_for_user(*, user) -> QuerySet[ClockImport]:
    if not user.has_perm("attendance.import_clock_records"):
        return ClockImport.objects.none()
    return ClockImport.objects.select_related("created_by", "confirmed_by").defer("content")


def clock_import_get_for_user(*, user, import_id: int) -> ClockImport:
    found = clock_imports_for_user(user=user).filter(pk=import_id).first()
    if found is None:
        raise Http404
    return found


def clock_import_done(*, digest: str) -> ClockImport | None:
    """The confirmed import of a file with this SHA-256, if any."""
    return (
        ClockImport.objects.defer("content")
        .filter(sha256=digest, status=ImportStatus.CONFIRMED)
        .first()
    )


@dataclass
class ImportPreview:
    mapping: dict[str, str]
    mapping_errors: list[str] = field(default_factory=list)
    file_error: str = ""
    result: ParseResult | None = None
    new: list[ParsedRow] = field(default_factory=list)
    changed: list[tuple[ParsedRow, int]] = field(default_factory=list)
    unchanged: int = 0
    date_range: tuple[date | None, date | None] = (None, None)

    @property
    def can_confirm(self) -> bool:
        return (
            not self.mapping_errors
            and not self.file_error
            and self.result is not None
            and self.result.is_clean
            and bool(self.result.rows)
        )


def clock_import_preview(*, clock_import: ClockImport, mapping: dict[str, str]) -> ImportPreview:
    """Check every row of a draft import against the employees, their shifts and the
    records already stored. A fixed number of queries whatever the number of rows."""
    mapping = {name: mapping.get(name, "") for name in FIELDS}
    preview = ImportPreview(mapping=mapping)
    try:
        table = read_table(bytes(clock_import.content))
    except ImportFileError as exc:
        preview.file_error = str(exc)
        return preview
    preview.mapping_errors = check_mapping(table.headers, mapping)
    if preview.mapping_errors:
        return preview
    number_at = table.headers.index(mapping["employee_no"])
    date_at = table.headers.index(mapping["date"])
    numbers: set[str] = set()
    dates: list[date] = []
    for _line, cells in table.rows:
        if number_at < len(cells) and cells[number_at] is not None:
            text = str(cells[number_at]).strip()
            numbers.add(text[:-2] if isinstance(cells[number_at], float) else text)
        if date_at < len(cells):
            parsed = parse_date(cells[date_at])
            if parsed is not None:
                dates.append(parsed)
    employees = {
        number: (pk, dept)
        for number, pk, dept in Employee.objects.filter(employee_no__in=numbers).values_list(
            "employee_no", "id", "department_id"
        )
    }
    if dates:
        plan = ShiftPlan.load(
            min(dates), max(dates), employee_ids=[pk for pk, _dept in employees.values()]
        )

        def crosses_midnight(employee_id: int, department_id: int, day: date) -> bool:
            shift = plan.shift_for(employee_id, department_id, day)
            return bool(shift and shift.crosses_midnight)

    else:

        def crosses_midnight(employee_id: int, department_id: int, day: date) -> bool:
            return False

    result = parse_rows(table, mapping, employees=employees, crosses_midnight=crosses_midnight)
    preview.result = result
    if not result.rows:
        return preview
    first = min(row.work_date for row in result.rows)
    last = max(row.work_date for row in result.rows)
    preview.date_range = (first, last)
    existing = {
        (employee_id, day): (pk, clock_in, clock_out)
        for pk, employee_id, day, clock_in, clock_out in ClockRecord.objects.filter(
            is_current=True,
            work_date__range=(first, last),
            employee_id__in={row.employee_id for row in result.rows},
        ).values_list("pk", "employee_id", "work_date", "clock_in", "clock_out")
    }
    for row in result.rows:
        current = existing.get((row.employee_id, row.work_date))
        if current is None:
            preview.new.append(row)
        elif (current[1], current[2]) == (row.clock_in, row.clock_out):
            preview.unchanged += 1
        else:
            preview.changed.append((row, current[0]))
    return preview


# --- processed months ---------------------------------------------------------------------------


def attendance_month_get(month: date) -> AttendanceMonth | None:
    return AttendanceMonth.objects.select_related("processed_by").filter(month=month).first()


# --- the month sheet ----------------------------------------------------------------------------


@dataclass
class SheetCell:
    day: date
    mark: str = ""
    css: str = ""
    review: bool = False
    title: str = ""


@dataclass
class SheetTotals:
    working_days: int = 0
    on_time: int = 0
    late_times: int = 0
    late_minutes: int = 0
    early_times: int = 0
    early_minutes: int = 0
    absent_days: int = 0
    leave_days: Decimal = Decimal("0")
    incomplete: int = 0


@dataclass
class SheetRow:
    employee: Employee
    cells: list[SheetCell]
    totals: SheetTotals


@dataclass
class SheetDay:
    day: date
    calendar_kind: str = ""
    calendar_name: str = ""

    @property
    def is_weekend(self) -> bool:
        return self.day.isoweekday() >= 6

    @property
    def weekday(self) -> str:
        return str(WEEKDAY_INITIALS[self.day.weekday()])


def sheet_departments(*, user) -> QuerySet[Department]:
    from staff.selectors import departments_visible_to

    return departments_visible_to(user).order_by("code")


def sheet_employees(
    *, user, month: date, department: Department | None = None
) -> QuerySet[Employee]:
    """The employees on the month's sheet that ``user`` may see: employed during the month."""
    first, last = month_bounds(month)
    qs = (
        employees_visible_to(user)
        .filter(hire_date__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .select_related("department")
    )
    if department is not None:
        qs = qs.filter(department_id__in=department_subtree_ids([department.pk]))
    return qs.order_by("employee_no")


def sheet_days(month: date) -> list[SheetDay]:
    first, last = month_bounds(month)
    named = {entry.date: entry for entry in CalendarDay.objects.filter(date__range=(first, last))}
    days = []
    current = first
    while current <= last:
        entry = named.get(current)
        days.append(
            SheetDay(
                day=current,
                calendar_kind=entry.kind if entry else "",
                calendar_name=entry.name if entry else "",
            )
        )
        current += timedelta(days=1)
    return days


def sheet_rows(*, employees: list[Employee], month: date) -> list[SheetRow]:
    """One row per employee with a mark per day and the month's totals: one query."""
    first, last = month_bounds(month)
    by_employee: dict[int, dict[date, dict]] = defaultdict(dict)
    for values in AttendanceDay.objects.filter(
        employee_id__in=[e.pk for e in employees], date__range=(first, last)
    ).values(
        "employee_id",
        "date",
        "status",
        "late_minutes",
        "early_minutes",
        "leave_kind",
        "leave_fraction",
        "needs_review",
        "note",
    ):
        by_employee[values["employee_id"]][values["date"]] = values
    dates = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    rows = []
    for employee in employees:
        days = by_employee.get(employee.pk, {})
        totals = SheetTotals()
        cells = []
        for day in dates:
            values = days.get(day)
            if values is None:
                cells.append(SheetCell(day=day))
                continue
            status = values["status"]
            cells.append(
                SheetCell(
                    day=day,
                    mark=day_mark(
                        status=status,
                        late_minutes=values["late_minutes"],
                        early_minutes=values["early_minutes"],
                        leave_kind=values["leave_kind"],
                        leave_fraction=values["leave_fraction"],
                    ),
                    css=STATUS_CSS.get(status, ""),
                    review=values["needs_review"],
                    title=values["note"],
                )
            )
            _add(totals, values)
        rows.append(SheetRow(employee=employee, cells=cells, totals=totals))
    return rows


def _add(totals: SheetTotals, values: dict) -> None:
    status = values["status"]
    if status in (DayStatus.REST, DayStatus.HOLIDAY, DayStatus.NO_SHIFT):
        return
    totals.working_days += 1
    totals.leave_days += values["leave_fraction"]
    if status == DayStatus.ON_TIME:
        totals.on_time += 1
    elif status == DayStatus.ABSENT:
        totals.absent_days += 1
    elif status == DayStatus.INCOMPLETE:
        totals.incomplete += 1
    if status in (DayStatus.LATE, DayStatus.LATE_EARLY):
        totals.late_times += 1
        totals.late_minutes += values["late_minutes"]
    if status in (DayStatus.EARLY, DayStatus.LATE_EARLY):
        totals.early_times += 1
        totals.early_minutes += values["early_minutes"]


# --- leave --------------------------------------------------------------------------------------


def leaves_visible_to(user) -> QuerySet[Leave]:
    """HR and company-wide roles: all; a head: their subtree and themselves; anyone else:
    their own."""
    if not getattr(user, "is_authenticated", False):
        return Leave.objects.none()
    if user.has_perm("attendance.view_all_leave"):
        return Leave.objects.all()
    return Leave.objects.filter(employee__in=employees_visible_to(user))


def leave_list(*, user, status: str = "", search: str = "", to_decide: bool = False):
    qs = leaves_visible_to(user).select_related("employee__department", "requested_by")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(employee__employee_no__icontains=search) | Q(employee__name__icontains=search)
        )
    if to_decide:
        departments = approvable_department_ids(user)
        me = employee_for_user(user)
        qs = qs.filter(status=LeaveStatus.PENDING, employee__department_id__in=departments)
        if me is not None:
            qs = qs.exclude(employee=me)
    return qs.order_by("-start_date", "-pk")


def leave_get_for_user(*, user, leave_id: int) -> Leave:
    leave = (
        leaves_visible_to(user)
        .select_related(
            "employee__department", "requested_by", "decided_by", "cancelled_by", "employee__user"
        )
        .filter(pk=leave_id)
        .first()
    )
    if leave is None:
        raise Http404
    return leave


def approvable_department_ids(user) -> set[int]:
    """Departments whose people's leave ``user`` may decide: the subtrees they head."""
    if not user.has_perm("attendance.approve_leave"):
        return set()
    me = employee_for_user(user)
    if me is None:
        return set()
    headed = Department.objects.filter(head=me).values_list("id", flat=True)
    return department_subtree_ids(headed)


def can_decide_leave(user, leave: Leave) -> bool:
    me = employee_for_user(user)
    if me is None or me.pk == leave.employee_id:
        return False
    return leave.employee.department_id in approvable_department_ids(user)


def can_cancel_leave(user, leave: Leave) -> bool:
    if not leave.is_open:
        return False
    me = employee_for_user(user)
    if me is not None and me.pk == leave.employee_id:
        return True
    return user.has_perm("attendance.enter_leave_for_others") or leave.requested_by_id == user.pk


# --- set-up ---------------------------------------------------------------------------------


def setup_overview(*, today: date) -> dict:
    """Shifts, assignments, this and next year's calendar, the policies and settings."""
    from .models import AttendancePolicy, AttendanceSettings, Shift, ShiftAssignment

    return {
        "shifts": Shift.objects.order_by("start", "name"),
        "assignments": ShiftAssignment.objects.select_related(
            "shift", "department", "employee"
        ).order_by("-effective_from", "pk")[:200],
        "calendar": CalendarDay.objects.filter(date__year__in=[today.year, today.year + 1]),
        "policies": AttendancePolicy.objects.select_related(
            "version__rulebook",
            "late_rule",
            "early_rule",
            "absence_rule",
            "personal_leave_rule",
            "sick_leave_rule",
        ),
        "settings": AttendanceSettings.objects.select_related(
            "default_rulebook", "default_shift"
        ).get(pk=AttendanceSettings.get().pk),
        "department_rulebooks": DepartmentRulebook.objects.select_related(
            "department", "rulebook"
        ).order_by("department__code"),
    }
