"""Demo payroll (issue 8): the month before last is closed by the demo payroll clerk, with
some employees over the legal cap (their excess carried into last month), a department's
liability and a supervisor's joint liability; a penalty of that month voided afterwards
becomes an adjustment waiting in last month, which stays open.

A few approved penalties are added for this through the ordinary services (logged by HR,
approved by the GM, back-dated), so the closed month always shows the cap at work.
Idempotent: cases are keyed by employee and description; a closed month is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from conduct.models import Rule, Rulebook, Violation
from conduct.selectors.rulebooks import rulebook_version_in_force
from conduct.services.violations import violation_log
from staff.models import Employee

from .models import PayrollPeriod, PeriodStatus
from .months import first_of, previous_month
from .services import (
    payroll_adjustment_record,
    payroll_period_close,
    payroll_period_get_or_create,
    period_totals,
)


@dataclass(frozen=True)
class Case:
    employee: str
    rulebook: str
    rule: str
    day: int  # of the month before last
    description: str
    second: str = ""  # 工号 of a second liable person (leader / shift manager)
    facts: dict = field(default_factory=dict)
    void_after_close: str = ""  # reason, when HR voids it once the month is closed


CASES = (
    # Low wage (¥2,300): the minimum-wage floor binds (cap ¥200), ¥800 carries over.
    Case("E0033", "hospital-service", "26", 8, "收受患者家属红包,经查属实。"),
    # ¥4,050: two ¥1,000 fines, 20% of the wage (¥810) binds, ¥1,190 carries over.
    Case("E0036", "hospital-service", "26", 9, "私自收取检查费用。"),
    Case("E0036", "hospital-service", "26", 21, "再次私自收取费用,情节严重。"),
    # Water utility: ¥100 to the person and ¥200 to the department (部门 sheet).
    Case("E0037", "water-utility", "2", 12, "抄表员被用户投诉态度生硬。"),
    Case(
        "E0045",
        "water-utility",
        "2",
        16,
        "抢修人员被投诉未按约定时间上门。",
        void_after_close="复核录音后投诉不成立",
    ),
    # A leader's liability for someone else's error (连带责任).
    Case("E0038", "service-management", "5", 18, "抢修时阀门操作失误,停水延长。", second="E0034"),
)


def _rule(code: str, number: str, day: date) -> Rule | None:
    rulebook = Rulebook.objects.filter(code=code).first()
    version = rulebook and rulebook_version_in_force(rulebook=rulebook, on=day)
    if not version:
        return None
    return Rule.objects.filter(version=version, number=number).first()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 20)))


def _log_and_approve(case: Case, month: date, users: dict[str, User]):
    """The case's violation, logged and approved by the GM a day later (None when the
    demo company lacks the employee or the rule)."""
    from penalties.services.approvals import penalty_approve

    employee = Employee.objects.filter(employee_no=case.employee).first()
    day = month.replace(day=case.day)
    rule = _rule(case.rulebook, case.rule, day)
    if employee is None or rule is None:
        return None
    second = Employee.objects.filter(employee_no=case.second).first() if case.second else None
    violation = violation_log(
        employee=employee,
        rule=rule,
        occurred_at=_at(day, 10),
        logged_by=users["hr"],
        place="维修现场" if case.rulebook == "water-utility" else "门诊大厅",
        source="complaint",
        description=case.description,
        second_party_employee=second,
        **case.facts,
    )
    decided = _at(day + timedelta(days=1), 15)
    for penalty in violation.penalties.filter(status="pending"):
        penalty_approve(penalty=penalty, approver=users["gm"], comment="情况属实。", now=decided)
    return violation


def _void_after_close(case: Case, users: dict[str, User], when: datetime) -> int:
    """HR voids the case's penalties after the close; payroll records the correction
    (``penalty_void`` calls payroll itself once it is wired: then this finds nothing
    more to adjust)."""
    from penalties.models import PenaltyStatus
    from penalties.services.approvals import penalty_void

    violation = Violation.objects.filter(
        employee__employee_no=case.employee, description=case.description
    ).first()
    if violation is None:
        return 0
    done = 0
    for penalty in violation.penalties.filter(status=PenaltyStatus.APPROVED):
        old = penalty.amount
        try:
            penalty_void(penalty=penalty, by=users["hr"], reason=case.void_after_close, now=when)
        except ValidationError:
            continue
        payroll_adjustment_record(
            penalty_or_award=penalty,
            old_amount=old,
            new_amount=penalty.amount * 0,
            reason=case.void_after_close,
            by=users["hr"],
            now=when,
        )
        done += 1
    return done


def seed(*, rng: random.Random, today: date) -> dict:
    users = {u.username: u for u in User.objects.filter(username__in=["hr", "gm", "payroll"])}
    if len(users) < 3:
        return {"skipped": "no demo HR officer, GM or payroll clerk"}
    month = previous_month(previous_month(first_of(today)))
    period = PayrollPeriod.objects.filter(month=month).first()
    if period is not None and period.status == PeriodStatus.CLOSED:
        return {"closed": period.label, "already": True}
    if PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED, month__gt=month).exists():
        return {"skipped": "a later month is already closed"}

    logged = 0
    done = set(
        Violation.objects.filter(logged_by=users["hr"]).values_list(
            "employee__employee_no", "description"
        )
    )
    for case in CASES:
        if (case.employee, case.description) not in done and _log_and_approve(case, month, users):
            logged += 1

    closed_at = _at(previous_month(first_of(today)).replace(day=3), 9)
    period = payroll_period_get_or_create(month=month)
    payroll_period_close(period=period, closed_by=users["payroll"], now=closed_at)
    voided = sum(
        _void_after_close(case, users, closed_at + timedelta(days=7))
        for case in CASES
        if case.void_after_close
    )
    payroll_period_get_or_create(month=previous_month(first_of(today)))  # last month: open
    totals = period_totals(period=period)
    return {
        "closed": period.label,
        "penalties_added": logged,
        "employees": totals["employees"],
        "capped": totals["capped"],
        "carried_out": str(totals["carried_out"]),
        "adjustments": voided,
    }
