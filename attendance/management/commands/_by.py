"""Who a command acts as: ``--by USERNAME``, or the inactive system account."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

SYSTEM_USERNAME = "attendance-system"


def acting_user(username: str | None):
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user “%(name)s”.") % {"name": username})
        return user
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "考勤系统"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
