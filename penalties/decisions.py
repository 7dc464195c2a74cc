"""The decision flow that penalties and awards share: approve, reject, void.

Both records move the same way (``pending ──approve──▶ approved``, ``pending ──reject──▶
rejected``, HR voids a pending or approved one) under the same authority rules
(``penalties.authority``). The steps are the same too: lock the row, check the status
found and the user's authority, set who decided, when and why, save with
``update_fields``, record the transition (and audit), and — for an approved record voided
after the fact — let payroll correct a closed month.

``DecisionFlow`` holds only what differs between the two: the status and action choices,
how to lock and check a row, how to record a transition, how to copy the outcome back to
the caller's instance, the void permission and the wording. The services
(``penalties.services.approvals``, ``rewards.services.decisions``) keep their public
functions, their messages and their ``transaction.atomic``; these steps run inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from penalties.selectors.approvals import is_hr, user_tier

DECISION_FIELDS = ["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
VOID_STAMP_FIELDS = ["voided_by", "voided_at", "void_reason"]


def payroll_adjust(*, item, old_amount, new_amount, reason: str, by, now) -> None:
    """What a closed payroll month already counted is corrected in the next month
    (domain.md §4); payroll decides whether anything was counted. Imported here because
    payroll builds on penalties and rewards, not the other way round."""
    from payroll.services import payroll_adjustment_record

    payroll_adjustment_record(
        penalty_or_award=item,
        old_amount=old_amount,
        new_amount=new_amount,
        reason=reason,
        by=by,
        now=now,
    )


@dataclass(frozen=True)
class DecisionFlow:
    """What one kind of record brings to the shared approve / reject / void steps.

    ``statuses`` has PENDING, APPROVED, REJECTED and VOIDED; ``actions`` APPROVE, REJECT
    and VOID. ``lock(row)`` re-reads the row under ``select_for_update``;
    ``check(locked, approver)`` raises when the approver may not decide it now;
    ``record(locked, action=, from_status=, actor=, at=, comment=, actor_tier=)`` writes
    its transition; ``refresh(target, source)`` copies the outcome onto the caller's
    instance. ``void_stamps``: the row itself keeps who voided it, when and why."""

    statuses: Any
    actions: Any
    lock: Callable[[Any], Any]
    check: Callable[[Any, Any], None]
    record: Callable[..., Any]
    refresh: Callable[[Any, Any], None]
    void_permission: str
    reason_required: Any
    cannot_void: Any
    not_allowed_to_void: Any
    void_stamps: bool = False

    @property
    def voidable(self) -> tuple:
        """The statuses HR may void from."""
        return (self.statuses.PENDING, self.statuses.APPROVED)

    def _decide(self, row, *, approver, approve: bool, comment, now, issue_notice=None):
        """Approve (or reject) a pending row: lock it, check it, stamp the decision,
        record it, then ``issue_notice(locked, now)`` if given; a rejection needs its
        reason, asked for only once the authority is checked."""
        now = now or timezone.now()
        comment = (comment or "").strip()
        locked = self.lock(row)
        self.check(locked, approver)
        if not approve and not comment:
            raise ValidationError(self.reason_required, code="reason_required")
        locked.status = self.statuses.APPROVED if approve else self.statuses.REJECTED
        locked.decided_by = approver
        locked.decided_at = now
        locked.decision_comment = comment
        locked.save(update_fields=DECISION_FIELDS)
        self.record(
            locked,
            action=self.actions.APPROVE if approve else self.actions.REJECT,
            from_status=self.statuses.PENDING,
            actor=approver,
            at=now,
            comment=comment,
            actor_tier=user_tier(approver) or "",
        )
        if issue_notice is not None:
            issue_notice(locked, now)
        self.refresh(row, locked)
        return locked

    def approve(self, row, *, approver, comment: str, now: datetime | None, issue_notice):
        """Approve a pending row; ``issue_notice(locked, now)`` numbers its notice in the
        same transaction."""
        return self._decide(
            row,
            approver=approver,
            approve=True,
            comment=comment,
            now=now,
            issue_notice=issue_notice,
        )

    def reject(self, row, *, approver, reason: str, now: datetime | None):
        """Reject a pending row with a reason."""
        return self._decide(row, approver=approver, approve=False, comment=reason, now=now)

    def void(self, row, *, by, reason: str, now: datetime | None):
        """HR voids a pending or approved row with a reason; an approved one that a
        closed payroll month already counted is taken back in the next month."""
        now = now or timezone.now()
        reason = (reason or "").strip()
        if not (by.has_perm(self.void_permission) and is_hr(by)):
            raise ValidationError(self.not_allowed_to_void, code="not_allowed")
        locked = self.lock(row)
        if locked.status not in self.voidable:
            raise ValidationError(
                self.cannot_void, code="cannot_void", params={"status": locked.get_status_display()}
            )
        if not reason:
            raise ValidationError(self.reason_required, code="reason_required")
        previous = locked.status
        locked.status = self.statuses.VOIDED
        fields = ["status"]
        if self.void_stamps:
            locked.voided_by = by
            locked.voided_at = now
            locked.void_reason = reason
            fields += VOID_STAMP_FIELDS
        locked.save(update_fields=[*fields, "updated_at"])
        self.record(
            locked, action=self.actions.VOID, from_status=previous, actor=by, at=now, comment=reason
        )
        if previous == self.statuses.APPROVED:
            payroll_adjust(
                item=locked,
                old_amount=locked.amount,
                new_amount=Decimal("0"),
                reason=reason,
                by=by,
                now=now,
            )
        self.refresh(row, locked)
        return locked
