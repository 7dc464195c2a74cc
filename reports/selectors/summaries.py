"""The reports: a month per department (counts and amounts by category), and the year to
date per employee. Aggregate queries over what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import Subquery
from django.db.models.functions import Coalesce

from conduct.models import Violation, ViolationStatus
from conduct.selectors.violations import violations_visible_to
from penalties.models import Penalty, PenaltyStatus
from penalties.selectors.penalties import penalties_visible_to
from rewards.models import Award, AwardStatus
from rewards.selectors import awards_visible_to
from staff.models import Department, Employee
from staff.selectors import department_subtree_ids, departments_visible_to, employees_visible_to

from .charts import TAKEN_KINDS
from .periods import month_end

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)


# ---- a month per department ---------------------------------------------------------------


@dataclass
class CategoryLine:
    category: str
    violations: int = 0
    fines: Decimal = ZERO  # penalties in effect
    pending: Decimal = ZERO  # penalties waiting for approval

    def add(self, other: CategoryLine) -> None:
        self.violations += other.violations
        self.fines += other.fines
        self.pending += other.pending


@dataclass
class DepartmentMonth:
    department_id: int
    code: str
    name: str
    lines: list[CategoryLine] = field(default_factory=list)
    total: CategoryLine = field(default_factory=lambda: CategoryLine(""))
    rewards_count: int = 0
    rewards: Decimal = ZERO


@dataclass
class MonthSummary:
    month: date
    departments: list[DepartmentMonth]
    total: CategoryLine
    rewards_count: int
    rewards: Decimal


def department_month_summary(
    *, user, month: date, department: Department | None = None
) -> MonthSummary:
    """Per department the user sees and category: the month's active violations (by the
    department the violator belongs to), the penalties' money in effect and pending (by
    the department the penalty was booked to), and the rewards approved. Four queries."""
    start, end = month, month_end(month)
    scope: set[int] | None = (
        department_subtree_ids([department.pk]) if department is not None else None
    )

    def scoped(qs, lookup: str):
        return qs.filter(**{f"{lookup}__in": scope}) if scope is not None else qs

    violations = (
        scoped(
            violations_visible_to(user).filter(
                status=ViolationStatus.ACTIVE, occurred_on__range=(start, end)
            ),
            "employee__department_id",
        )
        .values_list("employee__department_id", "rule__category__name")
        .annotate(n=Count("pk"))
    )
    penalties = (
        scoped(
            penalties_visible_to(user).filter(
                violation__status=ViolationStatus.ACTIVE, violation__occurred_on__range=(start, end)
            ),
            "department_id",
        )
        .values_list("department_id", "violation__rule__category__name")
        .annotate(
            fines=Sum(
                "amount",
                filter=Q(status=PenaltyStatus.APPROVED, money_kind__in=TAKEN_KINDS),
                default=ZERO,
            ),
            pending=Sum("amount", filter=Q(status=PenaltyStatus.PENDING), default=ZERO),
        )
    )
    rewards = (
        scoped(
            awards_visible_to(user).filter(
                status=AwardStatus.APPROVED, awarded_on__range=(start, end)
            ),
            "department_id",
        )
        .values_list("department_id")
        .annotate(n=Count("pk"), amount=Sum(F("amount") + F("department_amount")))
    )

    lines: dict[tuple[int, str], CategoryLine] = {}
    for department_id, category, n in violations.order_by():
        lines.setdefault((department_id, category), CategoryLine(category)).violations = n
    for department_id, category, fines, pending in penalties.order_by():
        line = lines.setdefault((department_id, category), CategoryLine(category))
        line.fines, line.pending = fines, pending
    awarded = {dept: (n, amount) for dept, n, amount in rewards.order_by()}

    rows: list[DepartmentMonth] = []
    total = CategoryLine("")
    for dept in departments_visible_to(user).order_by("code").values("id", "code", "name"):
        if scope is not None and dept["id"] not in scope:
            continue
        mine = sorted(
            (line for (dept_id, _c), line in lines.items() if dept_id == dept["id"]),
            key=lambda line: (-line.violations, -line.fines, line.category),
        )
        n, amount = awarded.get(dept["id"], (0, ZERO))
        if not mine and not n:
            continue
        row = DepartmentMonth(dept["id"], dept["code"], dept["name"], mine, rewards_count=n)
        row.rewards = amount or ZERO
        for line in mine:
            row.total.add(line)
        total.add(row.total)
        rows.append(row)
    return MonthSummary(
        month=month,
        departments=rows,
        total=total,
        rewards_count=sum(r.rewards_count for r in rows),
        rewards=sum((r.rewards for r in rows), ZERO),
    )


# ---- the year to date per employee ----------------------------------------------------------


def _count(qs: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().values("employee_id").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _sum(qs: QuerySet, expression) -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().values("employee_id").annotate(total=Sum(expression)).values("total"),
            output_field=MONEY,
        ),
        ZERO,
        output_field=MONEY,
    )


YTD_SORTS = {
    "employee": ("employee_no",),
    "-violations": ("-ytd_violations", "employee_no"),
    "-fines": ("-ytd_fines", "employee_no"),
    "-rewards": ("-ytd_rewards", "employee_no"),
}


def year_bounds(*, year: int, today: date) -> tuple[date, date]:
    """1 January to today in the current year, to 31 December in a past one."""
    end = date(year, 12, 31)
    return date(year, 1, 1), min(end, today) if year == today.year else end


def employee_year_to_date(
    *,
    user,
    year: int,
    today: date,
    department: Department | None = None,
    search: str = "",
    everyone: bool = False,
    sort: str = "employee",
) -> QuerySet[Employee]:
    """The employees the user sees, each annotated with the year's active violations
    (``ytd_violations``), penalties in effect (``ytd_fines``) and pending
    (``ytd_pending``), and awards approved (``ytd_rewards``, ``ytd_net`` = rewards −
    fines); only those with something in the year unless ``everyone``. One query,
    whatever the page size."""
    start, end = year_bounds(year=year, today=today)
    violations = Violation.objects.filter(
        employee_id=OuterRef("pk"),
        status=ViolationStatus.ACTIVE,
        occurred_on__range=(start, end),
    )
    penalties = Penalty.objects.filter(
        employee_id=OuterRef("pk"), violation__occurred_on__range=(start, end)
    )
    awards = Award.objects.filter(
        employee_id=OuterRef("pk"), status=AwardStatus.APPROVED, awarded_on__range=(start, end)
    )
    qs = (
        employees_visible_to(user)
        .select_related("department")
        .annotate(
            ytd_violations=_count(violations),
            ytd_fines=_sum(
                penalties.filter(status=PenaltyStatus.APPROVED, money_kind__in=TAKEN_KINDS),
                "amount",
            ),
            ytd_pending=_sum(penalties.filter(status=PenaltyStatus.PENDING), "amount"),
            ytd_rewards=_sum(awards, "amount"),
        )
        .annotate(ytd_net=F("ytd_rewards") - F("ytd_fines"))
    )
    if department is not None:
        qs = qs.filter(department_id__in=department_subtree_ids([department.pk]))
    if search:
        qs = qs.filter(Q(employee_no__icontains=search) | Q(name__icontains=search))
    if not everyone:
        qs = qs.filter(
            Q(ytd_violations__gt=0)
            | Q(ytd_fines__gt=0)
            | Q(ytd_pending__gt=0)
            | Q(ytd_rewards__gt=0)
        )
    return qs.order_by(*YTD_SORTS.get(sort, YTD_SORTS["employee"]))
