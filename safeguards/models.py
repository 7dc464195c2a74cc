"""Records the law requires us to keep cannot be deleted by anyone, superusers included.

``Undeletable`` is an abstract base a model adds to its bases, with a class attribute
``undeletable_when`` (a ``Q``) naming the rows that must stay: ``Model.delete()`` and
``QuerySet.delete()`` refuse them. The database refuses them too: the migrations of this
app put a BEFORE DELETE trigger on each table (PostgreSQL), so raw SQL and the admin are
covered as well. Mistakes are corrected by voiding or reopening through the services.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DELETION_REFUSED = _("This record must be kept and cannot be deleted; void or correct it instead.")


class DeletionRefused(PermissionDenied):
    """Raised when a kept record would be deleted (a 403 if it ever reaches a view)."""

    def __init__(self, model=None):
        super().__init__(str(DELETION_REFUSED))
        self.model = model


class UndeletableQuerySet(models.QuerySet):
    def delete(self):
        condition = getattr(self.model, "undeletable_when", None)
        if condition is not None and self.filter(condition).exists():
            raise DeletionRefused(self.model)
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class Undeletable(models.Model):
    """Abstract base: rows matching ``undeletable_when`` cannot be deleted."""

    undeletable_when: Q = Q(pk__isnull=False)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        if (
            self.pk is not None
            and type(self)._base_manager.filter(self.undeletable_when, pk=self.pk).exists()
        ):
            raise DeletionRefused(type(self))
        return super().delete(*args, **kwargs)

    delete.alters_data = True
