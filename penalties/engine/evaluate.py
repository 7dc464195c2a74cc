"""Evaluate a schedule for one occurrence: the pure heart of the fine engine.

``evaluate(schedule, facts)`` picks the step for the occurrence number, the severity level,
computes every charge in ``Decimal`` (rounded half-up to the fen once, at the end of each
charge), collects sanctions, points and text consequences, fires accumulation triggers and
writes one Chinese explanation line. No database, no request, no float.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext

from .money import format_number, format_yuan, quantize_fen
from .sanctions import join_names, ladder_order, max_rank
from .spec import (
    Basis,
    Charge,
    Flag,
    Level,
    MoneyKind,
    Party,
    Schedule,
    Step,
    TriggerKind,
)
from .summary import (
    charge_name,
    involved_base,
    line_name,
    made_name,
    officer_range_note,
    trigger_condition,
)
from .windows import window_label

DEFAULT_DAILY_WAGE_DIVISOR = Decimal("21.75")

OCCURRENCE_INVALID = "违反次数必须是不小于1的整数"
QUANTITY_INVALID = "数量必须是不小于1的整数"
FLOAT_INPUT = "{name}必须是精确的十进制数(Decimal),不能是浮点数"
NEGATIVE_INPUT = "{name}不能为负数"
DIVISOR_INVALID = "日工资折算天数必须大于零"
AMOUNT_BELOW_MIN = "金额{amount}低于规定的最低金额{low}"
AMOUNT_ABOVE_MAX = "金额{amount}高于规定的最高金额{high}"
AMOUNT_NOT_APPLICABLE = "本次处理没有需要填写金额的区间罚款,不能填写金额"
EXTRA_AMOUNT_NOT_APPLICABLE = "第{index}项金额不是需另行填写的区间金额"
INVOLVED_REQUIRED = "请填写涉及金额(本处理按涉及金额的倍数或比例计算)"
WAGE_REQUIRED = "请填写月工资(本处理按工资计算)"
BONUS_REQUIRED = "请填写当月奖金(本处理按奖金比例计算)"
UNKNOWN_LEVEL = "未知的情节档次:{level}"
BAD_SANCTION_CHOICE = "处分 {code} 不在本条可选的处分之中"
SANCTION_CHOICE_CONFLICT = "所选情节已确定处分为{chosen},与所选处分{code}不一致"
TRIGGER_COUNTS_MISMATCH = "累计次数应为{expected}个(每个累计条件一个),实际为{actual}个"
TRIGGER_COUNT_INVALID = "累计次数必须是不小于0的整数"
POINTS_BALANCE_INVALID = "剩余积分必须是整数"


class QuoteError(ValueError):
    """Facts that cannot be evaluated against the schedule; the message is Chinese.

    ``field`` names the ``Facts`` attribute that was wrong (``"amount"``, ``"involved"``,
    ``"level"``, ``"sanction_choice"``, ``"monthly_wage"`` …) when one input is to blame,
    so that a form can show the message at that input; None when the error is not about
    one input (a mismatch with the schedule, say)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Facts:
    """What the officer and the records supply for one violation (or award)."""

    occurrence: int = 1
    level: str | None = None
    amount: Decimal | None = None
    extra_amounts: Mapping[int, Decimal] = field(default_factory=dict)
    involved: Decimal | None = None
    quantity: int = 1
    monthly_wage: Decimal | None = None
    monthly_bonus: Decimal | None = None
    daily_wage_divisor: Decimal = DEFAULT_DAILY_WAGE_DIVISOR
    trigger_counts: tuple[int, ...] = ()
    points_balance: int | None = None
    sanction_choice: str | None = None


@dataclass(frozen=True)
class MoneyLine:
    """One computed amount; ``label`` is the charge's label or ``部门罚款``-style name."""

    party: Party
    money_kind: MoneyKind
    amount: Decimal
    label: str
    explanation: str
    basis: Basis
    charge_index: int


@dataclass(frozen=True)
class Triggered:
    """An accumulation trigger that fired on this violation."""

    index: int
    kind: TriggerKind
    condition: str
    consequence: str
    sanctions: tuple[str, ...]
    charges: tuple[MoneyLine, ...]
    flag: Flag | None


@dataclass(frozen=True)
class Quote:
    occurrence: int
    step: int
    level: str | None
    level_defaulted: bool
    lines: tuple[MoneyLine, ...]
    sanctions: tuple[str, ...]
    sanction_choices: tuple[str, ...]
    points: int
    consequences: tuple[str, ...]
    triggered: tuple[Triggered, ...]
    explanation: str

    @property
    def all_lines(self) -> tuple[MoneyLine, ...]:
        """The step's lines followed by the lines of fired triggers."""
        return self.lines + tuple(line for t in self.triggered for line in t.charges)

    @property
    def person_amount(self) -> Decimal:
        """Sum of the employee's lines (triggered charges included)."""
        return sum(
            (line.amount for line in self.all_lines if line.party is Party.EMPLOYEE),
            Decimal("0.00"),
        )

    @property
    def max_sanction_rank(self) -> int:
        """Highest ladder rank imposed, triggered sanctions included (0 if none)."""
        codes = list(self.sanctions) + [c for t in self.triggered for c in t.sanctions]
        return max_rank(codes)


# --- input checks -----------------------------------------------------------------------


def _decimal(
    value: object, name: str, *, field: str, required: str | None = None
) -> Decimal | None:
    """``value`` as a Decimal; ``name`` says it in the message, ``field`` is the Facts
    attribute it came from."""
    if value is None:
        if required is not None:
            raise QuoteError(required, field=field)
        return None
    if isinstance(value, float):
        raise QuoteError(FLOAT_INPUT.format(name=name), field=field)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise QuoteError(FLOAT_INPUT.format(name=name), field=field)
    number = Decimal(value)
    if not number.is_finite():
        raise QuoteError(FLOAT_INPUT.format(name=name), field=field)
    if number < 0:
        raise QuoteError(NEGATIVE_INPUT.format(name=name), field=field)
    return number


def _required(value: object, name: str, missing: str, *, field: str) -> Decimal:
    number = _decimal(value, name, field=field, required=missing)
    if number is None:  # pragma: no cover - _decimal raises first
        raise QuoteError(missing, field=field)
    return number


def _field(value: Decimal | None) -> Decimal:
    """A money field the parser guarantees for this basis."""
    if value is None:  # pragma: no cover - parse_schedule rejects such charges
        raise ValueError("schedule was not built by parse_schedule")
    return value


def _is_count(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _check_facts(schedule: Schedule, facts: Facts) -> None:
    if not _is_count(facts.occurrence, 1):
        raise QuoteError(OCCURRENCE_INVALID, field="occurrence")
    if not _is_count(facts.quantity, 1):
        raise QuoteError(QUANTITY_INVALID, field="quantity")
    divisor = _decimal(
        facts.daily_wage_divisor,
        "日工资折算天数",
        field="daily_wage_divisor",
        required=DIVISOR_INVALID,
    )
    if divisor is None or divisor == 0:
        raise QuoteError(DIVISOR_INVALID, field="daily_wage_divisor")
    if len(facts.trigger_counts) != len(schedule.triggers):
        raise QuoteError(
            TRIGGER_COUNTS_MISMATCH.format(
                expected=len(schedule.triggers), actual=len(facts.trigger_counts)
            )
        )
    if not all(_is_count(count, 0) for count in facts.trigger_counts):
        raise QuoteError(TRIGGER_COUNT_INVALID, field="trigger_counts")
    if facts.points_balance is not None and not _is_count(facts.points_balance, -(10**9)):
        raise QuoteError(POINTS_BALANCE_INVALID, field="points_balance")


def _check_in_range(amount: Decimal, charge: Charge, *, field: str | None) -> None:
    """``field``: the Facts attribute the amount came from (None: from the schedule)."""
    low = charge.min_amount or Decimal(0)
    if amount < low:
        raise QuoteError(
            AMOUNT_BELOW_MIN.format(amount=format_yuan(amount), low=format_yuan(low)), field=field
        )
    if charge.max_amount is not None and amount > charge.max_amount:
        raise QuoteError(
            AMOUNT_ABOVE_MAX.format(
                amount=format_yuan(amount), high=format_yuan(charge.max_amount)
            ),
            field=field,
        )


# --- charges ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _RangeChoice:
    """How the first range charge of a step gets its amount."""

    officer_amount: Decimal | None
    level: Level | None
    level_has_money: bool


def _times(multiplier: Decimal, basis: Basis) -> str:
    if basis.is_percent:
        return f"的{format_number(multiplier)}%"
    return f"的{format_number(multiplier)}倍"


def _range_line(charge: Charge, unit: Decimal, note: str, quantity: int) -> tuple[Decimal, str]:
    name = line_name(charge)
    if charge.per_unit and quantity != 1:
        total = quantize_fen(unit * quantity)
        text = f"{name}{format_yuan(unit)}×{quantity}:{format_yuan(total)}"
    else:
        total = quantize_fen(unit * (quantity if charge.per_unit else 1))
        text = f"{name}{format_yuan(total)}"
    return total, f"{text}({note})" if note else text


def _simple_line(
    charge: Charge,
    index: int,
    facts: Facts,
    range_choice: _RangeChoice | None,
    extra_amounts: Mapping[int, Decimal],
) -> MoneyLine | None:
    """A charge that does not depend on other charges (all but ``person_multiple``)."""
    name = line_name(charge)
    quantity = facts.quantity if charge.per_unit else 1
    qty_text = f"×{quantity}" if charge.per_unit and quantity != 1 else ""
    basis = charge.basis
    if basis is Basis.FIXED:
        unit = _field(charge.amount)
        total = quantize_fen(unit * quantity)
        text = f"{name}{format_yuan(unit)}{qty_text}"
        if qty_text:
            text += f":{format_yuan(total)}"
        return _line(charge, index, total, text)
    if basis is Basis.RANGE:
        bounds = officer_range_note(charge.min_amount, charge.max_amount)
        source: str | None = None  # the Facts attribute the amount came from
        if range_choice is not None:
            level = range_choice.level
            if range_choice.officer_amount is not None:
                unit, note, source = range_choice.officer_amount, bounds, "amount"
            elif level is not None and level.amount is not None:
                unit, note = level.amount, level.name
            elif level is not None and range_choice.level_has_money:
                return None  # the step has no money at this level
            else:
                unit = charge.min_amount or Decimal(0)
                note = f"未填写金额,按最低额{format_yuan(unit)}计"
        else:
            extra = extra_amounts.get(index)
            if extra is not None:
                unit, note, source = extra, bounds, "extra_amounts"
            else:
                unit = charge.min_amount or Decimal(0)
                note = f"按最低额{format_yuan(unit)}计"
        _check_in_range(unit, charge, field=source)
        total, text = _range_line(charge, unit, note, facts.quantity)
        return _line(charge, index, total, text)

    multiplier = _field(charge.multiplier)
    times = _times(multiplier, basis)
    with localcontext() as ctx:
        ctx.prec = 34
        if basis in (Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT):
            involved = _required(facts.involved, "涉及金额", INVOLVED_REQUIRED, field="involved")
            factor = multiplier / 100 if basis.is_percent else multiplier
            raw = involved * factor * quantity
            base, alone = involved_base(charge)
            if basis is Basis.INVOLVED_MULTIPLE and multiplier == 1:
                times = ""  # 涉及金额¥40×2, not 涉及金额¥40的1倍×2
            if alone:  # 退回多收金额 (×1): the label names the amount itself
                name, base = charge.label, "涉及金额"
            elif base != "涉及金额":  # 所收金额的10倍罚款: its base goes into the arithmetic
                name = made_name(charge)
            arith = f"{base}{format_yuan(involved)}{times}{qty_text}"
            if alone and not qty_text:
                arith = ""
        elif basis is Basis.DAILY_WAGE_MULTIPLE:
            wage = _required(facts.monthly_wage, "月工资", WAGE_REQUIRED, field="monthly_wage")
            divisor = Decimal(facts.daily_wage_divisor)
            daily = wage / divisor
            raw = daily * multiplier * quantity
            arith = (
                f"日工资{format_yuan(daily)}(月薪{format_yuan(wage)}÷{format_number(divisor)})"
                f"×{format_number(multiplier)}{qty_text}"
            )
        elif basis is Basis.MONTHLY_WAGE_MULTIPLE:
            wage = _required(facts.monthly_wage, "月工资", WAGE_REQUIRED, field="monthly_wage")
            raw = wage * multiplier * quantity
            arith = f"月薪{format_yuan(wage)}×{format_number(multiplier)}{qty_text}"
        elif basis is Basis.BONUS_PERCENT:
            bonus = _required(
                facts.monthly_bonus, "当月奖金", BONUS_REQUIRED, field="monthly_bonus"
            )
            raw = bonus * multiplier / 100 * quantity
            arith = f"当月奖金{format_yuan(bonus)}{times}{qty_text}"
        else:  # pragma: no cover - person_multiple is handled by _person_line
            raise AssertionError(basis)
    total = quantize_fen(raw)
    text = f"{name},{arith}:{format_yuan(total)}" if arith else f"{name}{format_yuan(total)}"
    if charge.min_amount is not None and total < charge.min_amount:
        total = quantize_fen(charge.min_amount)
        text += f",低于下限,按{format_yuan(total)}计"
    return _line(charge, index, total, text)


def _person_line(charge: Charge, index: int, lines: list[MoneyLine]) -> MoneyLine:
    multiplier = _field(charge.multiplier)
    base = sum(
        (
            line.amount
            for line in lines
            if line.party is Party.EMPLOYEE and line.money_kind is charge.money_kind
        ),
        Decimal(0),
    )
    total = quantize_fen(base * multiplier)
    text = (
        f"{line_name(charge)},当事人{charge.money_kind.label}{format_yuan(base)}"
        f"{_times(multiplier, charge.basis)}:{format_yuan(total)}"
    )
    if charge.min_amount is not None and total < charge.min_amount:
        total = quantize_fen(charge.min_amount)
        text += f",低于下限,按{format_yuan(total)}计"
    return _line(charge, index, total, text)


def _line(charge: Charge, index: int, amount: Decimal, explanation: str) -> MoneyLine:
    return MoneyLine(
        party=charge.party,
        money_kind=charge.money_kind,
        amount=amount,
        label=charge_name(charge),
        explanation=explanation,
        basis=charge.basis,
        charge_index=index,
    )


def _charge_lines(
    charges: tuple[Charge, ...],
    facts: Facts,
    first_range: _RangeChoice | None,
    extra_amounts: Mapping[int, Decimal],
) -> tuple[MoneyLine, ...]:
    """Lines for ``charges`` in their order; ``person_multiple`` computed last."""
    first_range_index = next((i for i, c in enumerate(charges) if c.basis is Basis.RANGE), None)
    simple: list[MoneyLine] = []
    for i, charge in enumerate(charges):
        if charge.basis is Basis.PERSON_MULTIPLE:
            continue
        chosen = first_range if i == first_range_index else None
        line = _simple_line(charge, i, facts, chosen, extra_amounts)
        if line is not None:
            simple.append(line)
    joint = [
        _person_line(charge, i, simple)
        for i, charge in enumerate(charges)
        if charge.basis is Basis.PERSON_MULTIPLE
    ]
    return tuple(sorted(simple + joint, key=lambda line: line.charge_index))


# --- evaluate ---------------------------------------------------------------------------


def _pick_level(step: Step, code: str | None) -> tuple[Level | None, bool]:
    if code is not None:
        level = step.level(code)
        if level is None:
            raise QuoteError(UNKNOWN_LEVEL.format(level=code), field="level")
        return level, False
    if step.levels:
        return step.levels[0], True
    return None, False


def _check_amounts(step: Step, facts: Facts) -> Decimal | None:
    first_range = step.first_range_index()
    officer = _decimal(facts.amount, "金额", field="amount")
    if officer is not None and first_range is None:
        raise QuoteError(AMOUNT_NOT_APPLICABLE, field="amount")
    for index, value in facts.extra_amounts.items():
        valid = (
            isinstance(index, int)
            and 0 <= index < len(step.charges)
            and step.charges[index].basis is Basis.RANGE
            and index != first_range
        )
        if not valid:
            raise QuoteError(EXTRA_AMOUNT_NOT_APPLICABLE.format(index=index), field="extra_amounts")
        _decimal(value, "金额", field="extra_amounts")
    return officer


def _pick_sanctions(
    step: Step, level: Level | None, choice: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(imposed, still to choose)."""
    imposed = list(step.sanctions) + (list(level.sanctions) if level else [])
    chosen_by_level = [code for code in imposed if code in step.sanction_choices]
    if choice is not None:
        if choice not in step.sanction_choices:
            raise QuoteError(BAD_SANCTION_CHOICE.format(code=choice), field="sanction_choice")
        if chosen_by_level and choice not in chosen_by_level:
            raise QuoteError(
                SANCTION_CHOICE_CONFLICT.format(
                    chosen=join_names(chosen_by_level, "、"), code=join_names([choice])
                ),
                field="sanction_choice",
            )
        imposed.append(choice)
    pending = () if (choice or chosen_by_level) else step.sanction_choices
    return ladder_order(imposed), pending


def evaluate(schedule: Schedule, facts: Facts) -> Quote:
    """Quote the consequences of one occurrence; raise ``QuoteError`` on unusable facts."""
    _check_facts(schedule, facts)
    step_index, step = schedule.step_for(facts.occurrence)
    level, defaulted = _pick_level(step, facts.level)
    officer = _check_amounts(step, facts)
    range_choice = _RangeChoice(
        officer_amount=officer,
        level=level,
        level_has_money=any(lv.amount is not None for lv in step.levels),
    )
    lines = _charge_lines(step.charges, facts, range_choice, facts.extra_amounts)
    sanctions, pending = _pick_sanctions(step, level, facts.sanction_choice)
    consequences = step.consequences + (level.consequences if level else ())

    triggered: list[Triggered] = []
    for i, trigger in enumerate(schedule.triggers):
        if trigger.kind is TriggerKind.POINTS_EXHAUSTED:
            fired = facts.points_balance is not None and facts.points_balance - step.points <= 0
        else:
            fired = trigger.threshold is not None and facts.trigger_counts[i] >= trigger.threshold
        if fired:
            triggered.append(
                Triggered(
                    index=i,
                    kind=trigger.kind,
                    condition=trigger_condition(trigger),
                    consequence=trigger.consequence,
                    sanctions=ladder_order(trigger.sanctions),
                    charges=_charge_lines(trigger.charges, facts, None, {}),
                    flag=trigger.flag,
                )
            )

    quote = Quote(
        occurrence=facts.occurrence,
        step=step_index,
        level=level.code if level else None,
        level_defaulted=defaulted,
        lines=lines,
        sanctions=sanctions,
        sanction_choices=pending,
        points=step.points,
        consequences=consequences,
        triggered=tuple(triggered),
        explanation="",
    )
    return _with_explanation(schedule, quote, level)


def _with_explanation(schedule: Schedule, quote: Quote, level: Level | None) -> Quote:
    head: list[str] = []
    step = schedule.steps[quote.step]
    if schedule.is_ladder:
        head.append(
            f"第{quote.occurrence}次违反({window_label(schedule.window, schedule.window_days)})"
        )
        if quote.step == len(schedule.steps) - 1 and step.occurrence_from > 1:
            head.append(f"按第{step.occurrence_from}次及以上标准")
    if level is not None:
        if quote.level_defaulted:
            head.append(f'未指定情节,按最低档"{level.name}"计')
        else:
            head.append(f'按"{level.name}"计')

    body = [line.explanation for line in quote.lines]
    if quote.sanctions:
        body.append("给予" + join_names(quote.sanctions, "、"))
    if quote.sanction_choices:
        body.append("视情节从" + join_names(quote.sanction_choices) + "中选定处分")
    if quote.points:
        body.append(f"扣{quote.points}分")
    body.extend(quote.consequences)
    for t in quote.triggered:
        parts = [t.consequence]
        if t.sanctions:
            parts.append("给予" + join_names(t.sanctions, "、"))
        parts.extend(line.explanation for line in t.charges)
        body.append(f"{t.condition},触发:" + ",".join(parts))

    text = ";".join(body) or "不作处理"
    if head:
        text = ",".join(head) + ":" + text
    return replace(quote, explanation=text)
