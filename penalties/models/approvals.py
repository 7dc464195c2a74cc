"""The history of a penalty: one row per status change, written by the service that
made it (``penalties.services.approvals``, ``appeals``), never by a signal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from penalties.tiers import Tier

from .penalties import PenaltyStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class TransitionAction(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("penalty history", "Approved")
    REJECT = "reject", pgettext_lazy("penalty history", "Rejected")
    VOID = "void", pgettext_lazy("penalty history", "Voided")
    APPEAL = "appeal", pgettext_lazy("penalty history", "Appeal filed")
    UPHOLD = "uphold", pgettext_lazy("penalty history", "Appeal decided: upheld")
    REDUCE = "reduce", pgettext_lazy("penalty history", "Appeal decided: reduced")
    REVOKE = "revoke", pgettext_lazy("penalty history", "Appeal decided: revoked")


class PenaltyTransition(models.Model):
    penalty = models.ForeignKey(
        "penalties.Penalty",
        verbose_name=_("penalty"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    action = models.CharField(_("action"), max_length=16, choices=TransitionAction.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=PenaltyStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PenaltyStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="penalty_transitions",
    )
    # The authority the actor used (blank: HR, the employee, or no tier).
    actor_tier = models.CharField(_("acting as"), max_length=20, choices=Tier.choices, blank=True)
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)
    # The penalty's amount after the transition (it changes only when an appeal reduces it).
    amount = models.DecimalField(_("amount after"), **MONEY)

    class Meta:
        verbose_name = _("penalty transition")
        verbose_name_plural = _("penalty transitions")
        ordering = ["penalty", "at", "pk"]
        indexes = [models.Index(fields=["penalty", "at"], name="penalty_transition_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="penalty_transition_changes_status",
            ),
        ]
        permissions = [
            ("decide_penalty", _("Can approve or reject penalties within their authority")),
            ("void_penalty", _("Can void penalties until the payroll month is closed")),
        ]

    def __str__(self) -> str:
        return f"{self.penalty_id}: {self.from_status} → {self.to_status}"
