"""Charts from the figures of ``reports.selectors.charts``: each bar, segment and point
links to the list behind it, with the list's own GET filter names (``conduct`` violation
list: q, department, rulebook, category, rule, date_from, date_to, status; rewards list:
month, status)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from conduct.models import ViolationStatus
from rewards.models import AwardStatus

from . import charts
from .selectors.charts import (
    CategoryMonths,
    DepartmentCount,
    MoneyMonths,
    OffenderCount,
    RuleCount,
)
from .selectors.periods import Window, month_end


def violation_list_url(*, start: date, end: date, **filters) -> str:
    """The violation list filtered to active violations between two days (and more)."""
    query = {
        **{name: value for name, value in filters.items() if value not in (None, "")},
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        "status": ViolationStatus.ACTIVE.value,
    }
    return f"{reverse('conduct:violation_list')}?{urlencode(query)}"


def award_list_url(*, month: date) -> str:
    query = {"month": f"{month:%Y-%m}", "status": AwardStatus.APPROVED.value}
    return f"{reverse('rewards:award_list')}?{urlencode(query)}"


def category_month_chart(data: CategoryMonths) -> SafeString:
    """Stacked bars: a column per month, a segment per category (the segment of the
    smaller categories put together links to the whole month)."""
    months = data.window.months
    series = []
    for one in data.series:
        name = one.name if one.name is not None else _("Other categories")
        points = tuple(
            charts.Point(count, violation_list_url(start=m, end=month_end(m), category=one.name))
            for m, count in zip(months, one.counts, strict=True)
        )
        colour = "" if one.name is not None else charts.OTHER_COLOUR
        series.append(charts.Series(name, points, colour))
    return charts.bar_chart(
        labels=data.window.labels(),
        ticks=data.window.ticks(),
        series=series,
        stacked=True,
        title=_("Violations by category per month"),
        testid="chart-category-month",
        empty=_("No violation in this period."),
    )


def department_chart(rows: list[DepartmentCount], window: Window) -> SafeString:
    """A bar per department with its sub-departments, indented under its parent."""
    bars = [
        charts.Bar(
            row.name,
            row.total,
            violation_list_url(start=window.start, end=window.end, department=row.department_id),
            indent=row.depth,
        )
        for row in rows
    ]
    return charts.hbar_chart(
        bars=bars,
        title=_("Violations by department (with its sub-departments)"),
        testid="chart-department",
        empty=_("No violation in this period."),
    )


def top_rules_chart(rows: list[RuleCount], window: Window) -> SafeString:
    bars = [
        charts.Bar(
            _("%(rulebook)s · rule %(number)s %(title)s")
            % {"rulebook": row.rulebook_name, "number": row.rule_number, "title": row.title},
            row.count,
            violation_list_url(
                start=window.start, end=window.end, rulebook=row.rulebook_id, rule=row.rule_number
            ),
        )
        for row in rows
    ]
    return charts.hbar_chart(
        bars=bars,
        title=_("The 10 rules broken most often"),
        testid="chart-rules",
        empty=_("No violation in this period."),
        colour=charts.PALETTE[1],
        label_width=250,
    )


def offenders_chart(rows: list[OffenderCount], window: Window) -> SafeString:
    bars = [
        charts.Bar(
            f"{row.employee_no} {row.name} · {row.department}",
            row.count,
            violation_list_url(start=window.start, end=window.end, q=row.employee_no),
        )
        for row in rows
    ]
    return charts.hbar_chart(
        bars=bars,
        title=_("Repeat offenders (two violations or more)"),
        testid="chart-offenders",
        empty=_("Nobody broke the rules twice in this period."),
        colour=charts.PALETTE[3],
        label_width=220,
    )


def money_chart(data: MoneyMonths) -> SafeString:
    """Two lines: the money penalties in effect took, and the rewards approved. A point
    of the fines links to that month's violations (the penalty list has no date filter);
    a point of the rewards to that month's approved awards."""
    months = data.window.months
    fines = charts.Series(
        _("Fines and deductions in effect"),
        tuple(
            charts.Point(amount, violation_list_url(start=m, end=month_end(m)))
            for m, amount in zip(months, data.fines, strict=True)
        ),
        charts.PALETTE[3],
    )
    rewards = charts.Series(
        _("Rewards approved"),
        tuple(
            charts.Point(amount, award_list_url(month=m))
            for m, amount in zip(months, data.rewards, strict=True)
        ),
        charts.PALETTE[2],
    )
    return charts.line_chart(
        labels=data.window.labels(),
        ticks=data.window.ticks(),
        series=[fines, rewards],
        title=_("Fines against rewards per month"),
        money=True,
        testid="chart-money",
        empty=_("No money in this period."),
    )
