"""Issuing penalty notices (处罚通知书) and their acknowledgement.

Numbers: ``JC-<year>-<six digits>``, unique per year, drawn by ``notice_number_next``
from a per-year ``NoticeCounter`` row locked with ``select_for_update`` inside the
issuing transaction (the approval's or the appeal decision's). Concurrent approvals queue
on that row for the few milliseconds until commit; a rolled-back approval gives its
number back, so numbers have no gaps and never repeat. Nothing is queued for after the
commit: the PDF is rendered on demand from the notice's frozen ``snapshot``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from penalties.engine import MoneyKind, Party, amount_in_words, quantize_fen
from penalties.engine.sanctions import get_sanction, ladder_order
from penalties.models import (
    Notice,
    NoticeCounter,
    Penalty,
    PenaltyParty,
    PenaltyTransition,
)
from penalties.models.notices import NUMBER_PREFIX
from penalties.selectors.approvals import appeal_window_days, notice_recipient_user
from staff.models import CompanySettings
from staff.roles import role_labels

SNAPSHOT_VERSION = 1

NOT_YOUR_NOTICE = _("This notice is not addressed to you.")
NOT_CURRENT = _("This notice has been replaced by notice %(number)s; acknowledge that one.")
ALREADY_ACKNOWLEDGED = _("You acknowledged this notice on %(when)s.")


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{cn_date(local.date())} {local:%H:%M}"


def person_name(user) -> str:
    """The name printed for a login: their employee file's name, else the account's."""
    if user is None:
        return ""
    employee = getattr(user, "employee", None)  # None when the login has no file
    return (employee.name if employee else "") or user.get_full_name() or user.username


def _step_name(transition: PenaltyTransition) -> str:
    return str(transition.get_action_display())


def _role_label(transition: PenaltyTransition) -> str:
    if transition.actor_tier:
        return str(transition.get_actor_tier_display())
    labels = role_labels(transition.actor)
    return labels[0] if labels else ""


def notice_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


def notice_number_next(*, year: int) -> tuple[int, str]:
    """Draw the next number of ``year``; must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notice numbers are drawn inside the issuing transaction")
    NoticeCounter.objects.bulk_create([NoticeCounter(year=year)], ignore_conflicts=True)
    counter = NoticeCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence, notice_number(year, counter.last_sequence)


def notice_snapshot(
    *,
    penalty: Penalty,
    issued_by,
    issued_at: datetime,
    appeal_until: date,
    days: int,
    supersedes: Notice | None = None,
    reissue_reason: str = "",
) -> dict:
    """Every text the notice prints, frozen (Chinese: the notice is a Chinese document)."""
    violation = penalty.violation
    rule = violation.rule
    with translation.override("zh-hans"):
        if penalty.party == PenaltyParty.DEPARTMENT:
            name, number = penalty.department.name, ""
        else:
            name, number = penalty.employee.name, penalty.employee.employee_no
        chain = [
            {
                "step": str(_("Logged")),
                "name": person_name(violation.logged_by),
                "role": (role_labels(violation.logged_by) or [""])[0],
                "at": cn_datetime(violation.logged_at),
                "comment": "",
            }
        ]
        for transition in (
            PenaltyTransition.objects.filter(penalty=penalty)
            .select_related("actor__employee")
            .order_by("at", "pk")
        ):
            chain.append(
                {
                    "step": _step_name(transition),
                    "name": person_name(transition.actor),
                    "role": _role_label(transition),
                    "at": cn_datetime(transition.at),
                    "comment": transition.comment,
                }
            )
        sanctions = [get_sanction(code).name for code in ladder_order(penalty.sanctions or [])]
        amount = quantize_fen(penalty.amount)
        return {
            "v": SNAPSHOT_VERSION,
            "company": CompanySettings.get().name,
            "employee_name": name,
            "employee_no": number,
            "department": penalty.department.name,
            "party": Party(penalty.party).label,
            "violator": (
                ""
                if penalty.party == PenaltyParty.EMPLOYEE
                else f"{violation.employee.name}({violation.employee.employee_no})"
            ),
            "rulebook": violation.rulebook.name,
            "version": violation.rulebook_version.label,
            "category": rule.category.name,
            "rule_number": rule.number,
            "rule_title": rule.title,
            "rule_text": rule.text,
            "occurred_at": cn_datetime(violation.occurred_at),
            "place": violation.place,
            "facts": violation.description,
            "occurrence": violation.occurrence,
            "explanation": penalty.explanation or violation.explanation,
            "label": penalty.label,
            "money_kind": MoneyKind(penalty.money_kind).label if penalty.money_kind else "",
            "amount": f"{amount:,.2f}",
            "amount_words": amount_in_words(amount),
            "sanctions": sanctions,
            "points": penalty.points,
            "chain": chain,
            "appeal_days": days,
            "appeal_until": cn_date(appeal_until),
            "issued_by": person_name(issued_by),
            "issued_at": cn_date(timezone.localtime(issued_at).date()),
            "supersedes": supersedes.number if supersedes else "",
            "reissue_reason": reissue_reason,
        }


@transaction.atomic
def notice_issue(
    *, penalty: Penalty, issued_by, now: datetime | None = None, reissue_reason: str = ""
) -> Notice:
    """Issue the numbered notice of an approved penalty; a notice already current for it
    is replaced (kept on file, no longer current). Call inside the approval's (or the
    appeal decision's) transaction, with the penalty row locked."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    days = appeal_window_days()
    appeal_until = today + timedelta(days=days)
    previous = Notice.objects.select_for_update().filter(penalty=penalty, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    sequence, number = notice_number_next(year=today.year)
    return Notice.objects.create(
        number=number,
        year=today.year,
        sequence=sequence,
        penalty=penalty,
        supersedes=previous,
        is_current=True,
        amount=penalty.amount,
        appeal_until=appeal_until,
        issued_at=now,
        issued_by=issued_by,
        snapshot=notice_snapshot(
            penalty=penalty,
            issued_by=issued_by,
            issued_at=now,
            appeal_until=appeal_until,
            days=days,
            supersedes=previous,
            reissue_reason=reissue_reason,
        ),
    )


@transaction.atomic
def notice_acknowledge(
    *, notice: Notice, employee_user, ip: str | None, now: datetime | None = None
) -> Notice:
    """The person a notice is addressed to confirms they received it (time and IP)."""
    now = now or timezone.now()
    locked = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("penalty__employee", "penalty__department__head")
        .get(pk=notice.pk)
    )
    if notice_recipient_user(locked.penalty) != employee_user:
        raise ValidationError(NOT_YOUR_NOTICE, code="not_yours")
    if not locked.is_current:
        newer = Notice.objects.filter(penalty=locked.penalty, is_current=True).first()
        raise ValidationError(
            NOT_CURRENT, code="not_current", params={"number": newer.number if newer else "—"}
        )
    if locked.acknowledged_at is not None:
        raise ValidationError(
            ALREADY_ACKNOWLEDGED,
            code="already_acknowledged",
            params={"when": cn_datetime(locked.acknowledged_at)},
        )
    locked.acknowledged_at = now
    locked.acknowledged_by = employee_user
    locked.acknowledged_ip = ip or None
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_ip"])
    for name in ("acknowledged_at", "acknowledged_by_id", "acknowledged_ip"):
        setattr(notice, name, getattr(locked, name))
    return locked
