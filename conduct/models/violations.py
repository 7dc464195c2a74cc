"""Violations (违规记录) judged by the rulebook version in force on the day, and their evidence.

A violation keeps the engine's quote as a snapshot (``quote``) so that what judged it can be
read back later even when the rulebook changes; its occurrence number is counted by the
selector in ``conduct.selectors.violations`` and may change when an earlier violation is
back-dated or voided (``conduct.services.violations``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .evidence import EvidenceFile, evidence_file
from .voided import Voided

MONEY = {"max_digits": 12, "decimal_places": 2}


class ViolationSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    COMPLAINT = "complaint", _("Customer complaint")
    SELF_REPORT = "self_report", _("Self-report")
    ATTENDANCE = "attendance", _("Attendance")
    OTHER = "other", _("Other")


class ViolationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("violation status", "Active")
    VOIDED = "voided", pgettext_lazy("violation status", "Voided")


class Violation(Voided):
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    # Denormalised for counting: a rule's identity across versions is rulebook + number.
    rulebook = models.ForeignKey(
        "conduct.Rulebook",
        verbose_name=_("rulebook"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    rulebook_version = models.ForeignKey(
        "conduct.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    rule = models.ForeignKey(
        "conduct.Rule", verbose_name=_("rule"), on_delete=models.PROTECT, related_name="violations"
    )
    rule_number = models.CharField(_("rule number"), max_length=16)
    occurred_at = models.DateTimeField(_("occurred at"))
    occurred_on = models.DateField(_("occurred on"))  # local date of occurred_at
    place = models.CharField(_("place"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=ViolationSource.choices, default=ViolationSource.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("severity level"), max_length=32, blank=True)
    chosen_amount = models.DecimalField(_("chosen amount"), **MONEY, null=True, blank=True)
    # The amount of a step's second range charge (e.g. the compensation of a loss).
    second_amount = models.DecimalField(_("second amount"), **MONEY, null=True, blank=True)
    involved_amount = models.DecimalField(_("amount involved"), **MONEY, null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    second_party_employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("second liable person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations_as_second_party",
    )
    sanction_choice = models.CharField(_("chosen sanction"), max_length=32, blank=True)
    occurrence = models.PositiveIntegerField(_("occurrence"), default=1)
    quote = models.JSONField(_("quote"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ViolationStatus.choices,
        default=ViolationStatus.ACTIVE,
    )
    # voided_by, voided_at, void_reason: from Voided
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_note = models.TextField(_("review note"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="violations_logged",
    )
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_at", "-pk"]
        permissions = [("void_violation", _("Can void violations"))]
        indexes = [
            models.Index(
                fields=["employee", "rulebook", "rule_number", "occurred_on"],
                name="violation_count_idx",
            ),
            models.Index(fields=["occurred_on"], name="violation_occurred_idx"),
            models.Index(fields=["status", "occurred_on"], name="violation_status_idx"),
            models.Index(fields=["source"], name="violation_source_idx"),
            models.Index(fields=["rule"], name="violation_rule_idx"),
            # The violation list at a million rows (issue 11, README "Benchmarks"): each
            # sort and filter walks an index instead of sorting the table.
            models.Index(fields=["occurred_at", "id"], name="violation_recent_idx"),
            models.Index(fields=["logged_at", "id"], name="violation_logged_idx"),
            models.Index(fields=["occurrence", "occurred_at"], name="violation_occurrence_idx"),
            models.Index(
                fields=["rulebook", "rule_number", "-occurred_at"],
                name="violation_rule_recent_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurrence__gte=1), name="violation_occurrence_gte_1"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="violation_quantity_gte_1"),
            models.CheckConstraint(
                condition=Q(chosen_amount__isnull=True) | Q(chosen_amount__gte=0),
                name="violation_chosen_amount_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(second_amount__isnull=True) | Q(second_amount__gte=0),
                name="violation_second_amount_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(involved_amount__isnull=True) | Q(involved_amount__gte=0),
                name="violation_involved_amount_gte_0",
            ),
            # Not void_recorded(): it also pins the status to active or voided, in the form
            # the migration holds.
            models.CheckConstraint(
                condition=Q(status="active")
                | (Q(status="voided") & Q(voided_at__isnull=False) & Q(voided_by__isnull=False)),
                name="violation_voided_has_who_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · 第{self.rule_number}条 · {self.occurred_on:%Y-%m-%d}"

    @property
    def is_voided(self) -> bool:
        return self.status == ViolationStatus.VOIDED


class Evidence(EvidenceFile):
    """A file backing a violation: jpg, png or pdf (checked by content), up to 10 MB.

    Stored under MEDIA_ROOT (never a public static path) and served only through the
    permission-checked ``conduct:evidence_download`` view."""

    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = evidence_file("evidence/%Y/%m/")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["violation", "pk"]
