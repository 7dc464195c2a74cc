"""Reads of violations: occurrence counting for the engine, and lists scoped to the user.

Counting (domain.md §2, docs/schedule-format.md "Counting"): a violation is the N-th when N
non-voided violations of the same rule (same rulebook and rule number, whatever the version)
by the same employee, this one included, happened on a date inside the schedule's window
ending on its own date. Order is by when they happened (``occurred_at``, then the record's
id for ties), never by when they were logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conduct.models import Rule, Rulebook, RulebookVersion, Violation, ViolationStatus
from conduct.selectors.rulebooks import rulebook_version_in_force
from penalties.engine import (
    Facts,
    MoneyLine,
    Quote,
    QuoteError,
    Schedule,
    Scope,
    Subject,
    TriggerKind,
    Window,
    evaluate,
    quantize_fen,
    window_bounds,
    window_label,
)
from staff.models import CompanySettings, Employee
from staff.selectors import department_subtree_ids, employee_for_user, visible_department_ids

# Statuses of the person's penalty whose points are taken from the budget.
POINTS_COUNTING_STATUSES = ("pending", "approved", "under_appeal")


@dataclass(frozen=True)
class Position:
    """Where a violation stands in time: ``pk`` None for one not saved yet (it comes after
    every saved violation of the same instant)."""

    occurred_at: datetime
    occurred_on: date
    pk: int | None = None

    def before(self) -> Q:
        """Violations that happened before this one (ties broken by id)."""
        if self.pk is None:
            return Q(occurred_at__lte=self.occurred_at)
        return Q(occurred_at__lt=self.occurred_at) | Q(occurred_at=self.occurred_at, pk__lt=self.pk)


@dataclass(frozen=True)
class Counts:
    """What the records supply to ``penalties.engine.Facts``."""

    occurrence: int
    trigger_counts: tuple[int, ...]
    points_balance: int | None


def _in_window(window: Window, window_days: int | None, on: date) -> Q:
    start, end = window_bounds(window, window_days, on)
    condition = Q(occurred_on__lte=end)
    if start is not None:
        condition &= Q(occurred_on__gte=start)
    return condition


def _active() -> QuerySet[Violation]:
    return Violation.objects.filter(status=ViolationStatus.ACTIVE)


def occurrence_count(
    *,
    employee: Employee,
    rulebook: Rulebook,
    rule_number: str,
    window: Window,
    window_days: int | None,
    position: Position,
) -> int:
    """The occurrence number of a violation at ``position`` (this one included)."""
    earlier = (
        _active()
        .filter(employee=employee, rulebook=rulebook, rule_number=rule_number)
        .filter(_in_window(window, window_days, position.occurred_on))
        .filter(position.before())
    )
    if position.pk is not None:
        earlier = earlier.exclude(pk=position.pk)
    return earlier.count() + 1


def points_balance(*, employee: Employee, rulebook: Rulebook, position: Position) -> int | None:
    """Points left before this violation (None when the rulebook has no points budget).

    Points are those of the person's penalties (pending, approved or under appeal) of
    active violations in the rulebook's points period, before this one."""
    if rulebook.points_budget is None:
        return None
    from penalties.models import Penalty  # penalties depends on conduct, not the reverse

    window = Window(rulebook.points_window)
    if window is Window.ROLLING_DAYS:  # a rulebook has no day count: budget by the year
        window = Window.CALENDAR_YEAR
    start, end = window_bounds(window, None, position.occurred_on)
    used = Penalty.objects.filter(
        is_primary=True,
        status__in=POINTS_COUNTING_STATUSES,
        violation__status=ViolationStatus.ACTIVE,
        violation__employee=employee,
        violation__rulebook=rulebook,
        violation__occurred_on__lte=end,
    )
    if start is not None:
        used = used.filter(violation__occurred_on__gte=start)
    if position.pk is None:
        used = used.filter(violation__occurred_at__lte=position.occurred_at)
    else:
        used = used.filter(
            Q(violation__occurred_at__lt=position.occurred_at)
            | Q(violation__occurred_at=position.occurred_at, violation_id__lt=position.pk)
        )
    total = used.aggregate(total=Sum("points"))["total"] or 0
    return rulebook.points_budget - total


def trigger_counts(
    *,
    employee: Employee,
    rulebook: Rulebook,
    rule_number: str,
    schedule: Schedule,
    position: Position,
) -> tuple[int, ...]:
    """One count per trigger, this violation included (0 for ``points_exhausted``)."""
    counts: list[int] = []
    for trigger in schedule.triggers:
        if trigger.kind is TriggerKind.POINTS_EXHAUSTED:
            counts.append(0)
            continue
        qs = _active().filter(rulebook=rulebook)
        if trigger.scope is Scope.RULE:
            qs = qs.filter(rule_number=rule_number)
        if trigger.subject is Subject.DEPARTMENT:
            qs = qs.filter(employee__department_id=employee.department_id)
        else:
            qs = qs.filter(employee=employee)
        qs = qs.filter(_in_window(trigger.window, trigger.window_days, position.occurred_on))
        qs = qs.filter(position.before())
        if position.pk is not None:
            qs = qs.exclude(pk=position.pk)
        counts.append(qs.count() + 1)
    return tuple(counts)


def violation_counts(
    *,
    employee: Employee,
    rule: Rule,
    rulebook: Rulebook,
    schedule: Schedule,
    position: Position,
) -> Counts:
    """Occurrence, trigger counts and points balance for a violation of ``rule``."""
    return Counts(
        occurrence=occurrence_count(
            employee=employee,
            rulebook=rulebook,
            rule_number=rule.number,
            window=schedule.window,
            window_days=schedule.window_days,
            position=position,
        ),
        trigger_counts=trigger_counts(
            employee=employee,
            rulebook=rulebook,
            rule_number=rule.number,
            schedule=schedule,
            position=position,
        ),
        points_balance=points_balance(employee=employee, rulebook=rulebook, position=position),
    )


def violations_after(*, violation: Violation, by_department: bool) -> QuerySet[Violation]:
    """Active violations of the same rulebook that happened after ``violation``: by the
    same employee, or by anyone in their department when department counts matter."""
    position = Position(violation.occurred_at, violation.occurred_on, violation.pk)
    qs = _active().filter(rulebook_id=violation.rulebook_id).exclude(pk=violation.pk)
    if by_department:
        qs = qs.filter(employee__department_id=violation.employee.department_id)
    else:
        qs = qs.filter(employee_id=violation.employee_id)
    return (
        qs.exclude(position.before())
        .select_related("employee__department", "employee__supervisor", "rule", "rulebook")
        .order_by("occurred_at", "pk")
    )


# --- scoped reads -------------------------------------------------------------------------


def violations_visible_to(user) -> QuerySet[Violation]:
    """Every violation for company-wide roles; a department head's subtree; else one's own."""
    qs = Violation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    departments = visible_department_ids(user)
    me = employee_for_user(user)
    if departments is None and user.has_perm("conduct.view_violation"):
        return qs
    condition = Q(pk__in=[])
    if departments and user.has_perm("conduct.view_violation"):
        condition |= Q(employee__department_id__in=departments)
    if me is not None:
        condition |= Q(employee=me)
    return qs.filter(condition)


SORTS = {
    "occurred": ("occurred_at", "pk"),
    "-occurred": ("-occurred_at", "-pk"),
    "employee": ("employee__employee_no", "-occurred_at"),
    "-employee": ("-employee__employee_no", "-occurred_at"),
    "rule": ("rulebook__code", "rule_number", "-occurred_at"),
    "-rule": ("-rulebook__code", "-rule_number", "-occurred_at"),
    "occurrence": ("occurrence", "-occurred_at"),
    "-occurrence": ("-occurrence", "-occurred_at"),
    "logged": ("logged_at", "pk"),
    "-logged": ("-logged_at", "-pk"),
}
DEFAULT_SORT = "-occurred"


def violation_list(
    *,
    user,
    search: str = "",
    department=None,
    rulebook=None,
    category_name: str = "",
    rule_number: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    status: str = "",
    source: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Violation]:
    qs = violations_visible_to(user).select_related(
        "employee__department", "rulebook", "rule__category", "logged_by"
    )
    if search:
        qs = qs.filter(
            Q(employee__employee_no__icontains=search) | Q(employee__name__icontains=search)
        )
    if department is not None:
        qs = qs.filter(employee__department_id__in=department_subtree_ids([department.pk]))
    if rulebook is not None:
        qs = qs.filter(rulebook=rulebook)
    if category_name:
        qs = qs.filter(rule__category__name=category_name)
    if rule_number:
        qs = qs.filter(rule_number=rule_number)
    if date_from is not None:
        qs = qs.filter(occurred_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(occurred_on__lte=date_to)
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def violation_get_for_user(*, user, violation_id: int) -> Violation:
    """One violation with its evidence and penalties, or 404 (missing or not the user's)."""
    violation = (
        violations_visible_to(user)
        .select_related(
            "employee__department",
            "rulebook",
            "rulebook_version",
            "rule__category",
            "second_party_employee",
            "logged_by",
            "voided_by",
        )
        .prefetch_related("evidence", "penalties__employee", "penalties__department")
        .filter(pk=violation_id)
        .first()
    )
    if violation is None:
        raise Http404
    return violation


def evidence_get_for_user(*, user, evidence_id: int):
    """One evidence file of a violation the user may see, or 404."""
    from conduct.models import Evidence

    evidence = (
        Evidence.objects.filter(violation__in=violations_visible_to(user))
        .select_related("violation")
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


# --- judging one violation ---------------------------------------------------------------

NO_VERSION_IN_FORCE = _("No version of %(rulebook)s was in force on %(date)s.")
RULE_NOT_IN_VERSION = _(
    "Rule %(number)s does not exist in version %(version)s, the one in force on %(date)s."
)
RULE_INACTIVE = _("Rule %(number)s of version %(version)s is not in use.")


@dataclass(frozen=True)
class Judgement:
    """A violation judged by the rule of the version in force on its day."""

    rulebook: Rulebook
    version: RulebookVersion
    rule: Rule
    schedule: Schedule
    facts: Facts
    quote: Quote
    position: Position


def day_end(on: date) -> datetime:
    """The last instant of a local day (a date-only question counts that whole day)."""
    return timezone.make_aware(datetime.combine(on, time.max))


def rule_in_force(*, rule: Rule, on: date) -> tuple[RulebookVersion, Rule]:
    """The version of ``rule``'s rulebook in force on ``on`` and its rule of the same number."""
    rulebook = rule.version.rulebook
    version = rulebook_version_in_force(rulebook=rulebook, on=on)
    if version is None:
        raise ValidationError(
            NO_VERSION_IN_FORCE, params={"rulebook": rulebook.name, "date": on.isoformat()}
        )
    if version.pk == rule.version_id:
        found = rule
    else:
        found = (
            Rule.objects.select_related("category", "version__rulebook")
            .filter(version=version, number=rule.number)
            .first()
        )
        if found is None:
            raise ValidationError(
                RULE_NOT_IN_VERSION,
                params={"number": rule.number, "version": version.label, "date": on.isoformat()},
            )
    if not found.is_active:
        raise ValidationError(
            RULE_INACTIVE, params={"number": found.number, "version": version.label}
        )
    return version, found


def _quote_error_field(message: str) -> str | None:
    """The form field a ``QuoteError`` is about (engine messages are Chinese constants)."""
    if "涉及金额" in message:
        return "involved_amount"
    if "情节" in message and "处分" not in message:
        return "level"
    if "处分" in message:
        return "sanction_choice"
    if "金额" in message:
        return "chosen_amount"
    return None


def quote_error(exc: QuoteError) -> ValidationError:
    field = _quote_error_field(str(exc))
    if field is None:
        return ValidationError(str(exc))
    return ValidationError({field: str(exc)})


def violation_judge(
    *,
    employee: Employee,
    rule: Rule,
    occurred_on: date,
    occurred_at: datetime | None = None,
    level: str | None = None,
    chosen_amount: Decimal | None = None,
    involved_amount: Decimal | None = None,
    quantity: int = 1,
    sanction_choice: str | None = None,
    occurrence: int | None = None,
    pk: int | None = None,
    wage: tuple[Decimal, Decimal, Decimal] | None = None,
) -> Judgement:
    """Evaluate a violation of ``rule`` (any version: the one in force on the day judges)
    with the counts from the records. ``occurrence`` overrides the count ("what would the
    N-th cost"); ``pk`` places an existing violation among the others; ``wage`` is
    (monthly wage, monthly bonus, daily-wage divisor), by default the employee's today.
    Raises ``ValidationError`` (Chinese messages)."""
    version, rule = rule_in_force(rule=rule, on=occurred_on)
    rulebook = version.rulebook
    schedule = rule.parsed_schedule
    position = Position(occurred_at or day_end(occurred_on), occurred_on, pk)
    counts = violation_counts(
        employee=employee, rule=rule, rulebook=rulebook, schedule=schedule, position=position
    )
    triggers = counts.trigger_counts
    if occurrence is not None:
        if occurrence < 1:
            raise ValidationError({"occurrence": _("The occurrence must be 1 or more.")})
        # "What would the N-th cost": triggers counting this rule for this person over the
        # same window as the ladder count N as well.
        triggers = tuple(
            max(count, occurrence)
            if t.kind is TriggerKind.COUNT
            and t.scope is Scope.RULE
            and t.subject is Subject.EMPLOYEE
            and (t.window, t.window_days) == (schedule.window, schedule.window_days)
            else count
            for t, count in zip(schedule.triggers, triggers, strict=True)
        )
    number = occurrence or counts.occurrence
    _index, step = schedule.step_for(number)
    if wage is None:
        wage = (
            employee.monthly_wage,
            employee.monthly_bonus,
            CompanySettings.get().daily_wage_divisor,
        )
    has_range = step.first_range_index() is not None
    facts = Facts(
        occurrence=number,
        # Inputs that only some steps use are passed to the step that uses them.
        level=(level or None) if step.levels else None,
        amount=chosen_amount if (has_range or not _any_range(schedule)) else None,
        involved=involved_amount,
        quantity=quantity,
        monthly_wage=wage[0],
        monthly_bonus=wage[1],
        daily_wage_divisor=wage[2],
        trigger_counts=triggers,
        points_balance=counts.points_balance,
        sanction_choice=(sanction_choice or None) if step.sanction_choices else None,
    )
    try:
        quote = evaluate(schedule, facts)
    except QuoteError as exc:
        raise quote_error(exc) from exc
    return Judgement(rulebook, version, rule, schedule, facts, quote, position)


def _any_range(schedule: Schedule) -> bool:
    return any(step.first_range_index() is not None for step in schedule.steps)


# --- the quote as JSON (stored on the violation) -----------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(quantize_fen(Decimal(value)))


def _line_dict(line: MoneyLine) -> dict:
    return {
        "party": line.party.value,
        "money_kind": line.money_kind.value,
        "amount": _money(line.amount),
        "label": line.label,
        "explanation": line.explanation,
        "basis": line.basis.value,
        "charge_index": line.charge_index,
    }


def quote_snapshot(judgement: Judgement) -> dict:
    """The engine's output and the facts behind it, JSON-ready (money as strings)."""
    quote, facts = judgement.quote, judgement.facts
    return {
        "rule": {
            "rulebook": judgement.rulebook.code,
            "version": judgement.version.label,
            "number": judgement.rule.number,
            "title": judgement.rule.title,
        },
        "window": window_label(judgement.schedule.window, judgement.schedule.window_days),
        "facts": {
            "occurrence": facts.occurrence,
            "level": facts.level,
            "amount": _money(facts.amount),
            "involved": _money(facts.involved),
            "quantity": facts.quantity,
            "monthly_wage": _money(facts.monthly_wage),
            "monthly_bonus": _money(facts.monthly_bonus),
            "daily_wage_divisor": str(facts.daily_wage_divisor),
            "trigger_counts": list(facts.trigger_counts),
            "points_balance": facts.points_balance,
            "sanction_choice": facts.sanction_choice,
        },
        "occurrence": quote.occurrence,
        "step": quote.step,
        "level": quote.level,
        "level_defaulted": quote.level_defaulted,
        "lines": [_line_dict(line) for line in quote.lines],
        "sanctions": list(quote.sanctions),
        "sanction_choices": list(quote.sanction_choices),
        "points": quote.points,
        "consequences": list(quote.consequences),
        "triggered": [
            {
                "index": t.index,
                "kind": t.kind.value,
                "condition": t.condition,
                "consequence": t.consequence,
                "sanctions": list(t.sanctions),
                "charges": [_line_dict(line) for line in t.charges],
                "flag": t.flag.value if t.flag else None,
            }
            for t in quote.triggered
        ],
        "person_amount": _money(quote.person_amount),
        "max_sanction_rank": quote.max_sanction_rank,
        "explanation": quote.explanation,
    }


def stored_wage(violation: Violation) -> tuple[Decimal, Decimal, Decimal] | None:
    """The wage facts a violation was judged with (re-pricing keeps them)."""
    facts = (violation.quote or {}).get("facts") or {}
    try:
        return (
            Decimal(facts["monthly_wage"]),
            Decimal(facts["monthly_bonus"]),
            Decimal(facts["daily_wage_divisor"]),
        )
    except (KeyError, TypeError, ArithmeticError):
        return None
