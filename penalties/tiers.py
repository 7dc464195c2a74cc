"""Who must approve a penalty: the approval tier its amount and sanctions need.

Pure (no database). Default policy from seed 003 篇二 (domain.md §4): up to ¥1000 the
department head, up to ¥5000 a deputy GM, above that the GM; a sanction of 记过 or
heavier (ladder rank ≥ 4) needs at least a deputy GM. The approvals module makes the
policy configurable; callers pass it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """Approval tiers, lowest first (compare with ``Tier.rank``)."""

    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPUTY_GM = "deputy_gm", _("Deputy general manager")
    GM = "gm", _("General manager")

    @property
    def rank(self) -> int:
        return _TIER_ORDER.index(self)

    @classmethod
    def highest(cls, *tiers: Tier) -> Tier:
        return max(tiers, key=lambda tier: cls(tier).rank)


_TIER_ORDER = [Tier.DEPARTMENT_HEAD, Tier.DEPUTY_GM, Tier.GM]


@dataclass(frozen=True)
class ApprovalPolicy:
    """Authority by amount (inclusive upper bounds) and by sanction rank."""

    department_head_max: Decimal = Decimal("1000")
    deputy_gm_max: Decimal = Decimal("5000")
    # A sanction of this ladder rank or heavier needs at least a deputy GM (4 = 记过).
    deputy_gm_sanction_rank: int = 4
    # A sanction of this rank or heavier needs the GM (None: amount decides alone).
    gm_sanction_rank: int | None = None

    def __post_init__(self) -> None:
        if self.department_head_max < 0 or self.deputy_gm_max < self.department_head_max:
            raise ValueError("approval limits must be non-negative and ascending")


DEFAULT_POLICY = ApprovalPolicy()


def required_tier(
    *, amount: Decimal, max_sanction_rank: int, policy: ApprovalPolicy = DEFAULT_POLICY
) -> Tier:
    """The lowest tier allowed to approve a penalty of ``amount`` with sanctions up to
    ``max_sanction_rank`` (0 when none on the ladder)."""
    if isinstance(amount, float):
        raise TypeError("amount must be a Decimal, not a float")
    amount = Decimal(amount)
    if amount <= policy.department_head_max:
        tier = Tier.DEPARTMENT_HEAD
    elif amount <= policy.deputy_gm_max:
        tier = Tier.DEPUTY_GM
    else:
        tier = Tier.GM
    if max_sanction_rank >= policy.deputy_gm_sanction_rank:
        tier = Tier.highest(tier, Tier.DEPUTY_GM)
    if policy.gm_sanction_rank is not None and max_sanction_rank >= policy.gm_sanction_rank:
        tier = Tier.GM
    return tier
