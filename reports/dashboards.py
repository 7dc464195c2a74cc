"""The home page's dashboard, one per role: what the role has to act on and how things
stand, from aggregate queries only, so that each dashboard costs a fixed number of
queries whatever the amount of data.

A user with several roles gets the dashboard of the first role in ``ORDER``; anyone with
an employee file and none of these roles gets the employee's own summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from penalties.selectors.approvals import approval_inbox_count
from rewards.selectors import award_inbox_count
from staff.roles import Role, user_roles
from staff.selectors import employee_for_user

from . import figures
from .selectors import charts as chart_data
from .selectors import dashboards as data
from .selectors.employee_file import monthly_totals, points_balances
from .selectors.periods import Window, first_of, month_end

CHART_MONTHS = 12


@dataclass(frozen=True)
class Dashboard:
    role: str
    template: str
    context: dict


def optional_url(name: str, *args, query: dict | None = None) -> str:
    """The URL of a page another app may not have yet ("" then)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _list_url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _this_month_violations_url(today: date) -> str:
    return figures.violation_list_url(start=first_of(today), end=month_end(today))


def _window(today: date) -> Window:
    return Window.last(today=today, count=CHART_MONTHS)


def _money_this_month(user, today: date) -> chart_data.MoneyMonths:
    return chart_data.money_by_month(user=user, window=Window((first_of(today),)))


# ---- HR -----------------------------------------------------------------------------------


def hr_dashboard(*, user, today: date) -> dict:
    window = _window(today)
    return {
        "violations": data.violation_counts(user=user, today=today),
        "violations_url": _this_month_violations_url(today),
        "pending": data.pending_penalties(user=user),
        "pending_url": _list_url("penalties:penalty_list", status="pending"),
        "pending_awards": data.pending_awards(user=user),
        "pending_awards_url": _list_url("rewards:award_list", status="pending"),
        "notices": data.unacknowledged_notices(user=user),
        "notices_url": reverse("penalties:notice_list"),
        "appeals": data.appeals_to_decide(user=user),
        "appeals_url": reverse("penalties:appeal_list"),
        "attendance": [
            {
                "month": row,
                "url": _list_url("attendance:month_sheet", month=f"{row.month:%Y-%m}"),
            }
            for row in data.attendance_months_to_process(today=today)
        ],
        "category_chart": figures.category_month_chart(
            chart_data.violations_by_category_month(user=user, window=window)
        ),
        "department_chart": figures.department_chart(
            chart_data.violations_by_department(user=user, window=window), window
        ),
        "window": window,
    }


# ---- department head ----------------------------------------------------------------------


def head_dashboard(*, user, today: date) -> dict:
    window = _window(today)
    money = _money_this_month(user, today)
    return {
        "employees": data.active_employees(user=user),
        "employees_url": reverse("staff:employee_list"),
        "violations": data.violation_counts(user=user, today=today),
        "violations_url": _this_month_violations_url(today),
        "pending": data.pending_penalties(user=user),
        "pending_url": _list_url("penalties:penalty_list", status="pending"),
        "inbox": approval_inbox_count(user) or 0,
        "inbox_url": reverse("penalties:approval_inbox"),
        "award_inbox": award_inbox_count(user) or 0,
        "award_inbox_url": reverse("rewards:award_inbox"),
        "appeals": data.open_appeals(user=user),
        "appeals_url": reverse("penalties:appeal_list"),
        "fines": money.fines[0],
        "rewards": money.rewards[0],
        "category_chart": figures.category_month_chart(
            chart_data.violations_by_category_month(user=user, window=window)
        ),
        "offenders_chart": figures.offenders_chart(
            chart_data.repeat_offenders(user=user, window=window), window
        ),
        "window": window,
    }


# ---- GM, deputy GM, auditor: the company overview -----------------------------------------


def company_dashboard(*, user, today: date) -> dict:
    window = _window(today)
    money = _money_this_month(user, today)
    roles = user_roles(user)
    deciding = Role.GM in roles or Role.DEPUTY_GM in roles
    return {
        "employees": data.active_employees(user=user),
        "violations": data.violation_counts(user=user, today=today),
        "violations_url": _this_month_violations_url(today),
        "pending": data.pending_penalties(user=user),
        "pending_url": _list_url("penalties:penalty_list", status="pending"),
        "inbox": (approval_inbox_count(user) or 0) if deciding else None,
        "inbox_url": reverse("penalties:approval_inbox"),
        "award_inbox": (award_inbox_count(user) or 0) if deciding else None,
        "award_inbox_url": reverse("rewards:award_inbox"),
        "appeals": data.open_appeals(user=user),
        "appeals_url": reverse("penalties:appeal_list"),
        "fines": money.fines[0],
        "rewards": money.rewards[0],
        "department_chart": figures.department_chart(
            chart_data.violations_by_department(user=user, window=window), window
        ),
        "money_chart": figures.money_chart(chart_data.money_by_month(user=user, window=window)),
        "window": window,
    }


# ---- payroll clerk ------------------------------------------------------------------------


def payroll_dashboard(*, user, today: date) -> dict:
    return {
        "payroll": data.payroll_overview(today=today),
        "periods_url": optional_url("payroll:period_list"),
    }


# ---- employee -----------------------------------------------------------------------------


def employee_dashboard(*, user, today: date) -> dict:
    me = employee_for_user(user)
    year = Window(tuple(date(today.year, m, 1) for m in range(1, today.month + 1)))
    months = monthly_totals(employee=me, own=True)
    this_year = [months[m] for m in year.months if m in months]
    return {
        "me": me,
        "year": today.year,
        "violations": sum(t.violations for t in this_year),
        "fines": sum((t.fines for t in this_year), data.ZERO),
        "rewards": sum((t.rewards for t in this_year), data.ZERO),
        "points": points_balances(employee=me, today=today),
        "notices": data.own_unacknowledged_notices(user=user),
        "file_url": reverse("reports:employee_file", args=[me.pk]),
        "record_url": reverse("penalties:my_record"),
        "awards_url": optional_url("rewards:my_awards"),
    }


# ---- choosing ------------------------------------------------------------------------------

ORDER: tuple[tuple[str, Callable[..., dict], str], ...] = (
    (Role.HR_OFFICER, hr_dashboard, "reports/dashboard_hr.html"),
    (Role.GM, company_dashboard, "reports/dashboard_company.html"),
    (Role.DEPUTY_GM, company_dashboard, "reports/dashboard_company.html"),
    (Role.DEPARTMENT_HEAD, head_dashboard, "reports/dashboard_head.html"),
    (Role.PAYROLL_CLERK, payroll_dashboard, "reports/dashboard_payroll.html"),
    (Role.AUDITOR, company_dashboard, "reports/dashboard_company.html"),
)


def dashboard_for(*, user, today: date | None = None) -> Dashboard | None:
    """The dashboard of the user's first role in ``ORDER``, the employee's summary for
    anyone else with an employee file, or None."""
    today = today or timezone.localdate()
    roles = user_roles(user)
    for role, build, template in ORDER:
        if role in roles:
            return Dashboard(str(role), template, build(user=user, today=today))
    if employee_for_user(user) is not None:
        return Dashboard(
            Role.EMPLOYEE.value,
            "reports/dashboard_employee.html",
            employee_dashboard(user=user, today=today),
        )
    return None
