"""Penalty notices (处罚通知书): numbered per year, frozen when issued, acknowledged by
the person they are addressed to.

``snapshot`` holds every text the notice prints, so that ``penalties.notices_pdf``
renders the same notice identically whenever it is asked. The PDF is not a field: once
rendered it is kept as a file named by the digest of its HTML (``penalties.pdf_support``),
which a change of state (acknowledged, replaced, voided) changes.
A notice is replaced, never edited: when an appeal changes the amount a new notice is
issued that ``supersedes`` the old one, which stops being current.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeguards.models import Undeletable

MONEY = {"max_digits": 12, "decimal_places": 2}
NUMBER_PREFIX = "JC"


class NoticeCounter(models.Model):
    """The last notice number drawn in a year; its row is locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_sequence = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("notice counter")
        verbose_name_plural = _("notice counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_sequence}"


class Notice(Undeletable, models.Model):
    # Every notice is issued when created and is kept for good (safeguards).
    number = models.CharField(_("number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    penalty = models.ForeignKey(
        "penalties.Penalty",
        verbose_name=_("penalty"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    is_current = models.BooleanField(_("current"), default=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    appeal_until = models.DateField(_("appeal until"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.JSONField(_("printed text"), default=dict)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_ip = models.GenericIPAddressField(_("acknowledged from"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("penalty notice")
        verbose_name_plural = _("penalty notices")
        ordering = ["-issued_at", "-pk"]
        permissions = [("print_notice", _("Can print penalty notices"))]
        indexes = [
            models.Index(fields=["issued_at"], name="notice_issued_at_idx"),
            models.Index(fields=["penalty", "is_current"], name="notice_penalty_current_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="notice_year_sequence"),
            models.UniqueConstraint(
                fields=["penalty"],
                condition=Q(is_current=True),
                name="notice_one_current_per_penalty",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="notice_amount_gte_0"),
            models.CheckConstraint(
                condition=(Q(acknowledged_at__isnull=True) & Q(acknowledged_by__isnull=True))
                | (Q(acknowledged_at__isnull=False) & Q(acknowledged_by__isnull=False)),
                name="notice_acknowledged_who_when",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
