"""Processing a month: every employee-day judged into ``AttendanceDay`` (bulk), then the
attendance events the policy maps to rules logged as violations (source: attendance) with
their pending penalties, all in one call of ``conduct.services.violations.violations_log_many``
(the same result as ``violation_log`` one by one, in a fixed number of queries).

Idempotent: an attendance day remembers the violation each event produced (``DayViolation``
with a fingerprint of rule and level). Processing again after a corrected import or a
changed leave voids, with a reason, the violations that no longer apply and logs only the
new ones; a violation HR voided by hand is not logged again. Consecutive-absence triggers
become a flag for HR on the day (and the violation's own review flag), never a termination.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_record
from conduct.models import ViolationSource, ViolationStatus
from conduct.services.violations import ViolationInput, violation_void, violations_log_many
from payroll.selectors import month_is_closed
from staff.models import Employee, EmployeeStatus

from ..bulk import insert_rows
from ..judge import NO_RULES, Event, Rules, judge_day
from ..models import (
    AttendanceDay,
    AttendanceMonth,
    AttendanceSettings,
    ClockRecord,
    DayStatus,
    DayViolation,
    EventKind,
)
from ..planning import PolicyPlan, ShiftPlan, _department_parents, approved_leaves, calendar_kinds
from ..planning import leave_on as leave_covering
from ..selectors import month_bounds

BATCH = 2000
MAX_WARNINGS = 100

MONTH_NOT_STARTED = gettext_lazy("There is no finished day of %(month)s to process yet.")
MONTH_PAYROLL_CLOSED = gettext_lazy(
    "The payroll of %(month)s is closed: its attendance no longer changes. Record a "
    "correction as an adjustment in the open month."
)

DAY_FIELDS = (  # what processing writes on an attendance day, in this order
    "status",
    "shift",
    "late_minutes",
    "early_minutes",
    "leave",
    "leave_kind",
    "leave_fraction",
    "clock_in",
    "clock_out",
    "needs_review",
    "note",
)


_DAY_COLUMNS = [AttendanceDay._meta.get_field(name) for name in DAY_FIELDS]


@dataclass
class _Wanted:
    """A violation an event should have."""

    employee: Employee
    day: date
    event: Event
    rule: object
    level: str
    fingerprint: str
    description: str


@dataclass
class Outcome:
    days: int = 0
    created: int = 0
    voided: int = 0
    kept: int = 0
    flagged: int = 0
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)


def _notes() -> dict[str, str]:
    return {
        "half_leave": _("Half-day leave: the pay cut is not priced automatically; HR to enter."),
        "half_absent": _("Absent for half a day: not priced automatically; HR to review."),
        "incomplete": _("Clock-in or clock-out is missing: HR to review."),
    }


def _hhmm(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else "—"


def _describe(event: Event, day: date, shift, result, leave) -> str:
    params = {
        "date": day.isoformat(),
        "shift": str(shift) if shift else "—",
        "minutes": event.minutes,
        "time": _hhmm(event.at),
    }
    if event.kind == EventKind.LATE:
        return _("Late %(minutes)s minutes on %(date)s (shift %(shift)s, clocked in %(time)s).") % (
            params
        )
    if event.kind == EventKind.EARLY:
        return (
            _("Left %(minutes)s minutes early on %(date)s (shift %(shift)s, clocked out %(time)s).")
            % params
        )
    if event.kind == EventKind.ABSENT:
        if event.minutes:
            return (
                _(
                    "Absent on %(date)s: %(minutes)s minutes late or early counts as absence "
                    "(shift %(shift)s)."
                )
                % params
            )
        return (
            _("Absent on %(date)s (shift %(shift)s): no clock record and no approved leave.")
            % params
        )
    params["start"], params["end"] = (
        (leave.start_date.isoformat(), leave.end_date.isoformat()) if leave else ("", "")
    )
    if event.kind == EventKind.PERSONAL_LEAVE:
        return _("Personal leave on %(date)s (approved leave %(start)s to %(end)s).") % params
    return _("Sick leave on %(date)s (approved leave %(start)s to %(end)s).") % params


def _void_reason(day: date, status: str) -> str:
    return _("Attendance processed again: on %(date)s the day is now “%(status)s”.") % {
        "date": day.isoformat(),
        "status": DayStatus(status).label,
    }


def _flag_note(violation) -> str:
    fired = [t for t in (violation.quote or {}).get("triggered", []) if t.get("flag")]
    if not fired:
        return ""
    return _("%(consequence)s — flagged for HR review, nothing is done automatically.") % {
        "consequence": "; ".join(t["consequence"] for t in fired)
    }


@transaction.atomic
def attendance_month_process(*, month: date, by, today: date | None = None) -> AttendanceMonth:
    """Judge every employee-day of ``month`` up to yesterday and log the violations the
    attendance policy maps; returns the month with what was created, voided and kept."""
    first, last = month_bounds(month)
    today = today or timezone.localdate()
    end = min(last, today - timedelta(days=1))
    if end < first:
        raise ValidationError(MONTH_NOT_STARTED, params={"month": first.strftime("%Y-%m")})
    if month_is_closed(first):
        raise ValidationError(MONTH_PAYROLL_CLOSED, params={"month": first.strftime("%Y-%m")})
    record, _created = AttendanceMonth.objects.select_for_update().get_or_create(month=first)
    with translation.override(django_settings.LANGUAGE_CODE):
        outcome = _process(first, end, by)
        comment = _("Attendance processed")
    record.processed_at = timezone.now()
    record.processed_by = by
    record.days = outcome.days
    record.violations_created = outcome.created
    record.violations_voided = outcome.voided
    record.violations_kept = outcome.kept
    record.flagged = outcome.flagged
    record.warnings = outcome.warnings
    record.save(
        update_fields=[
            "processed_at",
            "processed_by",
            "days",
            "violations_created",
            "violations_voided",
            "violations_kept",
            "flagged",
            "warnings",
        ]
    )
    audit_record(
        actor=by,
        obj=record,
        action=AuditAction.UPDATE,
        changes={
            "days": [None, outcome.days],
            "violations_created": [None, outcome.created],
            "violations_voided": [None, outcome.voided],
            "violations_kept": [None, outcome.kept],
            "flagged": [None, outcome.flagged],
        },
        comment=comment,
    )
    return record


@dataclass
class _Judged:
    """An attendance day as stored after this processing."""

    pk: int | None
    status: str


def _process(first: date, end: date, by) -> Outcome:
    outcome = Outcome()
    now = timezone.now()
    employees = list(
        Employee.objects.filter(hire_date__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .exclude(status=EmployeeStatus.SUSPENDED)
        .select_related("department")
        .order_by("employee_no")
    )
    parents = _department_parents()
    settings = AttendanceSettings.get()
    shifts = ShiftPlan.load(first, end, parents=parents, settings=settings)
    policies = PolicyPlan.load(parents=parents, settings=settings)
    kinds = calendar_kinds(first, end)
    leaves = approved_leaves(first, end)
    records = {
        (employee_id, day): (clock_in, clock_out)
        for employee_id, day, clock_in, clock_out in ClockRecord.objects.filter(
            is_current=True, work_date__range=(first, end)
        ).values_list("employee_id", "work_date", "clock_in", "clock_out")
    }
    existing = {
        (employee_id, day): (pk, tuple(values))
        for pk, employee_id, day, *values in AttendanceDay.objects.filter(
            date__range=(first, end)
        ).values_list("pk", "employee_id", "date", *DAY_FIELDS)
    }
    notes = _notes()
    to_create: list[tuple] = []
    to_update: list[AttendanceDay] = []
    wanted: dict[tuple[int, date], dict[str, _Wanted]] = {}
    judged: dict[tuple[int, date], _Judged] = {}
    dates = [first + timedelta(days=n) for n in range((end - first).days + 1)]
    for employee in employees:
        for day in dates:
            if day < employee.hire_date or (employee.left_on and day > employee.left_on):
                continue
            shift = shifts.shift_for(employee.pk, employee.department_id, day)
            policy = policies.policy_for(employee.department_id, day)
            if policy is None and shift is not None:
                version = policies.version_for(employee.department_id, day)
                outcome.warn(
                    _("No attendance policy for %(version)s: %(department)s is not priced.")
                    % {"version": version, "department": employee.department}
                    if version
                    else _("No rulebook judges the attendance of %(department)s.")
                    % {"department": employee.department}
                )
            leave, halves = leave_covering(leaves.get(employee.pk, ()), day)
            record = records.get((employee.pk, day))
            result = judge_day(
                day=day,
                shift=shift,
                calendar_kind=kinds.get(day),
                leave_halves=halves,
                leave_kind=leave.kind if leave else "",
                clock_in=record[0] if record else None,
                clock_out=record[1] if record else None,
                has_record=record is not None,
                rules=Rules(policy.grace_minutes, policy.absence_after_minutes)
                if policy
                else NO_RULES,
                notes=notes,
            )
            values = (
                result.status,
                shift.pk if shift else None,
                result.late_minutes,
                result.early_minutes,
                leave.pk if leave else None,
                leave.kind if leave else "",
                result.leave_fraction,
                record[0] if record else None,
                record[1] if record else None,
                result.needs_review,
                result.note[:300],
            )
            key = (employee.pk, day)
            stored = existing.get(key)
            if stored is None:
                to_create.append((employee.pk, day, now, *values))
                judged[key] = _Judged(None, result.status)
            else:
                if stored[1] != values:
                    to_update.append(
                        AttendanceDay(
                            pk=stored[0],
                            processed_at=now,
                            **{f.attname: v for f, v in zip(_DAY_COLUMNS, values, strict=True)},
                        )
                    )
                judged[key] = _Judged(stored[0], result.status)
            if not result.events or policy is None:
                continue
            events = wanted.setdefault(key, {})
            for event in result.events:
                rule = policy.rule_for(event.kind)
                if rule is None:
                    continue
                level = (
                    policy.level_for(event.minutes)
                    if event.kind in (EventKind.LATE, EventKind.EARLY)
                    else ""
                )
                events[event.kind] = _Wanted(
                    employee=employee,
                    day=day,
                    event=event,
                    rule=rule,
                    level=level,
                    fingerprint=f"{event.kind}|{rule.pk}|{level}",
                    description=_describe(event, day, shift, result, leave),
                )
    insert_rows(AttendanceDay, ("employee", "date", "processed_at", *DAY_FIELDS), to_create)
    AttendanceDay.objects.bulk_update(
        to_update, [f.name for f in _DAY_COLUMNS] + ["processed_at"], batch_size=BATCH
    )
    if to_create:
        for pk, employee_id, day in AttendanceDay.objects.filter(
            date__range=(first, end)
        ).values_list("pk", "employee_id", "date"):
            found = judged.get((employee_id, day))
            if found is not None and found.pk is None:
                found.pk = pk
    outcome.days = len(judged)
    _reconcile(judged, wanted, by, now, outcome)
    return outcome


def _reconcile(judged: dict, wanted: dict, by, now, outcome: Outcome) -> None:
    """Void what no longer applies, then log what is new, in the order things happened."""
    day_ids = {day.pk: key for key, day in judged.items()}
    first = min((key[1] for key in judged), default=None)
    last = max((key[1] for key in judged), default=None)
    current: dict[tuple[int, date], dict[str, DayViolation]] = defaultdict(dict)
    if first is not None:
        for link in DayViolation.objects.filter(
            is_current=True, day__date__range=(first, last)
        ).select_related("violation__employee", "violation__rule"):
            key = day_ids.get(link.day_id)
            if key is not None:
                current[key][link.kind] = link
    flagged_days: dict[int, AttendanceDay] = {}

    def flag(key, note: str) -> None:
        pk = judged[key].pk
        flagged_days[pk] = AttendanceDay(pk=pk, needs_review=True, note=note[:300])

    # 1. Void what no longer applies (first, so that it stops counting for the rest).
    for key, links in current.items():
        events = wanted.get(key, {})
        for kind, link in links.items():
            want = events.get(kind)
            if want is not None and want.fingerprint == link.fingerprint:
                outcome.kept += 1
                note = _flag_note(link.violation)
                if note and link.violation.status == ViolationStatus.ACTIVE:
                    outcome.flagged += 1
                    flag(key, note)
                continue
            if link.violation.status == ViolationStatus.ACTIVE:
                violation_void(
                    violation=link.violation,
                    by=by,
                    reason=_void_reason(key[1], judged[key].status),
                )
                outcome.voided += 1
            link.is_current = False
            link.superseded_at = now
            link.save(update_fields=["is_current", "superseded_at"])
    # 2. Log what is new (counted by when it happened, whatever the order given).
    new = [
        want
        for key, events in wanted.items()
        for kind, want in events.items()
        if not (kind in current.get(key, {}) and current[key][kind].is_current)
    ]
    new.sort(key=lambda w: (w.employee.employee_no, w.event.at, w.event.kind))
    refused: dict[int, ValidationError] = {}
    logged = iter(
        violations_log_many(
            items=[
                ViolationInput(
                    employee=want.employee,
                    rule=want.rule,
                    occurred_at=want.event.at,
                    source=ViolationSource.ATTENDANCE,
                    description=want.description,
                    level=want.level or None,
                )
                for want in new
            ],
            logged_by=by,
            on_error=refused.__setitem__,
        )
    )
    links: list[DayViolation] = []
    for index, want in enumerate(new):
        key = (want.employee.pk, want.day)
        if index in refused:
            message = "; ".join(refused[index].messages)
            outcome.warn(f"{want.employee} {want.day}: {message}")
            flag(key, _("Not logged: %(error)s") % {"error": message})
            continue
        violation = next(logged)
        outcome.created += 1
        links.append(
            DayViolation(
                day_id=judged[key].pk,
                kind=want.event.kind,
                violation=violation,
                fingerprint=want.fingerprint,
            )
        )
        note = _flag_note(violation)
        if note:
            outcome.flagged += 1
            flag(key, note)
    DayViolation.objects.bulk_create(links, batch_size=BATCH)
    AttendanceDay.objects.bulk_update(
        list(flagged_days.values()), ["needs_review", "note"], batch_size=BATCH
    )
