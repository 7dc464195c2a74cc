"""Writes to the organisation. Views, the admin and commands all come through here.

Single-record invariants (no future hire date, no department under itself) live in the
models' ``clean()`` so that every form shows them at the field; services run
``full_clean()`` so that nothing skips them.
"""

from typing import Any

from django.db import transaction

from .models import Department, Employee

EMPLOYEE_FIELDS = (
    "employee_no",
    "name",
    "department",
    "position",
    "grade",
    "hire_date",
    "monthly_wage",
    "monthly_bonus",
    "status",
    "left_on",
    "supervisor",
    "user",
    "phone",
)
DEPARTMENT_FIELDS = ("name", "code", "parent", "head", "is_active")


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def employee_create(**fields: Any) -> Employee:
    _check_fields(fields, EMPLOYEE_FIELDS)
    employee = Employee(**fields)
    employee.full_clean()
    employee.save()
    return employee


@transaction.atomic
def employee_update(*, employee: Employee, **fields: Any) -> Employee:
    _check_fields(fields, EMPLOYEE_FIELDS)
    changed = [name for name, value in fields.items() if getattr(employee, name) != value]
    if not changed:
        return employee
    for name in changed:
        setattr(employee, name, fields[name])
    employee.full_clean()
    employee.save(update_fields=[*changed, "updated_at"])
    return employee


@transaction.atomic
def department_create(**fields: Any) -> Department:
    _check_fields(fields, DEPARTMENT_FIELDS)
    department = Department(**fields)
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def department_update(*, department: Department, **fields: Any) -> Department:
    _check_fields(fields, DEPARTMENT_FIELDS)
    changed = [name for name, value in fields.items() if getattr(department, name) != value]
    if not changed:
        return department
    for name in changed:
        setattr(department, name, fields[name])
    department.full_clean()
    department.save(update_fields=changed)
    return department
