"""The figures behind the charts, each one aggregate query over what the user may see
(``violations_visible_to``, ``penalties_visible_to``, ``awards_visible_to``,
``departments_visible_to``). Only active violations count; money is what is in effect
(approved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, QuerySet, Sum
from django.db.models.functions import TruncMonth

from conduct.models import Violation, ViolationStatus
from conduct.selectors.violations import violations_visible_to
from penalties.models import PenaltyMoneyKind, PenaltyStatus
from penalties.selectors.penalties import penalties_visible_to
from rewards.models import AwardStatus
from rewards.selectors import awards_visible_to
from staff.selectors import departments_visible_to

from .periods import Window

ZERO = Decimal("0.00")
TOP_CATEGORIES = 7
# Money a penalty takes from someone (a "reward" line is money given, not taken).
TAKEN_KINDS = (
    PenaltyMoneyKind.FINE,
    PenaltyMoneyKind.COMPENSATION,
    PenaltyMoneyKind.BONUS_REDUCTION,
    PenaltyMoneyKind.ABSENCE_CUT,
)


def active_violations(*, user, window: Window) -> QuerySet[Violation]:
    """The active violations ``user`` may see that happened inside ``window``."""
    return violations_visible_to(user).filter(
        status=ViolationStatus.ACTIVE, occurred_on__range=(window.start, window.end)
    )


# ---- violations by category per month -------------------------------------------------


@dataclass(frozen=True)
class CategorySeries:
    """One category's count per month of the window; ``name`` None: the other categories."""

    name: str | None
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class CategoryMonths:
    window: Window
    series: tuple[CategorySeries, ...]  # the biggest categories first, "other" last

    def month_totals(self) -> list[int]:
        return [sum(column) for column in zip(*(s.counts for s in self.series), strict=True)]


def violations_by_category_month(
    *, user, window: Window, top: int = TOP_CATEGORIES
) -> CategoryMonths:
    """Active violations per category name (as the violation list filters them) and
    month; the ``top`` biggest categories apart, the rest together (one query)."""
    rows = (
        active_violations(user=user, window=window)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month", "rule__category__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[date, int]] = {}
    for row in rows:
        counts.setdefault(row["rule__category__name"], {})[row["month"]] = row["n"]
    ranked = sorted(counts, key=lambda name: (-sum(counts[name].values()), name))
    series = [
        CategorySeries(name, tuple(counts[name].get(m, 0) for m in window.months))
        for name in ranked[:top]
    ]
    rest = ranked[top:]
    if rest:
        other = tuple(sum(counts[name].get(m, 0) for name in rest) for m in window.months)
        series.append(CategorySeries(None, other))
    return CategoryMonths(window, tuple(series))


# ---- by department ---------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentCount:
    """A department with its own people's violations (``direct``) and those of its whole
    subtree (``total``, what the violation list shows when filtered by it)."""

    department_id: int
    name: str
    depth: int
    direct: int
    total: int


def violations_by_department(*, user, window: Window) -> list[DepartmentCount]:
    """Every department the user sees that has violations in its subtree, in tree order
    (two queries: the counts and the departments)."""
    direct = dict(
        active_violations(user=user, window=window)
        .values_list("employee__department_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    departments = list(
        departments_visible_to(user).order_by("code").values("id", "name", "parent_id")
    )
    ids = {d["id"] for d in departments}
    children: dict[int | None, list[dict]] = {}
    for department in departments:
        parent = department["parent_id"] if department["parent_id"] in ids else None
        children.setdefault(parent, []).append(department)

    result: list[DepartmentCount] = []

    def visit(department: dict, depth: int) -> int:
        index = len(result)
        result.append(DepartmentCount(department["id"], department["name"], depth, 0, 0))
        total = direct.get(department["id"], 0)
        for child in children.get(department["id"], []):
            total += visit(child, depth + 1)
        result[index] = DepartmentCount(
            department["id"], department["name"], depth, direct.get(department["id"], 0), total
        )
        return total

    for root in children.get(None, []):
        visit(root, 0)
    return [row for row in result if row.total > 0]


# ---- top rules and repeat offenders ----------------------------------------------------


@dataclass(frozen=True)
class RuleCount:
    rulebook_id: int
    rulebook_name: str
    rule_number: str
    title: str
    count: int


def top_rules(*, user, window: Window, limit: int = 10) -> list[RuleCount]:
    """The rules broken most often (a rule is its rulebook and number, whatever the
    version), most first (one query)."""
    rows = (
        active_violations(user=user, window=window)
        .values("rulebook_id", "rulebook__name", "rule_number")
        .annotate(n=Count("pk"), title=Max("rule__title"))
        .order_by("-n", "rulebook__name", "rule_number")[:limit]
    )
    return [
        RuleCount(r["rulebook_id"], r["rulebook__name"], r["rule_number"], r["title"] or "", r["n"])
        for r in rows
    ]


@dataclass(frozen=True)
class OffenderCount:
    employee_id: int
    employee_no: str
    name: str
    department: str
    count: int


def repeat_offenders(
    *, user, window: Window, minimum: int = 2, limit: int = 10
) -> list[OffenderCount]:
    """The employees with at least ``minimum`` active violations, most first (one query)."""
    rows = (
        active_violations(user=user, window=window)
        .values(
            "employee_id",
            "employee__employee_no",
            "employee__name",
            "employee__department__name",
        )
        .annotate(n=Count("pk"))
        .filter(n__gte=minimum)
        .order_by("-n", "employee__employee_no")[:limit]
    )
    return [
        OffenderCount(
            r["employee_id"],
            r["employee__employee_no"],
            r["employee__name"],
            r["employee__department__name"],
            r["n"],
        )
        for r in rows
    ]


# ---- fines against rewards ---------------------------------------------------------------


@dataclass(frozen=True)
class MoneyMonths:
    window: Window
    fines: tuple[Decimal, ...]
    rewards: tuple[Decimal, ...]


def money_by_month(*, user, window: Window) -> MoneyMonths:
    """Per month: the money penalties in effect take (by the month the violation
    happened; people's and departments' shares) and the rewards approved (by the day
    awarded; the person's and the department's shares). Two queries."""
    fines = dict(
        penalties_visible_to(user)
        .filter(
            status=PenaltyStatus.APPROVED,
            money_kind__in=TAKEN_KINDS,
            violation__occurred_on__range=(window.start, window.end),
        )
        .annotate(month=TruncMonth("violation__occurred_on"))
        .values_list("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    rewards = dict(
        awards_visible_to(user)
        .filter(status=AwardStatus.APPROVED, awarded_on__range=(window.start, window.end))
        .annotate(month=TruncMonth("awarded_on"))
        .values_list("month")
        .annotate(total=Sum(F("amount") + F("department_amount")))
        .order_by()
    )
    return MoneyMonths(
        window,
        tuple(fines.get(m) or ZERO for m in window.months),
        tuple(rewards.get(m) or ZERO for m in window.months),
    )
