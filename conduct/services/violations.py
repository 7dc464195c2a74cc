"""Writes of violations: logging (with its penalties and evidence), voiding, re-numbering.

Every write for a person runs under a row lock on that person's ``Employee`` row, so two
violations of the same rule logged at the same moment get different occurrence numbers.
When a violation is back-dated or voided, the later violations of the same rulebook whose
counts change are re-priced while their penalties are still pending; decided ones are
flagged for review, never silently changed (issue 4).

One code path logs one violation or many (issue 7): ``violations_log_many`` locks the
people once (in id order), loads what counting needs once (``conduct.selectors.violations.
Ledger``), judges each violation in the order they happened and re-numbers the later ones
after it, in memory (``_Batch``), then writes everything in bulk — its queries grow with
neither the batch nor the history. ``violation_log`` is a batch of one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import Change, audit_record, audit_record_many
from conduct.models import Evidence, Rule, Violation, ViolationSource, ViolationStatus
from conduct.selectors.violations import (
    POINTS_COUNTING_STATUSES,
    Entry,
    Inputs,
    Key,
    Ledger,
    Reach,
    Rulebooks,
    current_wage,
    judge,
    quote_snapshot,
    renumbering_group,
    saved_key,
    stored_wage,
)
from penalties.engine import sanction_name
from penalties.models import Penalty, PenaltyStatus
from penalties.selectors.penalties import penalty_plan, resolve_policy
from penalties.services.penalties import (
    AuditItem,
    PenaltyWrites,
    decided,
    known,
    penalties_build,
    penalties_void_pending,
)
from penalties.tiers import ApprovalPolicy
from staff.models import CompanySettings, Department, Employee, EmployeeStatus

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


def evidence_file_save(checked: CheckedFile, *, folder: str, now, written: list[str]) -> dict:
    """Write one checked upload under ``folder/YYYY/MM/`` with a random name and return
    the ``EvidenceFile`` fields of its row (who uploaded it is the caller's to add). The
    stored name goes into ``written`` at once, so that the caller can remove what was
    written if anything fails later (``evidence_files_remove``)."""
    stored = default_storage.save(
        f"{folder}/{now:%Y/%m}/{secrets.token_hex(16)}{checked.extension}",
        ContentFile(checked.content),
    )
    written.append(stored)
    return {
        "file": stored,
        "original_name": checked.original_name,
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }


def evidence_files_remove(names: list[str]) -> None:
    """Remove the files written for records that were not saved after all (best effort)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort; nothing else to do
            pass


def _evidence_store(
    *, items: Iterable[tuple[Violation, list[CheckedFile]]], by, written: list[str]
) -> list[Evidence]:
    """Write the checked files of each violation and their rows."""
    now = timezone.now()
    rows = [
        Evidence(
            violation=violation,
            uploaded_by=by,
            **evidence_file_save(checked, folder="evidence", now=now, written=written),
        )
        for violation, files in items
        for checked in files
    ]
    return Evidence.objects.bulk_create(rows)


# --- logging ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViolationInput:
    """One violation to log: what ``violation_log`` takes, as a value."""

    employee: Employee
    rule: Rule
    occurred_at: datetime
    place: str = ""
    source: str = ViolationSource.OTHER
    description: str = ""
    level: str | None = None
    chosen_amount: Decimal | None = None
    involved_amount: Decimal | None = None
    quantity: int = 1
    second_party_employee: Employee | None = None
    sanction_choice: str = ""
    evidence_files: tuple = ()
    second_amount: Decimal | None = None


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
    second_amount: Decimal | None = None,
) -> Violation:
    """Log a violation: judged by the version in force on its day, counted among the
    person's others, with one pending penalty per liable party and the evidence files.
    Later violations whose count changes are re-priced (pending) or flagged (decided).
    Raises ``ValidationError`` with Chinese messages; on any failure nothing is saved and
    no file is left on disk."""
    item = ViolationInput(
        employee=employee,
        rule=rule,
        occurred_at=occurred_at,
        place=place,
        source=source,
        description=description,
        level=level,
        chosen_amount=chosen_amount,
        involved_amount=involved_amount,
        quantity=quantity,
        second_party_employee=second_party_employee,
        sanction_choice=sanction_choice,
        evidence_files=tuple(evidence_files),
        second_amount=second_amount,
    )
    (violation,) = violations_log_many(items=[item], logged_by=logged_by, policy=policy)
    return violation


def violations_log_many(
    *,
    items: Iterable[ViolationInput],
    logged_by,
    policy: ApprovalPolicy | None = None,
    on_error: Callable[[int, ValidationError], None] | None = None,
) -> list[Violation]:
    """Log many violations in one transaction, exactly as ``violation_log`` called for each
    in the order they happened (ties: in the order given) would: the same violations,
    occurrence numbers, penalties and re-numbered later violations. The people are locked
    once, their counts loaded once, everything judged in memory and written in bulk: the
    number of queries does not grow with the number of items.

    Returns the violations in the order of ``items``. Without ``on_error`` an invalid item
    raises its ``ValidationError`` and nothing is saved; with it, an invalid item is left
    out (it counts for none of the others) and ``on_error(index, error)`` is called."""
    items = list(items)
    if not items:
        return []
    policy = resolve_policy(policy)

    def refuse(index: int, exc: ValidationError) -> None:
        if on_error is None:
            raise exc
        on_error(index, exc)

    files: dict[int, list[CheckedFile]] = {}
    for index, item in enumerate(items):
        try:
            files[index] = _check_input(item)  # before anything is written
        except ValidationError as exc:
            refuse(index, exc)
    logged: dict[int, Violation] = {}
    written: list[str] = []
    try:
        with transaction.atomic():
            rulebooks = Rulebooks.load(items[index].rule for index in files)
            people = _lock_employees(items[index].employee.pk for index in files)
            ready: list[tuple[int, ViolationInput, Employee]] = []
            for index in files:
                item, employee = items[index], people[items[index].employee.pk]
                try:
                    _check_employee(employee)
                    _check_when(employee, item.occurred_at)
                except ValidationError as exc:
                    refuse(index, exc)
                    continue
                ready.append((index, item, employee))
            ready.sort(key=lambda entry: (entry[1].occurred_at, entry[0]))
            batch = _Batch(
                rulebooks=rulebooks,
                origins=[(employee, item.rule, _new_key(item)) for _i, item, employee in ready],
                policy=policy,
                by=logged_by,
            )
            for index, item, employee in ready:
                try:
                    violation = batch.log(item, employee)
                except ValidationError as exc:
                    refuse(index, exc)
                    continue
                logged[index] = violation
                violations_renumber_after(violation=violation, batch=batch)
            batch.save(evidence=[(logged[i], files[i]) for i in logged], written=written)
    except BaseException:
        evidence_files_remove(written)
        raise
    return [logged[index] for index in sorted(logged)]


def _check_input(item: ViolationInput) -> list[CheckedFile]:
    """What can be checked without the records: files, source, quantity, the person."""
    checked = evidence_check(item.evidence_files)
    if item.source not in ViolationSource.values:
        raise ValidationError({"source": BAD_SOURCE})
    if not isinstance(item.quantity, int) or item.quantity < 1:
        raise ValidationError({"quantity": QUANTITY_INVALID})
    _check_employee(item.employee)
    return checked


def _lock_employees(pks: Iterable[int]) -> dict[int, Employee]:
    """Lock the people's rows for the rest of the transaction (serialises their counts), in
    id order so that two loggings never wait for each other crosswise."""
    pks = set(pks)
    people = {
        e.pk: e
        for e in Employee.objects.select_for_update(of=("self",))
        .select_related("department", "supervisor")
        .filter(pk__in=pks)
        .order_by("pk")
    }
    if len(people) != len(pks):
        raise Employee.DoesNotExist
    return people


def _lock_departments(pks: Iterable[int]) -> None:
    """Lock departments whose counts matter (after the people's rows, in id order)."""
    list(Department.objects.select_for_update().filter(pk__in=set(pks)).order_by("pk"))


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


def _new_key(item: ViolationInput) -> Key:
    """The earliest place a new violation at this time can take (after every saved one)."""
    return (item.occurred_at, 1, 0)


def _clean(violation: Violation) -> None:
    """Django's validation of the violation's fields. Of its check constraints (which the
    database enforces on insert, and which Django validates with one SELECT each) input can
    break only those on the amounts — quantity is checked before, the occurrence counted,
    the status active — so they are validated, for Django's messages, only when an amount
    is below zero."""
    negative = any(
        amount is not None and amount < 0
        for amount in (violation.chosen_amount, violation.second_amount, violation.involved_amount)
    )
    violation.full_clean(
        exclude=["employee", "rule", "rulebook", "rulebook_version", "logged_by"],
        validate_constraints=negative,
    )


def _names_leader(plan) -> bool:
    return any(p.party.value == "leader" for p in plan)


def _sanction_names(codes) -> list[str]:
    return [sanction_name(code) for code in codes]


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


def _counted_points(penalties: list[Penalty]) -> int:
    primary = next((p for p in penalties if p.is_primary), None)
    if primary is None or primary.status not in POINTS_COUNTING_STATUSES:
        return 0
    return primary.points


class _Batch:
    """One transaction's logging and re-numbering, in memory until ``save``.

    It holds the rulebooks, the ledger of the active violations counted, the saved
    violations that may have to be judged again (those after an ``origin``: loaded once,
    their penalties locked) and everything to write, with the audit entries in the order
    things happened."""

    def __init__(
        self, *, rulebooks: Rulebooks, origins: list[tuple[Employee, Rule, Key]], policy, by
    ):
        self.rulebooks, self.policy, self.by = rulebooks, policy, by
        reach: dict[int, Reach] = {}
        starts: dict[tuple, Key] = {}  # ledger group → the earliest origin in it
        for employee, rule, key in origins:
            book = rulebooks.of(rule)
            whose = reach.setdefault(book.rulebook.pk, Reach())
            whose.add(employee, timezone.localtime(key[0]).date(), by_department=book.by_department)
            group = renumbering_group(book, employee)
            starts[group] = min(key, starts.get(group, key))
        _lock_departments(d for whose in reach.values() for d in whose.department_ids)
        self.ledger = Ledger.load(rulebooks=rulebooks, reach=reach)
        later = {k[2] for group, key in starts.items() for k in self.ledger.keys_after(group, key)}
        self.saved = {
            v.pk: v
            for v in Violation.objects.filter(pk__in=later).select_related(
                "employee__department",
                "employee__supervisor",
                "second_party_employee",
                "rule",
                "rulebook",
            )
        }
        self.penalties: dict[int, list[Penalty]] = {pk: [] for pk in self.saved}
        for penalty in (
            Penalty.objects.select_for_update(of=("self",))
            .select_related("employee", "department")
            .filter(violation_id__in=later)
            .exclude(status=PenaltyStatus.VOIDED)
            .order_by("-created_at", "-pk")
        ):
            penalty.violation = self.saved[penalty.violation_id]
            self.penalties[penalty.violation_id].append(penalty)
        self.new: list[Violation] = []
        self._keys: dict[int, Key] = {}  # id(new violation) → its place
        self.changed: dict[int, tuple[Violation, set[str]]] = {}
        self.audit: list[AuditItem] = []
        self.penalty_writes = PenaltyWrites(self.audit)

    @cached_property
    def divisor(self) -> Decimal:
        return CompanySettings.get().daily_wage_divisor

    # --- a new violation ---------------------------------------------------------------

    def log(self, item: ViolationInput, employee: Employee) -> Violation:
        """Judge and record a new violation (after the ones logged before it); raises
        ``ValidationError`` with nothing recorded."""
        occurred_on = timezone.localtime(item.occurred_at).date()
        key = (item.occurred_at, 1, len(self.new) + 1)
        judgement = judge(
            rulebooks=self.rulebooks,
            ledger=self.ledger,
            employee=employee,
            rule=item.rule,
            occurred_at=item.occurred_at,
            occurred_on=occurred_on,
            key=key,
            inputs=Inputs(
                item.level,
                item.chosen_amount,
                item.involved_amount,
                item.quantity,
                item.sanction_choice,
                item.second_amount,
            ),
            wage=current_wage(employee, self.divisor),
        )
        quote = judgement.quote
        if quote.sanction_choices:
            choices = "、".join(_sanction_names(quote.sanction_choices))
            raise ValidationError(
                {
                    "sanction_choice": ValidationError(
                        SANCTION_TO_CHOOSE, params={"choices": choices}
                    )
                }
            )
        plan = penalty_plan(
            quote=quote,
            employee=employee,
            second_party_employee=item.second_party_employee,
            policy=self.policy,
        )
        violation = Violation(
            employee=employee,
            rulebook=judgement.rulebook,
            rulebook_version=judgement.version,
            rule=judgement.rule,
            rule_number=judgement.rule.number,
            occurred_at=item.occurred_at,
            occurred_on=occurred_on,
            place=item.place.strip(),
            source=item.source,
            description=item.description.strip(),
            level=item.level or "",
            chosen_amount=item.chosen_amount,
            second_amount=item.second_amount,
            involved_amount=item.involved_amount,
            quantity=item.quantity,
            second_party_employee=item.second_party_employee if _names_leader(plan) else None,
            sanction_choice=item.sanction_choice or "",
            occurrence=quote.occurrence,
            quote=quote_snapshot(judgement),
            explanation=quote.explanation,
            logged_by=self.by,
        )
        _clean(violation)
        penalties = penalties_build(violation=violation, plan=plan)
        # Valid: from here on it is part of the records.
        self.audit.append(
            known(
                Change(
                    obj=violation,
                    action=AuditAction.CREATE,
                    changes={
                        "employee": [None, employee.pk],
                        "rule": [None, f"{judgement.rulebook.code} 第{judgement.rule.number}条"],
                        "rulebook_version": [None, judgement.version.label],
                        "occurred_at": [None, item.occurred_at.isoformat()],
                        "occurrence": [None, quote.occurrence],
                        "person_amount": [None, str(quote.person_amount)],
                    },
                    comment=quote.explanation,
                )
            )
        )
        self.penalty_writes.add(penalties)
        self.new.append(violation)
        self._keys[id(violation)] = key
        self.ledger.add(
            Entry(
                key,
                occurred_on,
                employee.pk,
                employee.department_id,
                judgement.rulebook.pk,
                judgement.rule.number,
            ),
            points=_counted_points(penalties),
        )
        return violation

    # --- re-numbering ------------------------------------------------------------------

    def renumber_after(self, violation: Violation) -> dict[str, int]:
        key = self._keys.get(id(violation)) or saved_key(violation)
        group = renumbering_group(self.rulebooks.of(violation.rule), violation.employee)
        outcome: dict[str, int] = {}
        for later in self.ledger.keys_after(group, key):
            result = self._reprice(self.saved[later[2]])
            outcome[result] = outcome.get(result, 0) + 1
        return outcome

    def _reprice(self, violation: Violation) -> str:
        """Judge ``violation`` again with the records as they now stand (same inputs and
        wage facts). Returns ``unchanged``, ``renumbered`` (count changed, price not),
        ``repriced`` (pending penalties updated) or ``flagged`` (a decided penalty would
        change: the violation and its decided penalties are flagged for review)."""
        penalties = self.penalties[violation.pk]
        try:
            judgement = judge(
                rulebooks=self.rulebooks,
                ledger=self.ledger,
                employee=violation.employee,
                rule=violation.rule,
                occurred_at=violation.occurred_at,
                occurred_on=violation.occurred_on,
                key=saved_key(violation),
                inputs=Inputs(
                    violation.level or None,
                    violation.chosen_amount,
                    violation.involved_amount,
                    violation.quantity,
                    violation.sanction_choice or None,
                    violation.second_amount,
                ),
                wage=stored_wage(violation) or current_wage(violation.employee, self.divisor),
            )
            plan = penalty_plan(
                quote=judgement.quote,
                employee=violation.employee,
                second_party_employee=violation.second_party_employee,
                policy=self.policy,
            )
        except ValidationError as exc:
            note = gettext("Counted again, this violation can no longer be priced: %(error)s") % {
                "error": "; ".join(exc.messages)
            }
            self._flag(violation, penalties, note)
            return "flagged"
        quote = judgement.quote
        new_snapshot = quote_snapshot(judgement)
        if _price(plan) == _stored_price(penalties):
            if quote.occurrence == violation.occurrence and new_snapshot == violation.quote:
                return "unchanged"
            self._update(violation, new_snapshot)
            for penalty in penalties:
                if penalty.status == PenaltyStatus.PENDING and penalty.is_primary:
                    self.penalty_writes.explain(penalty, quote.explanation)
            return "renumbered"
        if decided(penalties) or quote.sanction_choices:
            note = gettext(
                "Counted by the date it happened this is now occurrence %(new)s (was %(old)s): "
                "%(explanation)s. A decided penalty was not changed; review it."
            ) % {
                "new": quote.occurrence,
                "old": violation.occurrence,
                "explanation": quote.explanation,
            }
            self._flag(violation, penalties, note)
            return "flagged"
        self._update(violation, new_snapshot)
        penalties = self.penalty_writes.reprice(violation=violation, penalties=penalties, plan=plan)
        self.penalties[violation.pk] = penalties
        self.ledger.set_points(saved_key(violation), _counted_points(penalties))
        return "repriced"

    def _change(self, violation: Violation, **values) -> None:
        for name, value in values.items():
            setattr(violation, name, value)
        self.changed.setdefault(id(violation), (violation, set()))[1].update(values)

    def _update(self, violation: Violation, snapshot: dict) -> None:
        old = violation.occurrence
        self._change(
            violation,
            occurrence=snapshot["occurrence"],
            quote=snapshot,
            explanation=snapshot["explanation"],
        )
        self.audit.append(
            known(
                Change(
                    obj=violation,
                    action=AuditAction.UPDATE,
                    changes={"occurrence": [old, violation.occurrence]},
                    comment=violation.explanation,
                )
            )
        )

    def _flag(self, violation: Violation, penalties: list[Penalty], note: str) -> None:
        self._change(violation, needs_review=True, review_note=note)
        self.audit.append(
            known(
                Change(
                    obj=violation,
                    action=AuditAction.UPDATE,
                    changes={"needs_review": [False, True]},
                    comment=note,
                )
            )
        )
        for penalty in decided(penalties):
            self.penalty_writes.flag_for_review(penalty=penalty, note=note)

    # --- writing -----------------------------------------------------------------------

    def save(self, *, evidence: list[tuple[Violation, list[CheckedFile]]] = (), written=None):
        """Write everything: new violations, penalties, evidence (every stored file name
        goes into ``written`` at once), changed violations, then the audit entries."""
        Violation.objects.bulk_create(self.new)
        self.penalty_writes.save()
        _evidence_store(items=evidence, by=self.by, written=written if written is not None else [])
        if self.changed:
            names = sorted(set().union(*(fields for _v, fields in self.changed.values())))
            Violation.objects.bulk_update(
                [v for v, _fields in self.changed.values()], names, batch_size=500
            )
        audit_record_many(actor=self.by, items=[make() for make in self.audit])


# --- re-numbering --------------------------------------------------------------------------


def violations_renumber_after(
    *,
    violation: Violation,
    policy: ApprovalPolicy | None = None,
    by=None,
    batch: _Batch | None = None,
) -> dict[str, int]:
    """Judge again every active violation of the same rulebook that happened after
    ``violation`` (same person; the whole department when a department count matters),
    in order, so each sees the ones before it already corrected. Pending penalties are
    re-priced; a violation whose decided penalty would change is flagged for review.
    Inside ``violations_log_many`` (``batch``) this works on the batch's records in
    memory; alone (after a void) it loads what it needs and saves."""
    if batch is not None:
        return batch.renumber_after(violation)
    rulebooks = Rulebooks.load([violation.rule])
    batch = _Batch(
        rulebooks=rulebooks,
        origins=[(violation.employee, violation.rule, saved_key(violation))],
        policy=resolve_policy(policy),
        by=by,
    )
    outcome = batch.renumber_after(violation)
    batch.save()
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
    _lock_employees([violation.employee_id])
    violation = (
        Violation.objects.select_for_update(of=("self",))
        .select_related("employee__department", "employee__supervisor", "rule")
        .get(pk=violation.pk)
    )
    if violation.status == ViolationStatus.VOIDED:
        raise ValidationError(ALREADY_VOIDED)
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
