"""Writes to penalties made when a violation is logged, voided or re-numbered.

Approval, rejection, appeals and notices live in their own services (approvals.py …);
here penalties are only created pending, re-priced while still pending, voided with their
violation, or flagged for review when already decided.

Logging and re-numbering change penalties in memory through ``PenaltyWrites`` and write
them at the end in a few statements (``PenaltyWrites.save``), so that logging a batch of
violations costs the queries of one. Their audit entries go, in the order things
happened, into the list the caller writes with its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import Change, audit_record_many
from penalties.models import Penalty, PenaltyStatus, PenaltyTransition, TransitionAction
from penalties.selectors.penalties import PlannedPenalty

REPRICED_AWAY = "重新计次后本项不再适用,自动作废"
REPRICED = "按发生日期重新计次后重新计算"

# What re-pricing rewrites on a pending penalty (its party and payer never change).
REPRICE_FIELDS = (
    "is_primary",
    "money_kind",
    "amount",
    "label",
    "lines",
    "sanctions",
    "points",
    "explanation",
    "required_tier",
)

# An audit entry to write once every row it names has an id.
AuditItem = Callable[[], Change]


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


def _key(penalty: Penalty) -> tuple[str, str, int | None]:
    return (penalty.party, penalty.money_kind, penalty.employee_id)


def _created(penalty: Penalty, changes: dict) -> Change:
    return Change(
        obj=penalty,
        action=AuditAction.CREATE,
        changes=changes,
        comment=f"违规记录 #{penalty.violation.pk}",
    )


def known(change: Change) -> AuditItem:
    """An audit entry whose rows already have their ids."""
    return lambda: change


def _flagged(penalty: Penalty, note: str) -> Change:
    return Change(
        obj=penalty,
        action=AuditAction.UPDATE,
        changes={"needs_review": [False, True]},
        comment=note,
    )


def penalties_build(*, violation, plan: list[PlannedPenalty]) -> list[Penalty]:
    """The pending penalties of a violation, one per planned penalty: validated, not saved
    (``PenaltyWrites.add`` records them)."""
    penalties = [
        Penalty(violation=violation, department=violation.employee.department, **_fields(p))
        for p in plan
    ]
    for penalty in penalties:
        # Field checks only: the check constraints hold by construction (the plan names a
        # payer for every person's line and one primary penalty, of the employee; the
        # engine's amounts are not negative) and the database enforces them on insert;
        # Django would ask the database one SELECT per constraint to validate them.
        penalty.full_clean(
            exclude=["violation", "department", "employee"], validate_constraints=False
        )
    return penalties


class PenaltyWrites:
    """Penalties created and changed in memory by one logging or re-numbering.

    ``audit`` is the caller's list of audit entries (in the order things happened);
    ``save`` writes the rows, after the caller saved the new violations they belong to."""

    def __init__(self, audit: list[AuditItem]):
        self.audit = audit
        self.created: list[Penalty] = []
        # Saved penalties changed: id(penalty) → (penalty, fields, primary in the database).
        self._changed: dict[int, tuple[Penalty, set[str], bool]] = {}

    def _change(self, penalty: Penalty, **values) -> None:
        if penalty.pk is not None and id(penalty) not in self._changed:
            self._changed[id(penalty)] = (penalty, set(), penalty.is_primary)
        for name, value in values.items():
            setattr(penalty, name, value)
        if penalty.pk is not None:
            self._changed[id(penalty)][1].update(values)

    def add(self, penalties: list[Penalty]) -> None:
        """Record new penalties (from ``penalties_build``) with their audit entries, which
        read the violation's id once it is saved; what they record is taken now."""
        for penalty in penalties:
            changes = {k: [None, v] for k, v in _audit(penalty).items()}
            self.audit.append(partial(_created, penalty, changes))
        self.created += penalties

    def reprice(self, *, violation, penalties: list[Penalty], plan: list[PlannedPenalty]):
        """Bring the PENDING ``penalties`` of ``violation`` (its penalties not voided, newest
        first) in line with a new plan: update those of the same party, money kind and
        payer, create the new ones, void the ones no longer due. The caller has checked that
        none is decided. Returns the penalties not voided afterwards, newest first."""
        pending = [p for p in penalties if p.status == PenaltyStatus.PENDING]
        by_key = {_key(p): p for p in pending}
        kept: list[Penalty] = []
        new: list[PlannedPenalty] = []
        before = {id(p): _audit(p) for p in pending}
        changes: list[Change] = []
        # Clear the primary flag first so the unique "one primary" constraint holds throughout.
        for penalty in pending:
            if penalty.is_primary:
                self._change(penalty, is_primary=False)
        for planned in plan:
            penalty = by_key.pop(planned.key, None)
            if penalty is None:
                new.append(planned)
                continue
            fields = _fields(planned)
            self._change(penalty, **{name: fields[name] for name in REPRICE_FIELDS})
            kept.append(penalty)
            changed = {
                k: [before[id(penalty)][k], v]
                for k, v in _audit(penalty).items()
                if before[id(penalty)][k] != v
            }
            if changed:
                changes.append(
                    Change(
                        obj=penalty, action=AuditAction.UPDATE, changes=changed, comment=REPRICED
                    )
                )
        for penalty in by_key.values():
            self._change(penalty, status=PenaltyStatus.VOIDED, decision_comment=REPRICED_AWAY)
            changes.append(
                Change(
                    obj=penalty,
                    action=AuditAction.TRANSITION,
                    changes={"status": [PenaltyStatus.PENDING, PenaltyStatus.VOIDED]},
                    comment=REPRICED_AWAY,
                )
            )
        self.audit += [known(change) for change in changes]
        created = penalties_build(violation=violation, plan=new)
        self.add(created)
        return created + [p for p in penalties if p.status != PenaltyStatus.VOIDED]

    def explain(self, penalty: Penalty, explanation: str) -> None:
        """A re-numbered violation's pending primary penalty takes the new explanation."""
        self._change(penalty, explanation=explanation)

    def flag_for_review(self, *, penalty: Penalty, note: str) -> None:
        self._change(penalty, needs_review=True, review_note=note)
        self.audit.append(partial(_flagged, penalty, note))

    def save(self) -> None:
        """Write the penalties: first clear the primary flag of those that lose it, then
        insert the new ones, then update the changed ones (the unique "one primary per
        violation" index is checked row by row)."""
        changed = [(p, fields, was) for p, fields, was in self._changed.values()]
        demoted = [p.pk for p, _fields, was in changed if was and not p.is_primary]
        if demoted:
            Penalty.objects.filter(pk__in=demoted).update(is_primary=False)
        Penalty.objects.bulk_create(self.created)
        if changed:
            now = timezone.now()
            for penalty, _fields, _was in changed:
                penalty.updated_at = now
            names = sorted(set().union(*(fields for _p, fields, _was in changed)))
            Penalty.objects.bulk_update(
                [p for p, _fields, _was in changed], [*names, "updated_at"], batch_size=500
            )


@transaction.atomic
def penalties_void_pending(*, violation, reason: str, by) -> int:
    """Void the pending penalties of a voided violation; flag the decided ones for review
    (an approved fine is revoked through the approval services, never silently). Each
    voided penalty gets its ``PenaltyTransition`` (by ``by``, with the reason) and its
    audit entry, written in one statement each."""
    now = timezone.now()
    voided: list[Penalty] = []
    for penalty in violation.penalties.select_for_update().exclude(
        status__in=(PenaltyStatus.VOIDED, PenaltyStatus.REJECTED, PenaltyStatus.REVOKED)
    ):
        if penalty.status == PenaltyStatus.PENDING:
            penalty.status = PenaltyStatus.VOIDED
            penalty.decision_comment = reason
            penalty.updated_at = now
            voided.append(penalty)
        else:
            penalty_flag_for_review(
                penalty=penalty,
                note=_("The violation was voided: %(reason)s") % {"reason": reason},
                by=by,
            )
    if not voided:
        return 0
    Penalty.objects.bulk_update(voided, ["status", "decision_comment", "updated_at"])
    PenaltyTransition.objects.bulk_create(
        PenaltyTransition(
            penalty=penalty,
            action=TransitionAction.VOID,
            from_status=PenaltyStatus.PENDING,
            to_status=PenaltyStatus.VOIDED,
            actor=by,
            at=now,
            comment=reason,
            amount=penalty.amount,
        )
        for penalty in voided
    )
    audit_record_many(
        actor=by,
        items=[
            Change(
                obj=penalty,
                action=AuditAction.TRANSITION,
                changes={"status": [PenaltyStatus.PENDING, PenaltyStatus.VOIDED]},
                comment=reason,
            )
            for penalty in voided
        ],
    )
    return len(voided)


@transaction.atomic
def penalty_flag_for_review(*, penalty: Penalty, note: str, by=None) -> Penalty:
    penalty.needs_review = True
    penalty.review_note = note
    penalty.save(update_fields=["needs_review", "review_note", "updated_at"])
    audit_record_many(actor=by, items=[_flagged(penalty, note)])
    return penalty


def decided(penalties) -> list[Penalty]:
    """The penalties that someone already decided (anything but pending or voided)."""
    return [p for p in penalties if p.status not in (PenaltyStatus.PENDING, PenaltyStatus.VOIDED)]
