"""Approving, rejecting and voiding penalties: the state machine's first half.

    pending ──approve──▶ approved ──(appeal, see appeals.py)──▶ under_appeal
       │                    │
       └──reject──▶ rejected └──void (HR, month open)──▶ voided   (pending may be voided too)

Every transition locks the penalty row (``select_for_update``), checks the status it
found, writes one ``PenaltyTransition`` and saves with ``update_fields``. Two approvers
deciding the same penalty at once: the second waits for the first's lock, then finds
the status changed and is told so (``ALREADY_DECIDED``).
The steps themselves are shared with the awards (``penalties.decisions.DecisionFlow``);
this module brings the penalty's lock, checks, transition record and wording.

Approval issues the numbered notice inside the same transaction (``notices.notice_issue``):
the number is drawn from a locked per-year counter, so a rolled-back approval gives its
number back and two committed approvals never share one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from conduct.models import ViolationStatus
from penalties.authority import decision_authority_error
from penalties.decisions import DecisionFlow
from penalties.models import (
    ApprovalSettings,
    Penalty,
    PenaltyStatus,
    PenaltyTransition,
    TransitionAction,
)
from penalties.selectors.approvals import penalty_required_tier

ALREADY_DECIDED = _(
    "This penalty has already been dealt with by someone else (now: %(status)s). "
    "Reload the page to see it."
)
NOT_AN_APPROVER = _("You do not have the authority to approve or reject penalties.")
TIER_TOO_LOW = _("This penalty needs approval by a %(tier)s or higher.")
LOGGED_IT = _("Whoever logged the violation may not approve or reject its penalty.")
OWN_PENALTY = _("You may not decide a penalty addressed to yourself.")
OUT_OF_SCOPE = _("This penalty belongs to a department outside the ones you head.")
REASON_REQUIRED = _("Give the reason.")
VIOLATION_VOIDED = _("The violation has been voided; its penalty can no longer be decided.")
CANNOT_VOID = _("Only a pending or approved penalty can be voided (now: %(status)s).")
NOT_ALLOWED_TO_VOID = _("Only HR may void a penalty.")


@dataclass
class BulkResult:
    """What a bulk decision did: the penalties decided and, for the rest, why not."""

    done: list[Penalty] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


# ---- Authority ----------------------------------------------------------------------


def _authority_error(*, penalty: Penalty, user) -> ValidationError | None:
    """Why ``user`` may not approve or reject ``penalty`` (None: they may); the rules are
    shared with the reward approvals in ``penalties.authority``."""
    return decision_authority_error(
        user=user,
        required_tier=penalty.required_tier,
        department_id=penalty.department_id,
        logged_by_id=penalty.violation.logged_by_id,
        subject_employee_id=penalty.employee_id,
    )


def penalty_decision_error(*, penalty: Penalty, user) -> ValidationError | None:
    """For screens: why ``user`` cannot decide ``penalty`` now (None: they can)."""
    if penalty.status != PenaltyStatus.PENDING:
        return ValidationError(
            ALREADY_DECIDED, code="already_decided", params={"status": penalty.get_status_display()}
        )
    return _authority_error(penalty=penalty, user=user)


def _locked(penalty: Penalty) -> Penalty:
    return (
        Penalty.objects.select_for_update(of=("self",))
        .select_related("violation", "employee", "department")
        .get(pk=penalty.pk)
    )


def _record(
    penalty: Penalty,
    *,
    action: str,
    from_status: str,
    actor,
    at: datetime,
    comment: str = "",
    actor_tier: str = "",
) -> PenaltyTransition:
    return PenaltyTransition.objects.create(
        penalty=penalty,
        action=action,
        from_status=from_status,
        to_status=penalty.status,
        actor=actor,
        actor_tier=actor_tier,
        at=at,
        comment=comment,
        amount=penalty.amount,
    )


def _refresh_caller_copy(target: Penalty, source: Penalty) -> None:
    for name in ("status", "decided_by_id", "decided_at", "decision_comment", "amount"):
        setattr(target, name, getattr(source, name))


def _decide_checks(locked: Penalty, approver) -> None:
    if locked.status != PenaltyStatus.PENDING:
        raise ValidationError(
            ALREADY_DECIDED, code="already_decided", params={"status": locked.get_status_display()}
        )
    if locked.violation.status == ViolationStatus.VOIDED:
        raise ValidationError(VIOLATION_VOIDED, code="violation_voided")
    error = _authority_error(penalty=locked, user=approver)
    if error is not None:
        raise error


_FLOW = DecisionFlow(
    statuses=PenaltyStatus,
    actions=TransitionAction,
    lock=_locked,
    check=_decide_checks,
    record=_record,
    refresh=_refresh_caller_copy,
    void_permission="penalties.void_penalty",
    reason_required=REASON_REQUIRED,
    cannot_void=CANNOT_VOID,
    not_allowed_to_void=NOT_ALLOWED_TO_VOID,
)


# ---- Approve / reject ---------------------------------------------------------------


@transaction.atomic
def penalty_approve(
    *, penalty: Penalty, approver, comment: str = "", now: datetime | None = None
) -> Penalty:
    """Approve a pending penalty within the approver's authority, and issue its notice.

    ``now`` is for imports and the demo (back-dated records); screens never pass it."""
    from .notices import notice_issue

    return _FLOW.approve(
        penalty,
        approver=approver,
        comment=comment,
        now=now,
        issue_notice=lambda locked, at: notice_issue(penalty=locked, issued_by=approver, now=at),
    )


@transaction.atomic
def penalty_reject(
    *, penalty: Penalty, approver, reason: str, now: datetime | None = None
) -> Penalty:
    """Reject a pending penalty (with a reason) within the approver's authority."""
    return _FLOW.reject(penalty, approver=approver, reason=reason, now=now)


def _bulk(penalties, decide) -> BulkResult:
    result = BulkResult()
    for penalty in penalties:
        try:
            result.done.append(decide(penalty))
        except ValidationError as exc:
            result.failed.append((penalty.pk, " ".join(exc.messages)))
    return result


def penalty_approve_many(*, penalties, approver, comment: str = "") -> BulkResult:
    """Approve several penalties, each in its own transaction and checked on its own:
    one that fails (decided meanwhile, beyond authority…) does not stop the others."""
    return _bulk(
        penalties, lambda p: penalty_approve(penalty=p, approver=approver, comment=comment)
    )


def penalty_reject_many(*, penalties, approver, reason: str) -> BulkResult:
    """Reject several penalties with one reason, each checked on its own."""
    if not (reason or "").strip():
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    return _bulk(penalties, lambda p: penalty_reject(penalty=p, approver=approver, reason=reason))


# ---- Void ---------------------------------------------------------------------------

VOIDABLE = _FLOW.voidable


@transaction.atomic
def penalty_void(*, penalty: Penalty, by, reason: str, now: datetime | None = None) -> Penalty:
    """HR voids a pending or approved penalty with a reason. If a closed payroll month
    already deducted it, the next month gets an adjustment that gives it back. Nothing
    is deleted; its notice stays on file and prints as voided (the transition keeps who
    voided it, when and why)."""
    return _FLOW.void(penalty, by=by, reason=reason, now=now)


# ---- Settings -----------------------------------------------------------------------

SETTINGS_FIELDS = (
    "department_head_max",
    "deputy_gm_max",
    "deputy_gm_sanction_rank",
    "gm_sanction_rank",
    "appeal_window_days",
)
LIMITS_NOT_ASCENDING = _("The deputy GM's limit cannot be below the department head's.")


@transaction.atomic
def approval_settings_update(*, by, **fields) -> ApprovalSettings:
    """Change the approval policy; penalties still pending are re-tiered under it (those
    already decided keep the tier that decided them)."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    settings_row = ApprovalSettings.objects.select_for_update().get(pk=ApprovalSettings.get().pk)
    for name, value in fields.items():
        setattr(settings_row, name, value)
    settings_row.full_clean()
    if settings_row.deputy_gm_max < settings_row.department_head_max:
        raise ValidationError({"deputy_gm_max": LIMITS_NOT_ASCENDING})
    settings_row.updated_by = by
    settings_row.save(update_fields=[*fields, "updated_by", "updated_at"])
    policy = settings_row.as_policy()
    penalties_retier(policy=policy)
    # Awards wait under the same policy. Imported here: rewards builds on penalties.
    from rewards.services.awards import awards_retier

    awards_retier(policy=policy)
    return settings_row


def penalties_retier(*, policy) -> int:
    """Set the required tier of every pending penalty from ``policy``; returns how many
    changed."""
    changed = []
    for penalty in Penalty.objects.filter(status=PenaltyStatus.PENDING).only(
        "pk", "amount", "sanctions", "required_tier"
    ):
        tier = penalty_required_tier(penalty=penalty, policy=policy)
        if penalty.required_tier != tier:
            penalty.required_tier = tier
            changed.append(penalty)
    Penalty.objects.bulk_update(changed, ["required_tier"], batch_size=500)
    return len(changed)
