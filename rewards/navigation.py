"""Labels of the reward items in ``staff.navigation`` (kept here so that their
translations live in this app's catalogue)."""

from django.utils.translation import gettext_lazy as _

REWARDS = _("Rewards")
REWARD_APPROVALS = _("Reward approvals")
SERVICE_STAR = _("Service star")
MY_REWARDS = _("My rewards")
