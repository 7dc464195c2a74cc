"""Writes of violations: logging (with its penalties and evidence), voiding, re-numbering.

Every write for a person runs under a row lock on that person's ``Employee`` row, so two
violations of the same rule logged at the same moment get different occurrence numbers.
When a violation is back-dated or voided, the later violations of the same rulebook whose
counts change are re-priced while their penalties are still pending; decided ones are
flagged for review, never silently changed (issue 4).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from conduct.models import Evidence, Rule, Violation, ViolationSource, ViolationStatus
from conduct.selectors.violations import (
    quote_snapshot,
    stored_wage,
    violation_judge,
    violations_after,
)
from penalties.engine import Subject, sanction_name
from penalties.models import PenaltyStatus
from penalties.selectors.penalties import penalty_plan, resolve_policy
from penalties.services.penalties import (
    decided,
    penalties_create,
    penalties_reprice,
    penalties_void_pending,
    penalty_flag_for_review,
)
from penalties.tiers import ApprovalPolicy
from staff.models import Department, Employee, EmployeeStatus

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
EVIDENCE_TYPES = {  # magic number → (content type, extension)
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}

NAIVE_TIME = _("The time of the violation must carry a time zone.")
IN_FUTURE = _("The violation cannot have happened in the future.")
BEFORE_HIRE = _("The violation cannot be before the employee's hire date (%(date)s).")
EMPLOYEE_LEFT = _("%(name)s has left the company; violations cannot be logged for them.")
QUANTITY_INVALID = _("The quantity must be 1 or more.")
BAD_SOURCE = _("Choose where the violation was found.")
SANCTION_TO_CHOOSE = _("This rule leaves the sanction to severity: choose one of %(choices)s.")
EVIDENCE_TOO_BIG = _("%(name)s is larger than 10 MB.")
EVIDENCE_EMPTY = _("%(name)s is empty.")
EVIDENCE_BAD_TYPE = _(
    "%(name)s is not a JPG, PNG or PDF file (the type is checked by the content, not by the name)."
)
EVIDENCE_TOO_MANY = _("Attach at most %(count)s files.")
ALREADY_VOIDED = _("This violation is already voided.")
VOID_REASON_REQUIRED = _("Give the reason for voiding.")


# --- evidence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose bytes were read and checked (nothing written yet)."""

    content: bytes
    original_name: str
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def sanitize_filename(name: str) -> str:
    """The user's file name for display: no folders, no control characters, ≤ 200 chars."""
    name = os.path.basename(str(name).replace("\\", "/")).strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace("/", "_").lstrip(".") or "file"
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext[:20])] + ext[:20]
    return name


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for magic, kind in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return kind
    return None


def evidence_check(files: Iterable) -> list[CheckedFile]:
    """Read and check every upload before anything is written: JPG, PNG or PDF by content,
    not empty, at most 10 MB each. Raise one ``ValidationError`` listing every bad file."""
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError({"evidence_files": EVIDENCE_TOO_MANY % {"count": MAX_EVIDENCE_FILES}})
    checked: list[CheckedFile] = []
    errors: list[ValidationError] = []
    for upload in files:
        name = sanitize_filename(getattr(upload, "name", "") or "file")
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_EVIDENCE_BYTES:
            errors.append(ValidationError(EVIDENCE_TOO_BIG, params={"name": name}))
            continue
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read(MAX_EVIDENCE_BYTES + 1)
        if len(content) > MAX_EVIDENCE_BYTES:
            errors.append(ValidationError(EVIDENCE_TOO_BIG, params={"name": name}))
            continue
        if not content:
            errors.append(ValidationError(EVIDENCE_EMPTY, params={"name": name}))
            continue
        kind = sniff_type(content[:16])
        if kind is None:
            errors.append(ValidationError(EVIDENCE_BAD_TYPE, params={"name": name}))
            continue
        checked.append(
            CheckedFile(
                content=content,
                original_name=name,
                content_type=kind[0],
                extension=kind[1],
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    if errors:
        raise ValidationError({"evidence_files": errors})
    return checked


def _evidence_store(
    *, violation: Violation, files: list[CheckedFile], by, written: list[str]
) -> list[Evidence]:
    """Write the checked files and their rows; every stored name goes into ``written`` at
    once so that the caller can remove them if anything fails later."""
    now = timezone.now()
    rows = []
    for checked in files:
        stored = default_storage.save(
            f"evidence/{now:%Y/%m}/{secrets.token_hex(16)}{checked.extension}",
            ContentFile(checked.content),
        )
        written.append(stored)
        rows.append(
            Evidence(
                violation=violation,
                file=stored,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=by,
            )
        )
    return Evidence.objects.bulk_create(rows)


def _remove_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort; nothing else to do
            pass


# --- logging ---------------------------------------------------------------------------------


def _lock_employee(employee: Employee) -> Employee:
    """Lock the person's row for the rest of the transaction (serialises their counts)."""
    return (
        Employee.objects.select_for_update(of=("self",))
        .select_related("department", "supervisor")
        .get(pk=employee.pk)
    )


def _lock_department(department_id: int) -> None:
    Department.objects.select_for_update().filter(pk=department_id).first()


def _check_when(employee: Employee, occurred_at: datetime) -> None:
    if timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": NAIVE_TIME})
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": IN_FUTURE})
    on = timezone.localtime(occurred_at).date()
    if on < employee.hire_date:
        raise ValidationError(
            {"occurred_at": ValidationError(BEFORE_HIRE, params={"date": employee.hire_date})}
        )


def _check_employee(employee: Employee) -> None:
    if employee.status == EmployeeStatus.LEFT:
        raise ValidationError(
            {"employee": ValidationError(EMPLOYEE_LEFT, params={"name": employee.name})}
        )


def _has_department_triggers(rule: Rule) -> bool:
    return any(t.subject is Subject.DEPARTMENT for t in rule.parsed_schedule.triggers)


def violation_log(
    *,
    employee: Employee,
    rule: Rule,
    occurred_at: datetime,
    logged_by,
    place: str = "",
    source: str = ViolationSource.OTHER,
    description: str = "",
    level: str | None = None,
    chosen_amount: Decimal | None = None,
    involved_amount: Decimal | None = None,
    quantity: int = 1,
    second_party_employee: Employee | None = None,
    sanction_choice: str = "",
    evidence_files: Iterable = (),
    policy: ApprovalPolicy | None = None,
) -> Violation:
    """Log a violation: judged by the version in force on its day, counted among the
    person's others, with one pending penalty per liable party and the evidence files.
    Later violations whose count changes are re-priced (pending) or flagged (decided).
    Raises ``ValidationError`` with Chinese messages; on any failure nothing is saved and
    no file is left on disk."""
    checked = evidence_check(evidence_files)  # before anything is written
    policy = resolve_policy(policy)
    if source not in ViolationSource.values:
        raise ValidationError({"source": BAD_SOURCE})
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError({"quantity": QUANTITY_INVALID})
    written: list[str] = []
    try:
        with transaction.atomic():
            violation = _log(
                employee=employee,
                rule=rule,
                occurred_at=occurred_at,
                logged_by=logged_by,
                place=place,
                source=source,
                description=description,
                level=level,
                chosen_amount=chosen_amount,
                involved_amount=involved_amount,
                quantity=quantity,
                second_party_employee=second_party_employee,
                sanction_choice=sanction_choice,
                policy=policy,
            )
            _evidence_store(violation=violation, files=checked, by=logged_by, written=written)
            violations_renumber_after(violation=violation, policy=policy, by=logged_by)
    except BaseException:
        _remove_files(written)
        raise
    return violation


def _log(
    *,
    employee,
    rule,
    occurred_at,
    logged_by,
    place,
    source,
    description,
    level,
    chosen_amount,
    involved_amount,
    quantity,
    second_party_employee,
    sanction_choice,
    policy,
) -> Violation:
    _check_employee(employee)
    employee = _lock_employee(employee)
    _check_employee(employee)
    _check_when(employee, occurred_at)
    occurred_on = timezone.localtime(occurred_at).date()
    if _has_department_triggers(rule):
        _lock_department(employee.department_id)
    judgement = violation_judge(
        employee=employee,
        rule=rule,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        level=level,
        chosen_amount=chosen_amount,
        involved_amount=involved_amount,
        quantity=quantity,
        sanction_choice=sanction_choice,
    )
    quote = judgement.quote
    if quote.sanction_choices:
        choices = "、".join(_sanction_names(quote.sanction_choices))
        raise ValidationError(
            {"sanction_choice": ValidationError(SANCTION_TO_CHOOSE, params={"choices": choices})}
        )
    plan = penalty_plan(
        quote=quote,
        employee=employee,
        second_party_employee=second_party_employee,
        policy=policy,
    )
    violation = Violation(
        employee=employee,
        rulebook=judgement.rulebook,
        rulebook_version=judgement.version,
        rule=judgement.rule,
        rule_number=judgement.rule.number,
        occurred_at=occurred_at,
        occurred_on=occurred_on,
        place=place.strip(),
        source=source,
        description=description.strip(),
        level=level or "",
        chosen_amount=chosen_amount,
        involved_amount=involved_amount,
        quantity=quantity,
        second_party_employee=second_party_employee if _names_leader(plan) else None,
        sanction_choice=sanction_choice or "",
        occurrence=quote.occurrence,
        quote=quote_snapshot(judgement),
        explanation=quote.explanation,
        logged_by=logged_by,
    )
    violation.full_clean(exclude=["employee", "rule", "rulebook", "rulebook_version", "logged_by"])
    violation.save()
    audit_record(
        actor=logged_by,
        obj=violation,
        action=AuditAction.CREATE,
        changes={
            "employee": [None, employee.pk],
            "rule": [None, f"{judgement.rulebook.code} 第{judgement.rule.number}条"],
            "rulebook_version": [None, judgement.version.label],
            "occurred_at": [None, occurred_at.isoformat()],
            "occurrence": [None, quote.occurrence],
            "person_amount": [None, str(quote.person_amount)],
        },
        comment=quote.explanation,
    )
    penalties_create(violation=violation, plan=plan, by=logged_by)
    return violation


def _names_leader(plan) -> bool:
    return any(p.party.value == "leader" for p in plan)


def _sanction_names(codes) -> list[str]:
    return [sanction_name(code) for code in codes]


# --- re-numbering --------------------------------------------------------------------------


def _price(plan) -> list[tuple]:
    return sorted((p.key, str(p.amount), tuple(p.sanctions), p.points, p.is_primary) for p in plan)


def _stored_price(penalties) -> list[tuple]:
    return sorted(
        (
            (p.party, p.money_kind, p.employee_id),
            str(p.amount),
            tuple(p.sanctions),
            p.points,
            p.is_primary,
        )
        for p in penalties
    )


def violation_reprice(
    *, violation: Violation, policy: ApprovalPolicy | None = None, by=None
) -> str:
    """Judge ``violation`` again with today's records (same inputs and wage facts).

    Returns what happened: ``unchanged``, ``renumbered`` (count changed, price not),
    ``repriced`` (pending penalties updated) or ``flagged`` (a decided penalty would change:
    the violation and its decided penalties are flagged for review)."""
    policy = resolve_policy(policy)
    penalties = [p for p in violation.penalties.all() if p.status != PenaltyStatus.VOIDED]
    try:
        judgement = violation_judge(
            employee=violation.employee,
            rule=violation.rule,
            occurred_on=violation.occurred_on,
            occurred_at=violation.occurred_at,
            level=violation.level or None,
            chosen_amount=violation.chosen_amount,
            involved_amount=violation.involved_amount,
            quantity=violation.quantity,
            sanction_choice=violation.sanction_choice or None,
            pk=violation.pk,
            wage=stored_wage(violation),
        )
        plan = penalty_plan(
            quote=judgement.quote,
            employee=violation.employee,
            second_party_employee=violation.second_party_employee,
            policy=policy,
        )
    except ValidationError as exc:
        note = gettext("Counted again, this violation can no longer be priced: %(error)s") % {
            "error": "; ".join(exc.messages)
        }
        _flag(violation, penalties, note, by)
        return "flagged"
    quote = judgement.quote
    new_snapshot = quote_snapshot(judgement)
    if _price(plan) == _stored_price(penalties):
        if quote.occurrence == violation.occurrence and new_snapshot == violation.quote:
            return "unchanged"
        _update_violation(violation, new_snapshot, by)
        for penalty in penalties:
            if penalty.status == PenaltyStatus.PENDING and penalty.is_primary:
                penalty.explanation = quote.explanation
                penalty.save(update_fields=["explanation", "updated_at"])
        return "renumbered"
    if decided(penalties) or quote.sanction_choices:
        note = gettext(
            "Counted by the date it happened this is now occurrence %(new)s (was %(old)s): "
            "%(explanation)s. A decided penalty was not changed; review it."
        ) % {"new": quote.occurrence, "old": violation.occurrence, "explanation": quote.explanation}
        _flag(violation, penalties, note, by)
        return "flagged"
    _update_violation(violation, new_snapshot, by)
    penalties_reprice(violation=violation, plan=plan, by=by)
    return "repriced"


def _update_violation(violation: Violation, snapshot: dict, by) -> None:
    old = violation.occurrence
    violation.occurrence = snapshot["occurrence"]
    violation.quote = snapshot
    violation.explanation = snapshot["explanation"]
    violation.save(update_fields=["occurrence", "quote", "explanation"])
    audit_record(
        actor=by,
        obj=violation,
        action=AuditAction.UPDATE,
        changes={"occurrence": [old, violation.occurrence]},
        comment=violation.explanation,
    )


def _flag(violation: Violation, penalties, note: str, by) -> None:
    violation.needs_review = True
    violation.review_note = note
    violation.save(update_fields=["needs_review", "review_note"])
    audit_record(
        actor=by,
        obj=violation,
        action=AuditAction.UPDATE,
        changes={"needs_review": [False, True]},
        comment=note,
    )
    for penalty in decided(penalties):
        penalty_flag_for_review(penalty=penalty, note=note, by=by)


def violations_renumber_after(
    *, violation: Violation, policy: ApprovalPolicy | None = None, by=None
) -> dict[str, int]:
    """Judge again every active violation of the same rulebook that happened after
    ``violation`` (same person; the whole department when a department count matters),
    in order, so each sees the ones before it already corrected."""
    policy = resolve_policy(policy)
    by_department = any(
        _has_department_triggers(rule)
        for rule in Rule.objects.filter(version__rulebook_id=violation.rulebook_id)
        .only("schedule")
        .iterator()
    )
    outcome: dict[str, int] = {}
    for later in violations_after(violation=violation, by_department=by_department):
        result = violation_reprice(violation=later, policy=policy, by=by)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


# --- voiding -------------------------------------------------------------------------------


@transaction.atomic
def violation_void(
    *, violation: Violation, by, reason: str, policy: ApprovalPolicy | None = None
) -> Violation:
    """Void a violation with a reason: it stops counting; its pending penalties are voided
    (decided ones flagged for review); later violations are counted and priced again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": VOID_REASON_REQUIRED})
    policy = resolve_policy(policy)
    _lock_employee(violation.employee)
    violation = Violation.objects.select_for_update(of=("self",)).get(pk=violation.pk)
    if violation.status == ViolationStatus.VOIDED:
        raise ValidationError(ALREADY_VOIDED)
    if _has_department_triggers(violation.rule):
        _lock_department(violation.employee.department_id)
    violation.status = ViolationStatus.VOIDED
    violation.void_reason = reason
    violation.voided_at = timezone.now()
    violation.voided_by = by
    violation.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
    audit_record(
        actor=by,
        obj=violation,
        action=AuditAction.TRANSITION,
        changes={"status": [ViolationStatus.ACTIVE, ViolationStatus.VOIDED]},
        comment=reason,
    )
    penalties_void_pending(violation=violation, reason=reason, by=by)
    violations_renumber_after(violation=violation, policy=policy, by=by)
    return violation
