"""Concurrent writes on PostgreSQL, real threads each on its own connection: notice
numbers, double decisions, double nominations, the monthly limit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import make_user, race
from rewards.models import Award, AwardStatus, RewardNotice, RewardSettings, ServiceStarNomination
from rewards.services.awards import award_create
from rewards.services.decisions import ALREADY_DECIDED, award_approve, award_reject
from rewards.services.service_star import service_star_nominate, service_star_select
from rewards.tests.helpers import load_types, restore_roles, today
from staff.tests.factories import EmployeeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()


@pytest.fixture
def star():
    return load_types("service-bonus")["service-bonus/service-star"]


def _fresh(award):
    return Award.objects.get(pk=award.pk)


def _award(star, hr):
    return award_create(
        logged_by=hr,
        reward_type=star,
        employee=EmployeeFactory(),
        awarded_on=today(),
        reason="优秀",
    )


def test_notice_numbers_stay_unique_and_gapless_under_concurrent_approvals(star):
    hr = make_user("hr_officer")
    awards = [_award(star, hr) for _ in range(8)]
    approvers = [make_user("gm") for _ in awards]
    results = race(
        [
            (lambda a=a, u=u: award_approve(award=_fresh(a), approver=u))
            for a, u in zip(awards, approvers, strict=True)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    notices = list(RewardNotice.objects.order_by("sequence"))
    year = notices[0].year
    assert [n.sequence for n in notices] == list(range(1, 9))
    assert [n.number for n in notices] == [f"JL-{year}-{i:06d}" for i in range(1, 9)]


@pytest.mark.parametrize("round_", range(3))
def test_two_approvers_at_once_exactly_one_wins(star, round_):
    award = _award(star, make_user("hr_officer"))
    deputy, gm = make_user("deputy_gm"), make_user("gm")
    results = race(
        [
            lambda: award_approve(award=_fresh(award), approver=deputy),
            lambda: award_reject(award=_fresh(award), approver=gm, reason="不成立"),
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1 and len(errors) == 1, results
    assert errors[0].messages == [str(ALREADY_DECIDED) % {"status": wins[0].get_status_display()}]
    assert RewardNotice.objects.count() == (1 if wins[0].status == AwardStatus.APPROVED else 0)


def test_two_nominations_for_one_department_at_once_only_one_is_kept(star):
    head = make_user("department_head", heads=True)
    people = [EmployeeFactory(department=head.employee.department) for _ in range(2)]
    results = race(
        [(lambda p=p: service_star_nominate(by=head, employee=p, reason="优秀")) for p in people]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert errors[0].code == "second_nomination"
    assert ServiceStarNomination.objects.count() == 1


def test_two_selectors_at_once_never_exceed_the_monthly_limit(star):
    row = RewardSettings.get()
    row.service_star_winners = 1
    row.save()
    heads = [make_user("department_head", heads=True) for _ in range(2)]
    nominations = [
        service_star_nominate(
            by=h, employee=EmployeeFactory(department=h.employee.department), reason="优秀"
        )
        for h in heads
    ]
    hr, gm = make_user("hr_officer"), make_user("gm")
    results = race(
        [
            lambda: service_star_select(by=hr, month=today(), nominations=[nominations[0]]),
            lambda: service_star_select(by=gm, month=today(), nominations=[nominations[1]]),
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "too_many", results
    assert Award.objects.count() == 1
