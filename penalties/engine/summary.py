"""Plain-language Chinese summary of a schedule, shown beside a rule.

The summary is written from the data (basis, party, money kind, levels, steps, triggers)
the way an HR officer would put it on a notice board: ``每次罚款¥50``;
``第1次罚款¥30;第2次起每次罚款¥60(按年度计次)``; ``罚款¥100–200,视情节轻重``;
``当事人每次罚款¥20,所在部门每人次罚款¥200``;
``所收金额的10倍罚款,并取消当年评优资格,视情节给予通报批评/解职待聘/解聘``.

A charge's label names its money line on a notice. The summary uses a label only where the
data cannot say what the money is for (``按医保规定罚款``, ``退回多收金额``, ``每户罚款``,
the base of a multiple such as ``所收金额``), and never beside an amount the label already
states (``扣罚当事人20元/次`` reads as ``罚款¥20``). The schedule's ``note`` is not part of
the summary: callers show ``schedule.note`` on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .money import decimal_to_str, format_number, format_yuan
from .sanctions import get_sanction, join_names
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

# Who pays (or receives), as the subject of a summary clause.
PARTY_SUBJECT: dict[Party, str] = {
    Party.EMPLOYEE: "当事人",
    Party.DEPARTMENT: "所在部门",
    Party.SUPERVISOR: "直接主管",
    Party.LEADER: "责任领导",
}
REWARD_EMPLOYEE = "本人"

# The money in a phrase with an amount: 罚款¥50, 赔偿¥100, 扣薪¥120, 奖励¥500.
KIND_NOUN: dict[MoneyKind, str] = {
    MoneyKind.FINE: "罚款",
    MoneyKind.COMPENSATION: "赔偿",
    MoneyKind.BONUS_REDUCTION: "扣减奖金",
    MoneyKind.ABSENCE_CUT: "扣薪",
    MoneyKind.REWARD: "奖励",
}

OPEN_AMOUNT = "(金额由经办人确定)"
BY_QUANTITY = "(按数量计)"
BY_SEVERITY = "视情节轻重"

# --- labels -------------------------------------------------------------------------------

_PARTY_WORDS = (
    "当事人",
    "责任人",
    "被投诉人",
    "本人",
    "个人",
    "员工",
    "人员",
    "部门",
    "主管",
    "科长",
    "领导",
    "经理",
    "负责人",
)
# What a label may say that the data says already: amounts and units, parties, the kind of
# money, the base of a multiple, occurrence words and the glue between them.
_GENERIC = re.compile(
    "|".join(
        [
            r"[¥￥]?\d[\d,,]*(?:\.\d+)?(?:\s*[-—–~～至]\s*[¥￥]?\d[\d,,]*(?:\.\d+)?)?"
            r"\s*(?:元|块|倍|%|%)?",
            r"[//](?:人次|次|户|座|人|天|日|月|件|台|个)",
            r"第[一二两三四五六七八九十\d]+次",
            r"及[一二两三四五六七八九十]*次?以上",
            r"以上",
            *sorted(_PARTY_WORDS, key=len, reverse=True),
            "所在",
            "相应",
            "相关",
            "直接",
            "当班",
            "责任",
            "经济处罚",
            "处罚",
            "扣罚",
            "罚款",
            "罚",
            "赔偿",
            "奖励",
            "奖金",
            "扣除",
            "扣减",
            "扣薪",
            "扣",
            "缺勤",
            "加倍",
            "翻倍",
            "双倍",
            "起步",
            "无封顶",
            "不封顶",
            "封顶",
            "不设上限",
            "上限",
            "下限",
            "一律",
            "涉及金额",
            "当月",
            "当日",
            "当天",
            "日工资",
            "月工资",
            "工资",
            "给予",
            "处以",
            "予以",
            "每",
            "各",
            "的",
            "对",
            "按",
            "并",
            "及",
            "和",
            "元",
            "次",
        ]
    )
)
_STATES_AMOUNT = re.compile(r"\d|倍|%|%")
_TIMES_LABEL = re.compile(r"^按?(?P<base>.+?)的?(?P<number>\d+(?:\.\d+)?)(?P<unit>倍|%|%)")


def label_is_informative(label: str) -> bool:
    """True when a label says more than the data does (``按医保规定罚款``, ``每户罚款``);
    ``扣罚当事人20元/次`` or ``部门经济处罚`` only restate amount, party and kind."""
    rest = _GENERIC.sub("", label)
    return bool(re.sub(r"[\W_]", "", rest))


def _usable(label: str) -> bool:
    """A label that may name the money in front of its amount: informative, no amount."""
    return label_is_informative(label) and not _STATES_AMOUNT.search(label)


def _has_party(text: str) -> bool:
    return any(word in text for word in _PARTY_WORDS)


def charge_name(charge: Charge) -> str:
    """What a charge is called on a money line: its label, else party + kind (``部门罚款``)."""
    return charge.label or PARTY_PREFIX[charge.party] + charge.money_kind.label


def made_name(charge: Charge) -> str:
    """The name the data gives a charge: ``罚款``, ``部门罚款``, ``缺勤扣薪``."""
    return PARTY_PREFIX[charge.party] + charge.money_kind.label


def line_name(charge: Charge) -> str:
    """The name an explanation puts before an amount: the label when it says what the money
    is for without stating the amount (``事假罚款``, ``部门每户罚款``), else ``made_name``."""
    if not _usable(charge.label):
        return made_name(charge)
    if charge.party is not Party.EMPLOYEE and not _has_party(charge.label):
        return PARTY_PREFIX[charge.party] + charge.label
    return charge.label


def involved_base(charge: Charge) -> tuple[str, bool]:
    """What the amount involved is, from the label, and whether the label says it all.

    ``所收金额的10倍罚款`` (×10) gives ``("所收金额", False)``; ``退回多收金额`` (×1) gives
    ``("退回多收金额", True)``: the label alone names the money; no usable label gives
    ``("涉及金额", False)``.
    """
    label = charge.label
    multiplier = charge.multiplier or Decimal(0)
    if label_is_informative(label):
        found = _TIMES_LABEL.match(label)
        if (
            found
            and Decimal(found["number"]) == multiplier
            and (found["unit"] != "倍") == charge.basis.is_percent
        ):
            return found["base"], False
        if (
            charge.basis is Basis.INVOLVED_MULTIPLE
            and multiplier == 1
            and not _STATES_AMOUNT.search(label)
        ):
            return label, True
    return "涉及金额", False


# --- amounts ------------------------------------------------------------------------------


def range_text(low: Decimal | None, high: Decimal | None) -> str:
    """``¥100–200``, ``¥20起(不设上限)``, or ``金额视情况确定`` when unbounded."""
    low = low or Decimal(0)
    if high is None:
        return "金额视情况确定" if low == 0 else f"{format_yuan(low)}起(不设上限)"
    if low == high:
        return format_yuan(low)
    return f"{format_yuan(low)}–{format_yuan(high).removeprefix('¥')}"


def officer_range_note(low: Decimal | None, high: Decimal | None) -> str:
    """How an officer's amount was bounded: ``区间¥100–200内确定`` / ``经办人确定,不低于¥20``."""
    if high is None:
        return "经办人确定" + (f",不低于{format_yuan(low)}" if low else "")
    return f"区间{range_text(low, high)}内确定"


def _is_open(charge: Charge) -> bool:
    return charge.basis is Basis.RANGE and not charge.min_amount and charge.max_amount is None


def _times(multiplier: Decimal, basis: Basis) -> str:
    return f"{format_number(multiplier)}{'%' if basis.is_percent else '倍'}"


def _base_text(charge: Charge, base: str, subject: str) -> str:
    """The multiplied amount: ``所收金额的10倍``, ``1.5倍日工资``, ``当月全部奖金``."""
    multiplier = charge.multiplier or Decimal(0)
    basis = charge.basis
    times = _times(multiplier, basis)
    if basis is Basis.INVOLVED_MULTIPLE:
        return base if multiplier == 1 else f"{base}的{times}"
    if basis is Basis.INVOLVED_PERCENT:
        return f"{base}的{times}"
    if basis is Basis.DAILY_WAGE_MULTIPLE:
        return "当日工资" if multiplier == 1 else f"{times}日工资"
    if basis is Basis.MONTHLY_WAGE_MULTIPLE:
        whose = "" if subject else "本人"
        return (
            f"{whose}月工资" if multiplier == 1 else f"{whose}{format_number(multiplier)}个月工资"
        )
    if basis is Basis.BONUS_PERCENT:
        return "当月全部奖金" if multiplier == 100 else f"当月奖金的{times}"
    return f"当事人{KIND_NOUN[charge.money_kind]}的{times}"  # person_multiple


# --- charges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    """One charge in words: ``subject`` + ``each`` + ``body`` (``当事人`` ``每次`` ``罚款¥20``);
    ``plain`` phrases come from the data alone and may share a subject with the next one."""

    subject: str
    each: str
    body: str
    plain: bool = False

    @property
    def text(self) -> str:
        return self.subject + self.each + self.body


def _named(charge: Charge, subject: str) -> str:
    """The label as the name of the money, with the subject and verb it lacks."""
    label = charge.label
    who = subject if subject and not _has_party(label) else ""
    if charge.money_kind is MoneyKind.REWARD:
        return ("" if "奖" in label else "奖励") + who + label
    if charge.money_kind is MoneyKind.FINE and "罚" not in label:
        return who + "罚款" + label
    return who + label


def _multiple_phrase(charge: Charge, subject: str) -> str:
    basis = charge.basis
    kind = charge.money_kind
    floor = f"(不低于{format_yuan(charge.min_amount)})" if charge.min_amount else ""
    if basis is Basis.PERSON_MULTIPLE:
        whole = _base_text(charge, "", subject)
        if _usable(charge.label):
            return f"{_named(charge, subject)}为{whole}{floor}"
        return f"{subject}连带{KIND_NOUN[kind]}为{whole}{floor}"
    base = "涉及金额"
    if basis in (Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT):
        base, alone = involved_base(charge)
        if alone:
            return _named(charge, subject) + floor
    what = _base_text(charge, base, subject)
    per_unit = BY_QUANTITY if charge.per_unit else ""
    if kind is MoneyKind.FINE:
        if basis in (Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT) and not subject:
            text = f"{what}罚款" if "的" in what else f"按{what}罚款"
        else:
            text = f"{subject}按{what}罚款"
    elif kind is MoneyKind.COMPENSATION:
        text = f"{subject}按{what}赔偿"
    elif kind is MoneyKind.BONUS_REDUCTION:
        text = f"{subject}扣除{what}"
    elif kind is MoneyKind.ABSENCE_CUT:
        text = f"{subject}扣{what}"
    else:
        text = f"奖励{subject}{what}"
    return text + floor + per_unit


def _charge_phrase(charge: Charge, subject: str, each: str) -> _Phrase:
    """One charge in words; ``subject`` names the party when it must be named."""
    basis = charge.basis
    if basis not in (Basis.FIXED, Basis.RANGE):
        return _Phrase("", "", _multiple_phrase(charge, subject))
    if _is_open(charge):
        if label_is_informative(charge.label):
            return _Phrase("", "", _named(charge, subject))
        return _Phrase(subject, "", KIND_NOUN[charge.money_kind] + OPEN_AMOUNT)
    if basis is Basis.FIXED:
        amount = format_yuan(charge.amount or Decimal(0))
    else:
        amount = range_text(charge.min_amount, charge.max_amount)
    if _usable(charge.label):
        per_unit = BY_QUANTITY if charge.per_unit and "每" not in charge.label else ""
        return _Phrase("", "", _named(charge, subject) + amount + per_unit)
    per_unit = BY_QUANTITY if charge.per_unit else ""
    if charge.money_kind is MoneyKind.REWARD:
        return _Phrase("", "", f"奖励{subject}{amount}{per_unit}")
    if charge.per_unit or basis is not Basis.FIXED:
        each = ""
    return _Phrase(subject, each, f"{KIND_NOUN[charge.money_kind]}{amount}{per_unit}", True)


def _subjects(charges: tuple[Charge, ...]) -> list[str]:
    """The subject of each charge: every party is named when several pay, else only a party
    other than the employee."""
    several = len({c.party for c in charges}) > 1
    subjects = []
    for charge in charges:
        if charge.party is Party.EMPLOYEE:
            if not several:
                subjects.append("")
            elif charge.money_kind is MoneyKind.REWARD:
                subjects.append(REWARD_EMPLOYEE)
            else:
                subjects.append(PARTY_SUBJECT[Party.EMPLOYEE])
        else:
            subjects.append(PARTY_SUBJECT[charge.party])
    return subjects


def _each(charge: Charge, several: bool) -> str:
    """``每次`` for a fixed amount each time; a department answers for each person: ``每人次``."""
    return "每人次" if several and charge.party is Party.DEPARTMENT else "每次"


def _charge_phrases(charges: tuple[Charge, ...], *, each: bool) -> list[_Phrase]:
    several = len({c.party for c in charges}) > 1
    phrases = [
        _charge_phrase(charge, subject, _each(charge, several) if each else "")
        for charge, subject in zip(charges, _subjects(charges), strict=True)
    ]
    return phrases


def _joined(phrases: list[_Phrase]) -> list[str]:
    """Phrase texts; neighbours with the same money share it: ``当事人及直接主管每次各罚款¥1,000``;
    rewards share the verb: ``奖励本人¥20、所在部门¥200``."""
    out: list[str] = []
    i = 0
    while i < len(phrases):
        phrase = phrases[i]
        group = [phrase]
        while (
            phrase.plain
            and phrase.subject
            and i + len(group) < len(phrases)
            and phrases[i + len(group)].plain
            and phrases[i + len(group)].subject
            and (phrases[i + len(group)].each, phrases[i + len(group)].body)
            == (phrase.each, phrase.body)
        ):
            group.append(phrases[i + len(group)])
        if len(group) > 1:
            out.append("及".join(p.subject for p in group) + phrase.each + "各" + phrase.body)
        elif out and out[-1].startswith("奖励") and phrase.text.startswith("奖励"):
            out[-1] += "、" + phrase.text.removeprefix("奖励")
        else:
            out.append(phrase.text)
        i += len(group)
    return out


def charge_text(charge: Charge) -> str:
    """One charge in words: ``罚款¥50``, ``扣1.5倍日工资``, ``所在部门罚款¥200``."""
    return _joined(_charge_phrases((charge,), each=False))[0]


# --- levels -------------------------------------------------------------------------------


def _level_extras(level: Level) -> list[str]:
    return [join_names([code]) for code in level.sanctions] + list(level.consequences)


def level_text(level: Level, noun: str = "罚款") -> str:
    """A level inside the bracket of a range: ``情节较轻¥100``, ``情节严重¥200并停职反省``,
    ``情节恶劣:辞退``."""
    extras = "、".join(_level_extras(level))
    if level.amount is not None:
        return level.name + format_yuan(level.amount) + ("并" + extras if extras else "")
    return f"{level.name}:{extras or '免予' + noun}"


def _level_clause(level: Level) -> str:
    """A level of a step without amounts: ``情节严重的给予解聘、解除劳动合同``; '' if it adds
    nothing."""
    ladder = [code for code in level.sanctions if get_sanction(code).on_ladder]
    side = [join_names([code]) for code in level.sanctions if not get_sanction(code).on_ladder]
    parts = (["给予" + join_names(ladder, "、")] if ladder else []) + side
    parts += list(level.consequences)
    if not parts:
        return ""
    who = level.name if level.name.endswith(("的", "者")) else level.name + "的"
    return who + "、".join(parts)


def _levels_priced(step: Step) -> bool:
    return step.first_range_index() is not None and any(lv.amount is not None for lv in step.levels)


# --- steps --------------------------------------------------------------------------------

_SANCTION_STARTS = ("给予", "视情节给予")


def _step_items(step: Step, *, each: bool = False) -> list[str]:
    items: list[str] = []
    phrases = _charge_phrases(step.charges, each=each)
    first_range = step.first_range_index()
    priced = _levels_priced(step)
    if first_range is not None:
        charge = step.charges[first_range]
        phrase = phrases[first_range]
        body = phrase.body
        if priced and _is_open(charge) and body.endswith(OPEN_AMOUNT):
            body = body.removesuffix(OPEN_AMOUNT)
        tail = ""
        if charge.money_kind is not MoneyKind.REWARD and (priced or not _is_open(charge)):
            tail = "," + BY_SEVERITY
        if priced:
            noun = KIND_NOUN[charge.money_kind]
            tail += "(" + ";".join(level_text(lv, noun) for lv in step.levels) + ")"
        phrases[first_range] = _Phrase(phrase.subject, phrase.each, body + tail)
    items.extend(_joined(phrases))

    ladder = [code for code in step.sanctions if get_sanction(code).on_ladder]
    side = [code for code in step.sanctions if not get_sanction(code).on_ladder]
    first_sanction = max(len(items), 1)  # the first sanction after something else takes 并
    if ladder:
        items.append("给予" + join_names(ladder, "、"))
    if side:
        items.append(join_names(side, "、"))
    by_level = {code for level in step.levels for code in level.sanctions}
    if step.sanction_choices and not set(step.sanction_choices) <= by_level:
        items.append("视情节给予" + join_names(step.sanction_choices))
    if first_sanction < len(items):
        items[first_sanction] = "并" + items[first_sanction]
    if step.points:
        items.append(("每次" if each and not items else "") + f"扣{step.points}分")
    items.extend(step.consequences)
    if not priced:
        items.extend(clause for clause in map(_level_clause, step.levels) if clause)
    return items


def step_text(step: Step, *, each: bool = False) -> str:
    """Everything one step imposes, joined by commas; ``each`` marks fixed amounts and points
    as due every time (``每次罚款¥50``)."""
    return ",".join(_step_items(step, each=each)) or "不作处理"


# --- ladders ------------------------------------------------------------------------------

_CHINESE_DIGITS = "零一二三四五六七八九十"
_CLAUSE_SPLIT = re.compile(r"([,;:,;:])")


def _chinese_number(n: int) -> str:
    if n <= 10:
        return _CHINESE_DIGITS[n]
    if n < 20:
        return "十" + _CHINESE_DIGITS[n - 10]
    if n < 100:
        return _CHINESE_DIGITS[n // 10] + "十" + (_CHINESE_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _templated(text: str, n: int) -> str:
    """``本月第2次迟到,…`` of step 2 → ``本月第#次迟到,…``: a step restating its own number."""
    return re.sub(rf"第(?:{n}|{_chinese_number(n)})次", "第#次", text)


def _drop_clauses(text: str, keep) -> str:
    """``text`` without the clauses (between , ; :) for which ``keep`` is false; the whole
    text when every clause would go."""
    tokens = _CLAUSE_SPLIT.split(text)
    clauses = tokens[0::2]
    seps = [*tokens[1::2], ""]
    kept = [(c, s) for c, s in zip(clauses, seps, strict=True) if keep(c)]
    if not kept:
        return text
    return "".join(c + s for c, s in kept[:-1]) + kept[-1][0]


def _ladder_text(schedule: Schedule) -> str:
    steps = schedule.steps
    groups: list[tuple[int, int, str]] = []  # first, last occurrence, templated text
    for step in steps[:-1]:
        text = _templated(step_text(step), step.occurrence_from)
        if groups and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], step.occurrence_from, text)
        else:
            groups.append((step.occurrence_from, step.occurrence_from, text))
    parts = []
    for low, high, _ in groups:
        step = steps[low - 1]
        if low == high:
            parts.append(f"第{low}次{step_text(step)}")
        else:
            words = _templated(step_text(step, each=True), low)
            words = _drop_clauses(words, lambda clause: "第#次" not in clause)
            parts.append(f"第{low}–{high}次{words}")
    final = steps[-1]
    parts.append(f"第{final.occurrence_from}次起{step_text(final, each=True)}")
    text = ";".join(parts)
    counting = window_counting(schedule.window, schedule.window_days)
    counting = counting.replace("(", ",").replace(")", "")  # no bracket inside the bracket
    return text + (f"({counting})" if counting else "")


# --- triggers -----------------------------------------------------------------------------

_COUNT = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*(?:次|天|日)")
_COUNT_WORDS = ("累计", "超过", "连续", "持续")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    text = text.replace("两", "二")
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CHINESE_DIGITS.index(tens) if tens else 1) * 10 + (
            _CHINESE_DIGITS.index(ones) if ones else 0
        )
    return _CHINESE_DIGITS.index(text)


def _restates_condition(clause: str, trigger: Trigger) -> bool:
    """A clause of the consequence that only says when the trigger fires (``一个月内累计被投诉
    两次(含两次)``, ``超过三次``, ``文优服务积分扣完``): the summary states the condition."""
    if trigger.kind is TriggerKind.POINTS_EXHAUSTED:
        return "扣完" in clause
    if trigger.threshold is None or not any(word in clause for word in _COUNT_WORDS):
        return False
    for found in _COUNT.finditer(clause):
        n = _number(found.group(1))
        if n == trigger.threshold or ("超过" in clause and n + 1 == trigger.threshold):
            return True
    return False


def _mentions(text: str, name: str) -> bool:
    """``name``'s characters appear in ``text`` in order (``调离待岗``: ``调离大厅…岗位待岗``)."""
    rest = iter(text)
    return all(char in rest for char in name)


def _charge_mentioned(charge: Charge, text: str) -> bool:
    if charge.label and charge.label in text:
        return True
    return (
        charge.basis is Basis.FIXED and f"{decimal_to_str(charge.amount or Decimal(0))}元" in text
    )


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


def trigger_consequence(trigger: Trigger) -> str:
    """What follows once the trigger fires, without repeating the condition, with the
    sanctions and money the consequence text does not already name."""
    body = _drop_clauses(
        trigger.consequence, lambda clause: not _restates_condition(clause, trigger)
    )
    parts = [body]
    missing = [code for code in trigger.sanctions if not _mentions(body, join_names([code]))]
    ladder = [code for code in missing if get_sanction(code).on_ladder]
    side = [code for code in missing if not get_sanction(code).on_ladder]
    if ladder:
        parts.append("给予" + join_names(ladder, "、"))
    if side:
        parts.append(join_names(side, "、"))
    charges = tuple(c for c in trigger.charges if not _charge_mentioned(c, trigger.consequence))
    parts.extend(_joined(_charge_phrases(charges, each=False)))
    return ",".join(parts)


def trigger_text(trigger: Trigger) -> str:
    """``当月内累计2次:调离大厅工作岗位待岗``."""
    return f"{trigger_condition(trigger)}:{trigger_consequence(trigger)}"


def _triggers_text(triggers: tuple[Trigger, ...]) -> list[str]:
    """One clause per distinct consequence; conditions that lead to the same are joined:
    ``积分扣完或30天内累计3次(本制度各条合计):…``."""
    merged: dict[str, list[str]] = {}
    for trigger in triggers:
        merged.setdefault(trigger_consequence(trigger), []).append(trigger_condition(trigger))
    return [f"{'或'.join(conditions)}:{body}" for body, conditions in merged.items()]


# --- the summary --------------------------------------------------------------------------


def summarize(schedule: Schedule) -> str:
    """The whole schedule in one short Chinese paragraph, without the note."""
    if schedule.is_ladder:
        text = _ladder_text(schedule)
    else:
        text = step_text(schedule.steps[0], each=True)
    return ";".join([text, *_triggers_text(schedule.triggers)])
