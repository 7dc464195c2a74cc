"""The decision fields of every record someone approves or rejects.

A penalty, an award and a leave request each keep who decided them, when, and the
comment or reason given; ``Decided`` declares those three fields once. A model whose
decider needs a reverse accessor overrides ``decided_by`` with ``decider(related_name=…)``;
each model states in its own ``Meta.constraints`` which statuses need a decider, with
``decision_recorded(…)``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def decider(*, related_name: str = "+") -> models.ForeignKey:
    """The ``decided_by`` field (``related_name``: its reverse accessor, none by default)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


def decision_recorded(*, name: str, unless: Q, when: bool = True) -> models.CheckConstraint:
    """A row is either one of ``unless`` or has a decider (and, with ``when``, the time of
    the decision)."""
    recorded = Q(decided_by__isnull=False)
    if when:
        recorded &= Q(decided_at__isnull=False)
    return models.CheckConstraint(condition=unless | recorded, name=name)


class Decided(models.Model):
    """Abstract base: ``decided_by``, ``decided_at``, ``decision_comment``."""

    decided_by = decider()
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        abstract = True
