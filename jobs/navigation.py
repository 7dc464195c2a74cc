"""Label of the jobs item in the main navigation (``staff.navigation.NAV_ITEMS``), kept
here so that it is translated in this app's catalogue."""

from django.utils.translation import gettext_lazy as _

JOBS = _("Background jobs")
