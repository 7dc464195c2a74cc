"""The approval policy as a settings row: who may approve what, and how long to appeal.

``penalties.tiers`` holds the pure rule (``required_tier``) and its default policy; this
row makes it configurable (domain.md §4: default seed 003 篇二 tiers). Read it with
``ApprovalSettings.get()``; change it only through
``penalties.services.approvals.approval_settings_update`` (which re-tiers what still waits).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from penalties.tiers import ApprovalPolicy
from staff.singleton import SingletonSettings, singleton

MONEY = {"max_digits": 12, "decimal_places": 2}
DEFAULT_APPEAL_DAYS = 7


class ApprovalSettings(SingletonSettings):
    """The one row of approval settings (pk=1)."""

    department_head_max = models.DecimalField(
        _("department head approves up to"),
        **MONEY,
        default=Decimal("1000.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    deputy_gm_max = models.DecimalField(
        _("deputy GM approves up to"),
        **MONEY,
        default=Decimal("5000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Above this amount the general manager approves."),
    )
    deputy_gm_sanction_rank = models.PositiveSmallIntegerField(
        _("sanction rank needing a deputy GM"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("A sanction of this rank or heavier needs at least a deputy GM (4 = demerit)."),
    )
    gm_sanction_rank = models.PositiveSmallIntegerField(
        _("sanction rank needing the GM"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Empty: the amount alone decides when the GM is needed."),
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("days to appeal"),
        default=DEFAULT_APPEAL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Counted in calendar days from the day the notice is issued."),
    )
    # updated_at, updated_by: from SingletonSettings

    class Meta:
        verbose_name = _("approval settings")
        verbose_name_plural = _("approval settings")
        constraints = [
            singleton(name="approval_settings_singleton"),
            models.CheckConstraint(
                condition=Q(department_head_max__gte=0)
                & Q(deputy_gm_max__gte=F("department_head_max")),
                name="approval_settings_limits_ascending",
            ),
            models.CheckConstraint(
                condition=Q(appeal_window_days__gte=1), name="approval_settings_appeal_days_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Approval settings"))

    def as_policy(self) -> ApprovalPolicy:
        """The pure policy ``penalties.tiers.required_tier`` takes."""
        return ApprovalPolicy(
            department_head_max=self.department_head_max,
            deputy_gm_max=self.deputy_gm_max,
            deputy_gm_sanction_rank=self.deputy_gm_sanction_rank,
            gm_sanction_rank=self.gm_sanction_rank,
        )
