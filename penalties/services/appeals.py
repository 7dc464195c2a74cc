"""Appeals (申诉): the state machine's second half.

    approved ──appeal_file (the person, within the window)──▶ under_appeal
    under_appeal ──appeal_decide──▶ approved (upheld)
                                 ─▶ approved with a lower amount and a new notice (reduced)
                                 ─▶ revoked

While under appeal a penalty is out of payroll (``PAYABLE_STATUSES``). The reviewer is
the next tier above whoever approved it (deputy GM above a department head, GM above a
deputy GM) or HR; never the appellant, the approver or whoever logged the violation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from conduct.services.violations import (
    evidence_check,
    evidence_file_save,
    evidence_files_remove,
)
from penalties.decisions import payroll_adjust
from penalties.engine import quantize_fen
from penalties.models import (
    Appeal,
    AppealEvidence,
    AppealOutcome,
    AppealStatus,
    Notice,
    Penalty,
    PenaltyStatus,
    PenaltyTransition,
    TransitionAction,
)
from penalties.selectors.approvals import is_hr, notice_recipient_user, tiers_up_to, user_tier
from penalties.tiers import Tier
from staff.selectors import employee_for_user

from .approvals import _locked, _record, _refresh_caller_copy
from .notices import cn_date, notice_issue

NOT_APPEALABLE = _("Only a penalty in effect can be appealed (now: %(status)s).")
NOT_YOURS = _("You can appeal only a penalty addressed to you.")
ALREADY_APPEALED = _("This penalty has already been appealed; each penalty can be appealed once.")
WINDOW_CLOSED = _("The time to appeal ended on %(date)s.")
NO_NOTICE = _("This penalty has no notice yet, so it cannot be appealed.")
TEXT_REQUIRED = _("Say why you appeal.")
APPEAL_DECIDED = _("This appeal has already been decided.")
NOT_A_REVIEWER = _("You may not decide appeals.")
REVIEWER_TOO_LOW = _(
    "This appeal must be decided by HR or by someone above whoever approved the penalty."
)
REVIEWER_INVOLVED = _(
    "You took part in this penalty (logged, approved or appealed it); someone else must decide "
    "the appeal."
)
BAD_OUTCOME = _("Choose upheld, reduced or revoked.")
NEW_AMOUNT_REQUIRED = _("Give the new, lower amount.")
NEW_AMOUNT_NOT_LOWER = _("The new amount must be below %(amount)s and not negative.")
NEW_AMOUNT_ONLY_WHEN_REDUCED = _("A new amount is given only when the penalty is reduced.")
DECISION_REASON_REQUIRED = _("Give the reason for the decision.")
REDUCED_ON_APPEAL = _("Reduced on appeal: %(reason)s")

NEXT_TIER = {Tier.DEPARTMENT_HEAD: Tier.DEPUTY_GM, Tier.DEPUTY_GM: Tier.GM, Tier.GM: None}


def _approval_tier(penalty: Penalty) -> Tier:
    """The tier the penalty was approved with (from its history)."""
    approval = (
        PenaltyTransition.objects.filter(penalty=penalty, action=TransitionAction.APPROVE)
        .order_by("-at", "-pk")
        .first()
    )
    if approval is not None and approval.actor_tier:
        return Tier(approval.actor_tier)
    return Tier(penalty.required_tier)


def review_tier_for(penalty: Penalty) -> str:
    """The lowest tier that may decide an appeal against ``penalty`` ('' : HR only)."""
    upper = NEXT_TIER[_approval_tier(penalty)]
    return upper.value if upper else ""


def _store_files(*, appeal: Appeal, files, written: list[str], now: datetime) -> None:
    AppealEvidence.objects.bulk_create(
        AppealEvidence(
            appeal=appeal, **evidence_file_save(checked, folder="appeals", now=now, written=written)
        )
        for checked in files
    )


def _checked_files(files: Iterable):
    try:
        return evidence_check(files)
    except ValidationError as exc:
        messages = exc.message_dict.get("evidence_files", exc.messages)
        raise ValidationError({"files": messages}) from exc


def appeal_file(
    *, penalty: Penalty, employee_user, text: str, files: Iterable = (), now=None
) -> Appeal:
    """The person a penalty's notice is addressed to appeals it within the window, with
    their grounds and evidence (JPG, PNG or PDF by content, ≤ 10 MB each). The penalty
    goes under appeal and out of payroll until decided. Nothing is saved, and no file is
    left on disk, when anything is refused."""
    now = now or timezone.now()
    text = (text or "").strip()
    checked = _checked_files(files)
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(penalty)
            if notice_recipient_user(locked) != employee_user:
                raise ValidationError(NOT_YOURS, code="not_yours")
            if Appeal.objects.filter(penalty=locked).exists():
                raise ValidationError(ALREADY_APPEALED, code="already_appealed")
            if locked.status != PenaltyStatus.APPROVED:
                raise ValidationError(
                    NOT_APPEALABLE,
                    code="not_appealable",
                    params={"status": locked.get_status_display()},
                )
            notice = Notice.objects.filter(penalty=locked, is_current=True).first()
            if notice is None:
                raise ValidationError(NO_NOTICE, code="no_notice")
            if timezone.localtime(now).date() > notice.appeal_until:
                raise ValidationError(
                    WINDOW_CLOSED,
                    code="window_closed",
                    params={"date": cn_date(notice.appeal_until)},
                )
            if not text:
                raise ValidationError({"text": TEXT_REQUIRED})
            appeal = Appeal.objects.create(
                penalty=locked,
                notice=notice,
                employee=employee_for_user(employee_user),
                filed_by=employee_user,
                text=text,
                filed_at=now,
                review_tier=review_tier_for(locked),
                amount_before=locked.amount,
            )
            _store_files(appeal=appeal, files=checked, written=written, now=now)
            locked.status = PenaltyStatus.UNDER_APPEAL
            locked.save(update_fields=["status", "updated_at"])
            _record(
                penalty=locked,
                action=TransitionAction.APPEAL,
                from_status=PenaltyStatus.APPROVED,
                actor=employee_user,
                at=now,
                comment=text,
            )
    except BaseException:
        evidence_files_remove(written)
        raise
    _refresh_caller_copy(penalty, locked)
    return appeal


def appeal_reviewer_error(*, appeal: Appeal, user) -> ValidationError | None:
    """Why ``user`` may not decide ``appeal`` (None: they may)."""
    if not user.has_perm("penalties.review_appeal"):
        return ValidationError(NOT_A_REVIEWER, code="not_a_reviewer")
    penalty = appeal.penalty
    if user.pk in (appeal.filed_by_id, penalty.decided_by_id, penalty.violation.logged_by_id):
        return ValidationError(REVIEWER_INVOLVED, code="involved")
    if is_hr(user):
        return None
    tier = user_tier(user)
    if tier is None or not appeal.review_tier or appeal.review_tier not in tiers_up_to(tier):
        return ValidationError(REVIEWER_TOO_LOW, code="tier_too_low")
    return None


def _new_amount(outcome: str, new_amount, old: Decimal) -> Decimal | None:
    if outcome != AppealOutcome.REDUCED:
        if new_amount not in (None, ""):
            raise ValidationError({"new_amount": NEW_AMOUNT_ONLY_WHEN_REDUCED})
        return None
    if new_amount in (None, ""):
        raise ValidationError({"new_amount": NEW_AMOUNT_REQUIRED})
    if isinstance(new_amount, float):
        raise TypeError("amounts are Decimal, never float")
    try:
        amount = quantize_fen(Decimal(new_amount))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"new_amount": NEW_AMOUNT_REQUIRED}) from None
    if amount < 0 or amount >= old:
        raise ValidationError(
            {"new_amount": ValidationError(NEW_AMOUNT_NOT_LOWER, params={"amount": f"¥{old}"})}
        )
    return amount


OUTCOME_ACTION = {
    AppealOutcome.UPHELD: (TransitionAction.UPHOLD, PenaltyStatus.APPROVED),
    AppealOutcome.REDUCED: (TransitionAction.REDUCE, PenaltyStatus.APPROVED),
    AppealOutcome.REVOKED: (TransitionAction.REVOKE, PenaltyStatus.REVOKED),
}


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, reviewer, outcome: str, reason: str, new_amount=None, now=None
) -> Appeal:
    """Decide an appeal: uphold the penalty, reduce its amount (a new notice replaces the
    old one) or revoke it. The penalty comes back into payroll unless revoked."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    locked_penalty = _locked(appeal.penalty)
    locked = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("penalty__violation")
        .get(pk=appeal.pk)
    )
    if locked.status != AppealStatus.FILED or locked_penalty.status != PenaltyStatus.UNDER_APPEAL:
        raise ValidationError(APPEAL_DECIDED, code="already_decided")
    error = appeal_reviewer_error(appeal=locked, user=reviewer)
    if error is not None:
        raise error
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": BAD_OUTCOME})
    amount = _new_amount(outcome, new_amount, locked_penalty.amount)
    if not reason:
        raise ValidationError({"reason": DECISION_REASON_REQUIRED})

    action, status = OUTCOME_ACTION[AppealOutcome(outcome)]
    locked_penalty.status = status
    fields = ["status", "updated_at"]
    if amount is not None:
        locked_penalty.amount = amount
        fields.append("amount")
    locked_penalty.save(update_fields=fields)
    _record(
        penalty=locked_penalty,
        action=action,
        from_status=PenaltyStatus.UNDER_APPEAL,
        actor=reviewer,
        at=now,
        comment=reason,
        actor_tier="" if is_hr(reviewer) else (user_tier(reviewer) or ""),
    )
    if outcome in (AppealOutcome.REDUCED, AppealOutcome.REVOKED):
        payroll_adjust(
            item=locked_penalty,
            old_amount=locked.amount_before,
            new_amount=amount if amount is not None else Decimal("0"),
            reason=reason,
            by=reviewer,
            now=now,
        )
    locked.status = AppealStatus.DECIDED
    locked.outcome = outcome
    locked.new_amount = amount
    locked.reason = reason
    locked.decided_by = reviewer
    locked.decided_at = now
    locked.save(
        update_fields=["status", "outcome", "new_amount", "reason", "decided_by", "decided_at"]
    )
    if amount is not None:
        with translation.override("zh-hans"):  # the notice is a Chinese document
            why = str(REDUCED_ON_APPEAL) % {"reason": reason}
        notice_issue(penalty=locked_penalty, issued_by=reviewer, now=now, reissue_reason=why)
    _refresh_caller_copy(appeal.penalty, locked_penalty)
    for name in ("status", "outcome", "new_amount", "reason", "decided_by_id", "decided_at"):
        setattr(appeal, name, getattr(locked, name))
    return locked
