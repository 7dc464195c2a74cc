"""Writes to payroll: open, close and reopen a month, record adjustments, settings.

Locking. Every close, reopening and adjustment first locks the payroll settings row, so
they run one after the other, then the period row(s) they change. A close also locks the
penalty and award rows it includes (``FOR NO KEY UPDATE``): an approval, void or appeal
deciding one of them at the same moment either commits first (and the close sees its
result) or waits for the close to commit (and then finds the row included, so a reduction
becomes an adjustment). An approval that commits while the close runs is not yet visible
to it and is picked up by the next close — never lost, and never included twice (unique
constraints on ``PayrollItem``).

Reopening: only the latest closed month can be reopened (a later closed month has already
taken its carry-overs and adjustments, and it may already have been paid). Reopening
removes the month's results and cancels the adjustments recorded against it; closing it
again recomputes everything from the records as they are then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from staff.models import CompanySettings, Department, Employee

from . import compute
from .bulk import insert_rows
from .models import (
    ZERO,
    AdjustmentStatus,
    ItemSource,
    MoneyKind,
    PayrollAdjustment,
    PayrollItem,
    PayrollLine,
    PayrollPeriod,
    PayrollReopening,
    PayrollSettings,
    PeriodStatus,
)
from .months import first_of, month_end, next_month, previous_month

ALREADY_CLOSED = _("The payroll of %(month)s is already closed.")
NOT_CLOSED = _("The payroll of %(month)s is not closed.")
FUTURE_MONTH = _("The payroll of %(month)s cannot be closed before the month has begun.")
CLOSE_PREVIOUS_FIRST = _(
    "Close the payroll of %(previous)s first: months are closed in order (the last closed "
    "month is %(last)s)."
)
LATER_MONTH_CLOSED = _(
    "A later month (%(later)s) is already closed. Only the latest closed month can be "
    "reopened or closed again."
)
NOT_ALLOWED_TO_CLOSE = _("You may not close payroll months.")
NOT_ALLOWED_TO_REOPEN = _("Only the general manager may reopen a closed payroll month.")
NOT_ALLOWED_TO_EXPORT = _("You may not download payroll workbooks.")
EXPORT_OPEN_MONTH = _("The payroll of %(month)s is not closed yet: close it before exporting.")
REASON_REQUIRED = _("Give the reason.")
NOT_A_MONTH = _("Give a month as YYYY-MM.")
NEGATIVE_AMOUNT = _("An amount cannot be negative.")
UNKNOWN_SOURCE = _("Only a penalty or an award can be adjusted.")
REOPENED_CANCEL = _("The month %(month)s was reopened; closing it again takes the new amount.")

PENALTY_LABEL = _("Penalty")
AWARD_LABEL = _("Reward")
ADJUSTMENT_STATUS = _("Adjustment")
CARRY_STATUS = _("Carried over")
CAP_NOTE = _(
    "Due this month %(due)s; withheld %(applied)s under the cap of article 16 of the "
    "Interim Provisions on Wage Payment; %(carried)s carried to next month"
)
CANCEL_NOTE = _("carry-over of %(amount)s cancelled by a later reduction")
REFUND_NOTE = _("%(amount)s paid back for reductions after a closed month")
NETTED_NOTE = _("deductions first taken out of this month's rewards (company setting)")


# ---- Small helpers -------------------------------------------------------------------


def cny(amount: Decimal) -> str:
    """¥500 or ¥1,234.50: whole yuan without decimals, as on a notice."""
    amount = compute.fen(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}¥{int(amount):,}"
    return f"{sign}¥{amount:,.2f}"


def _lock_payroll() -> PayrollSettings:
    """The payroll-wide lock (the settings row), taken first by every payroll write."""
    PayrollSettings.get()
    return PayrollSettings.objects.select_for_update().get(pk=1)


def _latest_closed() -> PayrollPeriod | None:
    return PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED).order_by("-month").first()


@transaction.atomic
def payroll_period_get_or_create(*, month: date) -> PayrollPeriod:
    """The period of ``month`` (any day of it), created open if missing."""
    period, _created = PayrollPeriod.objects.get_or_create(month=first_of(month))
    return period


# ---- Close ---------------------------------------------------------------------------


@dataclass(slots=True)
class _ItemRow:
    """A ``PayrollItem`` to insert (plain values: 100,000 model instances cost seconds)."""

    period_id: int
    source: str
    employee_id: int | None
    department_id: int
    party: str
    kind: str
    dated: date
    amount: Decimal
    status: str = ""
    penalty_id: int | None = None
    award_id: int | None = None
    adjustment_id: int | None = None
    carried_from_id: int | None = None
    notice_number: str = ""
    rule: str = ""
    label: str = ""
    applied: Decimal = ZERO
    carried: Decimal = ZERO
    cancelled: Decimal = ZERO
    refunded: Decimal = ZERO


ITEM_COLUMNS = list(_ItemRow.__slots__)
LINE_RESULT_FIELDS = (
    "cap",
    "fines",
    "compensation",
    "bonus_reductions",
    "absence_cuts",
    "rewards",
    "clawbacks",
    "carried_in",
    "carry_cancelled",
    "refunds",
    "due",
    "capped_applied",
    "withheld",
    "carried_out",
    "net_change",
    "is_capped",
)
LINE_COLUMNS = [
    "period",
    "employee",
    "employee_no",
    "name",
    "department",
    "department_name",
    "monthly_wage",
    *LINE_RESULT_FIELDS,
    "note",
]


@dataclass
class _Gathered:
    """What a close takes, grouped: person entries by employee, department items apart."""

    person: dict[int, list[tuple[compute.Entry, _ItemRow]]]
    department: list[_ItemRow]


def _rule_texts(rule_ids: Iterable[int]) -> dict[int, str]:
    from conduct.models import Rule

    ids = {rule_id for rule_id in rule_ids if rule_id}
    texts = {}
    for pk, number, title, rulebook in Rule.objects.filter(pk__in=ids).values_list(
        "pk", "number", "title", "version__rulebook__name"
    ):
        texts[pk] = f"{rulebook} 第{number}条 {title}".strip()
    return texts


def _gather_penalties(period: PayrollPeriod, gathered: _Gathered) -> None:
    from penalties.models import Notice, Penalty, PenaltyStatus

    included = PayrollItem.objects.filter(source=ItemSource.PENALTY, penalty=OuterRef("pk"))
    notice = Notice.objects.filter(penalty=OuterRef("pk"), is_current=True).values("number")[:1]
    rows = list(
        Penalty.objects.filter(
            status=PenaltyStatus.APPROVED,
            violation__occurred_on__lte=month_end(period.month),
            amount__gt=0,
            money_kind__in=MoneyKind.values,
        )
        .filter(~Exists(included))
        .select_for_update(of=("self",), no_key=True)
        .annotate(notice_number=Subquery(notice))
        .order_by("pk")
        .values_list(
            "pk",
            "party",
            "employee_id",
            "department_id",
            "money_kind",
            "amount",
            "violation__occurred_on",
            "violation__rule_id",
            "label",
            "notice_number",
        )
    )
    rules = _rule_texts(row[7] for row in rows)
    status = str(PenaltyStatus.APPROVED.label)
    for pk, party, employee_id, dept_id, kind, amount, dated, rule_id, label, number in rows:
        item = _ItemRow(
            period_id=period.pk,
            source=ItemSource.PENALTY,
            penalty_id=pk,
            employee_id=employee_id,
            department_id=dept_id,
            party=party,
            kind=kind,
            dated=dated,
            notice_number=number or "",
            rule=rules.get(rule_id, "")[:300],
            label=(label or "")[:300],
            status=status,
            amount=amount,
        )
        _add(gathered, item, ref=("penalty", pk), order=pk)


def _gather_awards(period: PayrollPeriod, gathered: _Gathered) -> None:
    """Approved awards: a person's reward is an addition to their pay; a department's
    award and the department's share of a person's award go to its fund (部门 sheet)."""
    from rewards.models import Award, AwardStatus

    included = PayrollItem.objects.filter(source=ItemSource.AWARD, award=OuterRef("pk"))
    rows = (
        Award.objects.filter(status=AwardStatus.APPROVED, awarded_on__lte=month_end(period.month))
        .filter(Q(amount__gt=0) | Q(department_amount__gt=0))
        .filter(~Exists(included))
        .select_for_update(of=("self",), no_key=True)
        .order_by("pk")
        .values_list(
            "pk",
            "employee_id",
            "department_id",
            "amount",
            "department_amount",
            "awarded_on",
            "reward_type__name",
            "notice__number",
        )
    )
    status = str(AwardStatus.APPROVED.label)
    for pk, employee_id, dept_id, amount, dept_amount, dated, type_name, number in rows:
        parts = []
        if amount > 0:
            parts.append(("employee", employee_id) if employee_id else ("department", None))
            parts[-1] += (amount,)
        if dept_amount > 0:
            parts.append(("department", None, dept_amount))
        for party, person, value in parts:
            item = _ItemRow(
                period_id=period.pk,
                source=ItemSource.AWARD,
                award_id=pk,
                employee_id=person,
                department_id=dept_id,
                party=party,
                kind=MoneyKind.REWARD,
                dated=dated,
                notice_number=number or "",
                rule=(type_name or "")[:300],
                label=(type_name or "")[:300],
                status=status,
                amount=value,
            )
            _add(gathered, item, ref=("award", pk), order=pk)


def _gather_carries(period: PayrollPeriod, previous: PayrollPeriod | None, gathered) -> None:
    if previous is None:
        return
    rows = (
        PayrollItem.objects.filter(period=previous, carried__gt=0)
        .order_by("pk")
        .values_list(
            "pk",
            "penalty_id",
            "award_id",
            "employee_id",
            "department_id",
            "party",
            "kind",
            "dated",
            "notice_number",
            "rule",
            "label",
            "carried",
        )
    )
    status = _t(str(CARRY_STATUS))
    for pk, penalty_id, award_id, employee_id, dept_id, party, kind, dated, *rest in rows:
        number, rule, label, carried = rest
        item = _ItemRow(
            period_id=period.pk,
            source=ItemSource.CARRY,
            carried_from_id=pk,
            penalty_id=penalty_id,
            award_id=award_id,
            employee_id=employee_id,
            department_id=dept_id,
            party=party,
            kind=kind,
            dated=dated,
            notice_number=number,
            rule=rule,
            label=label,
            status=status,
            amount=carried,
        )
        ref = ("penalty", penalty_id) if penalty_id else ("award", award_id)
        _add(gathered, item, ref=ref, order=pk, source=compute.CARRY)


def _gather_adjustments(period: PayrollPeriod, gathered: _Gathered) -> None:
    adjustments = list(
        PayrollAdjustment.objects.filter(
            status=AdjustmentStatus.ACTIVE, month__lte=period.month, payroll_items__isnull=True
        ).order_by("pk")
    )
    if not adjustments:
        return
    # What each adjustment is about, as the closed month printed it (one query).
    originals = {}
    for row in PayrollItem.objects.filter(
        Q(source=ItemSource.PENALTY, penalty_id__in={a.penalty_id for a in adjustments})
        | Q(source=ItemSource.AWARD, award_id__in={a.award_id for a in adjustments})
    ).values("penalty_id", "award_id", "party", "dated", "notice_number", "rule"):
        originals[(row["penalty_id"], row["award_id"], row["party"])] = row
    status = _t(str(ADJUSTMENT_STATUS))
    for adj in adjustments:
        original = originals.get((adj.penalty_id, adj.award_id, adj.party), {})
        item = _ItemRow(
            period_id=period.pk,
            source=ItemSource.ADJUSTMENT,
            adjustment_id=adj.pk,
            penalty_id=adj.penalty_id,
            award_id=adj.award_id,
            employee_id=adj.employee_id,
            department_id=adj.department_id,
            party=adj.party,
            kind=adj.kind,
            dated=original.get("dated") or adj.source_month,
            notice_number=original.get("notice_number", ""),
            rule=original.get("rule", ""),
            label=adj.reason[:300],
            status=status,
            amount=adj.delta,
        )
        ref = ("penalty", adj.penalty_id) if adj.penalty_id else ("award", adj.award_id)
        _add(gathered, item, ref=ref, order=10**12 + adj.pk)


def _add(gathered: _Gathered, item: _ItemRow, *, ref, order: int, source=None) -> None:
    if item.employee_id is None:
        gathered.department.append(item)
        return
    entry = compute.Entry(
        kind=item.kind,
        amount=item.amount,
        dated=item.dated,
        source=source or item.source,
        ref=ref,
        order=order,
    )
    gathered.person[item.employee_id].append((entry, item))


def _note(result: compute.Settlement) -> str:
    parts = []
    if result.is_capped:
        parts.append(
            _t(str(CAP_NOTE))
            % {
                "due": cny(result.due),
                "applied": cny(result.capped_applied),
                "carried": cny(result.carried_out),
            }
        )
    if result.netted_by_rewards:
        parts.append(_t(str(NETTED_NOTE)))
    if result.carry_cancelled:
        parts.append(_t(str(CANCEL_NOTE)) % {"amount": cny(result.carry_cancelled)})
    if result.refunds:
        parts.append(_t(str(REFUND_NOTE)) % {"amount": cny(result.refunds)})
    return ";".join(parts)[:500]


def _check_closer(user) -> None:
    if user is not None and not user.has_perm("payroll.close_payrollperiod"):
        raise ValidationError(NOT_ALLOWED_TO_CLOSE, code="not_allowed")


def _check_order(period: PayrollPeriod, today: date) -> PayrollPeriod | None:
    """Refuse closing out of order; return the month before (closed) if any."""
    label = {"month": period.label}
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(ALREADY_CLOSED, code="already_closed", params=label)
    if period.month > first_of(today):
        raise ValidationError(FUTURE_MONTH, code="future", params=label)
    later = (
        PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED, month__gt=period.month)
        .order_by("-month")
        .first()
    )
    if later is not None:
        raise ValidationError(LATER_MONTH_CLOSED, code="later_closed", params={"later": later})
    latest = _latest_closed()
    if latest is not None and latest.month != previous_month(period.month):
        raise ValidationError(
            CLOSE_PREVIOUS_FIRST,
            code="out_of_order",
            params={"previous": f"{previous_month(period.month):%Y-%m}", "last": latest.label},
        )
    return latest


def payroll_period_close(
    *, period: PayrollPeriod, closed_by, now: datetime | None = None
) -> PayrollPeriod:
    """Close a payroll month: include everything approved and dated up to its end that
    no closed month has included, the carry-overs of the month before and the pending
    adjustments; settle each employee under the legal cap; lock the month.

    ``closed_by`` is the user (None: run from the command line)."""
    with translation.override("zh-hans"), transaction.atomic():
        return _close(period=period, closed_by=closed_by, now=now or timezone.now())


def _close(*, period: PayrollPeriod, closed_by, now: datetime) -> PayrollPeriod:
    _check_closer(closed_by)
    payroll_settings = _lock_payroll()
    locked = PayrollPeriod.objects.select_for_update().get(pk=period.pk)
    previous = _check_order(locked, timezone.localtime(now).date())
    company = CompanySettings.get()
    minimum = company.local_minimum_wage
    net_rewards = payroll_settings.net_rewards_against_cap

    employees = {
        pk: (no, name, dept_id, wage)
        for pk, no, name, dept_id, wage in Employee.objects.values_list(
            "pk", "employee_no", "name", "department_id", "monthly_wage"
        )
    }
    departments = dict(Department.objects.values_list("pk", "name"))

    gathered = _Gathered(person=defaultdict(list), department=[])
    _gather_carries(locked, previous, gathered)
    _gather_penalties(locked, gathered)
    _gather_awards(locked, gathered)
    _gather_adjustments(locked, gathered)

    def line_rows():
        """Settle each employee (by employee number) and yield the line; the items'
        results are written back into their rows."""
        for employee_id in sorted(gathered.person, key=lambda pk: employees[pk][0]):
            pairs = gathered.person[employee_id]
            employee_no, name, dept_id, wage = employees[employee_id]
            result = compute.settle(
                [entry for entry, _row in pairs],
                wage=wage,
                minimum=minimum,
                net_rewards=net_rewards,
            )
            for entry, row in pairs:
                row.applied = entry.applied
                row.carried = entry.carried
                row.cancelled = entry.cancelled
                row.refunded = entry.refunded
            yield (
                locked.pk,
                employee_id,
                employee_no,
                name,
                dept_id,
                departments.get(dept_id, ""),
                wage,
                *(getattr(result, name) for name in LINE_RESULT_FIELDS),
                _note(result),
            )

    insert_rows(PayrollLine, LINE_COLUMNS, line_rows())
    rows = [row for pairs in gathered.person.values() for _entry, row in pairs]
    rows.extend(gathered.department)
    insert_rows(
        PayrollItem,
        ITEM_COLUMNS,
        (tuple(getattr(row, name) for name in ITEM_COLUMNS) for row in rows),
    )

    locked.status = PeriodStatus.CLOSED
    locked.closed_by = closed_by
    locked.closed_at = now
    locked.minimum_wage = minimum
    locked.net_rewards = net_rewards
    locked.times_closed += 1
    locked.save(
        update_fields=[
            "status",
            "closed_by",
            "closed_at",
            "minimum_wage",
            "net_rewards",
            "times_closed",
        ]
    )
    audit_record(
        actor=closed_by,
        obj=locked,
        action=AuditAction.TRANSITION,
        changes={"status": [PeriodStatus.OPEN, PeriodStatus.CLOSED]},
        comment=_summary_comment(period_totals(period=locked)),
    )
    for name in ("status", "closed_by", "closed_at", "minimum_wage", "net_rewards", "times_closed"):
        setattr(period, name, getattr(locked, name))
    return locked


# ---- Totals --------------------------------------------------------------------------

LINE_TOTALS = (
    "fines",
    "compensation",
    "bonus_reductions",
    "absence_cuts",
    "rewards",
    "clawbacks",
    "carried_in",
    "carry_cancelled",
    "refunds",
    "withheld",
    "carried_out",
    "net_change",
)


def period_totals(*, period: PayrollPeriod) -> dict[str, Decimal | int]:
    """The month's totals (two aggregate queries)."""
    totals = PayrollLine.objects.filter(period=period).aggregate(
        employees=Count("pk"),
        capped=Count("pk", filter=Q(is_capped=True)),
        **{name: Sum(name) for name in LINE_TOTALS},
    )
    items = PayrollItem.objects.filter(period=period).aggregate(
        items=Count("pk"),
        department_total=Sum("amount", filter=Q(employee__isnull=True)),
    )
    out: dict[str, Decimal | int] = {**totals, **items}
    for name, value in out.items():
        if value is None:
            out[name] = ZERO
    return out


def _summary_comment(totals) -> str:
    return (
        f"employees={totals['employees']} items={totals['items']} "
        f"withheld={totals['withheld']} carried_out={totals['carried_out']} "
        f"capped={totals['capped']}"
    )


# ---- Reopen --------------------------------------------------------------------------


@transaction.atomic
def payroll_period_reopen(
    *, period: PayrollPeriod, reopened_by, reason: str, now: datetime | None = None
) -> PayrollReopening:
    """The GM reopens the latest closed month, with a reason. Its results are removed
    (their totals kept on the reopening) and adjustments recorded against it are
    cancelled: closing it again recomputes from the records as they then are."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if reopened_by is None or not reopened_by.has_perm("payroll.reopen_payrollperiod"):
        raise ValidationError(NOT_ALLOWED_TO_REOPEN, code="not_allowed")
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    _lock_payroll()
    locked = PayrollPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.status != PeriodStatus.CLOSED:
        raise ValidationError(NOT_CLOSED, code="not_closed", params={"month": locked.label})
    later = (
        PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED, month__gt=locked.month)
        .order_by("month")
        .first()
    )
    if later is not None:
        raise ValidationError(LATER_MONTH_CLOSED, code="later_closed", params={"later": later})

    totals = {name: str(value) for name, value in period_totals(period=locked).items()}
    with translation.override("zh-hans"):
        cancel_reason = _t(str(REOPENED_CANCEL)) % {"month": locked.label}
    cancelled = PayrollAdjustment.objects.filter(
        status=AdjustmentStatus.ACTIVE, source_month=locked.month, payroll_items__isnull=True
    ).update(status=AdjustmentStatus.CANCELLED, cancel_reason=cancel_reason)
    PayrollItem.objects.filter(period=locked).delete()
    PayrollLine.objects.filter(period=locked).delete()

    reopening = PayrollReopening.objects.create(
        period=locked,
        reason=reason,
        reopened_by=reopened_by,
        reopened_at=now,
        previous_closed_at=locked.closed_at,
        previous_closed_by=locked.closed_by,
        previous_totals=totals,
        cancelled_adjustments=cancelled,
    )
    locked.status = PeriodStatus.OPEN
    locked.closed_at = None
    locked.closed_by = None
    locked.minimum_wage = None
    locked.save(update_fields=["status", "closed_at", "closed_by", "minimum_wage"])
    audit_record(
        actor=reopened_by,
        obj=locked,
        action=AuditAction.TRANSITION,
        changes={"status": [PeriodStatus.CLOSED, PeriodStatus.OPEN]},
        comment=reason,
    )
    for name in ("status", "closed_at", "closed_by", "minimum_wage"):
        setattr(period, name, getattr(locked, name))
    return reopening


# ---- Adjustments ---------------------------------------------------------------------


def _included_items(obj) -> list[PayrollItem]:
    """The items through which a closed month included ``obj`` (a penalty: one; an
    award: the person's reward and the department's share, when it has one)."""
    from penalties.models import Penalty
    from rewards.models import Award

    if isinstance(obj, Penalty):
        lookup = {"source": ItemSource.PENALTY, "penalty_id": obj.pk}
    elif isinstance(obj, Award):
        lookup = {"source": ItemSource.AWARD, "award_id": obj.pk}
    else:
        raise TypeError(str(UNKNOWN_SOURCE))
    return list(
        PayrollItem.objects.select_related("period").filter(**lookup).order_by("party", "pk")
    )


def _target_amount(item: PayrollItem, obj, new_amount: Decimal) -> Decimal | None:
    """What ``item`` should now count: the new amount for the person's part (or a
    department's own award or penalty); a department's share of a person's award follows
    only when the award goes to nothing."""
    if item.source == ItemSource.AWARD and item.party == "department" and obj.employee_id:
        return ZERO if new_amount == 0 else None
    return new_amount


def payroll_adjustment_record(
    *,
    penalty_or_award,
    old_amount: Decimal,
    new_amount: Decimal,
    reason: str,
    by,
    now: datetime | None = None,
) -> PayrollAdjustment | None:
    """Record that a penalty or award a closed month included now counts ``new_amount``
    (0 when voided or revoked). Call it inside the transaction that changes it, after
    the change.

    Returns the adjustment, which the next close includes (in the month after the latest
    closed one), or None when there is nothing to adjust: no closed month included it
    (the next close simply takes it as it is now) or payroll already counts that amount.
    The change is measured against what payroll counted (the included amount plus earlier
    adjustments); ``old_amount`` is kept in the audit entry only. Voiding an award that
    also paid its department a share adjusts the share too (the person's adjustment is
    returned)."""
    if isinstance(new_amount, float) or isinstance(old_amount, float):
        raise TypeError("amounts are Decimal, never float")
    new_amount = compute.fen(Decimal(new_amount))
    if new_amount < 0:
        raise ValidationError(NEGATIVE_AMOUNT, code="negative")
    if not _included_items(penalty_or_award):
        return None
    created: list[PayrollAdjustment] = []
    with transaction.atomic():
        _lock_payroll()
        latest = _latest_closed()
        for original in _included_items(penalty_or_award):  # again, under the lock
            target = _target_amount(original, penalty_or_award, new_amount)
            if target is None or original.period.status != PeriodStatus.CLOSED:
                continue
            key = {
                "penalty_id": original.penalty_id,
                "award_id": original.award_id,
                "party": original.party,
            }
            earlier = (
                PayrollAdjustment.objects.filter(status=AdjustmentStatus.ACTIVE, **key).aggregate(
                    total=Sum("delta")
                )["total"]
                or ZERO
            )
            counted = original.amount + earlier
            if target == counted:
                continue
            adjustment = PayrollAdjustment.objects.create(
                **key,
                employee_id=original.employee_id,
                department_id=original.department_id,
                kind=original.kind,
                source_month=original.period.month,
                month=next_month(latest.month),
                old_amount=counted,
                new_amount=target,
                delta=target - counted,
                reason=(reason or "").strip() or "—",
                created_by=by,
                created_at=now or timezone.now(),
            )
            audit_record(
                actor=by,
                obj=adjustment,
                action=AuditAction.CREATE,
                changes={"amount": [str(counted), str(target)], "given_old": str(old_amount)},
                comment=adjustment.reason,
            )
            created.append(adjustment)
    return created[-1] if created else None


# ---- Settings ------------------------------------------------------------------------


@transaction.atomic
def payroll_settings_update(*, by, net_rewards_against_cap: bool) -> PayrollSettings:
    """Change whether rewards are netted against the cap (applies to later closes)."""
    row = _lock_payroll()
    if row.net_rewards_against_cap == net_rewards_against_cap:
        return row
    before = row.net_rewards_against_cap
    row.net_rewards_against_cap = net_rewards_against_cap
    row.updated_by = by
    row.save(update_fields=["net_rewards_against_cap", "updated_by", "updated_at"])
    audit_record(
        actor=by,
        obj=row,
        action=AuditAction.UPDATE,
        changes={"net_rewards_against_cap": [before, net_rewards_against_cap]},
    )
    return row


# ---- Export --------------------------------------------------------------------------


def payroll_export(*, period: PayrollPeriod, by, fmt: str = "xlsx") -> bytes:
    """The workbook (or the summary CSV) of a closed month, with an audit entry."""
    from .exports import payroll_summary_csv, payroll_workbook

    if by is not None and not by.has_perm("payroll.export_payrollperiod"):
        raise ValidationError(NOT_ALLOWED_TO_EXPORT, code="not_allowed")
    if period.status != PeriodStatus.CLOSED:
        raise ValidationError(EXPORT_OPEN_MONTH, code="open", params={"month": period.label})
    data = payroll_workbook(period=period) if fmt == "xlsx" else payroll_summary_csv(period=period)
    with transaction.atomic():
        audit_record(actor=by, obj=period, action=AuditAction.EXPORT, comment=fmt)
    return data
