"""Who voided a record, when and why.

Nothing is hard-deleted: a violation or an award that should not count is voided, a leave
request that no longer stands is cancelled, and the row keeps who did it, when, and the
reason given. ``Voided`` declares the three fields of a voided record once; a record that is
cancelled instead names its own, its canceller with ``voider(_("cancelled by"))``. Each model
states in its own ``Meta.constraints`` that a voided (cancelled) row has its who and when,
and where a reason is required its why, with ``void_recorded(…)``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

VOIDED_BY = _("voided by")


def voider(verbose_name=VOIDED_BY) -> models.ForeignKey:
    """The user who voided (or cancelled) the record: empty until then, no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


def void_recorded(
    *,
    name: str,
    unless: Q,
    by: str = "voided_by",
    at: str = "voided_at",
    reason: str | None = None,
) -> models.CheckConstraint:
    """A row is either one of ``unless`` or has who voided it (``by``) and when (``at``),
    and, if ``reason`` names a field, a reason that is not empty."""
    recorded = Q(**{f"{by}__isnull": False}) & Q(**{f"{at}__isnull": False})
    if reason:
        recorded &= ~Q(**{reason: ""})
    return models.CheckConstraint(condition=unless | recorded, name=name)


class Voided(models.Model):
    """Abstract base: ``voided_by``, ``voided_at``, ``void_reason``."""

    voided_by = voider()
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("void reason"), blank=True)

    class Meta:
        abstract = True
