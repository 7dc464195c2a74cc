"""The monthly payroll close (issue 8): periods, what each close included, per-employee
results, carry-overs and later adjustments.

A close (``payroll.services.payroll_period_close``) takes every approved penalty and award
not yet included in a closed month and dated on or before the month's end, the carry-overs
of the month before and the pending adjustments, and writes one ``PayrollItem`` per thing
it took and one ``PayrollLine`` per employee. Unique constraints on the item's source make
it impossible to include one penalty, award, adjustment or carry-over twice; a late approval
is simply picked up by the next close.

The law (domain.md §4, 《工资支付暂行规定》第十六条, 《最低工资规定》第十二条): per
employee and month, what is withheld for fines, compensation and bonus reductions is at
most min(20% of the monthly wage, monthly wage − absence pay cuts − local minimum wage),
never below 0; absence pay cuts are not capped; the excess carries into the next month,
oldest first.

Lines and items are results of a close: reopening the (latest) closed month removes them
(the reopening row keeps the totals they had) and closing it again recomputes them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safeguards.models import Undeletable
from staff.singleton import SingletonSettings, singleton

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class PayrollSettings(SingletonSettings):
    """The one row of payroll settings (pk=1). Also the lock every close, reopening and
    adjustment takes first, so that they happen one after the other."""

    net_rewards_against_cap = models.BooleanField(
        _("net rewards against the deduction cap"),
        default=False,
        help_text=_(
            "Off (default): rewards are paid in full and deductions are capped on their own. "
            "On: deductions are first taken out of the month's rewards, and only the rest "
            "counts against the legal cap."
        ),
    )
    # updated_at, updated_by: from SingletonSettings

    class Meta:
        verbose_name = _("payroll settings")
        verbose_name_plural = _("payroll settings")
        constraints = [
            singleton(name="payroll_settings_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Payroll settings"))


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("payroll month", "Open")
    CLOSED = "closed", pgettext_lazy("payroll month", "Closed")


class PayrollPeriod(Undeletable, models.Model):
    """One payroll month (``month`` is its first day)."""

    # A closed month is kept (safeguards: model layer and a database trigger).
    undeletable_when = Q(status="closed")

    month = models.DateField(_("month"), unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    # Who closed it: null for a close run from the command line.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # What the close applied, kept so that the month reads the same later.
    minimum_wage = models.DecimalField(_("local minimum wage applied"), **MONEY, null=True)
    net_rewards = models.BooleanField(_("rewards netted against the cap"), default=False)
    times_closed = models.PositiveSmallIntegerField(_("times closed"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payroll month")
        verbose_name_plural = _("payroll months")
        ordering = ["-month"]
        permissions = [
            ("close_payrollperiod", _("Can close payroll months")),
            ("export_payrollperiod", _("Can download payroll workbooks")),
            ("reopen_payrollperiod", _("Can reopen a closed payroll month")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="payroll_period_first_day"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False, minimum_wage__isnull=False),
                name="payroll_period_closed_has_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


class PayrollReopening(models.Model):
    """A closed month opened again by the GM, with the reason and what the close had."""

    period = models.ForeignKey(
        PayrollPeriod,
        verbose_name=_("payroll month"),
        on_delete=models.PROTECT,
        related_name="reopenings",
    )
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    previous_closed_at = models.DateTimeField(_("had been closed at"))
    previous_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("had been closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_totals = models.JSONField(_("totals of the undone close"), default=dict)
    cancelled_adjustments = models.PositiveIntegerField(_("adjustments cancelled"), default=0)

    class Meta:
        verbose_name = _("payroll reopening")
        verbose_name_plural = _("payroll reopenings")
        ordering = ["-reopened_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="payroll_reopening_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.reopened_at:%Y-%m-%d %H:%M}"


class AdjustmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class MoneyKind(models.TextChoices):
    """What an amount is, for payroll (the penalties' money kinds plus rewards)."""

    FINE = "fine", _("Fine")
    COMPENSATION = "compensation", _("Compensation")
    BONUS_REDUCTION = "bonus_reduction", _("Bonus / performance reduction")
    ABSENCE_CUT = "absence_cut", _("Absence pay cut")
    REWARD = "reward", _("Reward")


# The kinds the legal cap applies to (absence cuts are not capped: 最低工资规定第十二条).
CAPPED_KINDS = (MoneyKind.FINE, MoneyKind.COMPENSATION, MoneyKind.BONUS_REDUCTION)


class PayrollAdjustment(models.Model):
    """A correction to something a closed month already included: a penalty voided,
    reduced or revoked after the close, or an award voided or changed. ``delta`` is the
    change of what the person owes (penalties) or is owed (awards): negative when reduced.
    It is included by the next close whose month is on or after ``month``."""

    penalty = models.ForeignKey(
        "penalties.Penalty",
        verbose_name=_("penalty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_adjustments",
    )
    award = models.ForeignKey(
        "rewards.Award",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_adjustments",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_adjustments",
    )
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="payroll_adjustments",
    )
    party = models.CharField(_("liable party"), max_length=16, blank=True)
    kind = models.CharField(_("money kind"), max_length=20, choices=MoneyKind.choices)
    # The closed month that had included the original amount, and the month it goes into.
    source_month = models.DateField(_("month of the original"))
    month = models.DateField(_("applies in month"))
    old_amount = models.DecimalField(_("amount before"), **MONEY)
    new_amount = models.DecimalField(_("amount after"), **MONEY)
    delta = models.DecimalField(_("change"), **MONEY)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.ACTIVE,
    )
    cancel_reason = models.TextField(_("why cancelled"), blank=True)

    class Meta:
        verbose_name = _("payroll adjustment")
        verbose_name_plural = _("payroll adjustments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "month"], name="payroll_adj_status_month_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="payroll_adjustment_nonzero"),
            models.CheckConstraint(
                condition=Q(penalty__isnull=True, award__isnull=False)
                | Q(penalty__isnull=False, award__isnull=True),
                name="payroll_adjustment_one_source",
            ),
            models.CheckConstraint(
                condition=Q(delta=models.F("new_amount") - models.F("old_amount")),
                name="payroll_adjustment_delta_is_change",
            ),
            models.CheckConstraint(
                condition=Q(new_amount__gte=0) & Q(old_amount__gte=0),
                name="payroll_adjustment_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1)
                & Q(source_month__day=1)
                & Q(month__gt=models.F("source_month")),
                name="payroll_adjustment_months",
            ),
            models.CheckConstraint(
                condition=Q(status="active", cancel_reason="")
                | (Q(status="cancelled") & ~Q(cancel_reason="")),
                name="payroll_adjustment_cancel_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.delta}"


class ItemSource(models.TextChoices):
    PENALTY = "penalty", _("Penalty")
    AWARD = "award", _("Reward")
    ADJUSTMENT = "adjustment", _("Adjustment")
    CARRY = "carry", _("Carried over")


class PayrollItem(models.Model):
    """One thing a close included, with what became of it that month.

    ``amount`` is the item's amount this month: positive for what the person owes (a
    penalty, a carried-over balance, an award clawed back) or is owed (an award); for an
    adjustment the signed change. ``applied`` is what was withheld (or paid) of it this
    month, ``carried`` what carries into the next month, ``cancelled`` what of a carried
    balance a later reduction cancelled, ``refunded`` what a reduction pays back."""

    # Foreign keys without their own index: the composite indexes below lead with the
    # period, and the partial unique indexes cover the lookups by penalty and award
    # (fewer indexes to maintain when a close inserts 100,000 items).
    period = models.ForeignKey(
        PayrollPeriod,
        verbose_name=_("payroll month"),
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=12, choices=ItemSource.choices)
    # What it is about (set for every source; for carry-overs and adjustments the original).
    penalty = models.ForeignKey(
        "penalties.Penalty",
        verbose_name=_("penalty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_items",
        db_index=False,
    )
    award = models.ForeignKey(
        "rewards.Award",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_items",
        db_index=False,
    )
    adjustment = models.ForeignKey(
        PayrollAdjustment,
        verbose_name=_("adjustment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_items",
        db_index=False,
    )
    # DO_NOTHING: the database's foreign key protects it; Django need not collect rows
    # when a reopened month's items are removed (only the latest month can be reopened,
    # so nothing later points at them).
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="carried_to",
        db_index=False,
    )
    # Who pays (null: a department's liability) and which department.
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payroll_items",
        db_index=False,
    )
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="payroll_items",
        db_index=False,
    )
    party = models.CharField(_("liable party"), max_length=16, blank=True)
    kind = models.CharField(_("money kind"), max_length=20, choices=MoneyKind.choices)
    dated = models.DateField(_("date"))
    notice_number = models.CharField(_("notice number"), max_length=32, blank=True)
    rule = models.CharField(_("rule"), max_length=300, blank=True)
    label = models.CharField(_("what for"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=64, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    applied = models.DecimalField(_("applied this month"), **MONEY, default=ZERO)
    carried = models.DecimalField(_("carried to next month"), **MONEY, default=ZERO)
    cancelled = models.DecimalField(_("carry-over cancelled"), **MONEY, default=ZERO)
    refunded = models.DecimalField(_("refunded"), **MONEY, default=ZERO)

    class Meta:
        verbose_name = _("payroll item")
        verbose_name_plural = _("payroll items")
        ordering = ["period", "employee", "dated", "pk"]
        indexes = [
            models.Index(fields=["period", "employee", "dated"], name="payroll_item_emp_idx"),
            models.Index(fields=["period", "carried"], name="payroll_item_carried_idx"),
        ]
        constraints = [
            # Never twice: a penalty (or award) is included by one close only.
            models.UniqueConstraint(
                fields=["penalty"],
                condition=Q(source="penalty"),
                name="payroll_item_penalty_once",
            ),
            # …and an award once per recipient (the person, and the department's share).
            models.UniqueConstraint(
                fields=["award", "party"],
                condition=Q(source="award"),
                name="payroll_item_award_once",
            ),
            # …and an adjustment or a carried-over balance once.
            models.UniqueConstraint(
                fields=["adjustment"],
                condition=Q(adjustment__isnull=False),
                name="payroll_item_adjustment_once",
            ),
            models.UniqueConstraint(
                fields=["carried_from"],
                condition=Q(carried_from__isnull=False),
                name="payroll_item_carry_once",
            ),
            models.CheckConstraint(
                condition=~Q(source="penalty") | Q(penalty__isnull=False),
                name="payroll_item_penalty_has_penalty",
            ),
            models.CheckConstraint(
                condition=~Q(source="award") | Q(award__isnull=False),
                name="payroll_item_award_has_award",
            ),
            models.CheckConstraint(
                condition=~Q(source="adjustment") | Q(adjustment__isnull=False),
                name="payroll_item_adjustment_has_adjustment",
            ),
            models.CheckConstraint(
                condition=~Q(source="carry") | Q(carried_from__isnull=False),
                name="payroll_item_carry_has_origin",
            ),
            models.CheckConstraint(
                condition=Q(applied__gte=0)
                & Q(carried__gte=0)
                & Q(cancelled__gte=0)
                & Q(refunded__gte=0),
                name="payroll_item_parts_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.get_source_display()} · {self.amount}"

    @property
    def is_joint(self) -> bool:
        """A supervisor's or leader's liability for someone else's violation (连带责任)."""
        return self.party in ("supervisor", "leader")


class PayrollLine(models.Model):
    """One employee's result in a closed month (names kept as they were at the close)."""

    period = models.ForeignKey(
        PayrollPeriod,
        verbose_name=_("payroll month"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,  # the unique (period, employee) index leads with it
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="payroll_lines",
        db_index=False,
    )
    employee_no = models.CharField(_("employee number"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="payroll_lines",
        db_index=False,
    )
    department_name = models.CharField(_("department name"), max_length=100)
    monthly_wage = models.DecimalField(_("monthly wage"), **MONEY)
    cap = models.DecimalField(_("deduction cap"), **MONEY)
    fines = models.DecimalField(_("fines"), **MONEY, default=ZERO)
    compensation = models.DecimalField(_("compensation"), **MONEY, default=ZERO)
    bonus_reductions = models.DecimalField(_("bonus reductions"), **MONEY, default=ZERO)
    absence_cuts = models.DecimalField(_("absence pay cuts"), **MONEY, default=ZERO)
    rewards = models.DecimalField(_("rewards"), **MONEY, default=ZERO)
    clawbacks = models.DecimalField(_("rewards clawed back"), **MONEY, default=ZERO)
    carried_in = models.DecimalField(_("brought forward"), **MONEY, default=ZERO)
    carry_cancelled = models.DecimalField(_("carry-over cancelled"), **MONEY, default=ZERO)
    refunds = models.DecimalField(_("refunds"), **MONEY, default=ZERO)
    due = models.DecimalField(_("capped deductions due"), **MONEY, default=ZERO)
    capped_applied = models.DecimalField(_("capped deductions withheld"), **MONEY, default=ZERO)
    withheld = models.DecimalField(_("deduction applied"), **MONEY, default=ZERO)
    carried_out = models.DecimalField(_("carried to next month"), **MONEY, default=ZERO)
    net_change = models.DecimalField(_("net change"), **MONEY, default=ZERO)
    is_capped = models.BooleanField(_("capped"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        ordering = ["period", "employee_no"]
        indexes = [
            models.Index(fields=["period", "employee_no"], name="payroll_line_no_idx"),
            models.Index(fields=["period", "is_capped"], name="payroll_line_capped_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "employee"], name="payroll_line_once"),
            models.CheckConstraint(
                condition=Q(due=models.F("capped_applied") + models.F("carried_out")),
                name="payroll_line_due_is_applied_plus_carried",
            ),
            models.CheckConstraint(
                condition=Q(capped_applied__gte=0) & Q(carried_out__gte=0) & Q(cap__gte=0),
                name="payroll_line_parts_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.employee_no} {self.name}"
