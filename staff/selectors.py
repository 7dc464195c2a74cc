"""Reads of the organisation, already scoped to what the user may see."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Department, Employee


def department_subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The given departments and all their descendants, in one query."""
    roots = set(root_ids)
    if not roots:
        return set()
    children: dict[int | None, list[int]] = {}
    for dept_id, parent_id in Department.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(dept_id)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(children.get(current, ()))
    return seen


def department_ancestor_ids(department_id: int) -> list[int]:
    """The chain of parents above a department, nearest first."""
    parents = dict(Department.objects.values_list("id", "parent_id"))
    chain: list[int] = []
    current = parents.get(department_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def employee_for_user(user) -> Employee | None:
    """The employee record behind a login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_jc_employee", False)
    if cached is False:
        cached = Employee.objects.filter(user=user).select_related("department").first()
        user._jc_employee = cached
    return cached


def visible_department_ids(user) -> set[int] | None:
    """Departments whose people ``user`` may see: ``None`` means every department.

    Company-wide roles (HR, GM, deputy GM, payroll, auditor) hold the permission
    ``staff.view_all_employees``. A department head sees the departments they head and
    everything below them. Anyone else sees no department (only themselves).
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.has_perm("staff.view_all_employees"):
        return None
    cached = getattr(user, "_jc_visible_departments", None)
    if cached is None:
        me = employee_for_user(user)
        headed = list(Department.objects.filter(head=me).values_list("id", flat=True)) if me else []
        cached = department_subtree_ids(headed)
        user._jc_visible_departments = cached
    return cached


def employees_visible_to(user) -> QuerySet[Employee]:
    departments = visible_department_ids(user)
    qs = Employee.objects.all()
    if departments is None:
        return qs
    me = employee_for_user(user)
    condition = Q(department_id__in=departments)
    if me is not None:
        condition |= Q(pk=me.pk)
    return qs.filter(condition)


def employee_list(
    *, user, search: str = "", department: Department | None = None, status: str = ""
) -> QuerySet[Employee]:
    qs = employees_visible_to(user).select_related("department", "position", "grade")
    if search:
        qs = qs.filter(Q(employee_no__icontains=search) | Q(name__icontains=search))
    if department is not None:
        qs = qs.filter(department_id__in=department_subtree_ids([department.pk]))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("employee_no")


def employee_get_for_user(*, user, employee_id: int) -> Employee:
    """One employee, or 404 both when missing and when not the user's to see."""
    employee = (
        employees_visible_to(user)
        .select_related("department", "position", "grade", "supervisor", "user")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        raise Http404
    return employee


def departments_visible_to(user) -> QuerySet[Department]:
    departments = visible_department_ids(user)
    qs = Department.objects.select_related("parent", "head")
    if departments is None:
        return qs
    return qs.filter(pk__in=departments)
