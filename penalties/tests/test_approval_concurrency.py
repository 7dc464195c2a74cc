"""Concurrent decisions on PostgreSQL, with real threads each on its own connection."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import make_user, race
from penalties.models import Notice, PenaltyStatus, PenaltyTransition
from penalties.services.approvals import ALREADY_DECIDED, penalty_approve, penalty_reject
from penalties.tests.approval_helpers import make_penalty, restore_roles

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()  # the role groups, removed by an earlier transactional test's flush


def _fresh(penalty):
    return type(penalty).objects.get(pk=penalty.pk)


@pytest.mark.parametrize("round_", range(3))
def test_two_approvers_at_once_exactly_one_wins(employee_user, hr_user, round_):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    deputy, gm = make_user("deputy_gm"), make_user("gm")
    results = race(
        [
            lambda: penalty_approve(penalty=_fresh(penalty), approver=deputy),
            lambda: penalty_reject(penalty=_fresh(penalty), approver=gm, reason="不成立"),
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], ValidationError)
    winner = wins[0]
    expected = str(ALREADY_DECIDED) % {"status": winner.get_status_display()}
    assert errors[0].messages == [expected]
    penalty.refresh_from_db()
    assert penalty.status == winner.status
    assert PenaltyTransition.objects.filter(penalty=penalty).count() == 1
    assert Notice.objects.filter(penalty=penalty).count() == (
        1 if winner.status == PenaltyStatus.APPROVED else 0
    )


def test_notice_numbers_stay_unique_and_gapless_under_concurrent_approvals(employee_user, hr_user):
    penalties = [make_penalty(employee=employee_user.employee, logged_by=hr_user) for _ in range(8)]
    approvers = [make_user("gm") for _ in penalties]
    results = race(
        [
            (lambda p=p, a=a: penalty_approve(penalty=p, approver=a))
            for p, a in zip(penalties, approvers, strict=True)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Notice.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, len(penalties) + 1))
    assert Notice.objects.values("number").distinct().count() == len(penalties)
