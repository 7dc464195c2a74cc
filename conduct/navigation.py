"""Labels of conduct's items in the main navigation (``staff.navigation.NAV_ITEMS``),
kept here so that they are translated in conduct's own catalogue."""

from django.utils.translation import gettext_lazy as _

RULEBOOKS = _("Rulebooks")
