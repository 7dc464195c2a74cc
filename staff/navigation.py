"""The main navigation: a few menus of items, each item shown to whoever holds its
permission.

``NAV`` lists top-level items and groups (a Bootstrap dropdown each). What a user sees is
``nav_menu(user, path)``: the groups keep only the items the user may use, an empty group
disappears and a group left with one item is shown as that item's plain link, so that an
employee with a handful of items gets a handful of links. A group shows the sum of its
items' badges (what waits in it), and the group holding the current page is highlighted.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from attendance import navigation as attendance_nav
from conduct import navigation as conduct_nav
from jobs import navigation as jobs_nav
from payroll import navigation as payroll_nav
from penalties import navigation as penalties_nav
from reports import navigation as reports_nav
from rewards import navigation as rewards_nav

# Read by screen readers after a menu's badge ("违纪与处罚 3 待处理").
BADGE_HINT = pgettext_lazy("navigation badge", "waiting")


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    permission: str | None = None  # None: every signed-in user
    # Dotted path to ``callable(user) -> int | None``: a count shown beside the label
    # (e.g. what waits for the user). It must cost at most one query.
    badge: str | None = None

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

    def badge_for(self, user) -> int | None:
        return import_string(self.badge)(user) if self.badge else None


@dataclass(frozen=True)
class NavGroup:
    """A dropdown menu of items; ``key`` names it in the page (``nav-group-<key>``)."""

    key: str
    label: str | Promise
    icon: str
    items: tuple[NavItem, ...]


NAV: tuple[NavItem | NavGroup, ...] = (
    NavItem(_("Home"), "home", "house"),
    NavItem(conduct_nav.RULEBOOKS, "conduct:rulebook_list", "journal-text"),
    NavGroup(
        "conduct",
        pgettext_lazy("navigation menu", "Discipline"),
        "exclamation-triangle",
        (
            NavItem(
                _("Violations"),
                "conduct:violation_list",
                "exclamation-triangle",
                "conduct.view_violation",
            ),
            NavItem(
                _("Log violation"),
                "conduct:violation_create",
                "plus-circle",
                "conduct.add_violation",
            ),
            NavItem(
                _("Penalties"), "penalties:penalty_list", "cash-coin", "penalties.view_penalty"
            ),
            NavItem(
                penalties_nav.APPROVALS,
                "penalties:approval_inbox",
                "inbox",
                "penalties.decide_penalty",
                badge="penalties.selectors.approvals.approval_inbox_count",
            ),
            NavItem(
                penalties_nav.APPEALS,
                "penalties:appeal_list",
                "megaphone",
                "penalties.view_appeal",
                badge="penalties.selectors.approvals.appeal_queue_count",
            ),
            NavItem(
                penalties_nav.NOTICES, "penalties:notice_list", "printer", "penalties.print_notice"
            ),
            NavItem(penalties_nav.MY_RECORD, "penalties:my_record", "person-vcard"),
        ),
    ),
    NavGroup(
        "rewards",
        pgettext_lazy("navigation menu", "Rewards"),
        "award",
        (
            NavItem(rewards_nav.REWARDS, "rewards:award_list", "award", "rewards.view_award"),
            NavItem(
                rewards_nav.REWARD_APPROVALS,
                "rewards:award_inbox",
                "check2-square",
                "rewards.decide_award",
                badge="rewards.selectors.award_inbox_count",
            ),
            NavItem(
                rewards_nav.SERVICE_STAR,
                "rewards:service_star",
                "star",
                "rewards.view_servicestarnomination",
            ),
            NavItem(rewards_nav.MY_REWARDS, "rewards:my_awards", "gift", "rewards.view_own_awards"),
        ),
    ),
    NavGroup(
        "attendance",
        pgettext_lazy("navigation menu", "Attendance & pay"),
        "calendar-check",
        (
            NavItem(
                attendance_nav.SHEET,
                "attendance:month_sheet",
                "calendar-check",
                "attendance.view_attendanceday",
            ),
            NavItem(attendance_nav.LEAVE, "attendance:leave_list", "calendar-plus"),
            NavItem(
                attendance_nav.IMPORT,
                "attendance:import_list",
                "upload",
                "attendance.import_clock_records",
            ),
            NavItem(attendance_nav.SETUP, "attendance:setup", "sliders", "attendance.view_shift"),
            NavItem(
                payroll_nav.PAYROLL,
                "payroll:period_list",
                "calculator",
                "payroll.view_payrollperiod",
            ),
        ),
    ),
    NavGroup(
        "reports",
        pgettext_lazy("navigation menu", "Reports"),
        "bar-chart",
        (
            NavItem(reports_nav.REPORTS, "reports:index", "bar-chart", "reports.view_reports"),
            NavItem(reports_nav.MY_FILE, "reports:my_file", "folder2-open"),
            # Everyone may run exports in the background; each sees only their own jobs.
            NavItem(jobs_nav.JOBS, "jobs:job_list", "hourglass-split"),
        ),
    ),
    NavGroup(
        "admin",
        pgettext_lazy("navigation menu", "Management"),
        "gear",
        (
            NavItem(_("Employees"), "staff:employee_list", "people", "staff.view_employee"),
            NavItem(
                _("Departments"), "staff:department_list", "diagram-3", "staff.view_department"
            ),
        ),
    ),
)

# Every item, without the grouping.
NAV_ITEMS: tuple[NavItem, ...] = tuple(
    item for entry in NAV for item in (entry.items if isinstance(entry, NavGroup) else (entry,))
)


def _item(item: NavItem, user) -> dict:
    return {
        "label": item.label,
        "url": reverse(item.url_name),
        "icon": item.icon,
        "badge": item.badge_for(user),
        "active": False,
    }


def nav_for(user) -> list[dict]:
    """Every item ``user`` may use, in menu order, without the grouping."""
    return [_item(item, user) for item in NAV_ITEMS if item.visible_to(user)]


def _current(items: list[dict], path: str) -> dict | None:
    """The item of the page at ``path``: the one whose address is the longest start of it
    (``/penalties/inbox/`` for the inbox, ``/penalties/`` for a penalty's page); home only
    for ``/`` itself."""
    matches = [
        item
        for item in items
        if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))
    ]
    return max(matches, key=lambda item: len(item["url"]), default=None)


def nav_menu(user, path: str = "") -> list[dict]:
    """What ``user`` sees in the main navigation at ``path``: a list of links
    (``{"label", "url", "icon", "badge", "active"}``) and groups (``{"key", "label",
    "icon", "children", "badge", "badge_hint", "active"}``, two items or more). A
    group's badge is the sum of its items' badges (None if none has one). ("children",
    not "items": a template would read ``entry.items`` as the dict's method.)"""
    entries: list[dict] = []
    every: list[dict] = []
    for entry in NAV:
        if isinstance(entry, NavItem):
            if entry.visible_to(user):
                entries.append(_item(entry, user))
                every.append(entries[-1])
            continue
        items = [_item(item, user) for item in entry.items if item.visible_to(user)]
        every.extend(items)
        if len(items) == 1:
            entries.append(items[0])
        elif items:
            badges = [item["badge"] for item in items if item["badge"]]
            entries.append(
                {
                    "key": entry.key,
                    "label": entry.label,
                    "icon": entry.icon,
                    "children": items,
                    "badge": sum(badges) if badges else None,
                    "badge_hint": BADGE_HINT,
                    "active": False,
                }
            )
    current = _current(every, path)
    if current is not None:
        current["active"] = True
        for entry in entries:
            if any(child is current for child in entry.get("children", ())):
                entry["active"] = True
    return entries
