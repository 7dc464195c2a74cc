"""The main navigation: one list, each item shown to whoever holds its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from attendance import navigation as attendance_nav
from conduct import navigation as conduct_nav
from payroll import navigation as payroll_nav
from penalties import navigation as penalties_nav
from reports import navigation as reports_nav
from rewards import navigation as rewards_nav


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
    NavItem(penalties_nav.NOTICES, "penalties:notice_list", "printer", "penalties.print_notice"),
    NavItem(penalties_nav.MY_RECORD, "penalties:my_record", "person-vcard"),
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
    NavItem(payroll_nav.PAYROLL, "payroll:period_list", "calculator", "payroll.view_payrollperiod"),
    NavItem(reports_nav.REPORTS, "reports:index", "bar-chart", "reports.view_reports"),
    NavItem(reports_nav.MY_FILE, "reports:my_file", "folder2-open"),
)


def nav_for(user) -> list[dict]:
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "badge": item.badge_for(user),
        }
        for item in NAV_ITEMS
        if item.visible_to(user)
    ]
