"""Logging an award: priced by the engine, tiered, with its evidence, pending approval.

Evidence files get the same checks as a violation's (``conduct.services.violations.
evidence_check``: JPG, PNG or PDF by content, not empty, ≤ 10 MB, ≤ 10 files), read and
checked before anything is written; a failure later removes what was written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from conduct.services.violations import (
    CheckedFile,
    evidence_check,
    evidence_file_save,
    evidence_files_remove,
)
from penalties.selectors.approvals import current_approval_policy
from penalties.tiers import ApprovalPolicy, required_tier
from rewards.models import (
    Award,
    AwardEvidence,
    AwardSource,
    AwardStatus,
    RewardSettings,
    RewardType,
)
from rewards.pricing import price_award
from rewards.selectors import reward_type_on
from staff.models import Department, Employee, EmployeeStatus

REASON_REQUIRED = _("Give the reason for the award.")
IN_FUTURE = _("An award cannot be dated in the future.")
BEFORE_HIRE = _("The award cannot be dated before the employee's hire date (%(date)s).")
EMPLOYEE_LEFT = _("%(name)s has left the company; awards cannot be logged for them.")
CHOOSE_EMPLOYEE = _("Choose the employee who receives the award.")
CHOOSE_DEPARTMENT = _("This reward goes to a department's or team's fund: choose the department.")
NO_EMPLOYEE_FOR_FUND = _(
    "This reward goes to a department's or team's fund, not to a person: leave the employee "
    "empty and name them in the reason."
)
DEPARTMENT_INACTIVE = _("The department %(name)s is closed.")
TYPE_NOT_IN_FORCE = _(
    "“%(name)s” is not a reward of the rulebook in force on %(date)s; choose another reward."
)
TYPE_INACTIVE = _("“%(name)s” is no longer a reward of this rulebook.")
ALREADY_LONG_SERVICE = _(
    "%(name)s already has a long-service award (%(status)s, %(date)s): it is given once."
)
BAD_SOURCE = _("Unknown source of the award.")

LIVE_STATUSES = (AwardStatus.PENDING, AwardStatus.APPROVED)
AUDIT_FIELDS = (
    "employee",
    "department",
    "reward_type",
    "source",
    "amount",
    "department_amount",
    "chosen_amount",
    "involved_amount",
    "certificate",
    "reason",
    "awarded_on",
    "required_tier",
    "status",
)


def _store_evidence(
    *, award: Award, files: list[CheckedFile], by, written: list[str]
) -> list[AwardEvidence]:
    now = timezone.now()
    rows = [
        AwardEvidence(
            award=award,
            uploaded_by=by,
            **evidence_file_save(checked, folder="award-evidence", now=now, written=written),
        )
        for checked in files
    ]
    return AwardEvidence.objects.bulk_create(rows)


def is_long_service_type(reward_type: RewardType) -> bool:
    return reward_type.code == RewardSettings.get().long_service_code


def long_service_award_of(employee: Employee) -> Award | None:
    """The employee's live long-service award, if any (it is given once)."""
    code = RewardSettings.get().long_service_code
    return (
        Award.objects.filter(employee=employee, status__in=LIVE_STATUSES)
        .filter(reward_type__code=code)
        .order_by("awarded_on")
        .first()
    )


def _recipient(
    reward_type: RewardType, employee: Employee | None, department: Department | None
) -> tuple[Employee | None, Department]:
    if reward_type.is_department_only:
        if employee is not None:
            raise ValidationError({"employee": NO_EMPLOYEE_FOR_FUND})
        if department is None:
            raise ValidationError({"department": CHOOSE_DEPARTMENT})
        if not department.is_active:
            raise ValidationError(
                {"department": ValidationError(DEPARTMENT_INACTIVE, params={"name": department})}
            )
        return None, department
    if employee is None:
        raise ValidationError({"employee": CHOOSE_EMPLOYEE})
    return employee, employee.department


def _check_employee(employee: Employee, awarded_on: date) -> None:
    if employee.status == EmployeeStatus.LEFT:
        raise ValidationError(
            {"employee": ValidationError(EMPLOYEE_LEFT, params={"name": employee.name})}
        )
    if awarded_on < employee.hire_date:
        raise ValidationError(
            {"awarded_on": ValidationError(BEFORE_HIRE, params={"date": employee.hire_date})}
        )


def resolve_type(reward_type: RewardType, on: date) -> RewardType:
    """The same reward (rulebook and code) as judged by the version in force on ``on``."""
    found = reward_type_on(reward_type=reward_type, on=on)
    if found is None:
        raise ValidationError(
            {
                "reward_type": ValidationError(
                    TYPE_NOT_IN_FORCE, params={"name": reward_type.name, "date": on}
                )
            }
        )
    if not found.is_active:
        raise ValidationError(
            {"reward_type": ValidationError(TYPE_INACTIVE, params={"name": found.name})}
        )
    return found


def award_create(
    *,
    logged_by,
    reward_type: RewardType,
    awarded_on: date,
    reason: str,
    employee: Employee | None = None,
    department: Department | None = None,
    chosen_amount: Decimal | None = None,
    involved_amount: Decimal | None = None,
    certificate: str | None = None,
    evidence_files: Iterable = (),
    source: str = AwardSource.MANUAL,
    policy: ApprovalPolicy | None = None,
    now: datetime | None = None,
) -> Award:
    """Log an award, pending approval by the tier its total needs. Raises
    ``ValidationError`` keyed by field; on any failure nothing is saved and no file is
    left on disk. ``now`` is for the demo (back-dated records); screens never pass it."""
    checked = evidence_check(evidence_files)
    if source not in AwardSource.values:
        raise ValidationError(BAD_SOURCE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    now = now or timezone.now()
    if awarded_on > timezone.localtime(now).date():
        raise ValidationError({"awarded_on": IN_FUTURE})
    written: list[str] = []
    try:
        with transaction.atomic():
            award = _create(
                logged_by=logged_by,
                reward_type=reward_type,
                awarded_on=awarded_on,
                reason=reason,
                employee=employee,
                department=department,
                chosen_amount=chosen_amount,
                involved_amount=involved_amount,
                certificate=certificate,
                source=source,
                policy=policy,
                now=now,
            )
            _store_evidence(award=award, files=checked, by=logged_by, written=written)
    except BaseException:
        evidence_files_remove(written)
        raise
    return award


def _create(
    *,
    logged_by,
    reward_type,
    awarded_on,
    reason,
    employee,
    department,
    chosen_amount,
    involved_amount,
    certificate,
    source,
    policy,
    now,
) -> Award:
    reward_type = resolve_type(reward_type, awarded_on)
    employee, department = _recipient(reward_type, employee, department)
    if employee is not None:
        # Lock the person's row: serialises their once-only awards (long service).
        employee = (
            Employee.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=employee.pk)
        )
        _check_employee(employee, awarded_on)
        department = employee.department
        if is_long_service_type(reward_type):
            existing = long_service_award_of(employee)
            if existing is not None:
                raise ValidationError(
                    ALREADY_LONG_SERVICE,
                    code="already_long_service",
                    params={
                        "name": employee.name,
                        "status": existing.get_status_display(),
                        "date": existing.awarded_on,
                    },
                )
    price = price_award(
        reward_type=reward_type,
        employee=employee,
        chosen_amount=chosen_amount,
        involved_amount=involved_amount,
    )
    policy = policy or current_approval_policy()
    if certificate is None:
        certificate = ";".join(price.consequences)
    award = Award(
        employee=employee,
        department=department,
        reward_type=reward_type,
        source=source,
        amount=price.amount,
        department_amount=price.department_amount,
        chosen_amount=chosen_amount,
        involved_amount=involved_amount,
        monthly_wage=price.wage,
        lines=price.lines,
        explanation=price.explanation,
        certificate=(certificate or "").strip()[:200],
        reason=reason,
        awarded_on=awarded_on,
        required_tier=required_tier(amount=price.total, max_sanction_rank=0, policy=policy),
        status=AwardStatus.PENDING,
        logged_by=logged_by,
        logged_at=now,
    )
    award.full_clean(exclude=["employee", "department", "reward_type", "logged_by"])
    award.save()
    audit_record(
        actor=logged_by,
        obj=award,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(award, AUDIT_FIELDS)),
    )
    return award


def awards_retier(*, policy: ApprovalPolicy) -> int:
    """Set the required tier of every pending award from ``policy`` (call it when the
    approval settings change); returns how many changed."""
    changed = []
    for award in Award.objects.filter(status=AwardStatus.PENDING).only(
        "pk", "amount", "department_amount", "required_tier"
    ):
        tier = required_tier(amount=award.total, max_sanction_rank=0, policy=policy)
        if award.required_tier != tier:
            award.required_tier = tier
            changed.append(award)
    Award.objects.bulk_update(changed, ["required_tier"], batch_size=500)
    return len(changed)
