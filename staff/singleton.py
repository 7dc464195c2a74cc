"""The one-row settings models (pk=1): company, approval, reward, attendance and payroll.

Each is read through ``Model.get()`` (the row is made with its defaults the first time),
changed only by its app's service, which records who changed it last; ``SingletonSettings``
declares that once. A model keeps its own constraint name in ``Meta.constraints`` with
``singleton(name=…)``; one whose changes are not recorded drops the two fields with
``updated_at = None`` and ``updated_by = None``.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def singleton(*, name: str) -> models.CheckConstraint:
    """The check that keeps the table to its one row, pk=1."""
    return models.CheckConstraint(condition=Q(pk=1), name=name)


class SingletonSettings(models.Model):
    """Abstract base: ``updated_at``, ``updated_by`` and ``get()``, the one row."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @classmethod
    def get(cls) -> Self:
        """The row (pk=1), created with the defaults if there is none yet."""
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
