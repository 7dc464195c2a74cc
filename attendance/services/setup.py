"""Writes to the attendance set-up: shifts and their assignments, the company calendar,
the attendance policy of a rulebook version, and which rulebook judges whom."""

import itertools
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from conduct.models import Rule, Rulebook, RulebookVersion
from staff.models import Department

from ..models import (
    AttendancePolicy,
    AttendanceSettings,
    CalendarDay,
    DepartmentRulebook,
    EventKind,
    Shift,
    ShiftAssignment,
)

SHIFT_MIDNIGHT_MISMATCH = _(
    "The end is before the start: tick “crosses midnight” for a shift that ends the next day."
)
SHIFT_MIDNIGHT_NOT_NEEDED = _(
    "The end is after the start on the same day: untick “crosses midnight”."
)
SHIFT_ZERO_LENGTH = _("A shift cannot start and end at the same time.")
ASSIGNMENT_ONE_TARGET = _("Assign the shift to either a department or an employee.")
ASSIGNMENT_OVERLAP = _(
    "This overlaps the assignment of shift %(shift)s from %(start)s; end that one first."
)
POLICY_RULE_OTHER_VERSION = _("Rule %(number)s is not a rule of %(version)s.")
POLICY_TIERS_INVALID = _(
    "Minute tiers must be a list of {“up_to”: minutes, “level”: code} in ascending order."
)
POLICY_LEVEL_UNKNOWN = _("Rule %(number)s has no severity level “%(level)s”.")
POLICY_TIERS_WITHOUT_RULE = _("Minute tiers need a rule for lateness or leaving early.")

SHIFT_FIELDS = ("name", "start", "end", "crosses_midnight", "work_weekdays", "is_active")
ASSIGNMENT_FIELDS = ("shift", "department", "employee", "effective_from", "effective_to")
POLICY_FIELDS = (
    "grace_minutes",
    "tiers",
    "absence_after_minutes",
    "late_rule",
    "early_rule",
    "absence_rule",
    "personal_leave_rule",
    "sick_leave_rule",
    "note",
)


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def validate_shift(shift: Shift) -> None:
    shift.full_clean()
    if shift.start == shift.end:
        raise ValidationError({"end": SHIFT_ZERO_LENGTH})
    if shift.end < shift.start and not shift.crosses_midnight:
        raise ValidationError({"crosses_midnight": SHIFT_MIDNIGHT_MISMATCH})
    if shift.end > shift.start and shift.crosses_midnight:
        raise ValidationError({"crosses_midnight": SHIFT_MIDNIGHT_NOT_NEEDED})


def _created(obj, by, fields) -> None:
    audit_record(
        actor=by, obj=obj, action=AuditAction.CREATE, changes=diff({}, snapshot(obj, fields))
    )


def _apply(obj, fields: dict[str, Any], validate, by, extra=()) -> bool:
    """Set the changed fields, validate, save them and record the change."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        return False
    before = snapshot(obj, changed)
    for name in changed:
        setattr(obj, name, fields[name])
    validate(obj)
    obj.save(update_fields=[*changed, *extra])
    audit_record(
        actor=by, obj=obj, action=AuditAction.UPDATE, changes=diff(before, snapshot(obj, changed))
    )
    return True


@transaction.atomic
def shift_create(*, by=None, **fields: Any) -> Shift:
    _check_fields(fields, SHIFT_FIELDS)
    shift = Shift(**fields)
    validate_shift(shift)
    shift.save()
    _created(shift, by, fields)
    return shift


@transaction.atomic
def shift_update(*, shift: Shift, by=None, **fields: Any) -> Shift:
    _check_fields(fields, SHIFT_FIELDS)
    _apply(shift, fields, validate_shift, by)
    return shift


def validate_assignment(assignment: ShiftAssignment) -> None:
    if (assignment.department_id is None) == (assignment.employee_id is None):
        raise ValidationError(ASSIGNMENT_ONE_TARGET)
    assignment.full_clean()
    target = (
        Q(employee_id=assignment.employee_id)
        if assignment.employee_id
        else Q(department_id=assignment.department_id)
    )
    end = assignment.effective_to
    overlapping = (
        ShiftAssignment.objects.select_for_update()
        .filter(target)
        .exclude(pk=assignment.pk)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=assignment.effective_from))
    )
    if end is not None:
        overlapping = overlapping.filter(effective_from__lte=end)
    other = overlapping.select_related("shift").first()
    if other is not None:
        raise ValidationError(
            ASSIGNMENT_OVERLAP, params={"shift": other.shift.name, "start": other.effective_from}
        )


@transaction.atomic
def shift_assignment_create(*, by=None, **fields: Any) -> ShiftAssignment:
    _check_fields(fields, ASSIGNMENT_FIELDS)
    assignment = ShiftAssignment(**fields)
    validate_assignment(assignment)
    assignment.save()
    _created(assignment, by, fields)
    return assignment


@transaction.atomic
def shift_assignment_update(
    *, assignment: ShiftAssignment, by=None, **fields: Any
) -> ShiftAssignment:
    _check_fields(fields, ASSIGNMENT_FIELDS)
    _apply(assignment, fields, validate_assignment, by)
    return assignment


def _full_clean(obj) -> None:
    obj.full_clean()


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str = "", by=None) -> CalendarDay:
    """Mark ``day`` as a holiday, a company rest day or a make-up working day."""
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    if entry is None:
        entry = CalendarDay(date=day, kind=kind, name=name)
        entry.full_clean()
        entry.save()
        _created(entry, by, ("date", "kind", "name"))
        return entry
    _apply(entry, {"kind": kind, "name": name}, _full_clean, by)
    return entry


def validate_policy(policy: AttendancePolicy) -> None:
    policy.full_clean()
    errors: list[ValidationError] = []
    version = policy.version
    for kind in EventKind:
        rule = policy.rule_for(kind)
        if rule is not None and rule.version_id != version.pk:
            errors.append(
                ValidationError(
                    POLICY_RULE_OTHER_VERSION, params={"number": rule.number, "version": version}
                )
            )
    tiers = policy.tiers
    valid = isinstance(tiers, list) and all(
        isinstance(t, dict)
        and set(t) == {"up_to", "level"}
        and isinstance(t["up_to"], int)
        and not isinstance(t["up_to"], bool)
        and t["up_to"] >= 0
        and isinstance(t["level"], str)
        and t["level"]
        for t in tiers
    )
    if valid and any(a["up_to"] >= b["up_to"] for a, b in itertools.pairwise(tiers)):
        valid = False
    if not valid:
        errors.append(ValidationError(POLICY_TIERS_INVALID))
    elif tiers:
        rules = [r for r in (policy.late_rule, policy.early_rule) if r is not None]
        if not rules:
            errors.append(ValidationError(POLICY_TIERS_WITHOUT_RULE))
        for rule in rules:
            codes = {level.code for step in rule.parsed_schedule.steps for level in step.levels}
            for tier in tiers:
                if tier["level"] not in codes:
                    errors.append(
                        ValidationError(
                            POLICY_LEVEL_UNKNOWN,
                            params={"number": rule.number, "level": tier["level"]},
                        )
                    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def attendance_policy_save(*, version: RulebookVersion, by=None, **fields: Any) -> AttendancePolicy:
    """Create or change the attendance policy of ``version``."""
    _check_fields(fields, POLICY_FIELDS)
    policy = AttendancePolicy.objects.select_for_update().filter(version=version).first()
    if policy is None:
        policy = AttendancePolicy(version=version, **fields)
        validate_policy(policy)
        policy.save()
        _created(policy, by, ("version", *fields))
        return policy
    _apply(policy, fields, validate_policy, by, extra=("updated_at",))
    return policy


@transaction.atomic
def attendance_settings_update(*, by=None, **fields: Any) -> AttendanceSettings:
    _check_fields(fields, ("default_rulebook", "default_shift"))
    settings = AttendanceSettings.objects.select_for_update().get(pk=AttendanceSettings.get().pk)
    _apply(settings, fields, _full_clean, by)
    return settings


@transaction.atomic
def department_rulebook_set(
    *, department: Department, rulebook: Rulebook, by=None
) -> DepartmentRulebook:
    """Judge ``department`` (and its sub-departments) by ``rulebook``'s attendance policy."""
    current = DepartmentRulebook.objects.select_for_update().filter(department=department).first()
    if current is None:
        current = DepartmentRulebook(department=department, rulebook=rulebook)
        current.save()
        _created(current, by, ("department", "rulebook"))
        return current
    _apply(current, {"rulebook": rulebook}, _full_clean, by)
    return current


# --- the seed rulebooks' policies ---------------------------------------------------------------

# G (hospitality 1.3): ≤20 min ¥10, ≤30 ¥20, ≤60 ¥50, over 60 = absence (3× daily wage,
# 3 consecutive days → resignation flag); personal leave 1.5×, sick leave 1× daily wage.
# F (customer-service 10.8/10.4/10.6): late/early ¥10, from the 2nd in the month ¥20
# (the rule's calendar_month ladder); personal leave no base pay + ¥30; absence 2×.
SEED_POLICIES: dict[str, dict[str, Any]] = {
    "hospitality": {
        "grace_minutes": 0,
        "tiers": [
            {"up_to": 20, "level": "within_20"},
            {"up_to": 30, "level": "within_30"},
            {"up_to": 60, "level": "within_60"},
        ],
        "absence_after_minutes": 60,
        "rules": {
            "late_rule": "1.3(1)",
            "early_rule": "1.3(1)",
            "absence_rule": "1.3(3)",
            "personal_leave_rule": "1.3(2)a",
            "sick_leave_rule": "1.3(2)b",
        },
        "note": "篇一第3条:迟到早退按分钟选档,1小时以上按旷工处理;事假1.5倍、病假1倍日工资。",
    },
    "customer-service": {
        "grace_minutes": 0,
        "tiers": [],
        "absence_after_minutes": None,
        "rules": {
            "late_rule": "10.8",
            "early_rule": "10.8",
            "absence_rule": "10.6",
            "personal_leave_rule": "10.4",
        },
        "note": "篇十:迟到早退每月第1次10元、第2次起20元;事假无当天底薪并罚款30元;"
        "旷工扣当天双倍底薪。病假有医院证明不罚款,不按事假登记(未映射)。",
    },
}


@transaction.atomic
def attendance_policies_for_seed_rulebooks(*, by=None) -> list[AttendancePolicy]:
    """Create the policies of the seed rulebooks (hospitality, customer-service) for each of
    their versions that has none yet; versions whose rules lack a mapped number are skipped."""
    created = []
    versions = RulebookVersion.objects.filter(rulebook__code__in=SEED_POLICIES).select_related(
        "rulebook"
    )
    for version in versions:
        if AttendancePolicy.objects.filter(version=version).exists():
            continue
        spec = SEED_POLICIES[version.rulebook.code]
        rules = {r.number: r for r in Rule.objects.filter(version=version)}
        if not all(number in rules for number in spec["rules"].values()):
            continue
        created.append(
            attendance_policy_save(
                version=version,
                by=by,
                grace_minutes=spec["grace_minutes"],
                tiers=spec["tiers"],
                absence_after_minutes=spec["absence_after_minutes"],
                note=spec["note"],
                **{field: rules[number] for field, number in spec["rules"].items()},
            )
        )
    return created
