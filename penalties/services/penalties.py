"""Writes to penalties made when a violation is logged, voided or re-numbered.

Approval, rejection, appeals and notices live in their own services (approvals.py …);
here penalties are only created pending, re-priced while still pending, voided with their
violation, or flagged for review when already decided.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import Change, audit_record_many
from penalties.models import Penalty, PenaltyStatus
from penalties.selectors.penalties import PlannedPenalty

REPRICED_AWAY = "重新计次后本项不再适用,自动作废"
REPRICED = "按发生日期重新计次后重新计算"


def _fields(planned: PlannedPenalty) -> dict:
    return {
        "party": planned.party.value,
        "employee": planned.employee,
        "is_primary": planned.is_primary,
        "money_kind": planned.money_kind,
        "amount": planned.amount,
        "label": planned.label[:200],
        "lines": planned.lines,
        "sanctions": planned.sanctions,
        "points": planned.points,
        "explanation": planned.explanation,
        "required_tier": planned.required_tier.value,
    }


def _audit(penalty: Penalty) -> dict:
    return {
        "party": penalty.party,
        "employee": penalty.employee_id,
        "money_kind": penalty.money_kind,
        "amount": str(penalty.amount),
        "sanctions": list(penalty.sanctions),
        "points": penalty.points,
        "status": penalty.status,
        "required_tier": penalty.required_tier,
    }


@transaction.atomic
def penalties_create(*, violation, plan: list[PlannedPenalty], by=None) -> list[Penalty]:
    """The pending penalties of a newly logged violation, one per planned penalty."""
    penalties = [
        Penalty(violation=violation, department_id=violation.employee.department_id, **_fields(p))
        for p in plan
    ]
    for penalty in penalties:
        penalty.full_clean(exclude=["violation", "department", "employee"])
    created = Penalty.objects.bulk_create(penalties)
    audit_record_many(
        actor=by,
        items=[
            Change(
                obj=p,
                action=AuditAction.CREATE,
                changes={k: [None, v] for k, v in _audit(p).items()},
                comment=f"违规记录 #{violation.pk}",
            )
            for p in created
        ],
    )
    return created


def _key(penalty: Penalty) -> tuple[str, str, int | None]:
    return (penalty.party, penalty.money_kind, penalty.employee_id)


@transaction.atomic
def penalties_reprice(*, violation, plan: list[PlannedPenalty], by=None) -> list[Penalty]:
    """Bring the PENDING penalties of ``violation`` in line with a new plan: update those of
    the same party, money kind and payer, create the new ones, void the ones no longer due.
    The caller has checked that no penalty of the violation is decided."""
    pending = list(violation.penalties.select_for_update().filter(status=PenaltyStatus.PENDING))
    by_key = {_key(p): p for p in pending}
    kept: list[Penalty] = []
    new: list[PlannedPenalty] = []
    before = {p.pk: _audit(p) for p in pending}
    changes: list[Change] = []
    # Clear the primary flag first so the unique "one primary" constraint holds throughout.
    for penalty in pending:
        if penalty.is_primary:
            penalty.is_primary = False
            penalty.save(update_fields=["is_primary", "updated_at"])
    for planned in plan:
        penalty = by_key.pop(planned.key, None)
        if penalty is None:
            new.append(planned)
            continue
        for name, value in _fields(planned).items():
            setattr(penalty, name, value)
        penalty.save(
            update_fields=[
                "is_primary",
                "money_kind",
                "amount",
                "label",
                "lines",
                "sanctions",
                "points",
                "explanation",
                "required_tier",
                "updated_at",
            ]
        )
        kept.append(penalty)
        changed = {
            k: [before[penalty.pk][k], v]
            for k, v in _audit(penalty).items()
            if before[penalty.pk][k] != v
        }
        if changed:
            changes.append(
                Change(obj=penalty, action=AuditAction.UPDATE, changes=changed, comment=REPRICED)
            )
    for penalty in by_key.values():
        penalty.status = PenaltyStatus.VOIDED
        penalty.decision_comment = REPRICED_AWAY
        penalty.save(update_fields=["status", "decision_comment", "updated_at"])
        changes.append(
            Change(
                obj=penalty,
                action=AuditAction.TRANSITION,
                changes={"status": [PenaltyStatus.PENDING, PenaltyStatus.VOIDED]},
                comment=REPRICED_AWAY,
            )
        )
    audit_record_many(actor=by, items=changes)
    return kept + penalties_create(violation=violation, plan=new, by=by)


@transaction.atomic
def penalties_void_pending(*, violation, reason: str, by=None) -> int:
    """Void the pending penalties of a voided violation; flag the decided ones for review
    (an approved fine is revoked through the approval services, never silently)."""
    count = 0
    changes: list[Change] = []
    for penalty in violation.penalties.select_for_update().exclude(
        status__in=(PenaltyStatus.VOIDED, PenaltyStatus.REJECTED, PenaltyStatus.REVOKED)
    ):
        if penalty.status == PenaltyStatus.PENDING:
            penalty.status = PenaltyStatus.VOIDED
            penalty.decision_comment = reason
            penalty.save(update_fields=["status", "decision_comment", "updated_at"])
            changes.append(
                Change(
                    obj=penalty,
                    action=AuditAction.TRANSITION,
                    changes={"status": [PenaltyStatus.PENDING, PenaltyStatus.VOIDED]},
                    comment=reason,
                )
            )
            count += 1
        else:
            penalty_flag_for_review(
                penalty=penalty,
                note=_("The violation was voided: %(reason)s") % {"reason": reason},
                by=by,
            )
    audit_record_many(actor=by, items=changes)
    return count


@transaction.atomic
def penalty_flag_for_review(*, penalty: Penalty, note: str, by=None) -> Penalty:
    penalty.needs_review = True
    penalty.review_note = note
    penalty.save(update_fields=["needs_review", "review_note", "updated_at"])
    audit_record_many(
        actor=by,
        items=[
            Change(
                obj=penalty,
                action=AuditAction.UPDATE,
                changes={"needs_review": [False, True]},
                comment=note,
            )
        ],
    )
    return penalty


def decided(penalties) -> list[Penalty]:
    """The penalties that someone already decided (anything but pending or voided)."""
    return [p for p in penalties if p.status not in (PenaltyStatus.PENDING, PenaltyStatus.VOIDED)]
