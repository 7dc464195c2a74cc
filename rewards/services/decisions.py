"""Approving, rejecting and voiding awards: the same states, tiers and segregation rules
as penalties (``penalties.authority.decision_authority_error``).

Every transition locks the award row, checks the status it found, writes one
``AwardTransition`` and saves with ``update_fields``. Approval issues the numbered
奖励通知书 in the same transaction (``rewards.services.notices.reward_notice_issue``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from penalties.authority import (
    LOGGED_IT,
    NOT_AN_APPROVER,
    OUT_OF_SCOPE,
    OWN_RECORD,
    TIER_TOO_LOW,
    decision_authority_error,
)
from penalties.selectors.approvals import is_hr, user_tier
from penalties.services.approvals import _payroll_adjust
from rewards.models import Award, AwardAction, AwardStatus, AwardTransition

ALREADY_DECIDED = _(
    "This award has already been dealt with by someone else (now: %(status)s). "
    "Reload the page to see it."
)
AWARD_MESSAGES = {
    NOT_AN_APPROVER: _("You do not have the authority to approve or reject awards."),
    LOGGED_IT: _("Whoever logged or selected an award may not approve or reject it."),
    OWN_RECORD: _("You may not decide an award addressed to yourself."),
    TIER_TOO_LOW: _("This award needs approval by a %(tier)s or higher."),
    OUT_OF_SCOPE: _("This award belongs to a department outside the ones you head."),
}
REASON_REQUIRED = _("Give the reason.")
CANNOT_VOID = _("Only a pending or approved award can be voided (now: %(status)s).")
NOT_ALLOWED_TO_VOID = _("Only HR may void an award.")


@dataclass
class BulkResult:
    done: list[Award] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def _authority_error(*, award: Award, user) -> ValidationError | None:
    if not user.has_perm("rewards.decide_award"):
        return ValidationError(AWARD_MESSAGES[NOT_AN_APPROVER], code=NOT_AN_APPROVER)
    return decision_authority_error(
        user=user,
        required_tier=award.required_tier,
        department_id=award.department_id,
        logged_by_id=award.logged_by_id,
        subject_employee_id=award.employee_id,
        messages=AWARD_MESSAGES,
    )


def award_decision_error(*, award: Award, user) -> ValidationError | None:
    """For screens: why ``user`` cannot decide ``award`` now (None: they can)."""
    if award.status != AwardStatus.PENDING:
        return ValidationError(
            ALREADY_DECIDED, code="already_decided", params={"status": award.get_status_display()}
        )
    return _authority_error(award=award, user=user)


def _locked(award: Award) -> Award:
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("employee", "department", "reward_type__version__rulebook")
        .get(pk=award.pk)
    )


def _record(*, award, action, from_status, actor, at, comment="", actor_tier="") -> None:
    audit_record(
        actor=actor,
        obj=award,
        action=AuditAction.TRANSITION,
        changes={"status": [from_status, award.status]},
        comment=comment,
    )
    AwardTransition.objects.create(
        award=award,
        action=action,
        from_status=from_status,
        to_status=award.status,
        actor=actor,
        actor_tier=actor_tier,
        at=at,
        comment=comment,
    )


def _refresh(target: Award, source: Award) -> None:
    for name in ("status", "decided_by_id", "decided_at", "decision_comment", "voided_at"):
        setattr(target, name, getattr(source, name))


def _decide_checks(locked: Award, approver) -> None:
    error = award_decision_error(award=locked, user=approver)
    if error is not None:
        raise error


@transaction.atomic
def award_approve(
    *, award: Award, approver, comment: str = "", now: datetime | None = None
) -> Award:
    """Approve a pending award within the approver's authority and issue its notice."""
    from .notices import reward_notice_issue

    now = now or timezone.now()
    locked = _locked(award)
    _decide_checks(locked, approver)
    locked.status = AwardStatus.APPROVED
    locked.decided_by = approver
    locked.decided_at = now
    locked.decision_comment = (comment or "").strip()
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
    )
    _record(
        award=locked,
        action=AwardAction.APPROVE,
        from_status=AwardStatus.PENDING,
        actor=approver,
        at=now,
        comment=locked.decision_comment,
        actor_tier=user_tier(approver) or "",
    )
    reward_notice_issue(award=locked, issued_by=approver, now=now)
    _refresh(award, locked)
    return locked


@transaction.atomic
def award_reject(*, award: Award, approver, reason: str, now: datetime | None = None) -> Award:
    """Reject a pending award, with a reason, within the approver's authority."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    locked = _locked(award)
    _decide_checks(locked, approver)
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    locked.status = AwardStatus.REJECTED
    locked.decided_by = approver
    locked.decided_at = now
    locked.decision_comment = reason
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
    )
    _record(
        award=locked,
        action=AwardAction.REJECT,
        from_status=AwardStatus.PENDING,
        actor=approver,
        at=now,
        comment=reason,
        actor_tier=user_tier(approver) or "",
    )
    _refresh(award, locked)
    return locked


def award_approve_many(*, awards, approver, comment: str = "") -> BulkResult:
    """Approve several awards, each in its own transaction and checked on its own."""
    result = BulkResult()
    for award in awards:
        try:
            result.done.append(award_approve(award=award, approver=approver, comment=comment))
        except ValidationError as exc:
            result.failed.append((award.pk, " ".join(exc.messages)))
    return result


VOIDABLE = (AwardStatus.PENDING, AwardStatus.APPROVED)


@transaction.atomic
def award_void(*, award: Award, by, reason: str, now: datetime | None = None) -> Award:
    """HR voids a pending or approved award with a reason. If a closed payroll month
    already paid it, the next month gets an adjustment that takes it back. Nothing is
    deleted; its notice prints as voided."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not (by.has_perm("rewards.void_award") and is_hr(by)):
        raise ValidationError(NOT_ALLOWED_TO_VOID, code="not_allowed")
    locked = _locked(award)
    if locked.status not in VOIDABLE:
        raise ValidationError(
            CANNOT_VOID, code="cannot_void", params={"status": locked.get_status_display()}
        )
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    previous = locked.status
    locked.status = AwardStatus.VOIDED
    locked.voided_by = by
    locked.voided_at = now
    locked.void_reason = reason
    locked.save(update_fields=["status", "voided_by", "voided_at", "void_reason", "updated_at"])
    _record(
        award=locked,
        action=AwardAction.VOID,
        from_status=previous,
        actor=by,
        at=now,
        comment=reason,
    )
    if previous == AwardStatus.APPROVED:
        _payroll_adjust(
            item=locked,
            old_amount=locked.amount,
            new_amount=Decimal("0"),
            reason=reason,
            by=by,
            now=now,
        )
    _refresh(award, locked)
    return locked
