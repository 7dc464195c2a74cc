"""The main navigation: one list, each item shown to whoever holds its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conduct import navigation as conduct_nav


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    permission: str | None = None  # None: every signed-in user

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Home"), "home", "house"),
    NavItem(_("Employees"), "staff:employee_list", "people", "staff.view_employee"),
    NavItem(_("Departments"), "staff:department_list", "diagram-3", "staff.view_department"),
    NavItem(conduct_nav.RULEBOOKS, "conduct:rulebook_list", "journal-text"),
    NavItem(
        _("Violations"), "conduct:violation_list", "exclamation-triangle", "conduct.view_violation"
    ),
    NavItem(_("Log violation"), "conduct:violation_create", "plus-circle", "conduct.add_violation"),
    NavItem(_("Penalties"), "penalties:penalty_list", "cash-coin", "penalties.view_penalty"),
)


def nav_for(user) -> list[dict]:
    return [
        {"label": item.label, "url": reverse(item.url_name), "icon": item.icon}
        for item in NAV_ITEMS
        if item.visible_to(user)
    ]
