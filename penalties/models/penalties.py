"""Penalties (处罚): what a violation costs each liable party, pending approval.

One violation gives one penalty per liable party and money kind (the violator, their
department, their supervisor, a named leader), plus the person's own penalty carrying the
sanctions and points even when it has no money. Status moves only in services
(``penalties.services``); the constraints below back the invariants.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from penalties.engine import MoneyKind, Party
from penalties.models.decided import Decided, decider, decision_recorded
from penalties.models.tiered import required_tier
from safeguards.models import Undeletable

MONEY = {"max_digits": 12, "decimal_places": 2}


class PenaltyStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("penalty status", "Pending approval")
    APPROVED = "approved", pgettext_lazy("penalty status", "In effect")
    REJECTED = "rejected", pgettext_lazy("penalty status", "Rejected")
    UNDER_APPEAL = "under_appeal", pgettext_lazy("penalty status", "Under appeal")
    REVOKED = "revoked", pgettext_lazy("penalty status", "Revoked")
    VOIDED = "voided", pgettext_lazy("penalty status", "Voided")


class PenaltyParty(models.TextChoices):
    """The engine's ``Party`` values as model choices."""

    EMPLOYEE = Party.EMPLOYEE.value, _("The employee")
    DEPARTMENT = Party.DEPARTMENT.value, _("The department")
    SUPERVISOR = Party.SUPERVISOR.value, _("The supervisor")
    LEADER = Party.LEADER.value, _("The responsible leader")


class PenaltyMoneyKind(models.TextChoices):
    """The engine's ``MoneyKind`` values as model choices (blank: sanction only)."""

    FINE = MoneyKind.FINE.value, _("Fine")
    COMPENSATION = MoneyKind.COMPENSATION.value, _("Compensation")
    BONUS_REDUCTION = MoneyKind.BONUS_REDUCTION.value, _("Bonus / performance reduction")
    ABSENCE_CUT = MoneyKind.ABSENCE_CUT.value, _("Absence pay cut")
    REWARD = MoneyKind.REWARD.value, _("Reward")


class Penalty(Undeletable, Decided):
    # Decided penalties are kept (safeguards: model layer and a database trigger).
    undeletable_when = ~Q(status="pending")

    violation = models.ForeignKey(
        "conduct.Violation",
        verbose_name=_("violation"),
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    party = models.CharField(_("liable party"), max_length=16, choices=PenaltyParty.choices)
    # Who pays: the violator, their supervisor or the named leader; null for a department.
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties",
    )
    # The violator's department; for department lines the liable department.
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    # The person's own penalty (carries the sanctions and points); one per violation.
    is_primary = models.BooleanField(_("the person's penalty"), default=False)
    money_kind = models.CharField(
        _("money kind"), max_length=20, choices=PenaltyMoneyKind.choices, blank=True
    )
    amount = models.DecimalField(_("amount"), **MONEY, default=0)
    label = models.CharField(_("what for"), max_length=200, blank=True)
    lines = models.JSONField(_("money lines"), default=list, blank=True)
    sanctions = models.JSONField(_("sanctions"), default=list, blank=True)
    points = models.PositiveSmallIntegerField(_("points deducted"), default=0)
    explanation = models.TextField(_("explanation"), blank=True)
    required_tier = required_tier()
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PenaltyStatus.choices,
        default=PenaltyStatus.PENDING,
    )
    decided_by = decider(related_name="penalties_decided")  # decided_at, decision_comment
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "required_tier"], name="penalty_status_tier_idx"),
            models.Index(fields=["department", "status"], name="penalty_dept_status_idx"),
            models.Index(fields=["employee", "status"], name="penalty_employee_status_idx"),
            # The approval inbox, oldest first, among tens of thousands pending (issue 11).
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status="pending"),
                name="penalty_pending_created_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="penalty_amount_gte_0"),
            decision_recorded(
                name="penalty_approved_has_decider", unless=~Q(status="approved"), when=False
            ),
            models.CheckConstraint(
                condition=~Q(party__in=["employee", "supervisor", "leader"])
                | Q(employee__isnull=False),
                name="penalty_person_party_has_employee",
            ),
            models.CheckConstraint(
                condition=~Q(party="department") | Q(employee__isnull=True),
                name="penalty_department_party_no_employee",
            ),
            models.CheckConstraint(
                condition=~Q(is_primary=True) | Q(party="employee"),
                name="penalty_primary_is_employee",
            ),
            models.UniqueConstraint(
                fields=["violation"],
                condition=Q(is_primary=True),
                name="penalty_one_primary_per_violation",
            ),
        ]

    def __str__(self) -> str:
        who = self.employee if self.employee_id else self.department
        return f"{who} · {self.get_party_display()} · ¥{self.amount}"

    @property
    def is_decided(self) -> bool:
        return self.status != PenaltyStatus.PENDING
