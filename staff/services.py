"""Writes to the organisation. Views, the admin and commands all come through here.

Single-record invariants (no future hire date, no department under itself) live in the
models' ``clean()`` so that every form shows them at the field; services run
``full_clean()`` so that nothing skips them.
"""

from typing import Any

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot

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


def _create(model, allowed: tuple[str, ...], by, fields: dict[str, Any]):
    _check_fields(fields, allowed)
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=by, obj=obj, action=AuditAction.CREATE, changes=diff({}, snapshot(obj, fields))
    )
    return obj


def _update(obj, allowed: tuple[str, ...], by, fields: dict[str, Any], extra=()):
    _check_fields(fields, allowed)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        return obj
    before = snapshot(obj, changed)
    for name in changed:
        setattr(obj, name, fields[name])
    obj.full_clean()
    obj.save(update_fields=[*changed, *extra])
    audit_record(
        actor=by, obj=obj, action=AuditAction.UPDATE, changes=diff(before, snapshot(obj, changed))
    )
    return obj


@transaction.atomic
def employee_create(*, by=None, **fields: Any) -> Employee:
    """A new employee file; ``by`` is the user doing it (None: the system)."""
    return _create(Employee, EMPLOYEE_FIELDS, by, fields)


@transaction.atomic
def employee_update(*, employee: Employee, by=None, **fields: Any) -> Employee:
    return _update(employee, EMPLOYEE_FIELDS, by, fields, extra=("updated_at",))


@transaction.atomic
def department_create(*, by=None, **fields: Any) -> Department:
    return _create(Department, DEPARTMENT_FIELDS, by, fields)


@transaction.atomic
def department_update(*, department: Department, by=None, **fields: Any) -> Department:
    return _update(department, DEPARTMENT_FIELDS, by, fields)
