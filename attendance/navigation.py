"""Labels of attendance's items in the main navigation (``staff.navigation.NAV_ITEMS``),
kept here so that they are translated in attendance's own catalogue."""

from django.utils.translation import gettext_lazy as _

SHEET = _("Attendance")
LEAVE = _("Leave")
IMPORT = _("Clock import")
SETUP = _("Attendance set-up")
