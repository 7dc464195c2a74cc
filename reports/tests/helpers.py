"""Test data for the reports, made through the other apps' services (violations logged
and voided by ``conduct``, penalties approved by ``penalties``, awards by ``rewards``),
so that the figures are counted by hand from a small, known world."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps

from conduct.models import Violation
from conduct.services.violations import violation_log, violation_void
from conduct.tests.test_violation_support import at, person, rule_of
from penalties.models import Penalty
from penalties.services.approvals import penalty_approve
from rewards.models import Award
from rewards.services.awards import award_create
from rewards.services.decisions import award_approve
from rewards.tests.helpers import load_types
from staff.models import Department, Employee
from staff.tests.factories import DepartmentFactory, UserFactory

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)

ROLE_MIGRATIONS = [
    ("staff.migrations.0002_roles", "create_roles"),
    ("conduct.migrations.0002_violations", "grant_violation_permissions"),
    ("conduct.migrations.0003_rulebook_permissions", "grant_rulebook_permissions"),
    ("penalties.migrations.0001_penalties", "grant_penalty_permissions"),
    ("penalties.migrations.0003_approval_roles", "grant_approval_permissions"),
    ("rewards.migrations.0002_permissions", "grant_reward_permissions"),
    ("attendance.migrations.0002_permissions", "grant_attendance_permissions"),
    ("payroll.migrations.0002_permissions", "grant_payroll_permissions"),
    ("audit.migrations.0002_protect_and_grant", "grant_reading"),
    ("reports.migrations.0002_permissions", "grant_report_permissions"),
]


def restore_roles() -> None:
    """Recreate the role groups and their grants (a transactional test's flush removed
    what the data migrations made)."""
    for module, function in ROLE_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


def login_for(employee: Employee, role: str = "employee"):
    """A login with ``role`` for an existing employee file."""
    user = UserFactory(roles=[role])
    employee.user = user
    employee.save(update_fields=["user"])
    return user


def log(employee: Employee, rule, when: datetime, by, **kwargs) -> Violation:
    return violation_log(employee=employee, rule=rule, occurred_at=when, logged_by=by, **kwargs)


def primary(violation: Violation) -> Penalty:
    return violation.penalties.get(is_primary=True)


@dataclass
class World:
    """Departments A (with A1 under it) and B; e1, e2 in A1, e3 in A, e4 in B.

    Active violations in January–March 2025 (hospital-service; the category in brackets):
      e1: rule 1 (十做到) 10 Jan, rule 1 5 Feb, rule 14 (八不准) 3 Mar
      e2: rule 29 (外观形象) 15 Mar            (and rule 1 on 10 Feb, voided)
      e3: rule 1 6 Feb
      e4: rule 14 20 Jan                       (and rule 14 on 20 Dec 2024, outside)
    Penalties approved: e1's of 10 Jan (¥50) and of 3 Mar (¥200); the rest pending.
    Awards approved: e1 survey thanks 14 Feb (¥20); e3 comment-book praise 1 Mar (¥20 +
    ¥200 to the department); pending: e2 survey thanks 5 Mar (¥20).
    """

    a: Department
    a1: Department
    b: Department
    e1: Employee
    e2: Employee
    e3: Employee
    e4: Employee
    violations: dict[str, Violation]
    awards: dict[str, Award]


def build_world(*, hr, approver) -> World:
    a = DepartmentFactory(name="甲部", code="A")
    a1 = DepartmentFactory(name="甲一科", code="A1", parent=a)
    b = DepartmentFactory(name="乙部", code="B")
    e1 = person(department=a1, employee_no="R001", name="赵一")
    e2 = person(department=a1, employee_no="R002", name="钱二")
    e3 = person(department=a, employee_no="R003", name="孙三")
    e4 = person(department=b, employee_no="R004", name="李四")
    r1, r14, r29 = (rule_of("hospital-service", n) for n in (1, 14, 29))
    v = {
        "e1_jan": log(e1, r1, at(2025, 1, 10), hr, source="inspection"),
        "e1_feb": log(e1, r1, at(2025, 2, 5), hr, source="inspection"),
        "e1_mar": log(e1, r14, at(2025, 3, 3), hr, source="complaint"),
        "e2_mar": log(e2, r29, at(2025, 3, 15), hr),
        "e2_voided": log(e2, r1, at(2025, 2, 10), hr),
        "e3_feb": log(e3, r1, at(2025, 2, 6), hr),
        "e4_jan": log(e4, r14, at(2025, 1, 20), hr),
        "e4_dec": log(e4, r14, at(2024, 12, 20), hr),
    }
    violation_void(violation=v["e2_voided"], by=hr, reason="登记错误")
    penalty_approve(penalty=primary(v["e1_jan"]), approver=approver)
    penalty_approve(penalty=primary(v["e1_mar"]), approver=approver)
    types = load_types("water-utility")
    thanks, praise = (
        types["water-utility/survey-thanks"],
        types["water-utility/praise-comment-book"],
    )
    awards = {
        "e1_feb": award_create(
            logged_by=hr,
            reward_type=thanks,
            awarded_on=date(2025, 2, 14),
            reason="用户致谢",
            employee=e1,
        ),
        "e3_mar": award_create(
            logged_by=hr,
            reward_type=praise,
            awarded_on=date(2025, 3, 1),
            reason="留言表扬",
            employee=e3,
        ),
        "e2_mar": award_create(
            logged_by=hr,
            reward_type=thanks,
            awarded_on=date(2025, 3, 5),
            reason="用户致谢",
            employee=e2,
        ),
    }
    award_approve(award=awards["e1_feb"], approver=approver)
    award_approve(award=awards["e3_mar"], approver=approver)
    return World(a, a1, b, e1, e2, e3, e4, v, awards)


YUAN = Decimal
