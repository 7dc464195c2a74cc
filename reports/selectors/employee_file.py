"""The employee conduct file (一人一档): every violation with the person's penalties,
sanctions, notices and appeals, their joint liabilities, their rewards and their points,
in time order, with totals per month and per year.

Who reads a file: the employee their own; holders of ``reports.view_employee_file`` (HR,
auditors, department heads) the employees they see (a head their subtree); anyone else a
404, whether the employee exists or not. The employee reading their own file sees what
the other apps show them of their own record: penalties once decided (not pending, not
rejected) and awards once approved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from conduct.models import Rulebook, Violation, ViolationStatus
from conduct.selectors.violations import POINTS_COUNTING_STATUSES
from penalties.engine import Window as CountWindow
from penalties.engine import sanction_name, window_bounds
from penalties.models import Appeal, Notice, Penalty, PenaltyStatus
from penalties.selectors.approvals import RECORD_STATUSES as PENALTY_RECORD_STATUSES
from rewards.models import Award, AwardStatus
from rewards.selectors import RECORD_STATUSES as AWARD_RECORD_STATUSES
from staff.models import Employee
from staff.selectors import employee_get_for_user, employees_visible_to

ZERO = Decimal("0.00")
FILE_PERMISSION = "reports.view_employee_file"


# ---- access ------------------------------------------------------------------------------


def employee_file_owner_get(*, user, employee_id: int) -> tuple[Employee, bool]:
    """The employee whose file ``user`` asks for, and whether it is the user's own.
    404 when missing or not the user's to read."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if user.has_perm(FILE_PERMISSION):
        employee = employee_get_for_user(user=user, employee_id=employee_id)
    else:
        employee = (
            employees_visible_to(user)
            .filter(pk=employee_id, user=user)
            .select_related("department", "position", "grade", "supervisor", "user")
            .first()
        )
        if employee is None:
            raise Http404
    return employee, employee.user_id is not None and employee.user_id == user.pk


# ---- points ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointsBalance:
    rulebook: Rulebook
    start: date | None
    end: date
    used: int

    @property
    def budget(self) -> int:
        return self.rulebook.points_budget or 0

    @property
    def balance(self) -> int:
        return self.budget - self.used

    @property
    def exhausted(self) -> bool:
        return self.balance <= 0


def _points_window(rulebook: Rulebook, today: date) -> tuple[date | None, date]:
    window = CountWindow(rulebook.points_window)
    if window is CountWindow.ROLLING_DAYS:  # as conduct counts it: no day count, by the year
        window = CountWindow.CALENDAR_YEAR
    return window_bounds(window, None, today)


def points_balances(*, employee: Employee, today: date) -> list[PointsBalance]:
    """For each rulebook with a points budget under which the employee has a violation:
    the points their penalties (pending, in effect or under appeal) of active violations
    took in the rulebook's current period, and what is left (two queries)."""
    rulebooks = list(Rulebook.objects.filter(points_budget__isnull=False).order_by("code"))
    if not rulebooks:
        return []
    windows = {rb.pk: _points_window(rb, today) for rb in rulebooks}
    in_window = Q(pk__in=[])
    for rulebook_id, (start, end) in windows.items():
        condition = Q(violation__rulebook_id=rulebook_id, violation__occurred_on__lte=end)
        if start is not None:
            condition &= Q(violation__occurred_on__gte=start)
        in_window |= condition
    used = dict(
        Penalty.objects.filter(
            is_primary=True,
            violation__employee=employee,
            violation__rulebook_id__in=windows,
        )
        .values_list("violation__rulebook_id")
        .annotate(
            used=Sum(
                "points",
                filter=in_window
                & Q(status__in=POINTS_COUNTING_STATUSES, violation__status=ViolationStatus.ACTIVE),
                default=0,
            )
        )
        .order_by()
    )
    return [PointsBalance(rb, *windows[rb.pk], used[rb.pk]) for rb in rulebooks if rb.pk in used]


# ---- totals ------------------------------------------------------------------------------


@dataclass
class Totals:
    violations: int = 0
    fines: Decimal = ZERO  # penalties in effect
    pending: Decimal = ZERO  # penalties waiting for approval (not shown to the employee)
    rewards: Decimal = ZERO  # awards approved

    def add(self, other: Totals) -> None:
        self.violations += other.violations
        self.fines += other.fines
        self.pending += other.pending
        self.rewards += other.rewards

    @property
    def net(self) -> Decimal:
        return self.rewards - self.fines


def monthly_totals(*, employee: Employee, own: bool) -> dict[date, Totals]:
    """Per month: active violations, the person's penalties in effect (and pending, for
    others than the employee) by the month the violation happened, and the awards
    approved by the month awarded. Three aggregate queries."""
    months: dict[date, Totals] = defaultdict(Totals)
    for month, n in (
        Violation.objects.filter(employee=employee, status=ViolationStatus.ACTIVE)
        .annotate(month=TruncMonth("occurred_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        months[month].violations = n
    for month, fines, pending in (
        Penalty.objects.filter(employee=employee)
        .annotate(month=TruncMonth("violation__occurred_on"))
        .values_list("month")
        .annotate(
            fines=Sum("amount", filter=Q(status=PenaltyStatus.APPROVED), default=ZERO),
            pending=Sum("amount", filter=Q(status=PenaltyStatus.PENDING), default=ZERO),
        )
        .order_by()
    ):
        months[month].fines = fines
        months[month].pending = ZERO if own else pending
    for month, total in (
        Award.objects.filter(employee=employee, status=AwardStatus.APPROVED)
        .annotate(month=TruncMonth("awarded_on"))
        .values_list("month")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        months[month].rewards = total
    return dict(months)


# ---- the file ----------------------------------------------------------------------------


@dataclass
class Entry:
    """One line of the file: a violation (with the person's penalties), a penalty for
    someone else's violation (joint liability), or an award."""

    kind: str  # "violation", "joint" or "award"
    day: date
    at: datetime | None
    violation: Violation | None = None
    penalties: list[Penalty] = field(default_factory=list)
    award: Award | None = None

    @property
    def sort_key(self) -> tuple:
        moment = self.at or timezone.make_aware(datetime.combine(self.day, datetime.min.time()))
        pk = (self.violation or self.award).pk
        return (self.day, moment, self.kind, pk)


@dataclass
class MonthGroup:
    month: date
    totals: Totals
    entries: list[Entry]


@dataclass
class YearGroup:
    year: int
    totals: Totals
    months: list[MonthGroup]


@dataclass
class EmployeeFile:
    employee: Employee
    own: bool
    years: list[YearGroup]
    totals: Totals
    points: list[PointsBalance]
    today: date

    @property
    def entries(self) -> list[Entry]:
        return [e for y in self.years for m in y.months for e in m.entries]


def _penalties(employee: Employee, own: bool):
    qs = Penalty.objects.filter(employee=employee)
    if own:
        qs = qs.filter(status__in=PENALTY_RECORD_STATUSES)
    return (
        qs.select_related("violation__employee", "violation__rulebook", "violation__rule", "appeal")
        .prefetch_related(Prefetch("notices", queryset=Notice.objects.order_by("issued_at", "pk")))
        .order_by("violation__occurred_at", "pk")
    )


def decorate_penalty(penalty: Penalty) -> Penalty:
    """Names for the sanctions and the current notice, for the template."""
    penalty.sanction_names = [sanction_name(code) for code in penalty.sanctions or []]
    try:
        penalty.appeal_or_none = penalty.appeal
    except Appeal.DoesNotExist:
        penalty.appeal_or_none = None
    return penalty


def employee_file(*, user, employee_id: int, today: date | None = None) -> EmployeeFile:
    """The whole file, for ``user`` (404 when not theirs to read). A fixed number of
    queries whatever the size of the record."""
    today = today or timezone.localdate()
    employee, own = employee_file_owner_get(user=user, employee_id=employee_id)
    violations = list(
        Violation.objects.filter(employee=employee)
        .select_related("rulebook", "rule__category")
        .order_by("occurred_at", "pk")
    )
    by_violation: dict[int, list[Penalty]] = defaultdict(list)
    joint: list[Entry] = []
    for penalty in _penalties(employee, own):
        decorate_penalty(penalty)
        if penalty.violation.employee_id == employee.pk:
            by_violation[penalty.violation_id].append(penalty)
        else:
            v = penalty.violation
            joint.append(Entry("joint", v.occurred_on, v.occurred_at, v, [penalty]))
    awards = Award.objects.filter(employee=employee)
    if own:
        awards = awards.filter(status__in=AWARD_RECORD_STATUSES)
    entries = [
        Entry("violation", v.occurred_on, v.occurred_at, v, by_violation.get(v.pk, []))
        for v in violations
    ]
    entries += joint
    entries += [
        Entry("award", a.awarded_on, None, award=a)
        for a in awards.select_related("reward_type", "notice").order_by("awarded_on", "pk")
    ]
    entries.sort(key=lambda e: e.sort_key)

    months = monthly_totals(employee=employee, own=own)
    grouped: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries:
        grouped[entry.day.replace(day=1)].append(entry)
    years: dict[int, YearGroup] = {}
    total = Totals()
    for month in sorted(set(grouped) | set(months)):
        totals = months.get(month, Totals())
        year = years.setdefault(month.year, YearGroup(month.year, Totals(), []))
        year.months.append(MonthGroup(month, totals, grouped.get(month, [])))
        year.totals.add(totals)
        total.add(totals)
    return EmployeeFile(
        employee=employee,
        own=own,
        years=list(years.values()),
        totals=total,
        points=points_balances(employee=employee, today=today),
        today=today,
    )
