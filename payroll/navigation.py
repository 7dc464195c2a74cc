"""Label of the payroll item in ``staff.navigation`` (kept here so that its translation
lives in this app's catalogue)."""

from django.utils.translation import gettext_lazy as _

PAYROLL = _("Payroll")
