"""The demo: reward types from every fixture and three months of awards in every state,
made again without duplicates."""

import random

import pytest
from django.utils import timezone

from rewards.models import Award, AwardSource, RewardNotice, RewardType, ServiceStarNomination

pytestmark = pytest.mark.django_db


def _seed_all():
    from conduct import demo as conduct_demo
    from rewards import demo as rewards_demo
    from staff import demo as staff_demo

    today = timezone.localdate()
    for module in (staff_demo, conduct_demo):
        module.seed(rng=random.Random(f"2026:{module.__name__}"), today=today)
    return rewards_demo.seed(rng=random.Random("2026:rewards.demo"), today=today)


def test_the_demo_covers_every_state_over_three_months_and_is_idempotent():
    first = _seed_all()
    assert RewardType.objects.count() == 16
    statuses = set(Award.objects.values_list("status", flat=True))
    assert statuses == {"pending", "approved", "rejected", "voided"}
    sources = set(Award.objects.values_list("source", flat=True))
    assert {AwardSource.MANUAL, AwardSource.SERVICE_STAR} <= sources
    months = {a.awarded_on.replace(day=1) for a in Award.objects.all()}
    assert len(months) == 3
    assert Award.objects.filter(employee__isnull=True).exists()  # a team fund award
    assert Award.objects.filter(department_amount__gt=0).exists()  # a department's share
    assert set(ServiceStarNomination.objects.values_list("status", flat=True)) == {
        "nominated",
        "selected",
    }
    for year in set(RewardNotice.objects.values_list("year", flat=True)):
        # numbered in the order of the (back-dated) approvals, within each year
        notices = list(RewardNotice.objects.filter(year=year).order_by("issued_at", "pk"))
        assert [n.sequence for n in notices] == list(range(1, len(notices) + 1))
    counts = (Award.objects.count(), ServiceStarNomination.objects.count())
    second = _seed_all()
    assert (Award.objects.count(), ServiceStarNomination.objects.count()) == counts
    assert first["nominations"] and "nominations" not in second
