"""Labels of the approval, appeal and notice items in ``staff.navigation`` (kept here so
that their translations live in this app's catalogue)."""

from django.utils.translation import gettext_lazy as _

APPROVALS = _("Approvals")
APPEALS = _("Appeals")
NOTICES = _("Notices")
MY_RECORD = _("My record")
