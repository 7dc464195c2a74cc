"""Reads of penalties: the plan of penalties a quote gives, the preview shared by the form
and ``penalty_quote``, and lists scoped to the user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from conduct.selectors.violations import (
    Judgement,
    quote_snapshot,
    second_range_index,
    violation_judge,
)
from penalties.engine import (
    MoneyKind,
    Party,
    Quote,
    ladder_order,
    max_rank,
    quantize_fen,
    sanction_name,
)
from penalties.models import Penalty, PenaltyStatus
from penalties.tiers import DEFAULT_POLICY, ApprovalPolicy, Tier, required_tier
from staff.models import Employee
from staff.selectors import department_subtree_ids, employee_for_user, visible_department_ids

NO_SUPERVISOR = _(
    "This rule also fines the employee's supervisor, but %(employee)s has no supervisor on "
    "file. Record the supervisor first."
)
NO_LEADER = _(
    "This rule also holds a responsible leader or shift manager liable: choose that person."
)
LEADER_IS_EMPLOYEE = _("The responsible leader cannot be the employee who broke the rule.")


@dataclass
class PlannedPenalty:
    """One penalty a violation will create (before it is saved)."""

    party: Party
    money_kind: str  # MoneyKind value, "" for sanction-only
    amount: Decimal
    employee: Employee | None
    is_primary: bool = False
    label: str = ""
    lines: list[dict] = field(default_factory=list)
    sanctions: list[str] = field(default_factory=list)
    points: int = 0
    explanation: str = ""
    required_tier: Tier = Tier.DEPARTMENT_HEAD

    @property
    def key(self) -> tuple[str, str, int | None]:
        """What identifies a penalty of a violation across re-pricing."""
        return (self.party.value, self.money_kind, self.employee.pk if self.employee else None)


def _line_json(line) -> dict:
    return {
        "party": line.party.value,
        "money_kind": line.money_kind.value,
        "amount": str(quantize_fen(line.amount)),
        "label": line.label,
        "explanation": line.explanation,
    }


def penalty_plan(
    *,
    quote: Quote,
    employee: Employee,
    second_party_employee: Employee | None = None,
    policy: ApprovalPolicy = DEFAULT_POLICY,
    strict: bool = True,
) -> list[PlannedPenalty]:
    """One penalty per liable party and money kind, plus the person's own carrying the
    sanctions and points (even with no money). ``strict``: a payer that cannot be named
    (no supervisor on file, no leader chosen) is an error; otherwise left empty."""
    groups: dict[tuple[Party, str], PlannedPenalty] = {}
    for line in quote.all_lines:
        key = (line.party, line.money_kind.value)
        planned = groups.get(key)
        if planned is None:
            planned = groups[key] = PlannedPenalty(
                party=line.party,
                money_kind=line.money_kind.value,
                amount=Decimal("0.00"),
                employee=_payer(line.party, employee, second_party_employee, strict=strict),
            )
        planned.amount = quantize_fen(planned.amount + line.amount)
        planned.lines.append(_line_json(line))
    for planned in groups.values():
        planned.label = "、".join(dict.fromkeys(line["label"] for line in planned.lines))
        planned.explanation = ";".join(line["explanation"] for line in planned.lines)

    sanctions = list(
        ladder_order(list(quote.sanctions) + [c for t in quote.triggered for c in t.sanctions])
    )
    person = [p for p in groups.values() if p.party is Party.EMPLOYEE]
    others = [p for p in groups.values() if p.party is not Party.EMPLOYEE]
    needs_person = bool(
        sanctions
        or quote.sanction_choices
        or quote.points
        or quote.consequences
        or quote.triggered
        or not others
    )
    if person:
        primary = person[0]
    elif needs_person:
        primary = PlannedPenalty(
            party=Party.EMPLOYEE, money_kind="", amount=Decimal("0.00"), employee=employee
        )
        person.insert(0, primary)
    else:
        primary = None
    if primary is not None:
        primary.is_primary = True
        primary.sanctions = sanctions
        primary.points = quote.points
        primary.explanation = quote.explanation
    plan = person + others
    for planned in plan:
        planned.required_tier = required_tier(
            amount=planned.amount, max_sanction_rank=max_rank(planned.sanctions), policy=policy
        )
    return plan


def _payer(
    party: Party, employee: Employee, leader: Employee | None, *, strict: bool
) -> Employee | None:
    if party is Party.EMPLOYEE:
        return employee
    if party is Party.DEPARTMENT:
        return None
    if party is Party.SUPERVISOR:
        if employee.supervisor_id is None:
            if strict:
                raise ValidationError(NO_SUPERVISOR, params={"employee": employee.name})
            return None
        return employee.supervisor
    if leader is None:
        if strict:
            raise ValidationError({"second_party_employee": NO_LEADER})
        return None
    if leader.pk == employee.pk:
        raise ValidationError({"second_party_employee": LEADER_IS_EMPLOYEE})
    return leader


def resolve_policy(policy: ApprovalPolicy | None) -> ApprovalPolicy:
    """The policy given, else the company's configured one (the approval settings), else
    the default of seed 003."""
    if policy is not None:
        return policy
    try:
        from penalties.selectors.approvals import current_approval_policy
    except ImportError:  # pragma: no cover - the approvals module is optional
        return DEFAULT_POLICY
    return current_approval_policy()


def plan_tier(plan: Iterable[PlannedPenalty]) -> Tier:
    tiers = [p.required_tier for p in plan]
    return Tier.highest(*tiers) if tiers else Tier.DEPARTMENT_HEAD


def schedule_needs(schedule) -> dict:
    """Which inputs a schedule uses, for the form: amounts, levels, leader, choices."""
    from penalties.engine import Basis
    from penalties.engine.summary import line_name

    charges = [c for s in schedule.steps for c in s.charges] + [
        c for t in schedule.triggers for c in t.charges
    ]
    seconds = [s.charges[i] for s in schedule.steps if (i := second_range_index(s)) is not None]
    return {
        "amount": any(s.first_range_index() is not None for s in schedule.steps),
        # A second range charge (e.g. the compensation of a loss): its amount and label.
        "second_amount": bool(seconds),
        "second_label": (seconds[0].label or line_name(seconds[0])) if seconds else "",
        "involved": any(
            c.basis in (Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT) for c in charges
        ),
        "quantity": any(c.per_unit for c in charges),
        "leader": any(c.party is Party.LEADER for c in charges),
        "levels": [
            {"code": lv.code, "name": lv.name}
            for lv in next((s.levels for s in schedule.steps if s.levels), ())
        ],
        "sanction_choices": list(
            dict.fromkeys(c for s in schedule.steps for c in s.sanction_choices)
        ),
    }


def penalty_preview(
    *,
    employee: Employee,
    rule,
    occurred_on: date,
    occurred_at: datetime | None = None,
    level: str | None = None,
    chosen_amount: Decimal | None = None,
    involved_amount: Decimal | None = None,
    quantity: int = 1,
    second_party_employee: Employee | None = None,
    sanction_choice: str = "",
    occurrence: int | None = None,
    policy: ApprovalPolicy | None = None,
    second_amount: Decimal | None = None,
) -> dict:
    """What logging this violation would give, computed by the same engine and counting as
    ``violation_log``: the JSON of ``penalty_quote`` and the form's live preview."""
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
        occurrence=occurrence,
        second_amount=second_amount,
    )
    plan = penalty_plan(
        quote=judgement.quote,
        employee=employee,
        second_party_employee=second_party_employee,
        policy=resolve_policy(policy),
        strict=False,
    )
    return preview_dict(judgement, plan)


def preview_dict(judgement: Judgement, plan: list[PlannedPenalty]) -> dict:
    quote = judgement.quote
    person_lines = [line for line in quote.all_lines if line.party is Party.EMPLOYEE]
    kinds = list(dict.fromkeys(line.money_kind.value for line in person_lines))
    snapshot = quote_snapshot(judgement)
    return {
        # the keys of issue 4
        "occurrence": quote.occurrence,
        "amount": str(quantize_fen(quote.person_amount)),
        "money_kind": kinds[0] if len(kinds) == 1 else ("mixed" if kinds else ""),
        "sanctions": list(quote.sanctions),
        "points": quote.points,
        "second_parties": [
            {
                "party": p.party.value,
                "amount": str(p.amount),
                "money_kind": p.money_kind,
                "label": p.label,
                "employee": _person(p.employee),
            }
            for p in plan
            if p.party is not Party.EMPLOYEE
        ],
        "triggers": snapshot["triggered"],
        "approval_tier": plan_tier(plan).value,
        "explanation": quote.explanation,
        # more context for the screen
        "rulebook": judgement.rulebook.code,
        "rulebook_name": judgement.rulebook.name,
        "version": judgement.version.label,
        "rule": judgement.rule.number,
        "rule_title": judgement.rule.title,
        "occurred_on": judgement.position.occurred_on.isoformat(),
        "window": snapshot["window"],
        "level": quote.level,
        "level_defaulted": quote.level_defaulted,
        "sanction_choices": list(quote.sanction_choices),
        "consequences": list(quote.consequences),
        "lines": snapshot["lines"],
        "penalties": [
            {
                "party": p.party.value,
                "employee": _person(p.employee),
                "money_kind": p.money_kind,
                "amount": str(p.amount),
                "sanctions": p.sanctions,
                "points": p.points,
                "approval_tier": p.required_tier.value,
            }
            for p in plan
        ],
    }


def _person(employee: Employee | None) -> dict | None:
    if employee is None:
        return None
    return {"employee_no": employee.employee_no, "name": employee.name}


def sanction_names(codes: Iterable[str]) -> list[str]:
    return [sanction_name(code) for code in codes]


def money_kind_label(value: str) -> str:
    try:
        return MoneyKind(value).label
    except ValueError:
        return ""


# --- scoped reads -------------------------------------------------------------------------


def penalties_visible_to(user) -> QuerySet[Penalty]:
    """Every penalty for company-wide roles; a department head's subtree; else one's own."""
    qs = Penalty.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    departments = visible_department_ids(user)
    if departments is None and user.has_perm("penalties.view_penalty"):
        return qs
    condition = Q(pk__in=[])
    if departments and user.has_perm("penalties.view_penalty"):
        condition |= Q(department_id__in=departments)
    me = employee_for_user(user)
    if me is not None:
        condition |= Q(employee=me)
    return qs.filter(condition)


PENALTY_SORTS = {
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "amount": ("amount", "pk"),
    "-amount": ("-amount", "-pk"),
    "occurred": ("violation__occurred_at", "pk"),
    "-occurred": ("-violation__occurred_at", "-pk"),
}


def penalty_list(
    *,
    user,
    search: str = "",
    department=None,
    status: str = "",
    party: str = "",
    tier: str = "",
    needs_review: bool = False,
    sort: str = "-created",
) -> QuerySet[Penalty]:
    qs = penalties_visible_to(user).select_related(
        "violation__employee", "violation__rulebook", "employee", "department", "decided_by"
    )
    if search:
        qs = qs.filter(
            Q(employee__employee_no__icontains=search)
            | Q(employee__name__icontains=search)
            | Q(violation__employee__employee_no__icontains=search)
            | Q(violation__employee__name__icontains=search)
        )
    if department is not None:
        qs = qs.filter(department_id__in=department_subtree_ids([department.pk]))
    if status:
        qs = qs.filter(status=status)
    if party:
        qs = qs.filter(party=party)
    if tier:
        qs = qs.filter(required_tier=tier)
    if needs_review:
        qs = qs.filter(needs_review=True)
    return qs.order_by(*PENALTY_SORTS.get(sort, PENALTY_SORTS["-created"]))


def penalty_get_for_user(*, user, penalty_id: int) -> Penalty:
    penalty = (
        penalties_visible_to(user)
        .select_related(
            "violation__employee__department",
            "violation__rulebook",
            "violation__rule",
            "employee",
            "department",
            "decided_by",
        )
        .filter(pk=penalty_id)
        .first()
    )
    if penalty is None:
        raise Http404
    return penalty


LIVE_STATUSES = (PenaltyStatus.PENDING, PenaltyStatus.APPROVED, PenaltyStatus.UNDER_APPEAL)
