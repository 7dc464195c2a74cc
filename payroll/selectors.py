"""Reads of payroll, checked against the user's permissions.

Payroll is company-wide: whoever may read it (payroll clerk, GM, HR, auditor — the
``payroll.view_payrollperiod`` permission) reads every employee's line; anyone else gets
a 404 for every payroll page, so nothing shows that a month exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from .models import (
    ZERO,
    AdjustmentStatus,
    ItemSource,
    PayrollAdjustment,
    PayrollItem,
    PayrollLine,
    PayrollPeriod,
    PeriodStatus,
)
from .months import first_of, month_end, next_month, previous_month


def latest_closed_month() -> date | None:
    return (
        PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def month_is_closed(day: date) -> bool:
    """Whether the payroll month containing ``day`` is settled: on or before the end of
    the latest closed month (months are closed in order, and the first close takes
    everything dated before it too). Records of such a day no longer change; a
    correction becomes an adjustment (``payroll.services.payroll_adjustment_record``)."""
    latest = latest_closed_month()
    return latest is not None and first_of(day) <= latest


def included_in_closed_month(obj) -> PayrollPeriod | None:
    """The closed month that included a penalty or award, if any."""
    from penalties.models import Penalty

    lookup = (
        {"source": ItemSource.PENALTY, "penalty_id": obj.pk}
        if isinstance(obj, Penalty)
        else {"source": ItemSource.AWARD, "award_id": obj.pk}
    )
    item = PayrollItem.objects.select_related("period").filter(**lookup).first()
    return item.period if item is not None else None


def next_month_to_close(*, today: date | None = None) -> date:
    """The month after the latest closed one; with none closed, last month."""
    today = today or timezone.localdate()
    latest = latest_closed_month()
    return next_month(latest) if latest else previous_month(first_of(today))


def user_may_read_payroll(user) -> bool:
    return user.has_perm("payroll.view_payrollperiod")


def _check_reader(user) -> None:
    if not user_may_read_payroll(user):
        raise Http404


@dataclass
class PeriodRow:
    """A month on the periods list (a row may not exist yet for the next month)."""

    month: date
    period: PayrollPeriod | None
    employees: int = 0
    withheld: Decimal = ZERO
    carried_out: Decimal = ZERO
    capped: int = 0

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.period is not None and self.period.is_closed

    @property
    def status_display(self) -> str:
        return self.period.get_status_display() if self.period else PeriodStatus.OPEN.label


def period_list(*, user) -> list[PeriodRow]:
    """Every payroll month on file, newest first, with its totals, plus the next month
    to close when it has no row yet (two queries)."""
    _check_reader(user)
    periods = list(
        PayrollPeriod.objects.select_related("closed_by")
        .annotate(
            n_lines=Count("lines"),
            sum_withheld=Sum("lines__withheld"),
            sum_carried=Sum("lines__carried_out"),
            n_capped=Count("lines", filter=Q(lines__is_capped=True)),
        )
        .order_by("-month")
    )
    rows = [
        PeriodRow(
            month=p.month,
            period=p,
            employees=p.n_lines,
            withheld=p.sum_withheld or ZERO,
            carried_out=p.sum_carried or ZERO,
            capped=p.n_capped,
        )
        for p in periods
    ]
    upcoming = next_month_to_close()
    if upcoming not in {p.month for p in periods}:
        rows.append(PeriodRow(month=upcoming, period=None))
        rows.sort(key=lambda row: row.month, reverse=True)
    return rows


def period_get_for_user(*, user, month: date) -> PayrollPeriod | None:
    """The period of ``month`` (None: no row yet, i.e. open and never closed)."""
    _check_reader(user)
    return PayrollPeriod.objects.select_related("closed_by").filter(month=first_of(month)).first()


def period_lines(
    *, period: PayrollPeriod, search: str = "", capped_only: bool = False
) -> QuerySet[PayrollLine]:
    qs = PayrollLine.objects.filter(period=period)
    if search:
        qs = qs.filter(Q(employee_no__icontains=search) | Q(name__icontains=search))
    if capped_only:
        qs = qs.filter(is_capped=True)
    return qs.order_by("employee_no", "pk")


def period_carry_items(*, period: PayrollPeriod) -> QuerySet[PayrollItem]:
    """What the month carries into the next, oldest first per employee."""
    return (
        PayrollItem.objects.filter(period=period, carried__gt=0)
        .select_related("employee")
        .order_by("employee__employee_no", "dated", "pk")
    )


def period_department_totals(*, period: PayrollPeriod) -> list[dict]:
    """Department liabilities and fund rewards, per department and kind (one query)."""
    return list(
        PayrollItem.objects.filter(period=period, employee__isnull=True)
        .values("department__code", "department__name", "kind")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("department__code", "kind")
    )


@dataclass
class OpenPreview:
    """What closing an open month would take, counted (no computation)."""

    month: date
    penalties_waiting: int
    awards_waiting: int
    adjustments_waiting: int
    carried_in: Decimal
    pending_penalties: int
    under_appeal: int
    pending_awards: int
    previous_closed: bool
    previous_label: str


def open_period_preview(*, month: date) -> OpenPreview:
    """Counts for an open month's page: what the close will take, and what is still
    pending approval or under appeal (it will wait for a later close)."""
    from penalties.models import Penalty, PenaltyStatus
    from rewards.models import Award, AwardStatus

    end = month_end(month)
    penalty_included = PayrollItem.objects.filter(source=ItemSource.PENALTY, penalty=OuterRef("pk"))
    penalties = (
        Penalty.objects.filter(violation__occurred_on__lte=end, amount__gt=0)
        .exclude(money_kind="")
        .filter(~Exists(penalty_included))
        .aggregate(
            waiting=Count("pk", filter=Q(status=PenaltyStatus.APPROVED)),
            pending=Count("pk", filter=Q(status=PenaltyStatus.PENDING)),
            appeal=Count("pk", filter=Q(status=PenaltyStatus.UNDER_APPEAL)),
        )
    )
    award_included = PayrollItem.objects.filter(source=ItemSource.AWARD, award=OuterRef("pk"))
    awards = (
        Award.objects.filter(awarded_on__lte=end)
        .filter(~Exists(award_included))
        .aggregate(
            waiting=Count("pk", filter=Q(status=AwardStatus.APPROVED)),
            pending=Count("pk", filter=Q(status=AwardStatus.PENDING)),
        )
    )
    previous = PayrollPeriod.objects.filter(month=previous_month(month)).first()
    carried = ZERO
    if previous is not None and previous.is_closed:
        carried = (
            PayrollItem.objects.filter(period=previous, carried__gt=0).aggregate(
                total=Sum("carried")
            )["total"]
            or ZERO
        )
    adjustments = PayrollAdjustment.objects.filter(
        status=AdjustmentStatus.ACTIVE, month__lte=month, payroll_items__isnull=True
    ).count()
    return OpenPreview(
        month=month,
        penalties_waiting=penalties["waiting"],
        awards_waiting=awards["waiting"],
        adjustments_waiting=adjustments,
        carried_in=carried,
        pending_penalties=penalties["pending"],
        under_appeal=penalties["appeal"],
        pending_awards=awards["pending"],
        previous_closed=previous is not None and previous.is_closed,
        previous_label=f"{previous_month(month):%Y-%m}",
    )


def period_adjustments(*, period: PayrollPeriod) -> QuerySet[PayrollAdjustment]:
    """Adjustments recorded against this month's items (after it was closed)."""
    return (
        PayrollAdjustment.objects.filter(source_month=period.month)
        .select_related("employee", "department", "created_by")
        .order_by("created_at", "pk")
    )
