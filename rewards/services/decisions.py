"""Approving, rejecting and voiding awards: the same states, tiers and segregation rules
as penalties (``penalties.authority.decision_authority_error``).

Every transition locks the award row, checks the status it found, writes one
``AwardTransition`` and saves with ``update_fields`` — the steps penalties take too, kept
once in ``penalties.decisions.DecisionFlow``; this module brings the award's lock, checks,
transition record and wording. Approval issues the numbered
奖励通知书 in the same transaction (``rewards.services.notices.reward_notice_issue``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
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
from penalties.decisions import DecisionFlow
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


def _record(award, *, action, from_status, actor, at, comment="", actor_tier="") -> None:
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


_FLOW = DecisionFlow(
    statuses=AwardStatus,
    actions=AwardAction,
    lock=_locked,
    check=_decide_checks,
    record=_record,
    refresh=_refresh,
    void_permission="rewards.void_award",
    reason_required=REASON_REQUIRED,
    cannot_void=CANNOT_VOID,
    not_allowed_to_void=NOT_ALLOWED_TO_VOID,
    void_stamps=True,
)


@transaction.atomic
def award_approve(
    *, award: Award, approver, comment: str = "", now: datetime | None = None
) -> Award:
    """Approve a pending award within the approver's authority and issue its notice."""
    from .notices import reward_notice_issue

    return _FLOW.approve(
        award,
        approver=approver,
        comment=comment,
        now=now,
        issue_notice=lambda locked, at: reward_notice_issue(
            award=locked, issued_by=approver, now=at
        ),
    )


@transaction.atomic
def award_reject(*, award: Award, approver, reason: str, now: datetime | None = None) -> Award:
    """Reject a pending award, with a reason, within the approver's authority."""
    return _FLOW.reject(award, approver=approver, reason=reason, now=now)


def award_approve_many(*, awards, approver, comment: str = "") -> BulkResult:
    """Approve several awards, each in its own transaction and checked on its own."""
    result = BulkResult()
    for award in awards:
        try:
            result.done.append(award_approve(award=award, approver=approver, comment=comment))
        except ValidationError as exc:
            result.failed.append((award.pk, " ".join(exc.messages)))
    return result


@transaction.atomic
def award_void(*, award: Award, by, reason: str, now: datetime | None = None) -> Award:
    """HR voids a pending or approved award with a reason. If a closed payroll month
    already paid it, the next month gets an adjustment that takes it back. Nothing is
    deleted; its notice prints as voided."""
    return _FLOW.void(award, by=by, reason=reason, now=now)
