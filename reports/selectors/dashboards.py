"""The figures of the dashboards: each one aggregate query over what the user may see,
so that a dashboard costs the same number of queries whatever the amount of data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum

from attendance.models import AttendanceMonth, ClockImport, ImportStatus
from conduct.models import ViolationStatus
from conduct.selectors.violations import violations_visible_to
from payroll.models import PayrollLine, PayrollPeriod, PeriodStatus
from payroll.selectors import next_month_to_close
from penalties.models import Appeal, AppealStatus, Notice, PenaltyParty, PenaltyStatus
from penalties.selectors.approvals import appeal_queue
from penalties.selectors.penalties import penalties_visible_to
from penalties.tiers import Tier
from rewards.models import AwardStatus
from rewards.selectors import awards_visible_to
from staff.models import EmployeeStatus
from staff.selectors import employees_visible_to

from .periods import first_of, month_end, months_back, previous_month

ZERO = Decimal("0.00")
LIVE_NOTICE_STATUSES = (PenaltyStatus.APPROVED, PenaltyStatus.UNDER_APPEAL)


@dataclass(frozen=True)
class MonthCompare:
    this_month: int
    last_month: int

    @property
    def change(self) -> int:
        return self.this_month - self.last_month


def violation_counts(*, user, today: date) -> MonthCompare:
    """Active violations this month and last month (one query)."""
    this_start = first_of(today)
    last_start = previous_month(this_start)
    counts = (
        violations_visible_to(user)
        .filter(status=ViolationStatus.ACTIVE, occurred_on__range=(last_start, month_end(today)))
        .aggregate(
            this=Count("pk", filter=Q(occurred_on__gte=this_start)),
            last=Count("pk", filter=Q(occurred_on__lt=this_start)),
        )
    )
    return MonthCompare(counts["this"], counts["last"])


@dataclass(frozen=True)
class Pending:
    count: int
    amount: Decimal
    by_tier: dict[str, int] = field(default_factory=dict)

    def tiers(self) -> list[tuple[str, str, int]]:
        """(tier, its name, how many wait for it), lowest tier first."""
        return [(t, Tier(t).label, self.by_tier[t]) for t in Tier.values if self.by_tier.get(t)]


def pending_penalties(*, user) -> Pending:
    """Penalties waiting for approval, with their amount and the tier they need (one query)."""
    rows = list(
        penalties_visible_to(user)
        .filter(status=PenaltyStatus.PENDING)
        .values_list("required_tier")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    return Pending(
        count=sum(n for _tier, n, _amount in rows),
        amount=sum((amount for _tier, _n, amount in rows), ZERO),
        by_tier={tier: n for tier, n, _amount in rows},
    )


def pending_awards(*, user) -> int:
    return awards_visible_to(user).filter(status=AwardStatus.PENDING).count()


@dataclass(frozen=True)
class Waiting:
    count: int
    oldest: datetime | None


def unacknowledged_notices(*, user) -> Waiting:
    """Current notices of penalties in effect or under appeal that nobody acknowledged
    yet, among the penalties the user sees (one query)."""
    result = Notice.objects.filter(
        is_current=True,
        acknowledged_at__isnull=True,
        penalty__status__in=LIVE_NOTICE_STATUSES,
        penalty__in=penalties_visible_to(user).values("pk"),
    ).aggregate(n=Count("pk"), oldest=Min("issued_at"))
    return Waiting(result["n"], result["oldest"])


def own_unacknowledged_notices(*, user) -> Waiting:
    """Current notices addressed to the user (their own penalties, or their department's
    as its head) not acknowledged yet (one query)."""
    addressed = Q(penalty__employee__user=user) | Q(
        penalty__party=PenaltyParty.DEPARTMENT, penalty__department__head__user=user
    )
    result = (
        Notice.objects.filter(addressed)
        .filter(
            is_current=True,
            acknowledged_at__isnull=True,
            penalty__status__in=LIVE_NOTICE_STATUSES,
        )
        .aggregate(n=Count("pk"), oldest=Min("issued_at"))
    )
    return Waiting(result["n"], result["oldest"])


def appeals_to_decide(*, user) -> Waiting:
    """Open appeals the user may decide (one query)."""
    result = appeal_queue(user=user).aggregate(n=Count("pk"), oldest=Min("filed_at"))
    return Waiting(result["n"], result["oldest"])


def open_appeals(*, user) -> Waiting:
    """Open appeals about penalties the user sees (one query)."""
    result = Appeal.objects.filter(
        status=AppealStatus.FILED, penalty__in=penalties_visible_to(user).values("pk")
    ).aggregate(n=Count("pk"), oldest=Min("filed_at"))
    return Waiting(result["n"], result["oldest"])


def active_employees(*, user) -> int:
    return employees_visible_to(user).filter(status=EmployeeStatus.ACTIVE).count()


# ---- attendance ------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthToProcess:
    month: date
    processed_at: datetime | None
    imported_at: datetime | None

    @property
    def never_processed(self) -> bool:
        return self.processed_at is None


def attendance_months_to_process(*, today: date, back: int = 3) -> list[MonthToProcess]:
    """Of this month and the ``back`` before it: the months never processed although
    over (or with clock records imported), and those whose clock records were imported
    after their last processing. Two queries."""
    months = months_back(today=today, count=back + 1)
    processed = dict(
        AttendanceMonth.objects.filter(month__in=months).values_list("month", "processed_at")
    )
    imported = ClockImport.objects.filter(
        status=ImportStatus.CONFIRMED,
        date_from__lte=month_end(months[-1]),
        date_to__gte=months[0],
    ).aggregate(
        **{
            f"m{i}": Max("confirmed_at", filter=Q(date_from__lte=month_end(m), date_to__gte=m))
            for i, m in enumerate(months)
        }
    )
    result = []
    current = first_of(today)
    for i, month in enumerate(months):
        processed_at = processed.get(month)
        imported_at = imported[f"m{i}"]
        over = month < current
        stale = imported_at is not None and (processed_at is None or imported_at > processed_at)
        if stale or (processed_at is None and over):
            result.append(MonthToProcess(month, processed_at, imported_at))
    return result


# ---- payroll -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodSummary:
    month: date
    status: str
    status_label: str
    closed_at: datetime | None
    employees: int
    withheld: Decimal
    carried_out: Decimal
    capped: int


@dataclass(frozen=True)
class PayrollOverview:
    next_month: date
    periods: list[PeriodSummary]
    latest_closed: PeriodSummary | None
    capped_lines: list[PayrollLine]


def payroll_overview(*, today: date, recent: int = 6, capped_shown: int = 10) -> PayrollOverview:
    """The next month to close, the recent months with their totals, and the capped
    employees of the latest closed month (three queries)."""
    upcoming = next_month_to_close(today=today)
    periods = [
        PeriodSummary(
            month=p["month"],
            status=p["status"],
            status_label=PeriodStatus(p["status"]).label,
            closed_at=p["closed_at"],
            employees=p["n_lines"],
            withheld=p["withheld"] or ZERO,
            carried_out=p["carried"] or ZERO,
            capped=p["n_capped"],
        )
        for p in PayrollPeriod.objects.values("month", "status", "closed_at")
        .annotate(
            n_lines=Count("lines"),
            withheld=Sum("lines__withheld"),
            carried=Sum("lines__carried_out"),
            n_capped=Count("lines", filter=Q(lines__is_capped=True)),
        )
        .order_by("-month")[:recent]
    ]
    latest = next((p for p in periods if p.status == PeriodStatus.CLOSED), None)
    capped = []
    if latest is not None:
        capped = list(
            PayrollLine.objects.filter(period__month=latest.month, is_capped=True).order_by(
                "-carried_out", "employee_no"
            )[:capped_shown]
        )
    return PayrollOverview(upcoming, periods, latest, capped)
