"""Test data for payroll: approved penalties and awards built row by row (their own
approval flows have their own tests), and a clerk to close with."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from penalties.models import Penalty, PenaltyStatus
from penalties.tests.approval_helpers import SHANGHAI, make_penalty, rule_14
from rewards.models import Award, AwardStatus, RewardType
from staff.tests.factories import DepartmentFactory, EmployeeFactory

DECIDED = datetime(2026, 1, 1, 9, 0, tzinfo=SHANGHAI)


def decider():
    """Whoever logged and approved the test records (not the one who closes)."""
    user, _created = User.objects.get_or_create(username="payroll-test-decider")
    return user


def employee(*, wage: str | Decimal = "3000.00", **kwargs):
    return EmployeeFactory(monthly_wage=Decimal(wage), **kwargs)


def penalty(
    emp,
    amount: str | Decimal,
    *,
    on: date,
    kind: str = "fine",
    party: str = "employee",
    status: str = PenaltyStatus.APPROVED,
    violator=None,
) -> Penalty:
    """An approved penalty of ``amount`` for a violation on ``on``. ``party`` other than
    "employee": ``emp`` is the one who pays (supervisor/leader) or, for "department",
    the violator whose department is liable."""
    who = violator or emp
    occurred = datetime.combine(on, time(10, 0), tzinfo=SHANGHAI)
    p = make_penalty(employee=who, logged_by=decider(), amount=amount, occurred=occurred)
    p.money_kind = kind
    p.party = party
    p.is_primary = party == "employee"
    p.employee = None if party == "department" else emp
    p.status = status
    if status != PenaltyStatus.PENDING:
        p.decided_by = decider()
        p.decided_at = DECIDED
    p.save()
    return p


def reward_type(name: str = "服务之星") -> RewardType:
    version = rule_14().version
    rt, _created = RewardType.objects.get_or_create(
        version=version,
        code="star",
        defaults={
            "name": name,
            "text": "每月评选服务之星,奖励500元。",
            "schedule": {
                "steps": [
                    {"charges": [{"basis": "fixed", "amount": "500", "money_kind": "reward"}]}
                ]
            },
        },
    )
    return rt


def award(
    emp,
    amount: str | Decimal,
    *,
    on: date,
    department=None,
    department_amount: str | Decimal = "0",
    status: str = AwardStatus.APPROVED,
) -> Award:
    """An approved award of ``amount`` to ``emp`` (None: to ``department``'s fund)."""
    return Award.objects.create(
        employee=emp,
        department=department or emp.department,
        reward_type=reward_type(),
        amount=Decimal(amount),
        department_amount=Decimal(department_amount),
        reason="服务热情,客户表扬。",
        awarded_on=on,
        status=status,
        logged_by=decider(),
        logged_at=timezone.now(),
        decided_by=decider() if status != AwardStatus.PENDING else None,
        decided_at=DECIDED if status != AwardStatus.PENDING else None,
    )


__all__ = ["DepartmentFactory", "award", "employee", "penalty", "reward_type"]
