"""Plain-language Chinese summary of a schedule, shown beside a rule.

Examples: ``每次罚款¥50``; ``第1次罚款¥30;第2次起每次罚款¥60(按年度计次)``;
``罚款¥100–200,视情节轻重``; ``涉及金额的10倍罚款,并视情节给予通报批评/解职待聘/解聘``.
"""

from __future__ import annotations

from decimal import Decimal

from .money import format_number, format_yuan
from .sanctions import join_names
from .spec import (
    Basis,
    Charge,
    Level,
    MoneyKind,
    Party,
    Schedule,
    Scope,
    Step,
    Subject,
    Trigger,
    TriggerKind,
)
from .windows import window_counting, window_span

PARTY_PREFIX: dict[Party, str] = {
    Party.EMPLOYEE: "",
    Party.DEPARTMENT: "部门",
    Party.SUPERVISOR: "主管",
    Party.LEADER: "责任领导",
}


def charge_name(charge: Charge) -> str:
    """What a charge is called: its label, else party + money kind (``部门罚款``)."""
    return charge.label or PARTY_PREFIX[charge.party] + charge.money_kind.label


def range_text(low: Decimal | None, high: Decimal | None) -> str:
    """``¥100–200``, ``¥20起(不设上限)``, or ``金额视情况确定`` when unbounded."""
    low = low or Decimal(0)
    if high is None:
        return "金额视情况确定" if low == 0 else f"{format_yuan(low)}起(不设上限)"
    if low == high:
        return format_yuan(low)
    return f"{format_yuan(low)}–{format_yuan(high).removeprefix('¥')}"


def _times(multiplier: Decimal, basis: Basis) -> str:
    if basis.is_percent:
        return f"{format_number(multiplier)}%"
    return f"{format_number(multiplier)}倍"


def _labelled(label: str, what: str) -> str:
    return label if what in label else f"{label}({what})"


def charge_text(charge: Charge) -> str:
    """One charge in words: ``罚款¥50``, ``扣当日工资的1.5倍``, ``部门连带罚款¥200``."""
    name = charge_name(charge)
    per_unit = "×数量" if charge.per_unit else ""
    basis = charge.basis
    if basis is Basis.FIXED:
        return f"{name}{format_yuan(charge.amount or Decimal(0))}{per_unit}"
    if basis is Basis.RANGE:
        bounds = range_text(charge.min_amount, charge.max_amount)
        sep = "" if bounds.startswith("¥") else ","
        return f"{name}{sep}{bounds}{per_unit}"
    times = _times(charge.multiplier or Decimal(0), basis)
    if basis is Basis.PERSON_MULTIPLE:
        what = f"当事人{charge.money_kind.label}的{times}"
        text = _labelled(charge.label, what) if charge.label else f"{name}为{what}"
    else:
        base = {
            Basis.INVOLVED_MULTIPLE: "涉及金额",
            Basis.INVOLVED_PERCENT: "涉及金额",
            Basis.DAILY_WAGE_MULTIPLE: "当日工资",
            Basis.MONTHLY_WAGE_MULTIPLE: "本人月工资",
            Basis.BONUS_PERCENT: "当月奖金",
        }[basis]
        what = f"{base}的{times}"
        if charge.label:
            text = _labelled(charge.label, what)
        elif charge.party is Party.EMPLOYEE and charge.money_kind in (
            MoneyKind.ABSENCE_CUT,
            MoneyKind.BONUS_REDUCTION,
        ):
            text = f"扣{what}"
        elif basis in (Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT):
            text = f"{what}{name}"
        else:
            text = f"{name}{what}"
    if charge.min_amount:
        text += f"(不低于{format_yuan(charge.min_amount)})"
    return text + per_unit


def level_text(level: Level) -> str:
    """``情节较轻¥100``, ``情节严重¥200并停职反省``, ``情节严重:解聘``."""
    extras = list(level.consequences)
    if level.sanctions:
        extras.insert(0, join_names(level.sanctions, "、"))
    if level.amount is not None:
        text = level.name + format_yuan(level.amount)
        return text + ("并" + "、".join(extras) if extras else "")
    return level.name + (":" + "、".join(extras) if extras else "")


def officer_range_note(low: Decimal | None, high: Decimal | None) -> str:
    """How an officer's amount was bounded: ``区间¥100–200内确定`` / ``经办人确定,不低于¥20``."""
    if high is None:
        return "经办人确定" + (f",不低于{format_yuan(low)}" if low else "")
    return f"区间{range_text(low, high)}内确定"


def _step_items(step: Step) -> list[str]:
    items: list[str] = []
    first_range = step.first_range_index()
    for i, charge in enumerate(step.charges):
        text = charge_text(charge)
        if i == first_range:
            text += ",视情节轻重"
            if step.levels:
                text += "(" + ";".join(level_text(lv) for lv in step.levels) + ")"
        items.append(text)
    if step.levels and first_range is None:
        items.append("视情节轻重:" + ";".join(level_text(lv) for lv in step.levels))
    if step.sanctions:
        items.append("给予" + join_names(step.sanctions, "、"))
    by_level = {code for level in step.levels for code in level.sanctions}
    if step.sanction_choices and not set(step.sanction_choices) <= by_level:
        items.append("视情节给予" + join_names(step.sanction_choices))
    if step.points:
        items.append(f"扣{step.points}分")
    items.extend(step.consequences)
    for i in range(1, len(items)):
        if items[i].startswith(("给予", "视情节给予")):
            items[i] = "并" + items[i]
            break
    return items


def step_text(step: Step) -> str:
    """Everything one step imposes, joined by commas."""
    return ",".join(_step_items(step)) or "不作处理"


def trigger_condition(trigger: Trigger) -> str:
    """``当月内累计2次`` or ``积分扣完``; ``(全制度)`` / ``部门`` when counted that way."""
    if trigger.kind is TriggerKind.POINTS_EXHAUSTED:
        text = "积分扣完"
    else:
        text = f"{window_span(trigger.window, trigger.window_days)}累计{trigger.threshold}次"
    if trigger.subject is Subject.DEPARTMENT:
        text = "部门" + text
    if trigger.scope is Scope.RULEBOOK:
        text += "(本制度各条合计)"
    return text


def trigger_text(trigger: Trigger) -> str:
    """``当月内累计2次:调离大厅,待岗``."""
    parts = [trigger.consequence]
    missing = [code for code in trigger.sanctions if join_names([code]) not in trigger.consequence]
    if missing:
        parts.append("给予" + join_names(missing, "、"))
    parts.extend(charge_text(c) for c in trigger.charges)
    return f"{trigger_condition(trigger)}:" + ",".join(parts)


def summarize(schedule: Schedule) -> str:
    """The whole schedule in one short Chinese paragraph."""
    steps = schedule.steps
    if len(steps) == 1:
        text = step_text(steps[0])
        lead = steps[0].charges[0] if steps[0].charges else None
        if lead is not None and lead.basis is Basis.FIXED:
            text = "每次" + text
    else:
        parts = []
        groups: list[tuple[int, int, str]] = []  # first, last occurrence, text
        for step in steps[:-1]:
            text = step_text(step)
            if groups and groups[-1][2] == text:
                groups[-1] = (groups[-1][0], step.occurrence_from, text)
            else:
                groups.append((step.occurrence_from, step.occurrence_from, text))
        for low, high, words in groups:
            if low == high:
                parts.append(f"第{low}次{words}")
            else:
                each = "每次" if words.startswith(("罚款", "扣")) else ""
                parts.append(f"第{low}–{high}次{each}{words}")
        final = steps[-1]
        each = "每次" if final.charges else ""
        parts.append(f"第{final.occurrence_from}次起{each}{step_text(final)}")
        text = ";".join(parts)
        counting = window_counting(schedule.window, schedule.window_days)
        if counting:
            text += f"({counting})"
    pieces = [text]
    pieces.extend(trigger_text(t) for t in schedule.triggers)
    if schedule.note:
        pieces.append(schedule.note)
    return ";".join(pieces)
