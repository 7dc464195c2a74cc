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

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum
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

ENTRY_KINDS = ("violation", "joint", "award")
DEFAULT_PAGE_SIZE = 50


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


@dataclass(frozen=True, order=True)
class EntryKey:
    """Where an entry sits in the file, from a few columns only: the file is ordered and
    cut into pages on these before any entry is loaded in full. ``ref`` is the violation
    (kind "violation"), the penalty ("joint") or the award ("award")."""

    day: date
    moment: datetime
    kind: str
    pk: int  # the violation's or the award's, as ``Entry.sort_key``
    ref: int

    @property
    def month(self) -> date:
        return self.day.replace(day=1)


@dataclass
class MonthGroup:
    month: date
    totals: Totals
    entries: list[Entry]
    partial: bool = False  # the page shows only some of the month's entries


@dataclass
class YearGroup:
    year: int
    totals: Totals
    months: list[MonthGroup]


@dataclass
class EmployeeFile:
    """``years`` holds the entries shown, grouped by year and month: every entry in time
    order for the whole file, or one page of them newest first (``page``, a page of
    ``EntryKey``); ``year_totals`` always covers the whole record."""

    employee: Employee
    own: bool
    years: list[YearGroup]
    totals: Totals
    points: list[PointsBalance]
    today: date
    year_totals: list[YearGroup] = field(default_factory=list)
    page: Page | None = None

    @property
    def entries(self) -> list[Entry]:
        return [e for y in self.years for m in y.months for e in m.entries]


def _visible_penalties(employee: Employee, own: bool):
    qs = Penalty.objects.filter(employee=employee)
    if own:
        qs = qs.filter(status__in=PENALTY_RECORD_STATUSES)
    return qs


def _visible_awards(employee: Employee, own: bool):
    awards = Award.objects.filter(employee=employee)
    if own:
        awards = awards.filter(status__in=AWARD_RECORD_STATUSES)
    return awards


def _moment(day: date, at: datetime | None) -> datetime:
    return at or timezone.make_aware(datetime.combine(day, datetime.min.time()))


def entry_keys(employee: Employee, own: bool) -> list[EntryKey]:
    """Every entry of the file, in time order, from three narrow queries."""
    keys = [
        EntryKey(day, _moment(day, at), "violation", pk, pk)
        for pk, day, at in Violation.objects.filter(employee=employee)
        .values_list("pk", "occurred_on", "occurred_at")
        .order_by()
    ]
    keys += [
        EntryKey(day, _moment(day, at), "joint", violation_id, pk)
        for pk, violation_id, day, at in _visible_penalties(employee, own)
        .exclude(violation__employee=employee)
        .values_list("pk", "violation_id", "violation__occurred_on", "violation__occurred_at")
        .order_by()
    ]
    keys += [
        EntryKey(day, _moment(day, None), "award", pk, pk)
        for pk, day in _visible_awards(employee, own).values_list("pk", "awarded_on").order_by()
    ]
    keys.sort()
    return keys


def decorate_penalty(penalty: Penalty) -> Penalty:
    """Names for the sanctions and the current notice, for the template."""
    penalty.sanction_names = [sanction_name(code) for code in penalty.sanctions or []]
    try:
        penalty.appeal_or_none = penalty.appeal
    except Appeal.DoesNotExist:
        penalty.appeal_or_none = None
    return penalty


def _labels(model, name: str) -> dict:
    """A choice field's labels in the active language, looked up once per file rather
    than by ``get_<name>_display`` on every row (about 50 µs a call)."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


# The choice fields the file shows, labelled once per file.
LABELLED = {
    Violation: ("source", "status"),
    Penalty: ("party", "money_kind", "status"),
    Appeal: ("status", "outcome"),
    Award: ("status",),
}


def _label_all(violations: list, penalties: list, awards: list) -> None:
    """``<field>_label`` on every row shown for each field of ``LABELLED``."""
    appeals = [p.appeal_or_none for p in penalties if p.appeal_or_none is not None]
    rows = {
        Violation: [*violations, *(p.violation for p in penalties)],
        Penalty: penalties,
        Appeal: appeals,
        Award: awards,
    }
    for model, names in LABELLED.items():
        for name in names:
            labels = _labels(model, name)
            for row in rows[model]:
                value = getattr(row, name)
                setattr(row, f"{name}_label", labels.get(value, value))


# Columns the file does not show, left unread: JSON decoded per row (a violation's quote,
# a rule's schedule, a penalty's money lines, a notice's printed text) and long texts.
VIOLATION_UNSHOWN = ("quote", "explanation", "review_note")
RULE_UNSHOWN = ("schedule", "text")
PENALTY_UNSHOWN = ("lines", "explanation", "review_note", "decision_comment")
APPEAL_UNSHOWN = ("text", "reason")


def load_entries(employee: Employee, own: bool, keys: list[EntryKey]) -> list[Entry]:
    """The entries of ``keys``, in full and in the same order: their violations, the
    person's penalties with notices and appeals, and the awards (at most four queries,
    none for a kind absent from ``keys``)."""
    violation_ids = [k.ref for k in keys if k.kind == "violation"]
    joint_ids = {k.ref for k in keys if k.kind == "joint"}
    award_ids = [k.ref for k in keys if k.kind == "award"]
    violations = {}
    if violation_ids:
        violations = {
            v.pk: v
            for v in Violation.objects.filter(pk__in=violation_ids)
            .select_related("rulebook", "rule__category")
            .defer(*VIOLATION_UNSHOWN, *(f"rule__{name}" for name in RULE_UNSHOWN))
        }
    penalties = {}
    if violation_ids or joint_ids:
        penalties = {
            p.pk: p
            for p in _visible_penalties(employee, own)
            .filter(Q(violation_id__in=violation_ids) | Q(pk__in=joint_ids))
            .select_related(
                "violation__employee", "violation__rulebook", "violation__rule", "appeal"
            )
            .defer(
                *PENALTY_UNSHOWN,
                *(f"violation__{name}" for name in (*VIOLATION_UNSHOWN, "description")),
                *(f"violation__rule__{name}" for name in RULE_UNSHOWN),
                *(f"appeal__{name}" for name in APPEAL_UNSHOWN),
            )
            .order_by("violation__occurred_at", "pk")
        }
    notices: dict[int, list[Notice]] = defaultdict(list)
    if penalties:
        for notice in (
            Notice.objects.filter(penalty_id__in=list(penalties))
            .defer("snapshot")
            .order_by("issued_at", "pk")
        ):
            notices[notice.penalty_id].append(notice)
    by_violation: dict[int, list[Penalty]] = defaultdict(list)
    for penalty in penalties.values():
        decorate_penalty(penalty)
        penalty.notice_list = notices.get(penalty.pk, [])
        if penalty.pk not in joint_ids:
            by_violation[penalty.violation_id].append(penalty)
    awards = {}
    if award_ids:
        awards = {
            a.pk: a
            for a in _visible_awards(employee, own)
            .filter(pk__in=award_ids)
            .select_related("reward_type", "notice")
        }
    _label_all(list(violations.values()), list(penalties.values()), list(awards.values()))
    entries = []
    for key in keys:
        if key.kind == "violation":
            v = violations[key.ref]
            entries.append(Entry("violation", key.day, v.occurred_at, v, by_violation[v.pk]))
        elif key.kind == "joint":
            p = penalties[key.ref]
            v = p.violation
            entries.append(Entry("joint", key.day, v.occurred_at, v, [p]))
        else:
            entries.append(Entry("award", key.day, None, award=awards[key.ref]))
    return entries


def _year_totals(
    months: dict[date, Totals], keys: list[EntryKey]
) -> tuple[list[YearGroup], Totals]:
    years: dict[int, YearGroup] = {}
    total = Totals()
    for month in sorted(set(months) | {k.month for k in keys}):
        year = years.setdefault(month.year, YearGroup(month.year, Totals(), []))
        totals = months.get(month)
        if totals is not None:
            year.totals.add(totals)
            total.add(totals)
    return list(years.values()), total


def _group(
    entries: list[Entry],
    months: dict[date, Totals],
    in_month: dict[date, int],
    year_totals: dict[int, Totals],
    *,
    all_months: bool,
) -> list[YearGroup]:
    """Entries (in the order given) under year and month headings with the month's totals;
    with ``all_months`` also the months that have totals but no entry, in time order."""
    grouped: dict[date, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(entry.day.replace(day=1), []).append(entry)
    order = sorted(set(grouped) | set(months)) if all_months else list(grouped)
    years: dict[int, YearGroup] = {}
    for month in order:
        shown = grouped.get(month, [])
        year = years.setdefault(month.year, YearGroup(month.year, year_totals[month.year], []))
        totals = months.get(month, Totals())
        year.months.append(MonthGroup(month, totals, shown, len(shown) < in_month.get(month, 0)))
    return list(years.values())


def employee_file(
    *,
    user,
    employee_id: int,
    today: date | None = None,
    page: int | str | None = None,
    per_page: int | None = None,
) -> EmployeeFile:
    """The file, for ``user`` (404 when not theirs to read): with ``per_page``, the page
    ``page`` of its entries newest first; without, every entry in time order. The totals
    per year, the total and the points always cover the whole record. A fixed number of
    queries whatever the size of the record or the page."""
    today = today or timezone.localdate()
    employee, own = employee_file_owner_get(user=user, employee_id=employee_id)
    keys = entry_keys(employee, own)
    months = monthly_totals(employee=employee, own=own)
    year_totals, total = _year_totals(months, keys)
    in_month: dict[date, int] = defaultdict(int)
    for key in keys:
        in_month[key.month] += 1
    per_year = {y.year: y.totals for y in year_totals}
    shown_page = None
    if per_page:
        shown_page = Paginator(keys[::-1], per_page).get_page(page)
        entries = load_entries(employee, own, list(shown_page.object_list))
        years = _group(entries, months, in_month, per_year, all_months=False)
    else:
        entries = load_entries(employee, own, keys)
        years = _group(entries, months, in_month, per_year, all_months=True)
    return EmployeeFile(
        employee=employee,
        own=own,
        years=years,
        totals=total,
        points=points_balances(employee=employee, today=today),
        today=today,
        year_totals=year_totals,
        page=shown_page,
    )
