"""Approving, rejecting and voiding penalties: tiers, segregation, scope, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from penalties.models import (
    ApprovalSettings,
    Notice,
    PenaltyStatus,
    PenaltyTransition,
    TransitionAction,
)
from penalties.services import approvals
from penalties.services.approvals import (
    ALREADY_DECIDED,
    CANNOT_VOID,
    LOGGED_IT,
    NOT_ALLOWED_TO_VOID,
    NOT_AN_APPROVER,
    OUT_OF_SCOPE,
    OWN_PENALTY,
    REASON_REQUIRED,
    TIER_TOO_LOW,
    approval_settings_update,
    penalty_approve,
    penalty_approve_many,
    penalty_reject,
    penalty_reject_many,
    penalty_void,
)
from penalties.tests.approval_helpers import make_penalty
from penalties.tiers import Tier
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


def _text(message, **params) -> str:
    return str(message) % params if params else str(message)


@pytest.fixture
def penalty(employee_user, hr_user):
    return make_penalty(employee=employee_user.employee, logged_by=hr_user)


def test_department_head_approves_within_tier_and_department(penalty, head_user):
    result = approvals.penalty_approve(penalty=penalty, approver=head_user, comment="情况属实")
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.APPROVED
    assert penalty.decided_by == head_user
    assert penalty.decided_at is not None
    assert penalty.decision_comment == "情况属实"
    assert result.status == PenaltyStatus.APPROVED
    transition = PenaltyTransition.objects.get(penalty=penalty)
    assert (transition.action, transition.from_status, transition.to_status) == (
        TransitionAction.APPROVE,
        PenaltyStatus.PENDING,
        PenaltyStatus.APPROVED,
    )
    assert transition.actor == head_user
    assert transition.actor_tier == Tier.DEPARTMENT_HEAD
    assert transition.comment == "情况属实"
    assert transition.amount == Decimal("200.00")
    notice = Notice.objects.get(penalty=penalty)
    assert notice.is_current
    assert notice.number == f"JC-{notice.year}-000001"
    assert notice.amount == Decimal("200.00")
    assert notice.issued_by == head_user


def test_amount_above_the_heads_limit_needs_a_deputy_gm(employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="1000.01")
    assert penalty.required_tier == Tier.DEPUTY_GM
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=penalty, approver=head_user)
    assert _message(info) == _text(TIER_TOO_LOW, tier=Tier.DEPUTY_GM.label)
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.PENDING
    assert not PenaltyTransition.objects.exists()
    assert not Notice.objects.exists()


def test_exactly_the_heads_limit_is_the_heads(employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="1000.00")
    penalty_approve(penalty=penalty, approver=head_user)
    assert penalty.status == PenaltyStatus.APPROVED


def test_a_demerit_needs_at_least_a_deputy_gm_whatever_the_amount(
    employee_user, hr_user, head_user, deputy_user
):
    penalty = make_penalty(
        employee=employee_user.employee, logged_by=hr_user, amount="0", sanctions=["demerit"]
    )
    assert penalty.required_tier == Tier.DEPUTY_GM
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=penalty, approver=head_user)
    assert _message(info) == _text(TIER_TOO_LOW, tier=Tier.DEPUTY_GM.label)
    penalty_approve(penalty=penalty, approver=deputy_user)
    assert penalty.status == PenaltyStatus.APPROVED


def test_above_five_thousand_only_the_gm(employee_user, hr_user, deputy_user, gm_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="5000.01")
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=penalty, approver=deputy_user)
    assert _message(info) == _text(TIER_TOO_LOW, tier=Tier.GM.label)
    penalty_approve(penalty=penalty, approver=gm_user)
    assert PenaltyTransition.objects.get(penalty=penalty).actor_tier == Tier.GM


def test_a_higher_tier_may_always_approve(penalty, gm_user):
    penalty_approve(penalty=penalty, approver=gm_user)
    assert penalty.status == PenaltyStatus.APPROVED


def test_whoever_logged_the_violation_may_not_approve_or_reject(employee_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=head_user)
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=penalty, approver=head_user)
    assert _message(info) == _text(LOGGED_IT)
    with pytest.raises(ValidationError) as info:
        penalty_reject(penalty=penalty, approver=head_user, reason="不成立")
    assert _message(info) == _text(LOGGED_IT)


def test_nobody_decides_their_own_penalty(head_user, hr_user):
    penalty = make_penalty(employee=head_user.employee, logged_by=hr_user)
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=penalty, approver=head_user)
    assert _message(info) == _text(OWN_PENALTY)


def test_a_head_acts_only_inside_their_department_subtree(head_user, hr_user, department):
    sub = DepartmentFactory(name="营业大厅", parent=department)
    other = DepartmentFactory(name="财务部")
    in_sub = make_penalty(
        employee=make_user("employee", department=sub).employee, logged_by=hr_user
    )
    elsewhere = make_penalty(
        employee=make_user("employee", department=other).employee, logged_by=hr_user
    )
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=elsewhere, approver=head_user)
    assert _message(info) == _text(OUT_OF_SCOPE)
    penalty_approve(penalty=in_sub, approver=head_user)
    assert in_sub.status == PenaltyStatus.APPROVED


@pytest.mark.parametrize("role", ["hr_officer", "payroll_clerk", "employee", "auditor"])
def test_roles_without_approval_authority_are_refused(penalty, role):
    user = make_user(role)
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=penalty, approver=user)
    assert _message(info) == _text(NOT_AN_APPROVER)


def test_reject_needs_a_reason_and_is_recorded(penalty, head_user):
    with pytest.raises(ValidationError) as info:
        penalty_reject(penalty=penalty, approver=head_user, reason="  ")
    assert _message(info) == _text(REASON_REQUIRED)
    penalty_reject(penalty=penalty, approver=head_user, reason="证据不足")
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.REJECTED
    assert penalty.decision_comment == "证据不足"
    transition = PenaltyTransition.objects.get(penalty=penalty)
    assert transition.action == TransitionAction.REJECT
    assert transition.comment == "证据不足"
    assert not Notice.objects.exists()


def test_a_decided_penalty_cannot_be_decided_again(penalty, head_user, gm_user):
    penalty_reject(penalty=penalty, approver=head_user, reason="证据不足")
    stale = type(penalty).objects.get(pk=penalty.pk)
    with pytest.raises(ValidationError) as info:
        penalty_approve(penalty=stale, approver=gm_user)
    assert _message(info) == _text(ALREADY_DECIDED, status=PenaltyStatus.REJECTED.label)
    assert PenaltyTransition.objects.filter(penalty=penalty).count() == 1


def test_bulk_approve_checks_each_and_reports_the_failures(employee_user, hr_user, head_user):
    employee = employee_user.employee
    ok = make_penalty(employee=employee, logged_by=hr_user)
    too_high = make_penalty(employee=employee, logged_by=hr_user, amount="3000")
    decided = make_penalty(employee=employee, logged_by=hr_user)
    penalty_reject(penalty=decided, approver=make_user("gm"), reason="重复登记")
    result = penalty_approve_many(
        penalties=[ok, too_high, decided], approver=head_user, comment="批量"
    )
    assert [p.pk for p in result.done] == [ok.pk]
    assert dict(result.failed) == {
        too_high.pk: _text(TIER_TOO_LOW, tier=Tier.DEPUTY_GM.label),
        decided.pk: _text(ALREADY_DECIDED, status=PenaltyStatus.REJECTED.label),
    }
    ok.refresh_from_db()
    too_high.refresh_from_db()
    assert (ok.status, too_high.status) == (PenaltyStatus.APPROVED, PenaltyStatus.PENDING)


def test_bulk_reject_needs_one_reason(penalty, head_user):
    with pytest.raises(ValidationError):
        penalty_reject_many(penalties=[penalty], approver=head_user, reason="")
    result = penalty_reject_many(penalties=[penalty], approver=head_user, reason="不成立")
    assert [p.pk for p in result.done] == [penalty.pk]
    assert not result.failed


def test_hr_voids_an_approved_penalty_with_a_reason(penalty, head_user, hr_user):
    penalty_approve(penalty=penalty, approver=head_user)
    with pytest.raises(ValidationError) as info:
        penalty_void(penalty=penalty, by=hr_user, reason="")
    assert _message(info) == _text(REASON_REQUIRED)
    penalty_void(penalty=penalty, by=hr_user, reason="登记错误")
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.VOIDED
    last = PenaltyTransition.objects.filter(penalty=penalty).last()
    assert (last.action, last.from_status, last.actor, last.comment) == (
        TransitionAction.VOID,
        PenaltyStatus.APPROVED,
        hr_user,
        "登记错误",
    )
    with pytest.raises(ValidationError) as info:
        penalty_void(penalty=penalty, by=hr_user, reason="再次")
    assert _message(info) == _text(CANNOT_VOID, status=PenaltyStatus.VOIDED.label)


@pytest.mark.parametrize("role", ["department_head", "gm", "deputy_gm", "employee", "auditor"])
def test_only_hr_voids(penalty, role):
    with pytest.raises(ValidationError) as info:
        penalty_void(penalty=penalty, by=make_user(role), reason="x")
    assert _message(info) == _text(NOT_ALLOWED_TO_VOID)


def test_changing_the_policy_re_tiers_what_still_waits(employee_user, hr_user, head_user, gm_user):
    employee = employee_user.employee
    waiting = make_penalty(employee=employee, logged_by=hr_user, amount="300")
    decided = make_penalty(employee=employee, logged_by=hr_user, amount="300")
    penalty_approve(penalty=decided, approver=head_user)
    approval_settings_update(by=gm_user, department_head_max=Decimal("100"))
    waiting.refresh_from_db()
    decided.refresh_from_db()
    assert waiting.required_tier == Tier.DEPUTY_GM
    assert decided.required_tier == Tier.DEPARTMENT_HEAD
    assert ApprovalSettings.get().updated_by == gm_user
    with pytest.raises(ValidationError):
        approval_settings_update(by=gm_user, deputy_gm_max=Decimal("50"))


def test_voiding_what_a_closed_payroll_month_paid_adjusts_the_next_month(
    employee_user, hr_user, head_user
):
    from datetime import date, datetime, time

    from payroll.models import PayrollAdjustment
    from payroll.services import payroll_period_close, payroll_period_get_or_create
    from penalties.tests.approval_helpers import SHANGHAI

    paid = make_penalty(
        employee=employee_user.employee,
        logged_by=hr_user,
        occurred=datetime.combine(date(2026, 10, 8), time(9), tzinfo=SHANGHAI),
    )
    penalty_approve(penalty=paid, approver=head_user)
    period = payroll_period_get_or_create(month=date(2026, 10, 1))
    payroll_period_close(
        period=period,
        closed_by=make_user("payroll_clerk"),
        now=datetime.combine(date(2026, 11, 5), time(10), tzinfo=SHANGHAI),
    )
    penalty_void(penalty=paid, by=hr_user, reason="登记错误")
    paid.refresh_from_db()
    assert paid.status == PenaltyStatus.VOIDED
    adjustment = PayrollAdjustment.objects.get(penalty=paid)
    assert (adjustment.source_month, adjustment.month) == (date(2026, 10, 1), date(2026, 11, 1))
    assert (adjustment.old_amount, adjustment.new_amount) == (paid.amount, Decimal("0.00"))
    assert adjustment.reason == "登记错误"


def test_voiding_before_any_close_needs_no_adjustment(penalty, head_user, hr_user):
    from payroll.models import PayrollAdjustment

    penalty_approve(penalty=penalty, approver=head_user)
    penalty_void(penalty=penalty, by=hr_user, reason="登记错误")
    assert not PayrollAdjustment.objects.filter(penalty=penalty).exists()
