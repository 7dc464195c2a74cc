"""Issuing the reward notice (奖励通知书) of an approved award.

Numbers: ``JL-<year>-<six digits>``, unique per year, drawn from a per-year
``RewardNoticeCounter`` row locked with ``select_for_update`` inside the approval's
transaction. Concurrent approvals queue on that row until commit; a rolled-back approval
gives its number back, so numbers have no gaps and never repeat. The PDF is rendered on
demand from the notice's frozen ``snapshot``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from penalties.engine import amount_in_words, quantize_fen
from penalties.services.notices import cn_date, cn_datetime, person_name
from rewards.models import (
    NOTICE_PREFIX,
    Award,
    AwardTransition,
    RewardNotice,
    RewardNoticeCounter,
)
from staff.roles import role_labels

SNAPSHOT_VERSION = 1


def reward_notice_number(year: int, sequence: int) -> str:
    return f"{NOTICE_PREFIX}-{year}-{sequence:06d}"


def reward_notice_number_next(*, year: int) -> tuple[int, str]:
    """Draw the next number of ``year``; must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notice numbers are drawn inside the issuing transaction")
    RewardNoticeCounter.objects.bulk_create([RewardNoticeCounter(year=year)], ignore_conflicts=True)
    counter = RewardNoticeCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence, reward_notice_number(year, counter.last_sequence)


def _money(value) -> str:
    return f"{quantize_fen(Decimal(value)):,.2f}"


def reward_notice_snapshot(*, award: Award, issued_by, issued_at: datetime) -> dict:
    """Every text the notice prints, frozen (Chinese: the notice is a Chinese document)."""
    from staff.models import CompanySettings

    reward_type = award.reward_type
    version = reward_type.version
    with translation.override("zh-hans"):
        chain = [
            {
                "step": str(_("Logged")),
                "name": person_name(award.logged_by),
                "role": (role_labels(award.logged_by) or [""])[0],
                "at": cn_datetime(award.logged_at),
                "comment": "",
            }
        ]
        for transition in (
            AwardTransition.objects.filter(award=award)
            .select_related("actor__employee")
            .order_by("at", "pk")
        ):
            role = (
                str(transition.get_actor_tier_display())
                if transition.actor_tier
                else (role_labels(transition.actor) or [""])[0]
            )
            chain.append(
                {
                    "step": str(transition.get_action_display()),
                    "name": person_name(transition.actor),
                    "role": role,
                    "at": cn_datetime(transition.at),
                    "comment": transition.comment,
                }
            )
        employee = award.employee
        return {
            "v": SNAPSHOT_VERSION,
            "company": CompanySettings.get().name,
            "recipient": employee.name if employee else award.department.name,
            "employee_no": employee.employee_no if employee else "",
            "department": award.department.name,
            "is_department": employee is None,
            "source": str(award.get_source_display()),
            "rulebook": version.rulebook.name,
            "version": version.label,
            "reward": reward_type.name,
            "reward_text": reward_type.text,
            "reason": award.reason,
            "awarded_on": cn_date(award.awarded_on),
            "lines": [
                {"label": line["label"], "amount": _money(line["amount"])} for line in award.lines
            ],
            "explanation": award.explanation,
            "amount": _money(award.amount),
            "amount_words": amount_in_words(quantize_fen(award.amount)),
            "department_amount": _money(award.department_amount) if award.department_amount else "",
            "department_amount_words": amount_in_words(quantize_fen(award.department_amount))
            if award.department_amount
            else "",
            "certificate": award.certificate,
            "payroll_month": f"{award.awarded_on.year}年{award.awarded_on.month}月",
            "chain": chain,
            "issued_by": person_name(issued_by),
            "issued_at": cn_date(timezone.localtime(issued_at).date()),
        }


def reward_notice_issue(*, award: Award, issued_by, now: datetime | None = None) -> RewardNotice:
    """Issue the numbered notice of an approved award; call inside the approval's
    transaction with the award row locked."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    sequence, number = reward_notice_number_next(year=year)
    return RewardNotice.objects.create(
        number=number,
        year=year,
        sequence=sequence,
        award=award,
        issued_at=now,
        issued_by=issued_by,
        snapshot=reward_notice_snapshot(award=award, issued_by=issued_by, issued_at=now),
    )
