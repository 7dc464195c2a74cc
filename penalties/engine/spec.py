"""The schedule format (docs/schedule-format.md) as frozen dataclasses, with its parser.

``parse_schedule`` is the one place a schedule dict is validated; it collects every
problem and raises ``ScheduleError`` naming the path of each bad field in Chinese.
``schedule_to_dict`` writes the canonical dict back (defaults left out, money as
strings without trailing zeros), so ``parse(to_dict(parse(d))) == parse(d)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from .money import canonical, decimal_to_str
from .sanctions import is_sanction

# --- enums ------------------------------------------------------------------------------


class Window(StrEnum):
    CALENDAR_MONTH = "calendar_month"
    ROLLING_DAYS = "rolling_days"
    HALF_YEAR = "half_year"
    CALENDAR_YEAR = "calendar_year"
    ALL_TIME = "all_time"

    @property
    def label(self) -> str:
        return WINDOW_LABELS[self]


class MoneyKind(StrEnum):
    FINE = "fine"
    COMPENSATION = "compensation"
    BONUS_REDUCTION = "bonus_reduction"
    ABSENCE_CUT = "absence_cut"
    REWARD = "reward"

    @property
    def label(self) -> str:
        return MONEY_KIND_LABELS[self]


class Party(StrEnum):
    EMPLOYEE = "employee"
    DEPARTMENT = "department"
    SUPERVISOR = "supervisor"
    LEADER = "leader"

    @property
    def label(self) -> str:
        return PARTY_LABELS[self]


class Basis(StrEnum):
    FIXED = "fixed"
    RANGE = "range"
    INVOLVED_MULTIPLE = "involved_multiple"
    INVOLVED_PERCENT = "involved_percent"
    DAILY_WAGE_MULTIPLE = "daily_wage_multiple"
    MONTHLY_WAGE_MULTIPLE = "monthly_wage_multiple"
    BONUS_PERCENT = "bonus_percent"
    PERSON_MULTIPLE = "person_multiple"

    @property
    def label(self) -> str:
        return BASIS_LABELS[self]

    @property
    def uses_multiplier(self) -> bool:
        return self not in (Basis.FIXED, Basis.RANGE)

    @property
    def is_percent(self) -> bool:
        return self in (Basis.INVOLVED_PERCENT, Basis.BONUS_PERCENT)


class TriggerKind(StrEnum):
    COUNT = "count"
    POINTS_EXHAUSTED = "points_exhausted"

    @property
    def label(self) -> str:
        return TRIGGER_KIND_LABELS[self]


class Scope(StrEnum):
    RULE = "rule"
    RULEBOOK = "rulebook"

    @property
    def label(self) -> str:
        return SCOPE_LABELS[self]


class Subject(StrEnum):
    EMPLOYEE = "employee"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return SUBJECT_LABELS[self]


class Flag(StrEnum):
    """A flag for HR to review; never an automatic action."""

    RESIGNATION = "resignation"
    DISMISSAL_REVIEW = "dismissal_review"
    TRANSFER = "transfer"
    TRAINING = "training"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self]


WINDOW_LABELS: dict[Window, str] = {
    Window.CALENDAR_MONTH: "自然月",
    Window.ROLLING_DAYS: "滚动天数",
    Window.HALF_YEAR: "半年",
    Window.CALENDAR_YEAR: "自然年",
    Window.ALL_TIME: "累计",
}
MONEY_KIND_LABELS: dict[MoneyKind, str] = {
    MoneyKind.FINE: "罚款",
    MoneyKind.COMPENSATION: "赔偿",
    MoneyKind.BONUS_REDUCTION: "扣减绩效/奖金",
    MoneyKind.ABSENCE_CUT: "缺勤扣薪",
    MoneyKind.REWARD: "奖励",
}
PARTY_LABELS: dict[Party, str] = {
    Party.EMPLOYEE: "当事人",
    Party.DEPARTMENT: "所在部门",
    Party.SUPERVISOR: "直接主管",
    Party.LEADER: "责任领导",
}
BASIS_LABELS: dict[Basis, str] = {
    Basis.FIXED: "固定金额",
    Basis.RANGE: "区间金额",
    Basis.INVOLVED_MULTIPLE: "涉及金额的倍数",
    Basis.INVOLVED_PERCENT: "涉及金额的百分比",
    Basis.DAILY_WAGE_MULTIPLE: "日工资的倍数",
    Basis.MONTHLY_WAGE_MULTIPLE: "月工资的倍数",
    Basis.BONUS_PERCENT: "当月奖金的百分比",
    Basis.PERSON_MULTIPLE: "当事人金额的倍数",
}
TRIGGER_KIND_LABELS: dict[TriggerKind, str] = {
    TriggerKind.COUNT: "累计次数",
    TriggerKind.POINTS_EXHAUSTED: "积分扣完",
}
SCOPE_LABELS: dict[Scope, str] = {Scope.RULE: "本条", Scope.RULEBOOK: "本制度"}
SUBJECT_LABELS: dict[Subject, str] = {Subject.EMPLOYEE: "员工", Subject.DEPARTMENT: "部门"}
FLAG_LABELS: dict[Flag, str] = {
    Flag.RESIGNATION: "视为自动离职",
    Flag.DISMISSAL_REVIEW: "解聘审查",
    Flag.TRANSFER: "调岗",
    Flag.TRAINING: "培训",
}

# --- dataclasses ------------------------------------------------------------------------


@dataclass(frozen=True)
class Charge:
    """One money consequence. Unused money fields are ``None``."""

    basis: Basis
    money_kind: MoneyKind = MoneyKind.FINE
    party: Party = Party.EMPLOYEE
    amount: Decimal | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    multiplier: Decimal | None = None
    per_unit: bool = False
    label: str = ""


@dataclass(frozen=True)
class Level:
    """A named severity level of a step."""

    code: str
    name: str
    amount: Decimal | None = None
    sanctions: tuple[str, ...] = ()
    consequences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    occurrence_from: int = 1
    charges: tuple[Charge, ...] = ()
    sanctions: tuple[str, ...] = ()
    sanction_choices: tuple[str, ...] = ()
    levels: tuple[Level, ...] = ()
    points: int = 0
    consequences: tuple[str, ...] = ()

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def first_range_index(self) -> int | None:
        return next((i for i, c in enumerate(self.charges) if c.basis is Basis.RANGE), None)


@dataclass(frozen=True)
class Trigger:
    consequence: str
    kind: TriggerKind = TriggerKind.COUNT
    threshold: int | None = None
    window: Window = Window.ALL_TIME
    window_days: int | None = None
    scope: Scope = Scope.RULE
    subject: Subject = Subject.EMPLOYEE
    sanctions: tuple[str, ...] = ()
    charges: tuple[Charge, ...] = ()
    flag: Flag | None = None


@dataclass(frozen=True)
class Schedule:
    steps: tuple[Step, ...]
    window: Window = Window.ALL_TIME
    window_days: int | None = None
    triggers: tuple[Trigger, ...] = ()
    note: str = ""

    @property
    def is_ladder(self) -> bool:
        return len(self.steps) > 1

    def step_for(self, occurrence: int) -> tuple[int, Step]:
        """Index and step that apply to occurrence number ``occurrence`` (≥ 1)."""
        index = 0
        for i, step in enumerate(self.steps):
            if step.occurrence_from <= occurrence:
                index = i
        return index, self.steps[index]


# --- errors -----------------------------------------------------------------------------


class ScheduleError(ValueError):
    """A schedule dict that does not follow the format; ``errors`` lists (path, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{path}: {message}" if path else message for path, message in self.errors)


MSG_NOT_MAPPING = "应为键值对(字典)"
MSG_NOT_LIST = "应为列表"
MSG_REQUIRED = "必填"
MSG_UNKNOWN_KEY = "未知字段"
MSG_NOT_INT = "应为整数"
MSG_NOT_BOOL = "应为 true 或 false"
MSG_NOT_TEXT = "应为文字"
MSG_EMPTY_TEXT = "不能为空"
MSG_BAD_CHOICE = "取值无效,可选:{choices}"
MSG_MONEY_FORMAT = '金额格式不正确,请写成字符串,如 "50" 或 "0.5"'
MSG_MONEY_FLOAT = '金额请写成字符串(如 "0.5"),不能用小数浮点数'
MSG_MONEY_NEGATIVE = "金额不能为负数"
MSG_MONEY_PLACES = "金额最多保留两位小数(到分)"
MSG_MULTIPLIER_FORMAT = '倍数格式不正确,请写成字符串,如 "2" 或 "1.5"'
MSG_MULTIPLIER_POSITIVE = "倍数必须大于零"
MSG_MAX_BELOW_MIN = "最高金额不能低于最低金额"
MSG_AT_LEAST_ONE = "至少需要一项"
MSG_MIN_ONE = "必须不小于 1"
MSG_MIN_ZERO = "不能为负数"
MSG_STEPS_START = "第一个步骤必须从第1次开始"
MSG_STEPS_GAP = "应为 {expected}:各步骤的次数须从1起依次排列,不能跳号或重复"
MSG_WINDOW_DAYS_REQUIRED = "滚动天数窗口(rolling_days)必须填写天数 window_days"
MSG_WINDOW_DAYS_UNUSED = "只有滚动天数窗口(rolling_days)才填写天数"
MSG_UNKNOWN_SANCTION = "未知处分代码:{code}"
MSG_DUPLICATE = "重复:{value}"
MSG_NOT_FOR_BASIS = "计算方式 {basis} 不使用此字段"
MSG_PERSON_MULTIPLE_EMPLOYEE = "当事人金额的倍数只能用于第二责任方(部门、主管或领导)"
MSG_PERSON_MULTIPLE_NO_BASE = "同一处还需有当事人的同类金额(money_kind 相同)作为加倍的基数"
MSG_PERSON_MULTIPLE_PER_UNIT = "当事人金额已含数量,不能再按数量计"
MSG_LEVEL_AMOUNT_NO_RANGE = "该步骤没有区间金额(range),情节档次不能设定金额"
MSG_LEVEL_AMOUNT_OUTSIDE = "情节金额不在区间 {low}–{high} 内"
MSG_STEP_EMPTY = "该步骤没有任何处理(金额、处分、情节、扣分或其他后果至少一项)"
MSG_SANCTION_CHOICES_FEW = "可选处分至少两个;只有一个时请写在 sanctions 中"
MSG_THRESHOLD_REQUIRED = "次数累计(count)必须填写 threshold"
MSG_THRESHOLD_UNUSED = "积分扣完(points_exhausted)不使用 threshold"

# --- parser -----------------------------------------------------------------------------

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

_SCHEDULE_KEYS = {"window", "window_days", "steps", "triggers", "note"}
_STEP_KEYS = {
    "occurrence_from",
    "charges",
    "sanctions",
    "sanction_choices",
    "levels",
    "points",
    "consequences",
}
_CHARGE_KEYS = {
    "basis",
    "money_kind",
    "party",
    "amount",
    "min_amount",
    "max_amount",
    "multiplier",
    "per_unit",
    "label",
}
_LEVEL_KEYS = {"code", "name", "amount", "sanctions", "consequences"}
_TRIGGER_KEYS = {
    "kind",
    "threshold",
    "window",
    "window_days",
    "scope",
    "subject",
    "consequence",
    "sanctions",
    "charges",
    "flag",
}


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Parser:
    """Walks a dict, collecting (path, message) pairs instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    # generic readers; each returns a usable fallback after recording an error

    def mapping(self, value: object, path: str, keys: set[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(path, MSG_NOT_MAPPING)
            return None
        for key in value:
            if key not in keys:
                self.error(_join(path, str(key)), MSG_UNKNOWN_KEY)
        return value

    def items(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        parse: Callable[[object, str], T | None],
    ) -> list[T]:
        value = data.get(key)
        if value is None:
            return []
        here = _join(path, key)
        if not isinstance(value, list):
            self.error(here, MSG_NOT_LIST)
            return []
        parsed = [parse(item, _join(here, i)) for i, item in enumerate(value)]
        return [item for item in parsed if item is not None]

    def choice(self, data: Mapping[str, Any], key: str, path: str, enum: type[E], default: E) -> E:
        value = data.get(key)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            choices = ", ".join(member.value for member in enum)
            self.error(_join(path, key), MSG_BAD_CHOICE.format(choices=choices))
            return default

    def integer(self, data: Mapping[str, Any], key: str, path: str, minimum: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        here = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(here, MSG_NOT_INT)
            return None
        if value < minimum:
            self.error(here, MSG_MIN_ONE if minimum == 1 else MSG_MIN_ZERO)
            return None
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(_join(path, key), MSG_NOT_BOOL)
            return False
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        here = _join(path, key)
        if value is None:
            if required:
                self.error(here, MSG_REQUIRED)
            return ""
        if not isinstance(value, str):
            self.error(here, MSG_NOT_TEXT)
            return ""
        if required and not value.strip():
            self.error(here, MSG_EMPTY_TEXT)
        return value.strip()

    def texts(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        def one(item: object, here: str) -> str | None:
            if not isinstance(item, str):
                self.error(here, MSG_NOT_TEXT)
                return None
            if not item.strip():
                self.error(here, MSG_EMPTY_TEXT)
                return None
            return item.strip()

        return tuple(self.items(data, key, path, one))

    def sanction_codes(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        def one(item: object, here: str) -> str | None:
            if not is_sanction(item):
                self.error(here, MSG_UNKNOWN_SANCTION.format(code=item))
                return None
            return str(item)

        codes = self.items(data, key, path, one)
        seen: set[str] = set()
        for i, code in enumerate(codes):
            if code in seen:
                self.error(_join(_join(path, key), i), MSG_DUPLICATE.format(value=code))
            seen.add(code)
        return tuple(dict.fromkeys(codes))

    def _number(self, value: object, here: str, bad_format: str) -> Decimal | None:
        if isinstance(value, float):
            self.error(here, MSG_MONEY_FLOAT)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            self.error(here, bad_format)
            return None
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            self.error(here, bad_format)
            return None
        if not number.is_finite():
            self.error(here, bad_format)
            return None
        return number

    def money(self, data: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        here = _join(path, key)
        number = self._number(value, here, MSG_MONEY_FORMAT)
        if number is None:
            return None
        if number < 0:
            self.error(here, MSG_MONEY_NEGATIVE)
            return None
        if number != number.quantize(Decimal("0.01")):
            self.error(here, MSG_MONEY_PLACES)
            return None
        return canonical(number)

    def multiplier(self, data: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        here = _join(path, key)
        number = self._number(value, here, MSG_MULTIPLIER_FORMAT)
        if number is None:
            return None
        if number <= 0:
            self.error(here, MSG_MULTIPLIER_POSITIVE)
            return None
        return canonical(number)

    # format pieces

    def window(self, data: Mapping[str, Any], path: str) -> tuple[Window, int | None]:
        window = self.choice(data, "window", path, Window, Window.ALL_TIME)
        days = self.integer(data, "window_days", path, 1)
        if window is Window.ROLLING_DAYS:
            if days is None and data.get("window_days") is None:
                self.error(_join(path, "window_days"), MSG_WINDOW_DAYS_REQUIRED)
        elif data.get("window_days") is not None:
            self.error(_join(path, "window_days"), MSG_WINDOW_DAYS_UNUSED)
            days = None
        return window, days

    def charge(self, value: object, path: str) -> Charge | None:
        data = self.mapping(value, path, _CHARGE_KEYS)
        if data is None:
            return None
        if data.get("basis") is None:
            self.error(_join(path, "basis"), MSG_REQUIRED)
            return None
        basis = self.choice(data, "basis", path, Basis, Basis.FIXED)
        if data.get("basis") != basis.value:
            return None
        money_kind = self.choice(data, "money_kind", path, MoneyKind, MoneyKind.FINE)
        party = self.choice(data, "party", path, Party, Party.EMPLOYEE)
        amount = self.money(data, "amount", path)
        min_amount = self.money(data, "min_amount", path)
        max_amount = self.money(data, "max_amount", path)
        multiplier = self.multiplier(data, "multiplier", path)
        per_unit = self.boolean(data, "per_unit", path)
        label = self.text(data, "label", path)

        if basis is Basis.FIXED:
            allowed, required = {"amount"}, {"amount"}
        elif basis is Basis.RANGE:
            allowed, required = {"min_amount", "max_amount"}, set()
            if min_amount is None and data.get("min_amount") is None:
                min_amount = Decimal(0)
            if min_amount is not None and max_amount is not None and max_amount < min_amount:
                self.error(_join(path, "max_amount"), MSG_MAX_BELOW_MIN)
        else:
            allowed, required = {"multiplier", "min_amount"}, {"multiplier"}
        for key in ("amount", "min_amount", "max_amount", "multiplier"):
            if key in required and data.get(key) is None:
                self.error(_join(path, key), MSG_REQUIRED)
            if key not in allowed and data.get(key) is not None:
                self.error(_join(path, key), MSG_NOT_FOR_BASIS.format(basis=basis.value))
        if basis is Basis.PERSON_MULTIPLE:
            if party is Party.EMPLOYEE:
                self.error(_join(path, "party"), MSG_PERSON_MULTIPLE_EMPLOYEE)
            if per_unit:
                self.error(_join(path, "per_unit"), MSG_PERSON_MULTIPLE_PER_UNIT)

        return Charge(
            basis=basis,
            money_kind=money_kind,
            party=party,
            amount=amount if "amount" in allowed else None,
            min_amount=min_amount if "min_amount" in allowed else None,
            max_amount=max_amount if "max_amount" in allowed else None,
            multiplier=multiplier if "multiplier" in allowed else None,
            per_unit=per_unit,
            label=label,
        )

    def charges(self, data: Mapping[str, Any], path: str) -> tuple[Charge, ...]:
        value = data.get("charges")
        if value is None:
            return ()
        here = _join(path, "charges")
        if not isinstance(value, list):
            self.error(here, MSG_NOT_LIST)
            return ()
        parsed = [(i, self.charge(item, _join(here, i))) for i, item in enumerate(value)]
        charges = [(i, c) for i, c in parsed if c is not None]
        bases = {
            c.money_kind
            for _, c in charges
            if c.party is Party.EMPLOYEE and c.basis is not Basis.PERSON_MULTIPLE
        }
        for i, c in charges:
            if c.basis is Basis.PERSON_MULTIPLE and c.money_kind not in bases:
                self.error(_join(here, i), MSG_PERSON_MULTIPLE_NO_BASE)
        return tuple(c for _, c in charges)

    def level(self, value: object, path: str) -> Level | None:
        data = self.mapping(value, path, _LEVEL_KEYS)
        if data is None:
            return None
        return Level(
            code=self.text(data, "code", path, required=True),
            name=self.text(data, "name", path, required=True),
            amount=self.money(data, "amount", path),
            sanctions=self.sanction_codes(data, "sanctions", path),
            consequences=self.texts(data, "consequences", path),
        )

    def step(self, value: object, path: str) -> Step | None:
        data = self.mapping(value, path, _STEP_KEYS)
        if data is None:
            return None
        occurrence_from = self.integer(data, "occurrence_from", path, 1)
        charges = self.charges(data, path)
        sanction_choices = self.sanction_codes(data, "sanction_choices", path)
        raw_choices = data.get("sanction_choices")
        if isinstance(raw_choices, list) and len(raw_choices) == 1:
            self.error(_join(path, "sanction_choices"), MSG_SANCTION_CHOICES_FEW)
        levels = tuple(self.items(data, "levels", path, self.level))
        step = Step(
            occurrence_from=occurrence_from if occurrence_from is not None else 1,
            charges=charges,
            sanctions=self.sanction_codes(data, "sanctions", path),
            sanction_choices=sanction_choices,
            levels=levels,
            points=self.integer(data, "points", path, 0) or 0,
            consequences=self.texts(data, "consequences", path),
        )
        self.check_levels(step, data, path)
        content = ("charges", "sanctions", "sanction_choices", "levels", "points", "consequences")
        if not any(data.get(key) for key in content):
            self.error(path, MSG_STEP_EMPTY)
        return step

    def check_levels(self, step: Step, data: Mapping[str, Any], path: str) -> None:
        seen: set[str] = set()
        first_range = step.first_range_index()
        charge = step.charges[first_range] if first_range is not None else None
        for i, level in enumerate(step.levels):
            here = _join(_join(path, "levels"), i)
            if level.code and level.code in seen:
                self.error(_join(here, "code"), MSG_DUPLICATE.format(value=level.code))
            seen.add(level.code)
            if level.amount is None:
                continue
            if charge is None:
                if not any(
                    isinstance(c, Mapping) and c.get("basis") == Basis.RANGE.value
                    for c in data.get("charges") or []
                ):
                    self.error(_join(here, "amount"), MSG_LEVEL_AMOUNT_NO_RANGE)
                continue
            low = charge.min_amount or Decimal(0)
            high = charge.max_amount
            if level.amount < low or (high is not None and level.amount > high):
                self.error(
                    _join(here, "amount"),
                    MSG_LEVEL_AMOUNT_OUTSIDE.format(
                        low=decimal_to_str(low), high="" if high is None else decimal_to_str(high)
                    ),
                )

    def trigger(self, value: object, path: str) -> Trigger | None:
        data = self.mapping(value, path, _TRIGGER_KEYS)
        if data is None:
            return None
        kind = self.choice(data, "kind", path, TriggerKind, TriggerKind.COUNT)
        threshold = self.integer(data, "threshold", path, 1)
        if kind is TriggerKind.COUNT and data.get("threshold") is None:
            self.error(_join(path, "threshold"), MSG_THRESHOLD_REQUIRED)
        if kind is TriggerKind.POINTS_EXHAUSTED and data.get("threshold") is not None:
            self.error(_join(path, "threshold"), MSG_THRESHOLD_UNUSED)
            threshold = None
        window, window_days = self.window(data, path)
        flag_value = data.get("flag")
        flag = None
        if flag_value not in (None, ""):
            flag = self.choice(data, "flag", path, Flag, Flag.RESIGNATION)
            if flag_value != flag.value:
                flag = None
        return Trigger(
            consequence=self.text(data, "consequence", path, required=True),
            kind=kind,
            threshold=threshold,
            window=window,
            window_days=window_days,
            scope=self.choice(data, "scope", path, Scope, Scope.RULE),
            subject=self.choice(data, "subject", path, Subject, Subject.EMPLOYEE),
            sanctions=self.sanction_codes(data, "sanctions", path),
            charges=self.charges(data, path),
            flag=flag,
        )

    def schedule(self, value: object) -> Schedule | None:
        data = self.mapping(value, "", _SCHEDULE_KEYS)
        if data is None:
            return None
        window, window_days = self.window(data, "")
        raw_steps = data.get("steps")
        if raw_steps is None:
            self.error("steps", MSG_REQUIRED)
        elif isinstance(raw_steps, list) and not raw_steps:
            self.error("steps", MSG_AT_LEAST_ONE)
        steps = tuple(self.items(data, "steps", "", self.step))
        if isinstance(raw_steps, list) and len(steps) == len(raw_steps):
            for i, step in enumerate(steps):
                if step.occurrence_from != i + 1:
                    here = _join(_join("steps", i), "occurrence_from")
                    if i == 0:
                        self.error(here, MSG_STEPS_START)
                    else:
                        self.error(here, MSG_STEPS_GAP.format(expected=i + 1))
        return Schedule(
            steps=steps,
            window=window,
            window_days=window_days,
            triggers=tuple(self.items(data, "triggers", "", self.trigger)),
            note=self.text(data, "note", ""),
        )


def parse_schedule(data: object) -> Schedule:
    """Validate a schedule dict and return it as a ``Schedule``; raise ``ScheduleError``."""
    parser = _Parser()
    schedule = parser.schedule(data)
    if parser.errors or schedule is None:
        raise ScheduleError(parser.errors or [("", MSG_NOT_MAPPING)])
    return schedule


# --- writer -----------------------------------------------------------------------------


def _charge_to_dict(charge: Charge) -> dict[str, Any]:
    out: dict[str, Any] = {"basis": charge.basis.value}
    if charge.money_kind is not MoneyKind.FINE:
        out["money_kind"] = charge.money_kind.value
    if charge.party is not Party.EMPLOYEE:
        out["party"] = charge.party.value
    if charge.amount is not None:
        out["amount"] = decimal_to_str(charge.amount)
    if charge.min_amount is not None and not (
        charge.basis is Basis.RANGE and charge.min_amount == 0
    ):
        out["min_amount"] = decimal_to_str(charge.min_amount)
    if charge.max_amount is not None:
        out["max_amount"] = decimal_to_str(charge.max_amount)
    if charge.multiplier is not None:
        out["multiplier"] = decimal_to_str(charge.multiplier)
    if charge.per_unit:
        out["per_unit"] = True
    if charge.label:
        out["label"] = charge.label
    return out


def _level_to_dict(level: Level) -> dict[str, Any]:
    out: dict[str, Any] = {"code": level.code, "name": level.name}
    if level.amount is not None:
        out["amount"] = decimal_to_str(level.amount)
    if level.sanctions:
        out["sanctions"] = list(level.sanctions)
    if level.consequences:
        out["consequences"] = list(level.consequences)
    return out


def _step_to_dict(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"occurrence_from": step.occurrence_from}
    if step.charges:
        out["charges"] = [_charge_to_dict(c) for c in step.charges]
    if step.sanctions:
        out["sanctions"] = list(step.sanctions)
    if step.sanction_choices:
        out["sanction_choices"] = list(step.sanction_choices)
    if step.levels:
        out["levels"] = [_level_to_dict(lv) for lv in step.levels]
    if step.points:
        out["points"] = step.points
    if step.consequences:
        out["consequences"] = list(step.consequences)
    return out


def _trigger_to_dict(trigger: Trigger) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if trigger.kind is not TriggerKind.COUNT:
        out["kind"] = trigger.kind.value
    if trigger.threshold is not None:
        out["threshold"] = trigger.threshold
    if trigger.window is not Window.ALL_TIME:
        out["window"] = trigger.window.value
    if trigger.window_days is not None:
        out["window_days"] = trigger.window_days
    if trigger.scope is not Scope.RULE:
        out["scope"] = trigger.scope.value
    if trigger.subject is not Subject.EMPLOYEE:
        out["subject"] = trigger.subject.value
    out["consequence"] = trigger.consequence
    if trigger.sanctions:
        out["sanctions"] = list(trigger.sanctions)
    if trigger.charges:
        out["charges"] = [_charge_to_dict(c) for c in trigger.charges]
    if trigger.flag is not None:
        out["flag"] = trigger.flag.value
    return out


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """The canonical dict (JSON/YAML-ready) of ``schedule``; defaults are left out."""
    out: dict[str, Any] = {}
    if schedule.window is not Window.ALL_TIME:
        out["window"] = schedule.window.value
    if schedule.window_days is not None:
        out["window_days"] = schedule.window_days
    out["steps"] = [_step_to_dict(s) for s in schedule.steps]
    if schedule.triggers:
        out["triggers"] = [_trigger_to_dict(t) for t in schedule.triggers]
    if schedule.note:
        out["note"] = schedule.note
    return out
