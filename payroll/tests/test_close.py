"""Closing a payroll month: what it takes, the cap per employee, carry-overs across
months, department and joint liabilities, order and permission checks, reopening."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEntry
from conftest import make_user
from payroll import services
from payroll.models import (
    ItemSource,
    PayrollItem,
    PayrollLine,
    PayrollPeriod,
    PayrollReopening,
    PayrollSettings,
    PeriodStatus,
)
from payroll.selectors import month_is_closed
from payroll.services import (
    ALREADY_CLOSED,
    CLOSE_PREVIOUS_FIRST,
    FUTURE_MONTH,
    LATER_MONTH_CLOSED,
    NOT_ALLOWED_TO_CLOSE,
    NOT_ALLOWED_TO_REOPEN,
    payroll_period_close,
    payroll_period_get_or_create,
    payroll_period_reopen,
)
from payroll.tests.factories import award, employee, penalty
from penalties.models import PenaltyStatus
from penalties.tests.approval_helpers import SHANGHAI
from staff.models import CompanySettings

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
NOW = datetime(2026, 4, 2, 10, 0, tzinfo=SHANGHAI)


def close(month, by, now=NOW):
    return payroll_period_close(
        period=payroll_period_get_or_create(month=month), closed_by=by, now=now
    )


def line(month, emp) -> PayrollLine:
    return PayrollLine.objects.get(period__month=month, employee=emp)


@pytest.fixture
def clerk(db):
    return make_user("payroll_clerk")


@pytest.fixture(autouse=True)
def _minimum_wage(db):
    settings = CompanySettings.get()
    settings.local_minimum_wage = D("2100.00")
    settings.save()


# ---- The cap in its three regimes -----------------------------------------------------


def test_twenty_percent_binds_and_the_excess_carries_with_an_explanation(clerk):
    emp = employee(wage="10000.00")
    penalty(emp, "2500.00", on=date(2026, 1, 10), kind="compensation")
    close(JAN, clerk)
    result = line(JAN, emp)
    assert result.cap == D("2000.00")
    assert (result.compensation, result.withheld, result.carried_out) == (
        D("2500.00"),
        D("2000.00"),
        D("500.00"),
    )
    assert result.is_capped
    assert result.note == (
        "本月应扣 ¥2,500,按《工资支付暂行规定》第十六条上限实扣 ¥2,000,结转下月 ¥500"
    )


def test_the_minimum_wage_floor_binds(clerk):
    emp = employee(wage="3000.00")
    penalty(emp, "500.00", on=date(2026, 1, 10), kind="absence_cut")
    penalty(emp, "500.00", on=date(2026, 1, 12))
    close(JAN, clerk)
    result = line(JAN, emp)
    # 20% would allow 600; 3000 − 500 absence − 2100 minimum leaves 400.
    assert result.cap == D("400.00")
    assert result.absence_cuts == D("500.00")
    assert result.fines == D("500.00")
    assert result.withheld == D("900.00")  # absence cut in full + 400 under the cap
    assert result.carried_out == D("100.00")
    assert result.note == (
        "本月应扣 ¥500,按《工资支付暂行规定》第十六条上限实扣 ¥400,结转下月 ¥100"
    )


def test_neither_limit_binds(clerk):
    emp = employee(wage="3000.00")
    penalty(emp, "200.00", on=date(2026, 1, 10))
    penalty(emp, "150.00", on=date(2026, 1, 11), kind="bonus_reduction")
    close(JAN, clerk)
    result = line(JAN, emp)
    assert (result.fines, result.bonus_reductions) == (D("200.00"), D("150.00"))
    assert result.withheld == D("350.00")
    assert result.carried_out == 0 and not result.is_capped and result.note == ""
    assert result.net_change == D("-350.00")


def test_absence_cuts_are_withheld_even_beyond_the_cap(clerk):
    emp = employee(wage="3000.00")
    penalty(emp, "1200.00", on=date(2026, 1, 10), kind="absence_cut")
    close(JAN, clerk)
    result = line(JAN, emp)
    assert result.cap == 0 and result.withheld == D("1200.00") and not result.is_capped


# ---- Carry-over across two months -----------------------------------------------------


def test_carry_over_across_two_months_oldest_first(clerk):
    emp = employee(wage="3000.00")  # cap 600 a month
    jan = penalty(emp, "1000.00", on=date(2026, 1, 10))
    close(JAN, clerk)
    assert line(JAN, emp).carried_out == D("400.00")

    feb = penalty(emp, "300.00", on=date(2026, 2, 3))
    close(FEB, clerk)
    result = line(FEB, emp)
    assert (result.carried_in, result.fines, result.due) == (
        D("400.00"),
        D("300.00"),
        D("700.00"),
    )
    assert (result.withheld, result.carried_out) == (D("600.00"), D("100.00"))
    carry = PayrollItem.objects.get(period__month=FEB, source=ItemSource.CARRY)
    assert carry.penalty == jan and carry.applied == D("400.00") and carry.carried == 0
    new = PayrollItem.objects.get(period__month=FEB, penalty=feb, source=ItemSource.PENALTY)
    assert (new.applied, new.carried) == (D("200.00"), D("100.00"))

    close(MAR, clerk)
    result = line(MAR, emp)
    assert (result.carried_in, result.withheld, result.carried_out) == (
        D("100.00"),
        D("100.00"),
        0,
    )
    assert PayrollItem.objects.get(period__month=MAR).carried_from == new


# ---- What a close takes ----------------------------------------------------------------


def test_only_approved_penalties_not_under_appeal_dated_up_to_the_month_end(clerk):
    emp = employee()
    taken = penalty(emp, "100.00", on=date(2025, 11, 30))  # older, never closed: taken
    penalty(emp, "100.00", on=date(2026, 2, 1))  # next month
    for status in (
        PenaltyStatus.PENDING,
        PenaltyStatus.REJECTED,
        PenaltyStatus.UNDER_APPEAL,
        PenaltyStatus.REVOKED,
        PenaltyStatus.VOIDED,
    ):
        penalty(emp, "100.00", on=date(2026, 1, 5), status=status)
    close(JAN, clerk)
    assert list(PayrollItem.objects.values_list("penalty", flat=True)) == [taken.pk]


def test_an_approval_after_the_close_goes_into_the_next_month_once(clerk):
    emp = employee()
    late = penalty(emp, "100.00", on=date(2026, 1, 20), status=PenaltyStatus.PENDING)
    close(JAN, clerk)
    assert not PayrollItem.objects.filter(penalty=late).exists()
    late.status = PenaltyStatus.APPROVED
    late.decided_by = make_user("gm")
    late.save()
    close(FEB, clerk)
    item = PayrollItem.objects.get(penalty=late)
    assert item.period.month == FEB and item.dated == date(2026, 1, 20)
    close(MAR, clerk)
    assert PayrollItem.objects.filter(penalty=late).count() == 1


def test_a_penalty_cannot_be_included_twice(clerk):
    emp = employee()
    p = penalty(emp, "100.00", on=date(2026, 1, 20))
    close(JAN, clerk)
    other = PayrollPeriod.objects.create(month=FEB)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollItem.objects.create(
            period=other,
            source=ItemSource.PENALTY,
            penalty=p,
            employee=emp,
            department=emp.department,
            kind="fine",
            dated=date(2026, 1, 20),
            amount=D("100.00"),
        )


def test_department_liability_is_listed_apart_and_joint_liability_is_the_persons(clerk):
    violator = employee()
    supervisor = employee(wage="5000.00")
    penalty(violator, "200.00", on=date(2026, 1, 5))
    penalty(None, "500.00", on=date(2026, 1, 5), party="department", violator=violator)
    penalty(supervisor, "400.00", on=date(2026, 1, 5), party="supervisor", violator=violator)
    close(JAN, clerk)
    assert line(JAN, violator).fines == D("200.00")
    assert line(JAN, supervisor).fines == D("400.00")
    joint = PayrollItem.objects.get(employee=supervisor)
    assert joint.is_joint and joint.department == violator.department
    dept = PayrollItem.objects.get(employee__isnull=True)
    assert dept.amount == D("500.00") and dept.department == violator.department
    assert PayrollLine.objects.count() == 2


def test_rewards_are_added_in_full_and_department_shares_go_to_the_fund(clerk):
    emp = employee(wage="3000.00")
    penalty(emp, "1000.00", on=date(2026, 1, 5))
    award(emp, "500.00", on=date(2026, 1, 9), department_amount="200.00")
    award(None, "500.00", on=date(2026, 1, 9), department=emp.department)
    close(JAN, clerk)
    result = line(JAN, emp)
    assert result.rewards == D("500.00")
    assert (result.withheld, result.carried_out) == (D("600.00"), D("400.00"))
    assert result.net_change == D("-100.00")
    fund = PayrollItem.objects.filter(employee__isnull=True).order_by("pk")
    assert [(i.kind, i.amount, i.party) for i in fund] == [
        ("reward", D("200.00"), "department"),
        ("reward", D("500.00"), "department"),
    ]


def test_the_company_setting_nets_rewards_against_the_cap(clerk, gm_user):
    services.payroll_settings_update(by=gm_user, net_rewards_against_cap=True)
    emp = employee(wage="3000.00")
    penalty(emp, "1000.00", on=date(2026, 1, 5))
    award(emp, "500.00", on=date(2026, 1, 9))
    close(JAN, clerk)
    result = line(JAN, emp)
    assert (result.withheld, result.carried_out, result.net_change) == (
        D("1000.00"),
        0,
        D("-500.00"),
    )
    assert "奖励" in result.note
    assert PayrollPeriod.objects.get(month=JAN).net_rewards is True
    assert PayrollSettings.get().net_rewards_against_cap


def test_names_are_kept_as_they_were_at_the_close(clerk):
    emp = employee(name="欧阳娜")
    penalty(emp, "100.00", on=date(2026, 1, 5))
    close(JAN, clerk)
    emp.name = "欧阳娜娜"
    emp.save()
    assert line(JAN, emp).name == "欧阳娜"


def test_close_records_who_when_and_an_audit_entry(clerk):
    emp = employee()
    penalty(emp, "100.00", on=date(2026, 1, 5))
    period = close(JAN, clerk)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    assert (period.closed_by, period.closed_at, period.minimum_wage) == (clerk, NOW, D("2100"))
    entry = AuditEntry.objects.get(object_type="payroll.payrollperiod", object_id=str(period.pk))
    assert entry.changes == {"status": ["open", "closed"]} and "employees=1" in entry.comment
    assert month_is_closed(date(2026, 1, 31)) and month_is_closed(date(2025, 6, 1))
    assert not month_is_closed(date(2026, 2, 1))


# ---- Order and permission checks -------------------------------------------------------


def _message(exc) -> str:
    return exc.value.messages[0]


def test_a_month_closes_once(clerk):
    close(JAN, clerk)
    with pytest.raises(ValidationError) as exc:
        close(JAN, clerk)
    assert _message(exc) == str(ALREADY_CLOSED) % {"month": "2026-01"}


def test_months_close_in_order(clerk):
    close(JAN, clerk)
    with pytest.raises(ValidationError) as exc:
        close(MAR, clerk)
    assert _message(exc) == str(CLOSE_PREVIOUS_FIRST) % {"previous": "2026-02", "last": "2026-01"}


def test_a_month_that_has_not_begun_cannot_be_closed(clerk):
    with pytest.raises(ValidationError) as exc:
        close(date(2026, 5, 1), clerk)
    assert _message(exc) == str(FUTURE_MONTH) % {"month": "2026-05"}


@pytest.mark.parametrize("role", ["hr_officer", "gm", "auditor", "department_head", "employee"])
def test_only_the_payroll_clerk_closes(role):
    with pytest.raises(ValidationError) as exc:
        close(JAN, make_user(role))
    assert _message(exc) == str(NOT_ALLOWED_TO_CLOSE)
    assert not PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED).exists()


# ---- Reopening -----------------------------------------------------------------------


def test_gm_reopens_the_latest_month_with_a_reason_and_it_closes_again(clerk, gm_user):
    emp = employee()
    p = penalty(emp, "1000.00", on=date(2026, 1, 5))
    period = close(JAN, clerk)
    reopening = payroll_period_reopen(period=period, reopened_by=gm_user, reason="工资基数有误")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and period.closed_at is None
    assert not PayrollItem.objects.exists() and not PayrollLine.objects.exists()
    assert reopening.previous_closed_by == clerk and reopening.previous_totals["withheld"] == (
        "600.00"
    )
    assert not month_is_closed(date(2026, 1, 5))

    emp.monthly_wage = D("10000.00")
    emp.save()
    close(JAN, clerk)
    result = line(JAN, emp)
    assert (result.withheld, result.carried_out) == (D("1000.00"), 0)
    assert PayrollItem.objects.get(penalty=p).period == period
    period.refresh_from_db()
    assert period.times_closed == 2 and PayrollReopening.objects.count() == 1


def test_reopening_refuses_when_a_later_month_is_closed(clerk, gm_user):
    jan = close(JAN, clerk)
    close(FEB, clerk)
    with pytest.raises(ValidationError) as exc:
        payroll_period_reopen(period=jan, reopened_by=gm_user, reason="重算")
    assert _message(exc) == str(LATER_MONTH_CLOSED) % {"later": "2026-02"}


@pytest.mark.parametrize("role", ["payroll_clerk", "hr_officer", "deputy_gm", "auditor"])
def test_only_the_gm_reopens(clerk, role):
    period = close(JAN, clerk)
    with pytest.raises(ValidationError) as exc:
        payroll_period_reopen(period=period, reopened_by=make_user(role), reason="重算")
    assert _message(exc) == str(NOT_ALLOWED_TO_REOPEN)


def test_reopening_needs_a_reason(clerk, gm_user):
    period = close(JAN, clerk)
    with pytest.raises(ValidationError) as exc:
        payroll_period_reopen(period=period, reopened_by=gm_user, reason="  ")
    assert exc.value.message_dict == {"reason": [str(services.REASON_REQUIRED)]}
