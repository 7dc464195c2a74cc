"""The stored file behind a violation, an award or an appeal.

Every evidence upload is checked the same way (``conduct.services.violations.
evidence_check``: JPG, PNG or PDF by content, up to 10 MB), stored under MEDIA_ROOT (never
a public static path) and served only through a permission-checked view; ``EvidenceFile``
declares what is kept of each file once. A model adds the record it backs and its
``file = evidence_file(upload_to)``; one whose uploader is known otherwise (an appeal's is
its filer) drops ``uploaded_by`` with ``uploaded_by = None``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def evidence_file(upload_to: str) -> models.FileField:
    """The ``file`` field, stored under ``upload_to`` (strftime placeholders allowed)."""
    return models.FileField(_("file"), upload_to=upload_to, max_length=300)


class EvidenceFile(models.Model):
    """Abstract base: the original name, type, size and digest of an uploaded file, who
    uploaded it and when."""

    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
