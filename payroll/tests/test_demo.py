"""The demo: the month before last closed with capped employees and carry-overs, a
department liability and a joint liability; last month open; made again without change."""

import random

import pytest
from django.utils import timezone

from payroll.models import PayrollItem, PayrollLine, PayrollPeriod, PeriodStatus
from payroll.months import first_of, previous_month

pytestmark = pytest.mark.django_db


def _seed():
    from conduct import demo as conduct_demo
    from payroll import demo as payroll_demo
    from staff import demo as staff_demo

    today = timezone.localdate()
    for module in (staff_demo, conduct_demo):
        module.seed(rng=random.Random(f"2026:{module.__name__}"), today=today)
    return payroll_demo.seed(rng=random.Random("2026:payroll.demo"), today=today)


def test_the_demo_closes_the_month_before_last_and_leaves_last_month_open():
    result = _seed()
    last = previous_month(first_of(timezone.localdate()))
    before_last = previous_month(last)
    closed = PayrollPeriod.objects.get(month=before_last)
    assert closed.status == PeriodStatus.CLOSED and closed.closed_by.username == "payroll"
    assert PayrollPeriod.objects.get(month=last).status == PeriodStatus.OPEN
    capped = PayrollLine.objects.filter(period=closed, is_capped=True)
    assert capped.count() >= 2 and all("第十六条" in line.note for line in capped)
    assert PayrollItem.objects.filter(period=closed, carried__gt=0).exists()
    assert PayrollItem.objects.filter(period=closed, employee__isnull=True).exists()
    assert PayrollItem.objects.filter(period=closed, party__in=["supervisor", "leader"]).exists()
    assert result["capped"] >= 2

    counts = (PayrollLine.objects.count(), PayrollItem.objects.count())
    again = _seed()
    assert again.get("already") and (PayrollLine.objects.count(), PayrollItem.objects.count()) == (
        counts
    )
