"""Corrections after a close: voiding, reducing or revoking something a closed month
included becomes an adjustment in the next open month; a reduction first cancels what is
still carried over and pays back the rest; reopening cancels adjustments it makes moot.
Plus the query count of a close, which must not grow with the number of employees."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from conftest import make_user
from payroll.models import AdjustmentStatus, ItemSource, PayrollAdjustment, PayrollItem
from payroll.services import (
    payroll_adjustment_record,
    payroll_period_close,
    payroll_period_get_or_create,
    payroll_period_reopen,
)
from payroll.tests.factories import award, employee, penalty
from payroll.tests.test_close import FEB, JAN, MAR, NOW, close, line
from penalties.models import PenaltyStatus
from penalties.tests.approval_helpers import SHANGHAI
from rewards.models import AwardStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(db):
    return make_user("payroll_clerk")


def settle_void(obj, by, reason="作废"):
    """What the approvals code does when voiding: change the record, then tell payroll."""
    old = obj.amount
    if hasattr(obj, "violation"):
        obj.status = PenaltyStatus.VOIDED
    else:
        obj.status = AwardStatus.VOIDED
        obj.voided_by, obj.voided_at, obj.void_reason = by, NOW, reason
    obj.save()
    return payroll_adjustment_record(
        penalty_or_award=obj, old_amount=old, new_amount=D("0"), reason=reason, by=by
    )


def test_voiding_a_penalty_of_a_closed_month_refunds_it_next_month(clerk, hr_user):
    emp = employee(wage="3000.00")
    p = penalty(emp, "500.00", on=date(2026, 1, 8))
    close(JAN, clerk)
    adjustment = settle_void(p, hr_user, reason="证据不足")
    assert (adjustment.month, adjustment.source_month) == (FEB, JAN)
    assert (adjustment.old_amount, adjustment.new_amount, adjustment.delta) == (
        D("500.00"),
        D("0.00"),
        D("-500.00"),
    )
    assert AuditEntry.objects.filter(object_type="payroll.payrolladjustment").count() == 1

    close(FEB, clerk)
    result = line(FEB, emp)
    assert (result.refunds, result.withheld, result.net_change) == (D("500.00"), 0, D("500.00"))
    assert "已结账月份的减免退还 ¥500" in result.note
    item = PayrollItem.objects.get(adjustment=adjustment)
    assert item.period.month == FEB and item.refunded == D("500.00")
    assert item.label == "证据不足" and item.dated == date(2026, 1, 8)
    # Closing later months does not take it again.
    close(MAR, clerk)
    assert not PayrollItem.objects.filter(period__month=MAR).exists()


def test_a_reduction_first_cancels_the_carry_over_then_refunds(clerk, deputy_user):
    emp = employee(wage="3000.00")  # cap 600
    p = penalty(emp, "1000.00", on=date(2026, 1, 8))
    close(JAN, clerk)  # withheld 600, carried 400
    p.amount = D("300.00")
    p.save()
    payroll_adjustment_record(
        penalty_or_award=p,
        old_amount=D("1000.00"),
        new_amount=D("300.00"),
        reason="申诉减为300元",
        by=deputy_user,
    )
    close(FEB, clerk)
    result = line(FEB, emp)
    # 700 less: the 400 still carried over is cancelled and 300 of the 600 withheld paid back.
    assert (result.carried_in, result.carry_cancelled, result.refunds) == (
        D("400.00"),
        D("400.00"),
        D("300.00"),
    )
    assert (result.withheld, result.carried_out, result.net_change) == (0, 0, D("300.00"))
    carry = PayrollItem.objects.get(period__month=FEB, source=ItemSource.CARRY)
    assert (carry.cancelled, carry.applied, carry.carried) == (D("400.00"), 0, 0)


def test_successive_corrections_are_measured_against_what_payroll_counted(clerk, hr_user):
    emp = employee()
    p = penalty(emp, "500.00", on=date(2026, 1, 8))
    close(JAN, clerk)
    first = payroll_adjustment_record(
        penalty_or_award=p, old_amount=D("500"), new_amount=D("300"), reason="减", by=hr_user
    )
    second = payroll_adjustment_record(
        penalty_or_award=p, old_amount=D("300"), new_amount=D("0"), reason="撤销", by=hr_user
    )
    assert (first.delta, second.delta, second.old_amount) == (
        D("-200.00"),
        D("-300.00"),
        D("300.00"),
    )
    same = payroll_adjustment_record(
        penalty_or_award=p, old_amount=D("0"), new_amount=D("0"), reason="重复", by=hr_user
    )
    assert same is None


def test_nothing_to_adjust_before_a_close_includes_it(clerk, hr_user):
    emp = employee()
    p = penalty(emp, "500.00", on=date(2026, 1, 8))
    assert settle_void(p, hr_user) is None
    close(JAN, clerk)
    assert not PayrollItem.objects.exists()
    assert not PayrollAdjustment.objects.exists()


def test_reopening_cancels_the_adjustments_of_that_month(clerk, hr_user, gm_user):
    emp = employee()
    p = penalty(emp, "500.00", on=date(2026, 1, 8))
    jan = close(JAN, clerk)
    adjustment = settle_void(p, hr_user)
    reopening = payroll_period_reopen(period=jan, reopened_by=gm_user, reason="重新核算")
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.CANCELLED
    assert adjustment.cancel_reason == "2026-01 已重新打开,再次结账时按新金额计算。"
    assert reopening.cancelled_adjustments == 1
    close(JAN, clerk)  # the voided penalty is no longer taken
    close(FEB, clerk)  # and nothing is refunded
    assert not PayrollItem.objects.exists()


def test_voiding_a_paid_award_takes_it_back_under_the_cap(clerk, hr_user):
    emp = employee(wage="3000.00")
    a = award(emp, "800.00", on=date(2026, 1, 9), department_amount="200.00")
    close(JAN, clerk)
    assert line(JAN, emp).net_change == D("800.00")
    adjustment = settle_void(a, hr_user)
    assert adjustment.party == "employee" and adjustment.delta == D("-800.00")
    department = PayrollAdjustment.objects.get(party="department")
    assert department.delta == D("-200.00") and department.employee is None
    close(FEB, clerk)
    result = line(FEB, emp)
    assert (result.clawbacks, result.withheld, result.carried_out) == (
        D("800.00"),
        D("600.00"),
        D("200.00"),
    )
    fund = PayrollItem.objects.get(period__month=FEB, employee__isnull=True)
    assert fund.amount == D("-200.00") and fund.kind == "reward"


def test_an_adjustment_goes_to_the_month_after_the_latest_closed(clerk, hr_user):
    emp = employee()
    p = penalty(emp, "100.00", on=date(2026, 1, 8))
    close(JAN, clerk)
    close(FEB, clerk)
    adjustment = settle_void(p, hr_user)
    assert (adjustment.source_month, adjustment.month) == (JAN, MAR)


# ---- Query count ---------------------------------------------------------------------


def _populate(n: int, month: date) -> None:
    for i in range(n):
        emp = employee(wage="3000.00")
        penalty(emp, "1000.00", on=month.replace(day=3))
        penalty(emp, "100.00", on=month.replace(day=4), kind="absence_cut")
        award(emp, "50.00", on=month.replace(day=5), department_amount="20.00")
        if i % 2:
            penalty(None, "300.00", on=month.replace(day=6), party="department", violator=emp)


def _queries_to_close(month, by) -> int:
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        payroll_period_close(
            period=payroll_period_get_or_create(month=month), closed_by=by, now=NOW
        )
        transaction.set_rollback(True)
    return len(ctx.captured_queries)


def test_the_query_count_of_a_close_does_not_grow_with_the_employees(clerk, hr_user):
    # December carries into January, and an adjustment waits, so every query runs.
    _populate(2, date(2025, 12, 1))
    dec = employee()
    settled = penalty(dec, "100.00", on=date(2025, 12, 3))
    close(date(2025, 12, 1), clerk, now=datetime(2026, 1, 2, tzinfo=SHANGHAI))
    settle_void(settled, hr_user)

    _populate(3, JAN)
    small = _queries_to_close(JAN, clerk)
    _populate(12, JAN)
    large = _queries_to_close(JAN, clerk)
    assert small == large, (small, large)
    assert large <= 35  # savepoints included
