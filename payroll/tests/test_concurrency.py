"""A close racing an approval or a void, with real threads on PostgreSQL, each on its own
connection. Whatever the order, an approved penalty is included exactly once (in the
month or the next), and a penalty voided while the month closes is either left out or
corrected by an adjustment — never deducted without one."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from conftest import make_user, race
from payroll.models import PayrollAdjustment, PayrollItem
from payroll.services import (
    payroll_adjustment_record,
    payroll_period_close,
    payroll_period_get_or_create,
)
from payroll.tests.factories import employee, penalty
from payroll.tests.helpers import restore_payroll_roles
from penalties.models import Penalty, PenaltyStatus
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import SHANGHAI, make_penalty

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
NOW = datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_payroll_roles()


# (close waits, other waits) in seconds: both at once, and staggered either way so that
# the other commits before, during and after the close's reads.
DELAYS = [(0, 0), (0.5, 0), (0, 0.05), (0, 0.3)]


def _busy_month(n: int = 40) -> None:
    """Enough approved penalties that the close takes a moment."""
    for _ in range(n):
        penalty(employee(), "100.00", on=date(2026, 1, 7))


def _close(month, clerk):
    return payroll_period_close(
        period=payroll_period_get_or_create(month=month), closed_by=clerk, now=NOW
    )


@pytest.mark.parametrize("delays", DELAYS)
def test_an_approval_racing_the_close_lands_in_this_month_or_the_next(delays):
    clerk, gm, hr = make_user("payroll_clerk"), make_user("gm"), make_user("hr_officer")
    _busy_month()
    late = make_penalty(
        employee=employee(),
        logged_by=hr,
        amount="300.00",
        occurred=datetime(2026, 1, 20, 10, tzinfo=SHANGHAI),
    )
    payroll_period_get_or_create(month=JAN)
    results = race(
        [
            lambda: _close(JAN, clerk),
            lambda: penalty_approve(penalty=Penalty.objects.get(pk=late.pk), approver=gm),
        ],
        delays,
    )
    assert not any(isinstance(r, Exception) for r in results), results
    in_january = PayrollItem.objects.filter(penalty=late, period__month=JAN).exists()
    _close(FEB, clerk)
    items = PayrollItem.objects.filter(penalty=late, source="penalty")
    assert items.count() == 1
    assert items.get().period.month == (JAN if in_january else FEB)
    assert items.get().amount == D("300.00")


def _wired_void(pk, by):
    """What ``penalty_void`` does once wired to payroll: lock, void, tell payroll."""
    with transaction.atomic():
        locked = Penalty.objects.select_for_update().get(pk=pk)
        old = locked.amount
        locked.status = PenaltyStatus.VOIDED
        locked.save(update_fields=["status", "updated_at"])
        return payroll_adjustment_record(
            penalty_or_award=locked, old_amount=old, new_amount=D("0"), reason="作废", by=by
        )


@pytest.mark.parametrize("delays", DELAYS)
def test_a_void_racing_the_close_is_left_out_or_adjusted(delays):
    clerk, hr = make_user("payroll_clerk"), make_user("hr_officer")
    _busy_month()
    target = penalty(employee(), "300.00", on=date(2026, 1, 20))
    payroll_period_get_or_create(month=JAN)
    results = race([lambda: _close(JAN, clerk), lambda: _wired_void(target.pk, hr)], delays)
    assert not any(isinstance(r, Exception) for r in results), results
    included = PayrollItem.objects.filter(penalty=target, source="penalty").exists()
    adjusted = PayrollAdjustment.objects.filter(penalty=target).exists()
    assert included == adjusted, (included, adjusted)
    _close(FEB, clerk)
    # Either way the person owes nothing for it in the end.
    owed = sum(
        item.amount for item in PayrollItem.objects.filter(penalty=target).exclude(source="carry")
    )
    assert owed == 0
