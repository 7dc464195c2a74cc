"""Labels of the report items in ``staff.navigation`` (kept here so that their
translations live in this app's catalogue)."""

from django.utils.translation import gettext_lazy as _

REPORTS = _("Reports")
MY_FILE = _("My conduct file")
