"""Excel exports of the lists: each takes the SAME GET filters as its list page, cleans
them with the owning app's filter form and builds the queryset with the owning app's
selector (imported, never copied), so that the workbook holds exactly what the list
shows (every page of it). Rows are read with ``iterator()`` in chunks and written one by
one (``reports.excel``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.forms import MonthSheetFilterForm
from attendance.models import AttendanceDay
from attendance.selectors import month_bounds, sheet_departments, sheet_employees
from conduct.forms.violations import ViolationFilterForm
from conduct.selectors import violations as violation_selectors
from penalties.engine import sanction_name
from penalties.selectors.approvals import appeal_list
from penalties.selectors.penalties import penalty_list
from penalties.views.penalties import PenaltyFilterForm
from rewards.forms import AwardFilterForm
from rewards.selectors import award_list, award_notice_or_none
from staff.forms import EmployeeFilterForm
from staff.selectors import departments_visible_to, employee_list

from .excel import Column

CHUNK = 2000


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _yes(flag: bool) -> str:
    return _("Yes") if flag else ""


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _departments(user):
    return departments_visible_to(user).order_by("code")


@dataclass(frozen=True)
class ListExport:
    """One list's export: who may download it (the list page's own permission), its
    columns, how to build the queryset from the request, and one row per object."""

    name: str
    title: object  # a lazy string
    may_export: Callable[[object], bool]
    columns: Callable[[], list[Column]]
    queryset: Callable[[object], QuerySet]
    row: Callable[[object], tuple]

    def rows(self, request) -> Iterator[tuple]:
        for obj in self.queryset(request).iterator(chunk_size=CHUNK):
            yield self.row(obj)


def _perm(name: str) -> Callable[[object], bool]:
    return lambda user: user.has_perm(name)


# ---- employees (staff:employee_list) ------------------------------------------------------


def _employee_queryset(request) -> QuerySet:
    form = EmployeeFilterForm(request.GET or None, departments=_departments(request.user))
    filters = _filters(form)
    return employee_list(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        status=filters.get("status", ""),
    )


def _employee_columns() -> list[Column]:
    return [
        Column(_("Employee number"), width=12),
        Column(_("Name"), width=12),
        Column(_("Department"), width=16),
        Column(_("Position"), width=14),
        Column(_("Grade"), width=10),
        Column(_("Hire date"), "date", 12),
        Column(_("Monthly wage"), "money", 14),
        Column(_("Status"), width=10),
        Column(_("Left on"), "date", 12),
    ]


def _employee_row(e) -> tuple:
    return (
        e.employee_no,
        e.name,
        e.department.name,
        e.position.name if e.position_id else "",
        e.grade.name if e.grade_id else "",
        e.hire_date,
        e.monthly_wage,
        e.get_status_display(),
        e.left_on,
    )


# ---- violations (conduct:violation_list) --------------------------------------------------


def _violation_queryset(request) -> QuerySet:
    form = ViolationFilterForm(request.GET or None, departments=_departments(request.user))
    filters = _filters(form)
    return violation_selectors.violation_list(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        rulebook=filters.get("rulebook"),
        category_name=filters.get("category", ""),
        rule_number=filters.get("rule", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        sort=filters.get("sort") or violation_selectors.DEFAULT_SORT,
    )


def _violation_columns() -> list[Column]:
    return [
        Column(_("Occurred at"), "datetime", 17),
        Column(_("Employee number"), width=12),
        Column(_("Name"), width=12),
        Column(_("Department"), width=16),
        Column(_("Rulebook"), width=28),
        Column(_("Rule number"), width=8),
        Column(_("Category"), width=20),
        Column(_("Rule"), width=30),
        Column(_("Occurrence"), "int", 8),
        Column(_("The employee pays"), "money", 14),
        Column(_("Source"), width=12),
        Column(_("Status"), width=10),
        Column(_("Needs review"), width=8),
        Column(_("Place"), width=16),
        Column(_("What happened"), width=40),
        Column(_("Logged by"), width=12),
        Column(_("Logged at"), "datetime", 17),
    ]


def _violation_row(v) -> tuple:
    return (
        v.occurred_at,
        v.employee.employee_no,
        v.employee.name,
        v.employee.department.name,
        v.rulebook.name,
        v.rule_number,
        v.rule.category.name,
        v.rule.title,
        v.occurrence,
        (v.quote or {}).get("person_amount"),
        v.get_source_display(),
        v.get_status_display(),
        _yes(v.needs_review),
        v.place,
        v.description,
        _who(v.logged_by),
        v.logged_at,
    )


# ---- penalties (penalties:penalty_list) ---------------------------------------------------


def _penalty_queryset(request) -> QuerySet:
    form = PenaltyFilterForm(request.GET or None, departments=_departments(request.user))
    filters = _filters(form)
    return penalty_list(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        status=filters.get("status", ""),
        party=filters.get("party", ""),
        tier=filters.get("tier", ""),
        needs_review=bool(filters.get("needs_review")),
        sort=filters.get("sort") or "-created",
    )


def _penalty_columns() -> list[Column]:
    return [
        Column(_("Created at"), "datetime", 17),
        Column(_("Occurred at"), "datetime", 17),
        Column(_("Violator"), width=18),
        Column(_("Liable party"), width=12),
        Column(_("Who pays"), width=18),
        Column(_("Department"), width=16),
        Column(_("Rulebook"), width=28),
        Column(_("Rule number"), width=8),
        Column(_("Money kind"), width=14),
        Column(_("Amount"), "money", 14),
        Column(_("Sanctions"), width=20),
        Column(_("Points"), "int", 8),
        Column(_("Approval needed from"), width=14),
        Column(_("Status"), width=12),
        Column(_("Decided by"), width=12),
        Column(_("Decided at"), "datetime", 17),
        Column(_("Needs review"), width=8),
    ]


def _penalty_row(p) -> tuple:
    violator = p.violation.employee
    payer = f"{p.employee.employee_no} {p.employee.name}" if p.employee_id else p.department.name
    return (
        p.created_at,
        p.violation.occurred_at,
        f"{violator.employee_no} {violator.name}",
        p.get_party_display(),
        payer,
        p.department.name,
        p.violation.rulebook.name,
        p.violation.rule_number,
        p.get_money_kind_display(),
        p.amount,
        "、".join(sanction_name(code) for code in p.sanctions or []),
        p.points,
        p.get_required_tier_display(),
        p.get_status_display(),
        _who(p.decided_by),
        p.decided_at,
        _yes(p.needs_review),
    )


# ---- rewards (rewards:award_list) ---------------------------------------------------------


def _award_queryset(request) -> QuerySet:
    form = AwardFilterForm(request.GET or None, departments=_departments(request.user))
    filters = _filters(form)
    return award_list(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        status=filters.get("status", ""),
        source=filters.get("source", ""),
        month=filters.get("month"),
        sort=filters.get("sort") or "-awarded",
    )


def _award_columns() -> list[Column]:
    return [
        Column(_("Awarded on"), "date", 12),
        Column(_("Employee number"), width=12),
        Column(_("Recipient"), width=16),
        Column(_("Department"), width=16),
        Column(_("Reward type"), width=22),
        Column(_("Source"), width=12),
        Column(_("Amount"), "money", 14),
        Column(_("Department's share"), "money", 14),
        Column(_("Status"), width=10),
        Column(_("Notice number"), width=18),
        Column(_("Reason"), width=40),
        Column(_("Logged by"), width=12),
        Column(_("Decided by"), width=12),
        Column(_("Decided at"), "datetime", 17),
    ]


def _award_row(a) -> tuple:
    notice = award_notice_or_none(a)
    return (
        a.awarded_on,
        a.employee.employee_no if a.employee_id else "",
        a.recipient_name,
        a.department.name,
        a.reward_type.name,
        a.get_source_display(),
        a.amount,
        a.department_amount,
        a.get_status_display(),
        notice.number if notice else "",
        a.reason,
        _who(a.logged_by),
        _who(a.decided_by),
        a.decided_at,
    )


# ---- attendance days (attendance:month_sheet) ---------------------------------------------


def _attendance_queryset(request) -> QuerySet:
    form = MonthSheetFilterForm(
        request.GET or None, departments=sheet_departments(user=request.user)
    )
    month = form.chosen_month()
    department = form.cleaned_data.get("department") if form.is_bound and form.is_valid() else None
    employees = sheet_employees(user=request.user, month=month, department=department)
    return (
        AttendanceDay.objects.filter(
            employee__in=employees.values("pk"), date__range=month_bounds(month)
        )
        .select_related("employee__department", "shift")
        .order_by("employee__employee_no", "date")
    )


def _attendance_columns() -> list[Column]:
    return [
        Column(_("Date"), "date", 12),
        Column(_("Employee number"), width=12),
        Column(_("Name"), width=12),
        Column(_("Department"), width=16),
        Column(_("Status"), width=14),
        Column(_("Shift"), width=12),
        Column(_("Minutes late"), "int", 10),
        Column(_("Minutes early"), "int", 10),
        Column(_("Kind of leave"), width=12),
        Column(_("Leave (days)"), "decimal", 10),
        Column(_("Clock-in"), "datetime", 17),
        Column(_("Clock-out"), "datetime", 17),
        Column(_("Needs review"), width=8),
        Column(_("Note"), width=30),
    ]


def _attendance_row(d) -> tuple:
    return (
        d.date,
        d.employee.employee_no,
        d.employee.name,
        d.employee.department.name,
        d.get_status_display(),
        d.shift.name if d.shift_id else "",
        d.late_minutes,
        d.early_minutes,
        d.get_leave_kind_display() if d.leave_kind else "",
        d.leave_fraction if d.leave_fraction else None,
        d.clock_in,
        d.clock_out,
        _yes(d.needs_review),
        d.note,
    )


# ---- appeals (penalties:appeal_list) ------------------------------------------------------


def _may_export_appeals(user) -> bool:
    return user.has_perm("penalties.review_appeal") or user.has_perm("penalties.view_appeal")


def _appeal_queryset(request) -> QuerySet:
    return appeal_list(user=request.user)


def _appeal_columns() -> list[Column]:
    return [
        Column(_("Filed at"), "datetime", 17),
        Column(_("Employee number"), width=12),
        Column(_("Appellant"), width=12),
        Column(_("Department"), width=16),
        Column(_("Rulebook"), width=28),
        Column(_("Rule number"), width=8),
        Column(_("Amount appealed"), "money", 14),
        Column(_("Grounds of appeal"), width=40),
        Column(_("Status"), width=14),
        Column(_("Outcome"), width=10),
        Column(_("New amount"), "money", 14),
        Column(_("Reason for the decision"), width=30),
        Column(_("Decided by"), width=12),
        Column(_("Decided at"), "datetime", 17),
    ]


def _appeal_row(a) -> tuple:
    violation = a.penalty.violation
    return (
        a.filed_at,
        a.employee.employee_no,
        a.employee.name,
        a.penalty.department.name,
        violation.rulebook.name,
        violation.rule_number,
        a.amount_before,
        a.text,
        a.get_status_display(),
        a.get_outcome_display() if a.outcome else "",
        a.new_amount,
        a.reason,
        _who(a.decided_by),
        a.decided_at,
    )


EXPORTS: dict[str, ListExport] = {
    export.name: export
    for export in (
        ListExport(
            "employees",
            gettext_lazy("Employees"),
            _perm("staff.view_employee"),
            _employee_columns,
            _employee_queryset,
            _employee_row,
        ),
        ListExport(
            "violations",
            gettext_lazy("Violations"),
            _perm("conduct.view_violation"),
            _violation_columns,
            _violation_queryset,
            _violation_row,
        ),
        ListExport(
            "penalties",
            gettext_lazy("Penalties"),
            _perm("penalties.view_penalty"),
            _penalty_columns,
            _penalty_queryset,
            _penalty_row,
        ),
        ListExport(
            "rewards",
            gettext_lazy("Rewards"),
            _perm("rewards.view_award"),
            _award_columns,
            _award_queryset,
            _award_row,
        ),
        ListExport(
            "attendance",
            gettext_lazy("Attendance days"),
            _perm("attendance.view_attendanceday"),
            _attendance_columns,
            _attendance_queryset,
            _attendance_row,
        ),
        ListExport(
            "appeals",
            gettext_lazy("Appeals"),
            _may_export_appeals,
            _appeal_columns,
            _appeal_queryset,
            _appeal_row,
        ),
    )
}
