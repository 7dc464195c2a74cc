"""Bulk reads behind import and processing: whose shift, which calendar day, which leave,
which attendance policy applies to an employee on a day. Each ``load`` runs a fixed
number of queries whatever the number of employees; lookups are then in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from conduct.models import RulebookVersion
from staff.models import Department

from .models import (
    AttendancePolicy,
    AttendanceSettings,
    CalendarDay,
    DepartmentRulebook,
    Leave,
    LeaveStatus,
    Shift,
    ShiftAssignment,
)


def _department_parents() -> dict[int, int | None]:
    return dict(Department.objects.values_list("id", "parent_id"))


def _chain(parents: dict[int, int | None], department_id: int | None) -> list[int]:
    chain: list[int] = []
    current = department_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


@dataclass
class ShiftPlan:
    """Shift assignments overlapping a date range. An employee's own assignment wins; then
    the nearest department up the tree; then the company default shift."""

    by_employee: dict[int, list[ShiftAssignment]]
    by_department: dict[int, list[ShiftAssignment]]
    parents: dict[int, int | None]
    default: Shift | None

    @classmethod
    def load(
        cls,
        start: date,
        end: date,
        *,
        employee_ids: Iterable[int] | None = None,
        parents: dict[int, int | None] | None = None,
        settings: AttendanceSettings | None = None,
    ) -> ShiftPlan:
        settings = settings or AttendanceSettings.get()
        qs = ShiftAssignment.objects.select_related("shift").filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=start), effective_from__lte=end
        )
        if employee_ids is not None:
            qs = qs.filter(Q(employee_id__in=list(employee_ids)) | Q(employee__isnull=True))
        by_employee: dict[int, list[ShiftAssignment]] = defaultdict(list)
        by_department: dict[int, list[ShiftAssignment]] = defaultdict(list)
        for assignment in qs.order_by("-effective_from", "-pk"):
            if assignment.employee_id is not None:
                by_employee[assignment.employee_id].append(assignment)
            else:
                by_department[assignment.department_id].append(assignment)
        default = None
        if settings.default_shift_id:
            default = Shift.objects.filter(pk=settings.default_shift_id).first()
        return cls(
            by_employee=by_employee,
            by_department=by_department,
            parents=parents if parents is not None else _department_parents(),
            default=default,
        )

    def shift_for(self, employee_id: int, department_id: int, day: date) -> Shift | None:
        for assignment in self.by_employee.get(employee_id, ()):
            if assignment.covers(day):
                return assignment.shift
        for dept in _chain(self.parents, department_id):
            for assignment in self.by_department.get(dept, ()):
                if assignment.covers(day):
                    return assignment.shift
        return self.default


def calendar_kinds(start: date, end: date) -> dict[date, str]:
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def approved_leaves(
    start: date, end: date, *, employee_ids: Iterable[int] | None = None
) -> dict[int, list[Leave]]:
    qs = Leave.objects.filter(
        status=LeaveStatus.APPROVED, start_date__lte=end, end_date__gte=start
    ).order_by("start_date", "pk")
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    leaves: dict[int, list[Leave]] = defaultdict(list)
    for leave in qs:
        leaves[leave.employee_id].append(leave)
    return leaves


def leave_on(leaves: list[Leave], day: date) -> tuple[Leave | None, frozenset[str]]:
    """The leave covering ``day`` and the halves it covers (two half-day leaves join)."""
    found: Leave | None = None
    halves: set[str] = set()
    for leave in leaves:
        covered = leave.halves_on(day)
        if covered:
            halves |= covered
            if found is None or len(covered) == 2:
                found = leave
    return found, frozenset(halves)


@dataclass
class PolicyPlan:
    """Which attendance policy judges an employee on a day: the rulebook named for the
    employee's department (nearest up the tree) or the company's, in its version in force
    that day, and that version's policy (``None`` when it has none)."""

    default_rulebook_id: int | None
    by_department: dict[int, int]
    versions: dict[int, list[RulebookVersion]]
    policies: dict[int, AttendancePolicy]
    parents: dict[int, int | None]

    @classmethod
    def load(
        cls,
        *,
        parents: dict[int, int | None] | None = None,
        settings: AttendanceSettings | None = None,
    ) -> PolicyPlan:
        settings = settings or AttendanceSettings.get()
        by_department = dict(DepartmentRulebook.objects.values_list("department_id", "rulebook_id"))
        rulebook_ids = set(by_department.values())
        if settings.default_rulebook_id:
            rulebook_ids.add(settings.default_rulebook_id)
        versions: dict[int, list[RulebookVersion]] = defaultdict(list)
        for version in RulebookVersion.objects.filter(rulebook_id__in=rulebook_ids).select_related(
            "rulebook"
        ):
            versions[version.rulebook_id].append(version)
        policies = {
            policy.version_id: policy
            for policy in AttendancePolicy.objects.filter(
                version__rulebook_id__in=rulebook_ids
            ).select_related(
                "version__rulebook",
                "late_rule",
                "early_rule",
                "absence_rule",
                "personal_leave_rule",
                "sick_leave_rule",
            )
        }
        return cls(
            default_rulebook_id=settings.default_rulebook_id,
            by_department=by_department,
            versions=versions,
            policies=policies,
            parents=parents if parents is not None else _department_parents(),
        )

    def rulebook_for(self, department_id: int) -> int | None:
        for dept in _chain(self.parents, department_id):
            if dept in self.by_department:
                return self.by_department[dept]
        return self.default_rulebook_id

    def version_for(self, department_id: int, day: date) -> RulebookVersion | None:
        rulebook_id = self.rulebook_for(department_id)
        for version in self.versions.get(rulebook_id, ()):
            if version.effective_from <= day and (
                version.effective_to is None or day <= version.effective_to
            ):
                return version
        return None

    def policy_for(self, department_id: int, day: date) -> AttendancePolicy | None:
        version = self.version_for(department_id, day)
        return self.policies.get(version.pk) if version is not None else None
