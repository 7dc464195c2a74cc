"""The configurable approval policy: defaults, feeding penalties.tiers, the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from penalties.models import ApprovalSettings, Notice, PenaltyTransition
from penalties.selectors.approvals import (
    appeal_window_days,
    current_approval_policy,
    penalty_required_tier,
)
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import make_penalty
from penalties.tiers import DEFAULT_POLICY, Tier, required_tier

pytestmark = pytest.mark.django_db


def test_defaults_are_the_seed_tiers_and_seven_days():
    assert current_approval_policy() == DEFAULT_POLICY
    assert appeal_window_days() == 7
    settings_row = ApprovalSettings.get()
    assert settings_row.department_head_max == Decimal("1000.00")
    assert settings_row.deputy_gm_max == Decimal("5000.00")
    assert settings_row.deputy_gm_sanction_rank == 4
    assert settings_row.gm_sanction_rank is None


@pytest.mark.parametrize(
    ("amount", "sanctions", "tier"),
    [
        ("1000", [], Tier.DEPARTMENT_HEAD),
        ("1000.01", [], Tier.DEPUTY_GM),
        ("5000", [], Tier.DEPUTY_GM),
        ("5000.01", [], Tier.GM),
        ("0", ["public_criticism"], Tier.DEPARTMENT_HEAD),  # rank 3
        ("0", ["demerit"], Tier.DEPUTY_GM),  # rank 4 = 记过
        ("50", ["dismissal"], Tier.DEPUTY_GM),
        ("6000", ["demerit"], Tier.GM),
    ],
)
def test_tier_from_amount_and_heaviest_sanction(amount, sanctions, tier, employee_user, hr_user):
    penalty = make_penalty(
        employee=employee_user.employee, logged_by=hr_user, amount=amount, sanctions=sanctions
    )
    assert penalty_required_tier(penalty=penalty, policy=current_approval_policy()) == tier


def test_a_gm_sanction_rank_makes_dismissal_the_gms(employee_user, hr_user):
    ApprovalSettings.objects.update_or_create(pk=1, defaults={"gm_sanction_rank": 9})
    policy = current_approval_policy()
    assert required_tier(amount=Decimal("0"), max_sanction_rank=9, policy=policy) == Tier.GM
    assert required_tier(amount=Decimal("0"), max_sanction_rank=8, policy=policy) == (
        Tier.DEPUTY_GM
    )


def test_the_appeal_window_setting_sets_the_notices_deadline(employee_user, hr_user, head_user):
    ApprovalSettings.objects.update_or_create(pk=1, defaults={"appeal_window_days": 15})
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user)
    notice = Notice.objects.get(penalty=penalty)
    issued_on = timezone.localtime(notice.issued_at).date()
    assert notice.appeal_until == issued_on + timedelta(days=15)
    assert notice.snapshot["appeal_days"] == 15


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def test_the_admin_saves_the_policy_through_the_service(admin_client, employee_user, hr_user):
    waiting = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="800")
    ApprovalSettings.get()
    url = reverse("admin:penalties_approvalsettings_change", args=[1])
    response = admin_client.post(
        url,
        {
            "department_head_max": "500.00",
            "deputy_gm_max": "5000.00",
            "deputy_gm_sanction_rank": "4",
            "gm_sanction_rank": "",
            "appeal_window_days": "7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    waiting.refresh_from_db()
    assert waiting.required_tier == Tier.DEPUTY_GM
    assert ApprovalSettings.get().updated_by.username == "root"


def test_the_admin_refuses_limits_out_of_order(admin_client):
    ApprovalSettings.get()
    url = reverse("admin:penalties_approvalsettings_change", args=[1])
    response = admin_client.post(
        url,
        {
            "department_head_max": "6000.00",
            "deputy_gm_max": "5000.00",
            "deputy_gm_sanction_rank": "4",
            "gm_sanction_rank": "",
            "appeal_window_days": "7",
        },
    )
    assert response.status_code == 200  # the form shows the error
    assert ApprovalSettings.get().department_head_max == Decimal("1000.00")


@pytest.mark.parametrize("model", ["penaltytransition", "notice", "appeal", "approvalsettings"])
def test_admin_lists_open(admin_client, model, employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user)
    assert PenaltyTransition.objects.exists()
    response = admin_client.get(reverse(f"admin:penalties_{model}_changelist"))
    assert response.status_code == 200


def test_the_admin_adds_the_row_when_there_is_none(admin_client):
    ApprovalSettings.objects.all().delete()
    response = admin_client.post(
        reverse("admin:penalties_approvalsettings_add"),
        {
            "department_head_max": "800.00",
            "deputy_gm_max": "5000.00",
            "deputy_gm_sanction_rank": "4",
            "gm_sanction_rank": "",
            "appeal_window_days": "10",
        },
    )
    assert response.status_code == 302
    row = ApprovalSettings.get()
    assert (row.pk, row.department_head_max, row.appeal_window_days) == (1, Decimal("800"), 10)
