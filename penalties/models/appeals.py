"""Appeals (申诉): filed by the person a notice is addressed to, within the window,
decided by the next tier up or HR. One appeal per penalty."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conduct.models.evidence import EvidenceFile, evidence_file
from penalties.models.decided import Decided
from penalties.tiers import Tier

MONEY = {"max_digits": 12, "decimal_places": 2}


class AppealStatus(models.TextChoices):
    FILED = "filed", pgettext_lazy("appeal", "Waiting for a decision")
    DECIDED = "decided", pgettext_lazy("appeal", "Decided")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", pgettext_lazy("appeal", "Upheld")
    REDUCED = "reduced", pgettext_lazy("appeal", "Reduced")
    REVOKED = "revoked", pgettext_lazy("appeal", "Revoked")


class Appeal(Decided):
    penalty = models.OneToOneField(
        "penalties.Penalty",
        verbose_name=_("penalty"),
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    notice = models.ForeignKey(
        "penalties.Notice",
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("appellant"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("grounds of appeal"))
    filed_at = models.DateTimeField(_("filed at"))
    # The lowest approval tier that may decide it (blank: only HR — the GM approved it).
    review_tier = models.CharField(
        _("decided by at least"), max_length=20, choices=Tier.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AppealOutcome.choices, blank=True
    )
    amount_before = models.DecimalField(_("amount appealed"), **MONEY)
    new_amount = models.DecimalField(_("new amount"), **MONEY, null=True, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)
    # decided_by, decided_at: from Decided
    decision_comment = None  # the reason for the decision is ``reason``

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-pk"]
        permissions = [("review_appeal", _("Can decide appeals (next tier up, or HR)"))]
        indexes = [models.Index(fields=["status", "filed_at"], name="appeal_status_filed_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="filed") & Q(outcome="") & Q(decided_by__isnull=True))
                | (
                    Q(status="decided")
                    & ~Q(outcome="")
                    & Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="appeal_decided_has_outcome_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="reduced")
                | (Q(new_amount__isnull=False) & Q(new_amount__lt=models.F("amount_before"))),
                name="appeal_reduced_has_lower_amount",
            ),
            models.CheckConstraint(
                condition=Q(new_amount__isnull=True) | Q(new_amount__gte=0),
                name="appeal_new_amount_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.penalty_id}"

    @property
    def is_open(self) -> bool:
        return self.status == AppealStatus.FILED


class AppealEvidence(EvidenceFile):
    """A file backing an appeal: jpg, png or pdf (checked by content), up to 10 MB,
    served only through the permission-checked ``penalties:appeal_evidence`` view."""

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = evidence_file("appeals/%Y/%m/")
    uploaded_by = None  # the appeal's filer uploaded it

    class Meta:
        verbose_name = _("appeal evidence")
        verbose_name_plural = _("appeal evidence")
        ordering = ["appeal", "pk"]
