"""Approval tiers (penalties.tiers): pure, no database."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from penalties.tiers import DEFAULT_POLICY, ApprovalPolicy, Tier, required_tier

Y = Decimal


@pytest.mark.parametrize(
    ("amount", "rank", "tier"),
    [
        ("0", 0, Tier.DEPARTMENT_HEAD),
        ("999.99", 0, Tier.DEPARTMENT_HEAD),
        ("1000", 0, Tier.DEPARTMENT_HEAD),  # ≤ ¥1000: the department head (seed 003 篇二)
        ("1000.01", 0, Tier.DEPUTY_GM),
        ("5000", 0, Tier.DEPUTY_GM),
        ("5000.01", 0, Tier.GM),
        ("50", 3, Tier.DEPARTMENT_HEAD),  # 通报批评 stays with the head
        ("50", 4, Tier.DEPUTY_GM),  # 记过 needs at least a deputy GM
        ("50", 9, Tier.DEPUTY_GM),  # 解聘
        ("6000", 9, Tier.GM),  # the amount already needs the GM
    ],
)
def test_default_policy(amount, rank, tier):
    assert required_tier(amount=Y(amount), max_sanction_rank=rank) is tier


def test_tiers_are_ordered():
    assert [t.rank for t in Tier] == [0, 1, 2]
    assert Tier.highest(Tier.GM, Tier.DEPARTMENT_HEAD) is Tier.GM


@pytest.mark.skipif(not settings.configured, reason="labels need Django's catalogues")
def test_tiers_have_chinese_labels():
    with translation.override("zh-hans"):
        assert [str(t.label) for t in Tier] == ["部门负责人", "副总经理", "总经理"]


def test_a_configured_policy():
    strict = ApprovalPolicy(
        department_head_max=Y("500"), deputy_gm_max=Y("2000"), gm_sanction_rank=9
    )
    assert required_tier(amount=Y("600"), max_sanction_rank=0, policy=strict) is Tier.DEPUTY_GM
    assert required_tier(amount=Y("10"), max_sanction_rank=9, policy=strict) is Tier.GM


def test_float_amounts_and_bad_policies_are_refused():
    with pytest.raises(TypeError):
        required_tier(amount=10.0, max_sanction_rank=0)
    with pytest.raises(ValueError):
        ApprovalPolicy(department_head_max=Y("5000"), deputy_gm_max=Y("1000"))


@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    st.integers(min_value=0, max_value=9),
)
def test_more_money_or_heavier_sanction_never_needs_a_lower_tier(a, b, rank):
    low, high = sorted((a, b))
    assert (
        required_tier(amount=low, max_sanction_rank=rank).rank
        <= required_tier(amount=high, max_sanction_rank=rank).rank
    )
    assert (
        required_tier(amount=low, max_sanction_rank=0).rank
        <= required_tier(amount=low, max_sanction_rank=rank).rank
    )
    assert DEFAULT_POLICY.department_head_max == Y("1000")
