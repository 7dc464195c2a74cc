"""The roles people have in the product. Each is a Django group of the same code name,
created by a data migration with its permissions; code checks permissions, not names,
except where a role is about *who* someone is (a department head heads a department)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HR_OFFICER = "hr_officer", _("HR officer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPUTY_GM = "deputy_gm", _("Deputy general manager")
    GM = "gm", _("General manager")
    PAYROLL_CLERK = "payroll_clerk", _("Payroll clerk")
    EMPLOYEE = "employee", _("Employee")
    AUDITOR = "auditor", _("Auditor")


def user_roles(user) -> frozenset[str]:
    """The role codes of ``user``, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_jc_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._jc_roles = cached
    return cached


def role_labels(user) -> list[str]:
    roles = user_roles(user)
    return [str(label) for code, label in Role.choices if code in roles]
