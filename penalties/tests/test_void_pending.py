"""penalties_void_pending: voiding a violation voids its pending penalties and writes a
PenaltyTransition for each, like every other status change."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from conduct.services.violations import violation_log, violation_void
from conduct.tests.test_violation_support import at, person, rule_of
from penalties.models import Penalty, PenaltyStatus, PenaltyTransition, TransitionAction

pytestmark = pytest.mark.django_db


def test_voiding_a_violation_writes_a_transition_for_each_pending_penalty(hr_user):
    employee = person()
    violation = violation_log(
        employee=employee,
        rule=rule_of("water-utility", 1),
        occurred_at=at(2025, 3, 5),
        logged_by=hr_user,
    )
    assert violation.penalties.count() == 2  # the employee's and the department's

    violation_void(violation=violation, by=hr_user, reason="录入错误")

    penalties = list(violation.penalties.order_by("pk"))
    assert {p.status for p in penalties} == {PenaltyStatus.VOIDED}
    assert {p.decision_comment for p in penalties} == {"录入错误"}
    transitions = list(PenaltyTransition.objects.filter(penalty__violation=violation))
    assert sorted(t.penalty_id for t in transitions) == [p.pk for p in penalties]
    for transition in transitions:
        assert transition.action == TransitionAction.VOID
        assert (transition.from_status, transition.to_status) == ("pending", "voided")
        assert transition.actor == hr_user
        assert transition.comment == "录入错误"
        assert transition.amount == transition.penalty.amount
    entries = AuditEntry.objects.filter(
        object_type="penalties.penalty", object_id__in=[str(p.pk) for p in penalties]
    )
    assert entries.filter(changes__status=["pending", "voided"]).count() == 2


def test_a_decided_penalty_is_flagged_not_transitioned(hr_user, gm_user):
    violation = violation_log(
        employee=person(),
        rule=rule_of("service-management", 3),
        occurred_at=at(2025, 3, 1),
        logged_by=hr_user,
    )
    Penalty.objects.filter(violation=violation).update(
        status=PenaltyStatus.APPROVED, decided_by=gm_user
    )
    violation_void(violation=violation, by=hr_user, reason="重复录入")
    penalty = violation.penalties.get()
    assert penalty.status == PenaltyStatus.APPROVED and penalty.needs_review
    assert not PenaltyTransition.objects.filter(penalty=penalty).exists()
