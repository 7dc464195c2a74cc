"""Reads of violations: occurrence counting for the engine, and lists scoped to the user.

Counting (domain.md §2, docs/schedule-format.md "Counting"): a violation is the N-th when N
non-voided violations of the same rule (same rulebook and rule number, whatever the version)
by the same employee, this one included, happened on a date inside the schedule's window
ending on its own date. Order is by when they happened (``occurred_at``, then the record's
id for ties), never by when they were logged.

Counting runs in memory, over a ``Ledger`` of the active violations a logging needs (loaded
in two queries whatever the number of violations logged or the length of the history),
judged by the rules of a ``Rulebooks`` catalogue (two queries, schedules parsed once).
"""

from __future__ import annotations

import json
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conduct.models import Rule, Rulebook, RulebookVersion, Violation, ViolationStatus
from penalties.engine import (
    Basis,
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
    parse_schedule,
    quantize_fen,
    window_bounds,
    window_label,
)
from staff.models import CompanySettings, Employee
from staff.selectors import department_subtree_ids, employee_for_user, visible_department_ids

# Statuses of the person's penalty whose points are taken from the budget.
POINTS_COUNTING_STATUSES = ("pending", "approved", "under_appeal")

# Where a violation stands among the others: (occurred_at, 0, id) for a saved one; a new one
# being logged is (occurred_at, 1, n), after every saved violation of the same instant and
# after the n-1 logged before it in the same call (the ids it will get keep that order).
Key = tuple[datetime, int, int]


def saved_key(violation: Violation) -> Key:
    return (violation.occurred_at, 0, violation.pk)


@dataclass(frozen=True)
class Position:
    """Where a violation stands in time: ``pk`` None for one not saved yet (it comes after
    every saved violation of the same instant)."""

    occurred_at: datetime
    occurred_on: date
    pk: int | None = None


@dataclass(frozen=True)
class Counts:
    """What the records supply to ``penalties.engine.Facts``."""

    occurrence: int
    trigger_counts: tuple[int, ...]
    points_balance: int | None


# --- the rulebooks of a logging ----------------------------------------------------------

NO_VERSION_IN_FORCE = _("No version of %(rulebook)s was in force on %(date)s.")
RULE_NOT_IN_VERSION = _(
    "Rule %(number)s does not exist in version %(version)s, the one in force on %(date)s."
)
RULE_INACTIVE = _("Rule %(number)s of version %(version)s is not in use.")
SECOND_AMOUNT_NOT_APPLICABLE = _("This rule has no second amount to enter.")


@lru_cache(maxsize=1024)
def _parse(text: str) -> Schedule:
    return parse_schedule(json.loads(text))


def schedule_of(rule: Rule) -> Schedule:
    """The rule's parsed schedule; parsed once per distinct schedule in the process (the
    result is a frozen value, so sharing it is safe)."""
    return _parse(json.dumps(rule.schedule, sort_keys=True, ensure_ascii=False))


def _points_window(rulebook: Rulebook) -> Window:
    window = Window(rulebook.points_window)
    # A rulebook has no day count for a rolling window: its budget runs by the year.
    return Window.CALENDAR_YEAR if window is Window.ROLLING_DAYS else window


@dataclass
class Book:
    """One rulebook with every version and every rule (all versions), as counting needs."""

    rulebook: Rulebook
    versions: list[RulebookVersion]  # newest first
    rules: dict[tuple[int, str], Rule]  # (version id, number) → rule

    @cached_property
    def by_department(self) -> bool:
        """Whether a rule of the rulebook (any version) counts a department's violations:
        then re-numbering covers the whole department."""
        return any(
            t.subject is Subject.DEPARTMENT
            for rule in self.rules.values()
            for t in schedule_of(rule).triggers
        )

    def version_on(self, on: date) -> RulebookVersion | None:
        """The version in force on ``on`` (as ``rulebook_version_in_force``)."""
        return next(
            (
                v
                for v in self.versions
                if v.effective_from <= on and (v.effective_to is None or v.effective_to >= on)
            ),
            None,
        )

    def first_counted_day(self, on: date) -> date:
        """The earliest day any count of a violation on ``on`` or later looks back to, short
        of the ``all_time`` windows (window starts never move back as the day moves on)."""
        windows = [(_points_window(self.rulebook), None)] if self.rulebook.points_budget else []
        for rule in self.rules.values():
            schedule = schedule_of(rule)
            windows.append((schedule.window, schedule.window_days))
            windows += [(t.window, t.window_days) for t in schedule.triggers]
        starts = [window_bounds(w, days, on)[0] for w, days in windows]
        return min([on, *(start for start in starts if start is not None)])


class Rulebooks:
    """The rulebooks of some rules, each with all its versions and rules (two queries)."""

    def __init__(self, books: Iterable[Book]):
        self._books = {book.rulebook.pk: book for book in books}
        self._by_version = {v.pk: book for book in self._books.values() for v in book.versions}

    @classmethod
    def load(cls, rules: Iterable[Rule]) -> Rulebooks:
        version_ids = {rule.version_id for rule in rules}
        versions = list(
            RulebookVersion.objects.select_related("rulebook")
            .filter(
                rulebook_id__in=RulebookVersion.objects.filter(pk__in=version_ids).values(
                    "rulebook_id"
                )
            )
            .order_by("rulebook_id", "-effective_from")
        )
        by_id = {v.pk: v for v in versions}
        books = {v.rulebook_id: Book(rulebook=v.rulebook, versions=[], rules={}) for v in versions}
        for version in versions:
            books[version.rulebook_id].versions.append(version)
        for rule in Rule.objects.filter(version_id__in=list(by_id)):
            rule.version = by_id[rule.version_id]
            books[rule.version.rulebook_id].rules[(rule.version_id, rule.number)] = rule
        return cls(books.values())

    def __iter__(self):
        return iter(self._books.values())

    def of(self, rule: Rule) -> Book:
        return self._by_version[rule.version_id]

    def in_force(self, *, rule: Rule, on: date) -> tuple[RulebookVersion, Rule]:
        """The version of ``rule``'s rulebook in force on ``on`` and its rule of the same
        number. Raises ``ValidationError`` when there is none or it is not in use."""
        book = self.of(rule)
        version = book.version_on(on)
        if version is None:
            raise ValidationError(
                NO_VERSION_IN_FORCE,
                params={"rulebook": book.rulebook.name, "date": on.isoformat()},
            )
        found = rule if version.pk == rule.version_id else book.rules.get((version.pk, rule.number))
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


# --- the violations counting looks at -----------------------------------------------------


@dataclass
class Entry:
    """An active violation as counting sees it. ``points``: those of its primary penalty
    while that penalty counts (pending, approved or under appeal)."""

    key: Key
    occurred_on: date
    employee_id: int
    department_id: int | None
    rulebook_id: int
    rule_number: str
    points: int = 0


@dataclass
class _Group:
    """The entries of one count (a person's or a department's, a rule's or the whole
    rulebook's) in order, and the totals of those before the ledger's first day."""

    entries: list[Entry] = field(default_factory=list)
    earlier: int = 0
    earlier_points: int = 0


def _by_key(entry: Entry) -> Key:
    return entry.key


def _by_day(entry: Entry) -> date:
    return entry.occurred_on


@dataclass
class Reach:
    """Whose violations of one rulebook a logging counts and may judge again: the people
    (and with department counts, their whole departments) from ``first_day`` on."""

    employee_ids: set[int] = field(default_factory=set)
    department_ids: set[int] = field(default_factory=set)
    first_day: date = date.max

    def add(self, employee: Employee, on: date, *, by_department: bool) -> None:
        self.employee_ids.add(employee.pk)
        if by_department:
            self.department_ids.add(employee.department_id)
        self.first_day = min(self.first_day, on)

    def condition(self) -> Q:
        return Q(employee_id__in=self.employee_ids) | Q(
            employee__department_id__in=self.department_ids
        )


def renumbering_group(book: Book, employee: Employee) -> tuple:
    """The ledger group whose later violations a violation of ``book`` by ``employee`` may
    change: the person's, or with a department count in the rulebook, the whole
    department's."""
    if book.by_department:
        return ("department", employee.department_id, book.rulebook.pk)
    return ("employee", employee.pk, book.rulebook.pk)


class Ledger:
    """The active violations of some people in some rulebooks, in memory.

    Each count a schedule asks for — the person's violations of the rule, of the rulebook,
    their department's — is a slice of an ordered list found by bisection (ordered by
    ``Key``, so by day too: ``occurred_on`` is the local date of ``occurred_at``).
    Violations are held one by one from a day early enough for every finite window
    (``Book.first_counted_day``); older ones only as totals per person and rule (for
    ``all_time`` windows). Loaded in two queries, whatever the history."""

    def __init__(self, since: dict[int, date]):
        self._since = since  # rulebook id → first day held one by one
        self._groups: dict[tuple, _Group] = defaultdict(_Group)
        self._entries: dict[Key, Entry] = {}

    @classmethod
    def load(cls, *, rulebooks: Rulebooks, reach: dict[int, Reach]) -> Ledger:
        books = {book.rulebook.pk: book for book in rulebooks}
        since = {pk: books[pk].first_counted_day(r.first_day) for pk, r in reach.items()}
        ledger = cls(since)
        if not reach:
            return ledger
        active = Violation.objects.filter(status=ViolationStatus.ACTIVE)
        recent = Q(pk__in=[])
        earlier = Q(pk__in=[])
        for pk, whose in reach.items():
            recent |= Q(rulebook_id=pk, occurred_on__gte=since[pk]) & whose.condition()
            earlier |= Q(rulebook_id=pk, occurred_on__lt=since[pk]) & whose.condition()
        # Points matter only with a budget: those of the violation's primary penalty while
        # it counts (one primary penalty per violation).
        budget = any(books[pk].rulebook.points_budget is not None for pk in reach)
        points = Value(0)
        if budget:
            points = Coalesce(
                Subquery(
                    _primary_points().filter(violation_id=OuterRef("pk")).values("points")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        rows = active.filter(recent).annotate(points=points)
        for values in rows.values_list(
            "pk",
            "occurred_at",
            "occurred_on",
            "employee_id",
            "employee__department_id",
            "rulebook_id",
            "rule_number",
            "points",
        ):
            pk, occurred_at, occurred_on, employee, department, rulebook, number, points = values
            ledger.add(
                Entry((occurred_at, 0, pk), occurred_on, employee, department, rulebook, number),
                points=points,
            )
        points_before = Value(0)
        if budget:
            counted = Q(penalties__is_primary=True, penalties__status__in=POINTS_COUNTING_STATUSES)
            points_before = Coalesce(Sum("penalties__points", filter=counted), Value(0))
        totals = (
            active.filter(earlier)
            .values("employee_id", "employee__department_id", "rulebook_id", "rule_number")
            .annotate(n=Count("pk", distinct=True), points=points_before)
        )
        for row in totals:
            for group in ledger._groups_of(
                row["employee_id"],
                row["employee__department_id"],
                row["rulebook_id"],
                row["rule_number"],
            ):
                group.earlier += row["n"]
                group.earlier_points += row["points"]
        return ledger

    def _groups_of(self, employee_id, department_id, rulebook_id, number) -> list[_Group]:
        groups = [
            self._groups[("employee", employee_id, rulebook_id, number)],
            self._groups[("employee", employee_id, rulebook_id)],
        ]
        if department_id is not None:
            groups += [
                self._groups[("department", department_id, rulebook_id, number)],
                self._groups[("department", department_id, rulebook_id)],
            ]
        return groups

    def add(self, entry: Entry, *, points: int = 0) -> None:
        """Count ``entry`` from now on (a violation just logged, or loaded)."""
        entry.points = points
        self._entries[entry.key] = entry
        for group in self._groups_of(
            entry.employee_id, entry.department_id, entry.rulebook_id, entry.rule_number
        ):
            insort(group.entries, entry, key=_by_key)

    def set_points(self, key: Key, points: int) -> None:
        """A re-priced violation's primary penalty now takes ``points``."""
        self._entries[key].points = points

    def keys_after(self, group_key: tuple, key: Key) -> list[Key]:
        """The keys of the group's violations after ``key``, in order."""
        entries = self._groups[group_key].entries
        start = bisect_left(entries, key, key=_by_key)
        return [e.key for e in entries[start:] if e.key != key]

    def _slice(self, group_key: tuple, window: Window, days: int | None, key: Key, on: date):
        """The entries of a group inside the window ending on ``on``, before ``key``, and
        whether the totals before the ledger's first day belong to it too (``all_time``)."""
        group = self._groups[group_key]
        start, _end = window_bounds(window, days, on)
        end = bisect_left(group.entries, key, key=_by_key)
        if start is None:
            return group, group.entries[:end], True
        if start < self._since[group_key[2]]:  # pragma: no cover - a bug, never data
            raise RuntimeError(f"the ledger starts on {self._since[group_key[2]]}, not {start}")
        begin = bisect_left(group.entries, start, hi=end, key=_by_day)
        return group, group.entries[begin:end], False

    def count(self, group_key: tuple, window: Window, days: int | None, key: Key, on: date) -> int:
        group, entries, with_earlier = self._slice(group_key, window, days, key, on)
        return len(entries) + (group.earlier if with_earlier else 0)

    def counts(
        self,
        *,
        employee: Employee,
        rulebook: Rulebook,
        rule_number: str,
        schedule: Schedule,
        key: Key,
        on: date,
    ) -> Counts:
        """Occurrence, trigger counts (this violation included) and points balance (before
        it) of a violation of ``rule_number`` at ``key``."""
        person = ("employee", employee.pk, rulebook.pk)
        triggers: list[int] = []
        for trigger in schedule.triggers:
            if trigger.kind is TriggerKind.POINTS_EXHAUSTED:
                triggers.append(0)
                continue
            group = (
                ("department", employee.department_id, rulebook.pk)
                if trigger.subject is Subject.DEPARTMENT
                else person
            )
            if trigger.scope is Scope.RULE:
                group = (*group, rule_number)
            triggers.append(self.count(group, trigger.window, trigger.window_days, key, on) + 1)
        balance = None
        if rulebook.points_budget is not None:
            group, entries, with_earlier = self._slice(
                person, _points_window(rulebook), None, key, on
            )
            used = sum(e.points for e in entries) + (group.earlier_points if with_earlier else 0)
            balance = rulebook.points_budget - used
        return Counts(
            occurrence=self.count(
                (*person, rule_number), schedule.window, schedule.window_days, key, on
            )
            + 1,
            trigger_counts=tuple(triggers),
            points_balance=balance,
        )


def _primary_points():
    from penalties.models import Penalty  # penalties depends on conduct, not the reverse

    return Penalty.objects.filter(is_primary=True, status__in=POINTS_COUNTING_STATUSES)


# --- scoped reads -------------------------------------------------------------------------


def violations_visible_to(user) -> QuerySet[Violation]:
    """Every violation for company-wide roles; a department head's subtree; else one's own."""
    qs = Violation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    departments = visible_department_ids(user)
    if departments is None and user.has_perm("conduct.view_violation"):
        return qs
    me = employee_for_user(user)
    condition = Q(pk__in=[])
    if departments and user.has_perm("conduct.view_violation"):
        condition |= Q(employee__department_id__in=departments)
    if me is not None:
        condition |= Q(employee=me)
    return qs.filter(condition)


# Each order ends with the primary key, so that it is total: the paginator reads pages past
# the middle in the reversed order (``staff.pagination``), which must be the forward one
# backwards. Each is served by an index of ``Violation`` (``scale/tests/test_list_plans.py``).
# "By rule" groups by rulebook in the order the rulebooks were added (their id), not by
# code: the code is on another table, and sorting through that join reads the whole table.
SORTS = {
    "occurred": ("occurred_at", "pk"),
    "-occurred": ("-occurred_at", "-pk"),
    "employee": ("employee__employee_no", "-occurred_at", "-pk"),
    "-employee": ("-employee__employee_no", "-occurred_at", "-pk"),
    "rule": ("rulebook_id", "rule_number", "-occurred_at", "-pk"),
    "-rule": ("-rulebook_id", "-rule_number", "-occurred_at", "-pk"),
    "occurrence": ("occurrence", "-occurred_at", "-pk"),
    "-occurrence": ("-occurrence", "-occurred_at", "-pk"),
    "logged": ("logged_at", "pk"),
    "-logged": ("-logged_at", "-pk"),
}
DEFAULT_SORT = "-occurred"


def day_start(on: date) -> datetime:
    """The first instant of a local day."""
    return timezone.make_aware(datetime.combine(on, time.min))


def violation_list(
    *,
    user,
    search: str = "",
    department=None,
    department_ids: Iterable[int] | None = None,
    rulebook=None,
    category_name: str = "",
    rule_number: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    status: str = "",
    source: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Violation]:
    """The violations ``user`` may see, filtered and ordered for the list.

    ``department_ids`` is the chosen department's subtree when the caller has it already
    (the list's form does); else ``department`` is expanded here. Dates are local days,
    turned into bounds of ``occurred_at`` so that the index the list is ordered by also
    serves the range.
    """
    qs = violations_visible_to(user).select_related(
        "employee__department", "rulebook", "rule__category", "logged_by"
    )
    if search:
        qs = qs.filter(
            Q(employee__employee_no__icontains=search) | Q(employee__name__icontains=search)
        )
    if department_ids is None and department is not None:
        department_ids = department_subtree_ids([department.pk])
    if department_ids is not None:
        qs = qs.filter(employee__department_id__in=sorted(department_ids))
    if rulebook is not None:
        qs = qs.filter(rulebook=rulebook)
    if category_name:
        qs = qs.filter(rule__category__name=category_name)
    if rule_number:
        qs = qs.filter(rule_number=rule_number)
    # Local days as bounds of ``occurred_at``: the index the list is ordered by serves the
    # range. With a department, also the same bounds on ``occurred_on``: its count then
    # walks the department's employees in ``violation_count_idx`` (which holds the day)
    # instead of every violation of the period (~3× faster for a division at 1M rows).
    by_employee = department_ids is not None
    if date_from is not None:
        qs = qs.filter(occurred_at__gte=day_start(date_from))
        if by_employee:
            qs = qs.filter(occurred_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(occurred_at__lt=day_start(date_to + timedelta(days=1)))
        if by_employee:
            qs = qs.filter(occurred_on__lte=date_to)
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


# What a row of the violation list shows (conduct/violation_list.html): the other columns,
# the quote's JSON above all, are neither read nor decoded, and the amount the employee
# pays comes out of the quote in SQL.
LIST_COLUMNS = (
    "id",
    "occurred_at",
    "occurrence",
    "source",
    "status",
    "needs_review",
    "employee__employee_no",
    "employee__name",
    "employee__department__name",
    "rulebook__name",
    "rule__number",
    "rule__title",
    "rule__text",
)


def violation_list_rows(queryset: QuerySet[Violation]) -> QuerySet[Violation]:
    """``violation_list``'s rows with only what the list shows; ``person_amount`` is the
    quote's amount for the employee (text, or None)."""
    return (
        queryset.select_related(None)
        .select_related("employee__department", "rulebook", "rule")
        .only(*LIST_COLUMNS)
        .annotate(person_amount=KT("quote__person_amount"))
    )


def label_choices(rows: Iterable[Violation], names: Iterable[str] = ("source", "status")) -> None:
    """``<name>_label`` on every row: the choice's label in the active language, looked up
    once for all the rows rather than by ``get_<name>_display`` on each."""
    rows = list(rows)
    for name in names:
        labels = {value: str(label) for value, label in Violation._meta.get_field(name).flatchoices}
        for row in rows:
            value = getattr(row, name)
            setattr(row, f"{name}_label", labels.get(value, value))


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


# The violation form's field for each engine input (``QuoteError.field``) it has one for.
QUOTE_ERROR_FIELDS = {
    "amount": "chosen_amount",
    "extra_amounts": "second_amount",
    "involved": "involved_amount",
    "level": "level",
    "sanction_choice": "sanction_choice",
    "quantity": "quantity",
}


def quote_error(exc: QuoteError) -> ValidationError:
    """The engine's error as a form error, at the input it names when the form has it."""
    field = QUOTE_ERROR_FIELDS.get(exc.field or "")
    if field is None:
        return ValidationError(str(exc))
    return ValidationError({field: str(exc)})


@dataclass(frozen=True)
class Inputs:
    """What the officer entered about one violation (the facts the engine cannot count)."""

    level: str | None = None
    chosen_amount: Decimal | None = None
    involved_amount: Decimal | None = None
    quantity: int = 1
    sanction_choice: str | None = None
    second_amount: Decimal | None = None  # the step's second range charge (compensation)


def second_range_index(step) -> int | None:
    """The index of a step's second ``range`` charge (the officer enters its amount as
    the second amount), if it has one."""
    ranges = [i for i, c in enumerate(step.charges) if c.basis is Basis.RANGE]
    return ranges[1] if len(ranges) > 1 else None


def _any_second_range(schedule: Schedule) -> bool:
    return any(second_range_index(step) is not None for step in schedule.steps)


def judge(
    *,
    rulebooks: Rulebooks,
    ledger: Ledger,
    employee: Employee,
    rule: Rule,
    occurred_at: datetime,
    occurred_on: date,
    key: Key,
    inputs: Inputs,
    wage: tuple[Decimal, Decimal, Decimal],
    occurrence: int | None = None,
) -> Judgement:
    """Evaluate a violation of ``rule`` standing at ``key`` among the ledger's violations,
    without a query. ``wage`` is (monthly wage, monthly bonus, daily-wage divisor). Raises
    ``ValidationError`` (Chinese messages)."""
    version, rule = rulebooks.in_force(rule=rule, on=occurred_on)
    rulebook = version.rulebook
    schedule = schedule_of(rule)
    counts = ledger.counts(
        employee=employee,
        rulebook=rulebook,
        rule_number=rule.number,
        schedule=schedule,
        key=key,
        on=occurred_on,
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
    has_range = step.first_range_index() is not None
    second = second_range_index(step)
    if inputs.second_amount is not None and not _any_second_range(schedule):
        raise ValidationError({"second_amount": SECOND_AMOUNT_NOT_APPLICABLE})
    facts = Facts(
        occurrence=number,
        # Inputs that only some steps use are passed to the step that uses them.
        level=(inputs.level or None) if step.levels else None,
        amount=inputs.chosen_amount if (has_range or not _any_range(schedule)) else None,
        involved=inputs.involved_amount,
        quantity=inputs.quantity,
        monthly_wage=wage[0],
        monthly_bonus=wage[1],
        daily_wage_divisor=wage[2],
        trigger_counts=triggers,
        points_balance=counts.points_balance,
        sanction_choice=(inputs.sanction_choice or None) if step.sanction_choices else None,
        # Like the amount: passed to the steps that have a second range charge.
        extra_amounts=(
            {second: inputs.second_amount}
            if second is not None and inputs.second_amount is not None
            else {}
        ),
    )
    try:
        quote = evaluate(schedule, facts)
    except QuoteError as exc:
        raise quote_error(exc) from exc
    position = Position(occurred_at, occurred_on, key[2] if key[1] == 0 else None)
    return Judgement(rulebook, version, rule, schedule, facts, quote, position)


def current_wage(employee: Employee, divisor: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """The wage facts of a violation judged today: the employee's pay now."""
    return (employee.monthly_wage, employee.monthly_bonus, divisor)


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
    second_amount: Decimal | None = None,
) -> Judgement:
    """Evaluate a violation of ``rule`` (any version: the one in force on the day judges)
    with the counts from the records, exactly as logging would count it. ``occurrence``
    overrides the count ("what would the N-th cost"); ``pk`` places an existing violation
    among the others; ``wage`` is (monthly wage, monthly bonus, daily-wage divisor), by
    default the employee's today. Raises ``ValidationError`` (Chinese messages)."""
    rulebooks = Rulebooks.load([rule])
    book = rulebooks.of(rule)
    reach = Reach()
    reach.add(employee, occurred_on, by_department=book.by_department)
    ledger = Ledger.load(rulebooks=rulebooks, reach={book.rulebook.pk: reach})
    at = occurred_at or day_end(occurred_on)
    return judge(
        rulebooks=rulebooks,
        ledger=ledger,
        employee=employee,
        rule=rule,
        occurred_at=at,
        occurred_on=occurred_on,
        key=(at, 1, 0) if pk is None else (at, 0, pk),
        inputs=Inputs(
            level, chosen_amount, involved_amount, quantity, sanction_choice, second_amount
        ),
        wage=wage or current_wage(employee, CompanySettings.get().daily_wage_divisor),
        occurrence=occurrence,
    )


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
            # Only when entered, so the snapshots of earlier violations stay as they were.
            **(
                {
                    "extra_amounts": {
                        str(index): _money(value) for index, value in facts.extra_amounts.items()
                    }
                }
                if facts.extra_amounts
                else {}
            ),
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
