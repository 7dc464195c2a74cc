"""Reports keep no data of their own: they read the other apps through their selectors.
The one model here has no table; it holds the permissions the reports are checked by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """No table (``managed = False``): the holder of the reports' permissions."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            (
                "view_reports",
                _("Can view the charts and reports of the departments they see"),
            ),
            (
                "view_employee_file",
                _("Can view the conduct file of employees in the departments they see"),
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
