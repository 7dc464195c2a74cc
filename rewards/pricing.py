"""What an award pays: the reward type's schedule priced by the penalty engine.

No writes. ``price_award`` is used alike by the form's live preview and by the service
that saves the award, so the preview shows exactly what saving gives. Reward schedules
use the bases of the rulebook (docs/schedule-format.md):

- ``fixed`` (¥20, ¥30, ¥50, ¥500, ¥3000), the department's share (``party: department``)
  alongside the person's, or a department's or team's fund alone (团队协作 ¥500);
- ``range`` (创新提案 ¥300–1000): HR chooses the amount inside the range;
- ``involved_percent`` (超额完成 10 % of the excess): HR enters the excess;
- ``monthly_wage_multiple`` with a floor (优质服务之星 "不低于本人月平均工资"): at least
  the employee's own monthly wage on file; HR may award more, never less.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from penalties.engine import (
    Basis,
    Facts,
    Party,
    QuoteError,
    evaluate,
    format_yuan,
    quantize_fen,
)
from staff.models import CompanySettings

AMOUNT_BELOW_RANGE = _("The amount %(amount)s is below this reward's minimum of %(low)s.")
AMOUNT_ABOVE_RANGE = _("The amount %(amount)s is above this reward's maximum of %(high)s.")
AMOUNT_REQUIRED = _("Enter the amount, between %(low)s and %(high)s.")
AMOUNT_REQUIRED_FROM = _("Enter the amount, at least %(low)s.")
AMOUNT_BELOW_WAGE = _(
    "The amount %(amount)s is below the minimum of %(floor)s: this reward is at least "
    "the employee's own monthly wage (%(wage)s on file)."
)
AMOUNT_NOT_USED = _("This reward has a fixed amount: leave the amount empty.")
INVOLVED_REQUIRED = _("Enter the amount the reward is a percentage of (e.g. the excess).")
INVOLVED_NOT_USED = _("This reward is not a percentage of an amount: leave it empty.")
WAGE_NEEDS_EMPLOYEE = _("This reward is computed from the employee's wage: choose the employee.")

WAGE_BASES = (Basis.MONTHLY_WAGE_MULTIPLE, Basis.DAILY_WAGE_MULTIPLE)
INVOLVED_BASES = (Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT)


@dataclass(frozen=True)
class Needs:
    """Which inputs a reward type uses, for the form."""

    amount: bool = False  # the officer's amount: a range, or above a wage floor
    low: Decimal | None = None
    high: Decimal | None = None
    wage: bool = False
    involved: bool = False


def type_needs(reward_type) -> Needs:
    step = reward_type.parsed_schedule.steps[0]
    index = step.first_range_index()
    wage = any(c.basis in WAGE_BASES and c.party is Party.EMPLOYEE for c in step.charges)
    involved = any(c.basis in INVOLVED_BASES for c in step.charges)
    if index is not None:
        charge = step.charges[index]
        return Needs(
            amount=True,
            low=charge.min_amount or Decimal("0"),
            high=charge.max_amount,
            wage=wage,
            involved=involved,
        )
    return Needs(amount=wage, wage=wage, involved=involved)


@dataclass(frozen=True)
class AwardPrice:
    amount: Decimal  # the recipient's: the employee's, or the department's own award
    department_amount: Decimal  # the department's share alongside a person's award
    lines: list[dict] = field(default_factory=list)
    explanation: str = ""
    consequences: tuple[str, ...] = ()
    wage: Decimal | None = None  # the monthly wage a wage-based reward used
    floor: Decimal | None = None  # the least a wage-based reward may be

    @property
    def total(self) -> Decimal:
        return self.amount + self.department_amount


def _line(line, amount: Decimal, explanation: str) -> dict:
    return {
        "party": line.party.value,
        "money_kind": line.money_kind.value,
        "amount": str(quantize_fen(amount)),
        "label": line.label,
        "explanation": explanation,
    }


def _check_range(needs: Needs, chosen: Decimal | None) -> None:
    if chosen is None:
        params = {"low": format_yuan(needs.low or Decimal("0"))}
        if needs.high is not None:
            params["high"] = format_yuan(needs.high)
        message = AMOUNT_REQUIRED if needs.high is not None else AMOUNT_REQUIRED_FROM
        raise ValidationError({"chosen_amount": ValidationError(message, params=params)})
    if needs.low is not None and chosen < needs.low:
        raise ValidationError(
            {
                "chosen_amount": ValidationError(
                    AMOUNT_BELOW_RANGE,
                    params={"amount": format_yuan(chosen), "low": format_yuan(needs.low)},
                )
            }
        )
    if needs.high is not None and chosen > needs.high:
        raise ValidationError(
            {
                "chosen_amount": ValidationError(
                    AMOUNT_ABOVE_RANGE,
                    params={"amount": format_yuan(chosen), "high": format_yuan(needs.high)},
                )
            }
        )


def price_award(
    *,
    reward_type,
    employee=None,
    chosen_amount: Decimal | None = None,
    involved_amount: Decimal | None = None,
) -> AwardPrice:
    """Price one award of ``reward_type`` (to ``employee``, or to a department when the
    type pays a department only). Raises ``ValidationError`` keyed by the input at fault:
    an amount outside the range, below the wage floor, a missing amount involved."""
    schedule = reward_type.parsed_schedule
    step = schedule.steps[0]
    needs = type_needs(reward_type)
    range_index = step.first_range_index()
    if chosen_amount is not None and not needs.amount:
        raise ValidationError({"chosen_amount": AMOUNT_NOT_USED})
    if involved_amount is not None and not needs.involved:
        raise ValidationError({"involved_amount": INVOLVED_NOT_USED})
    if needs.involved and involved_amount is None:
        raise ValidationError({"involved_amount": INVOLVED_REQUIRED})
    if needs.wage and employee is None:
        raise ValidationError({"employee": WAGE_NEEDS_EMPLOYEE})
    if range_index is not None:
        _check_range(needs, chosen_amount)
    wage = employee.monthly_wage if (needs.wage and employee is not None) else None
    facts = Facts(
        amount=chosen_amount if range_index is not None else None,
        involved=involved_amount,
        monthly_wage=wage,
        monthly_bonus=employee.monthly_bonus if employee is not None else None,
        daily_wage_divisor=CompanySettings.get().daily_wage_divisor,
    )
    try:
        quote = evaluate(schedule, facts)
    except QuoteError as exc:
        raise ValidationError(str(exc)) from None

    lines: list[dict] = []
    floor = None
    override_done = range_index is not None  # a range took the officer's amount already
    for line in quote.lines:
        amount, explanation = line.amount, line.explanation
        if line.basis in WAGE_BASES and line.party is Party.EMPLOYEE and floor is None:
            floor = line.amount
            if chosen_amount is not None and not override_done:
                if chosen_amount < floor:
                    raise ValidationError(
                        {
                            "chosen_amount": ValidationError(
                                AMOUNT_BELOW_WAGE,
                                params={
                                    "amount": format_yuan(chosen_amount),
                                    "floor": format_yuan(floor),
                                    "wage": format_yuan(wage),
                                },
                            )
                        }
                    )
                amount = quantize_fen(chosen_amount)
                explanation = f"{explanation};人事确定为{format_yuan(amount)}(不低于下限)"
                override_done = True
        lines.append(_line(line, amount, explanation))

    person = sum(
        (Decimal(x["amount"]) for x in lines if x["party"] == Party.EMPLOYEE.value),
        Decimal("0.00"),
    )
    department = sum(
        (Decimal(x["amount"]) for x in lines if x["party"] == Party.DEPARTMENT.value),
        Decimal("0.00"),
    )
    if reward_type.is_department_only:  # a department's or team's own fund
        person, department = department, Decimal("0.00")
    explanation = ";".join([x["explanation"] for x in lines] + list(quote.consequences))
    return AwardPrice(
        amount=quantize_fen(person),
        department_amount=quantize_fen(department),
        lines=lines,
        explanation=explanation,
        consequences=tuple(quote.consequences),
        wage=wage,
        floor=floor,
    )
