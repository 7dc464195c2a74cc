"""Deterministic load data at company scale: a department tree, employees, violations over
the last three years with their penalties in every state, approval history, notices and
appeals.

    generate(employees=10_000, violations=1_000_000, seed=1)

The same seed (and the same ``today``) gives the same rows. On PostgreSQL the rows go in
with ``COPY … FROM STDIN`` (psycopg2 ``copy_expert``), elsewhere (SQLite, for the tests)
with ``bulk_create``. Primary keys are assigned here, in the order the violations
happened, so that the occurrence numbers (counted in memory, per employee and rule, in
the schedule's counting window, voided ones left out) agree with what
``conduct.selectors.violations.Ledger.counts`` counts from the rows.

What is exact and what is approximated: occurrence numbers, statuses, who decided what
and when, notice numbering per year and the penalty amounts of the engine's quote are
exact. The engine is asked once per (rule, occurrence, wage) and the answer reused: its
trigger counts are taken as the occurrence number and a points budget as untouched, so
an accumulation trigger of a department or of a whole rulebook is not replayed. No audit
entries are written (the data never went through the services), and load employees have
no logins except the few ``load-*`` users made for the benchmarks.
"""

from __future__ import annotations

import bisect
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

ROOT_CODE = "LOAD"
EMPLOYEE_PREFIX = "L"
DIVISIONS = 8
DEPARTMENTS_PER_DIVISION = 6
TEAMS_PER_DEPARTMENT = 4
HEAVY_RECORDS = 500  # one employee gets exactly this many violations (the conduct file)
CHUNK = 50_000
WAGES = (
    Decimal("2200"),
    Decimal("2600"),
    Decimal("3000"),
    Decimal("3600"),
    Decimal("4500"),
    Decimal("6000"),
)
SOURCES = (  # (source, weight)
    ("inspection", 50),
    ("complaint", 20),
    ("attendance", 20),
    ("self_report", 3),
    ("other", 7),
)
LOAD_USERS = {  # username → role
    "load-hr": "hr_officer",
    "load-head": "department_head",
    "load-deputy": "deputy_gm",
    "load-gm": "gm",
    "load-payroll": "payroll_clerk",
}
DIVISION_NAMES = ["华东", "华南", "华北", "华中", "西南", "西北", "东北", "海外"]
DEPARTMENT_NAMES = ["客户服务部", "营业部", "维修抢修部", "后勤部", "财务部", "综合办公室"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华飞玲鹏红梅建婷斌宇浩凯晨欣怡涵轩萱远佳琪博"
PLACES = ["营业大厅", "一号窗口", "客服热线", "维修现场", "病区", "餐厅", "前台", "仓库", "办公室"]


class LoadDataExists(RuntimeError):
    pass


@dataclass
class Stats:
    """What was written and how long each stage took (seconds)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped_rules: list[str] = field(default_factory=list)
    heavy_employee_no: str = ""
    inbox_department: str = ""

    def add(self, table: str, count: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + count


# --- writing rows ------------------------------------------------------------------------


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _json_text(value) -> str:
    return _escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


_CONVERT: dict[type, Callable] = {
    int: str,
    str: _escape,
    Decimal: str,
    type(None): lambda _v: r"\N",
    bool: lambda v: "t" if v else "f",
    datetime: datetime.isoformat,
    date: date.isoformat,
    dict: _json_text,
    list: _json_text,
}


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    convert = _CONVERT.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, RawJSON):
        return value.copy_text
    return _escape(str(value))


class RawJSON:
    """A JSON value serialised once and shared by many rows; ``value`` for the ORM."""

    __slots__ = ("copy_text", "value")

    def __init__(self, value) -> None:
        self.value = value
        self.copy_text = _json_text(value)


class CopyPump:
    """Runs the COPYs on a thread of its own (same connection, same transaction), so the
    next chunk of rows is built while PostgreSQL takes the last one."""

    def __init__(self) -> None:
        import queue
        import threading

        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.seconds = 0.0
        self.thread = threading.Thread(target=self._run, name="copy-pump", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is not None:
                continue
            sql, buffer = item
            started = time.perf_counter()
            try:
                with self.raw.cursor() as cursor:
                    # Large reads: a small one per call would wait for the GIL each time.
                    cursor.copy_expert(sql, buffer, size=1 << 24)
            except BaseException as exc:
                self.error = exc
            self.seconds += time.perf_counter() - started

    def put(self, sql: str, buffer: io.StringIO) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((sql, buffer))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


class Writer:
    """Rows of one model, keyed by attname; missing fields take the model's default."""

    def __init__(self, model: type[models.Model], stats: Stats, pump: CopyPump | None) -> None:
        self.model = model
        self.stats = stats
        self.pump = pump
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.has_default():
                self.defaults[f.attname] = f.get_default
            elif f.null:
                self.defaults[f.attname] = lambda: None
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                self.defaults[f.attname] = str
        self.pending: list[dict] = []
        self.lines: list[str] = []
        self.format: Callable[[dict], str] | None = None
        self.default_text = {}
        if pump is not None:
            for name in self.names:
                if name in self.defaults:
                    self.default_text[name] = _copy_text(self.defaults[name]())
            columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
            table = connection.ops.quote_name(model._meta.db_table)
            self.sql = f"COPY {table} ({columns}) FROM STDIN"

    def add(self, row: dict) -> None:
        if self.pump is None:
            self.pending.append(row)
            if len(self.pending) >= 5000:
                self.flush()
            return
        if self.format is None:
            self.format = self._compile(row)
        self.lines.append(self.format(row))
        if len(self.lines) >= CHUNK:
            self.flush()

    def _compile(self, row: dict) -> Callable[[dict], str]:
        """A formatter for rows with the keys of ``row``: one expression per column
        (every row of a table carries the same keys), ~3× faster than a loop."""
        parts, scope = [], {"_copy_text": _copy_text}
        for name in self.names:
            if name in row:
                parts.append(f"_copy_text(row[{name!r}])")
            elif name in self.default_text:
                scope[f"d_{name}"] = self.default_text[name]
                parts.append(f"d_{name}")
            else:
                raise KeyError(f"{self.model.__name__}.{name} has no value and no default")
        source = "lambda row: '\\t'.join((" + ", ".join(parts) + ",))"
        return eval(source, scope)  # noqa: S307 - built from the model's own field names

    def _value(self, row: dict, attname: str):
        if attname in row:
            return row[attname]
        default = self.defaults.get(attname)
        if default is None:
            raise KeyError(f"{self.model.__name__}.{attname} has no value and no default")
        return default()

    def flush(self) -> None:
        if self.pump is not None:
            if self.lines:
                lines, self.lines = self.lines, []
                buffer = io.StringIO("\n".join(lines) + "\n")
                self.pump.put(self.sql, buffer)
                self.stats.add(self.model._meta.db_table, len(lines))
            return
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        objects = []
        for row in rows:
            values = {}
            for f in self.fields:
                value = self._value(row, f.attname)
                values[f.attname] = value.value if isinstance(value, RawJSON) else value
            objects.append(self.model(**values))
        self.model.objects.bulk_create(objects, batch_size=500)
        # bulk_create stamps auto_now(_add) fields with now(): put ours back.
        stamped = [
            f.attname
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        if stamped:
            for obj, row in zip(objects, rows, strict=True):
                for name in stamped:
                    if name in row:
                        setattr(obj, name, row[name])
            self.model.objects.bulk_update(objects, stamped, batch_size=500)
        self.stats.add(self.model._meta.db_table, len(rows))


_MISSING = object()


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_list:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - table names from models
                f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                [table],
            )


# --- the organisation --------------------------------------------------------------------


@dataclass
class Person:
    pk: int
    employee_no: str
    name: str
    department_id: int
    supervisor_id: int | None
    hire_date: date
    left_on: date | None
    wage: Decimal
    weight: float


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _departments(rng: random.Random, stats: Stats) -> list:
    """The tree: the group, its divisions, their departments, their teams."""
    from staff.models import Department

    made = []
    root = Department.objects.create(code=ROOT_CODE, name="集团总部")
    made.append(root)
    for d in range(1, DIVISIONS + 1):
        division = Department.objects.create(
            code=f"{ROOT_CODE}-{d}", name=f"{DIVISION_NAMES[(d - 1) % 8]}事业部", parent=root
        )
        made.append(division)
        for p in range(1, DEPARTMENTS_PER_DIVISION + 1):
            dept = Department(
                code=f"{ROOT_CODE}-{d}-{p:02d}",
                name=f"{DIVISION_NAMES[(d - 1) % 8]}{DEPARTMENT_NAMES[(p - 1) % 6]}",
                parent=division,
            )
            dept.save()
            made.append(dept)
            teams = [
                Department(code=f"{dept.code}-{t}", name=f"{dept.name}{t}组", parent=dept)
                for t in range(1, TEAMS_PER_DEPARTMENT + 1)
            ]
            made.extend(Department.objects.bulk_create(teams))
    stats.add("staff_department", len(made))
    return made


def _employees(
    rng: random.Random, count: int, departments: list, start: date, today: date, stats: Stats
) -> list[Person]:
    """``count`` people: one head per department first, the rest spread unevenly (teams
    of very different sizes), each reporting to their department's head."""
    from staff.models import Department, Employee, Grade, Position

    if count < len(departments):
        departments = departments[: max(1, count)]
    grades = list(Grade.objects.order_by("rank"))
    positions = list(Position.objects.order_by("name"))
    size_weight = {d.pk: rng.paretovariate(1.5) for d in departments}
    teams = [d for d in departments if d.code.count("-") == 3] or departments
    team_weights = [size_weight[d.pk] for d in teams]
    first_id = _next_id(Employee)
    head_of: dict[int, int] = {}
    parent_of = {d.pk: d.parent_id for d in departments}
    people: list[Person] = []
    pump = CopyPump() if connection.vendor == "postgresql" else None
    writer = Writer(Employee, stats, pump)
    stamp = datetime.combine(today, dtime(8), tzinfo=ZoneInfo(settings.TIME_ZONE))
    for n in range(count):
        pk = first_id + n
        if n < len(departments):
            dept = departments[n]
            head_of[dept.pk] = pk
        else:
            dept = rng.choices(teams, weights=team_weights)[0]
        if n < len(departments):
            supervisor = head_of.get(parent_of.get(dept.pk))
        else:
            supervisor = head_of.get(dept.pk)
        roll = rng.random()
        if n < len(departments) or roll < 0.85:
            hired = start - timedelta(days=rng.randrange(30, 365 * 12))
        else:
            hired = start + timedelta(days=rng.randrange(0, max(1, (today - start).days - 30)))
        status, left_on = "active", None
        if n >= len(departments):
            roll = rng.random()
            if roll < 0.03:
                status = "left"
                left_on = today - timedelta(days=rng.randrange(1, 600))
                if left_on <= hired + timedelta(days=30):
                    status, left_on = "active", None
            elif roll < 0.05:
                status = "suspended"
        wage = rng.choice(WAGES)
        grade = grades[min(len(grades) - 1, WAGES.index(wage) * len(grades) // len(WAGES))]
        number = f"{EMPLOYEE_PREFIX}{n + 1:06d}"
        name = _name(rng)
        writer.add(
            {
                "id": pk,
                "employee_no": number,
                "name": name,
                "department_id": dept.pk,
                "position_id": rng.choice(positions).pk if positions else None,
                "grade_id": grade.pk if grades else None,
                "hire_date": hired,
                "monthly_wage": wage,
                "monthly_bonus": (wage * Decimal("0.2")).quantize(Decimal("1")),
                "status": status,
                "left_on": left_on,
                "supervisor_id": supervisor,
                "user_id": None,
                "phone": f"139{rng.randrange(10**7, 10**8)}",
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        people.append(
            Person(
                pk=pk,
                employee_no=number,
                name=name,
                department_id=dept.pk,
                supervisor_id=supervisor,
                hire_date=hired,
                left_on=left_on,
                wage=wage,
                weight=min(rng.paretovariate(2.0), 8.0),  # repeat offenders, within reason
            )
        )
    writer.flush()
    if pump is not None:
        pump.close()
        stats.seconds["copy (in parallel)"] = round(pump.seconds, 2)
    for dept in departments:
        dept.head_id = head_of.get(dept.pk)
    Department.objects.bulk_update(departments, ["head"], batch_size=500)
    return people


def _users(people: list[Person], departments: list) -> dict:
    """The ``load-*`` logins (password: the demo's); ``load-head`` heads division 1."""
    from staff.demo import DEMO_PASSWORD
    from staff.models import Employee

    User = get_user_model()
    users = {}
    hashed = make_password(DEMO_PASSWORD)
    for username, role in LOAD_USERS.items():
        user, made = User.objects.get_or_create(username=username)
        if made:
            user.password = hashed
            user.first_name = username
            user.save()
        user.groups.add(*Group.objects.filter(name__in=[role, "employee"]))
        users[username] = user
    division = next(d for d in departments if d.code == f"{ROOT_CODE}-1")
    Employee.objects.filter(pk=division.head_id, user__isnull=True).update(user=users["load-head"])
    return users


# --- rules and the engine ------------------------------------------------------------------


@dataclass
class RuleInfo:
    rule: object
    rulebook: object
    version: object
    schedule: object
    weight: float
    earliest: date
    wage_based: bool = True
    cache: dict = field(default_factory=dict)


def _facts_inputs(step) -> dict:
    """Inputs a step needs, set to plausible values (the lowest level, the range's low
    end, an amount involved of ¥200, the first sanction offered)."""
    from penalties.engine import Basis

    inputs: dict = {}
    if step.levels:
        inputs["level"] = step.levels[0].code
    index = step.first_range_index()
    if index is not None:
        charge = step.charges[index]
        low = charge.min_amount or Decimal(0)
        inputs["amount"] = low if low > 0 else min(charge.max_amount or Decimal(100), Decimal(100))
    involved = {Basis.INVOLVED_MULTIPLE, Basis.INVOLVED_PERCENT}
    if any(c.basis in involved for c in step.charges):
        inputs["involved"] = Decimal("200")
    if step.sanction_choices:
        inputs["sanction_choice"] = step.sanction_choices[0]
    return inputs


class Quoter:
    """The engine's quote and penalty plan per (rule, occurrence, wage), computed once."""

    def __init__(self, divisor: Decimal) -> None:
        from penalties.engine import Facts, evaluate
        from penalties.tiers import DEFAULT_POLICY
        from staff.models import Employee

        self.Facts, self.evaluate = Facts, evaluate
        self.policy = DEFAULT_POLICY
        self.divisor = divisor
        self.person = Employee(pk=-1, supervisor=Employee(pk=-2))
        self.leader = Employee(pk=-3)

    def quote(self, info: RuleInfo, occurrence: int, wage: Decimal):
        key = (occurrence, wage if info.wage_based else None)
        found = info.cache.get(key)
        if found is None:
            found = info.cache[key] = self._compute(info, occurrence, wage)
        return found

    def _compute(self, info: RuleInfo, occurrence: int, wage: Decimal):
        from conduct.selectors.violations import Judgement, Position, quote_snapshot
        from penalties.engine import MoneyKind, Party, get_sanction, ladder_order
        from penalties.selectors.penalties import penalty_plan

        schedule = info.schedule
        _index, step = schedule.step_for(occurrence)
        facts = self.Facts(
            occurrence=occurrence,
            quantity=1,
            monthly_wage=wage,
            monthly_bonus=(wage * Decimal("0.2")).quantize(Decimal("1")),
            daily_wage_divisor=self.divisor,
            trigger_counts=tuple(occurrence for _t in schedule.triggers),
            points_balance=info.rulebook.points_budget,
            **_facts_inputs(step),
        )
        quote = self.evaluate(schedule, facts)
        plan = penalty_plan(
            quote=quote,
            employee=self.person,
            second_party_employee=self.leader,
            policy=self.policy,
            strict=False,
        )
        judgement = Judgement(
            info.rulebook,
            info.version,
            info.rule,
            schedule,
            facts,
            quote,
            Position(datetime.min.replace(tzinfo=ZoneInfo("UTC")), date.min),
        )
        penalties = [
            {
                "party": p.party.value,
                "payer": p.employee.pk if p.employee is not None else None,
                "is_primary": p.is_primary,
                "money_kind": p.money_kind,
                "amount": p.amount,
                "label": p.label[:200],
                "lines": RawJSON(p.lines),
                "sanctions": RawJSON(list(p.sanctions)),
                "points": p.points,
                "explanation": p.explanation,
                "required_tier": p.required_tier.value,
                "party_label": Party(p.party).label,
                "kind_label": MoneyKind(p.money_kind).label if p.money_kind else "",
                "sanction_names": [get_sanction(c).name for c in ladder_order(p.sanctions or [])],
            }
            for p in plan
        ]
        names_leader = any(p["party"] == "leader" for p in penalties)
        return (
            RawJSON(quote_snapshot(judgement)),
            quote.explanation,
            penalties,
            names_leader,
            facts,
        )


def _rules(
    rng: random.Random, start: date, today: date, stats: Stats
) -> tuple[list[RuleInfo], Quoter]:
    """Every active rule of each rulebook's version in force today, weighted so that a few
    rules (lateness, appearance…) are common and most are rare; a rule the engine cannot
    price with plausible inputs is left out (and named in the stats)."""
    from conduct.models import Rule, Rulebook
    from conduct.selectors.rulebooks import rulebook_version_in_force
    from penalties.engine import Basis
    from staff.models import CompanySettings

    WAGE_BASES = {
        Basis.DAILY_WAGE_MULTIPLE,
        Basis.MONTHLY_WAGE_MULTIPLE,
        Basis.BONUS_PERCENT,
    }

    quoter = Quoter(CompanySettings.get().daily_wage_divisor)
    infos: list[RuleInfo] = []
    for rulebook in Rulebook.objects.order_by("code"):
        version = rulebook_version_in_force(rulebook=rulebook, on=today)
        if version is None:
            continue
        rules = (
            Rule.objects.filter(version=version, is_active=True)
            .select_related("category")
            .order_by("position", "pk")
        )
        for rule in rules:
            schedule = rule.parsed_schedule
            info = RuleInfo(
                rule=rule,
                rulebook=rulebook,
                version=version,
                schedule=schedule,
                weight=0.0,
                earliest=max(start, version.effective_from),
                wage_based=any(
                    charge.basis in WAGE_BASES for step in schedule.steps for charge in step.charges
                )
                or any(c.basis in WAGE_BASES for t in schedule.triggers for c in t.charges),
            )
            try:
                for occurrence in (1, 2, 3):
                    quoter.quote(info, occurrence, WAGES[0])
            except Exception as exc:  # any engine refusal leaves the rule out
                stats.skipped_rules.append(f"{rulebook.code} {rule.number}: {exc}")
                continue
            info.cache.clear()
            infos.append(info)
    order = list(range(len(infos)))
    rng.shuffle(order)
    for rank, index in enumerate(order, start=1):
        infos[index].weight = 1.0 / rank**0.8
    return infos, quoter


# --- violations ----------------------------------------------------------------------------


@dataclass(slots=True)
class Draft:
    occurred_at: datetime
    order: int
    person: int  # index into people
    rule: int  # index into rules


def _random_day(rng: random.Random, first: date, last: date) -> date:
    span = (last - first).days
    return first + timedelta(days=rng.randrange(span + 1)) if span > 0 else first


def _drafts(
    rng: random.Random,
    count: int,
    people: list[Person],
    rules: list[RuleInfo],
    today: date,
    zone: ZoneInfo,
) -> tuple[list[Draft], int | None]:
    """Who broke which rule when, sorted by when; one person gets ``HEAVY_RECORDS``."""
    yesterday = today - timedelta(days=1)
    cum_rules = list(_cumulative([r.weight for r in rules]))
    cum_people = list(_cumulative([p.weight for p in people]))
    per_division = 1 + DEPARTMENTS_PER_DIVISION * (1 + TEAMS_PER_DEPARTMENT)
    heads = min(len(people), 1 + DIVISIONS * per_division)
    heavy = None
    if count >= 2 * HEAVY_RECORDS:
        heavy = next(
            (
                i
                for i in range(heads, len(people))
                if people[i].left_on is None and people[i].hire_date <= rules[0].earliest
            ),
            None,
        )
    heavy_count = HEAVY_RECORDS if heavy is not None else 0
    drafts: list[Draft] = []
    for n in range(count):
        rule_index = _pick(rng, cum_rules)
        earliest = rules[rule_index].earliest
        person_index = heavy if n < heavy_count else _pick(rng, cum_people)
        if n >= heavy_count and person_index == heavy:
            person_index = 0
        person = people[person_index]
        first = max(earliest, person.hire_date)
        last = min(yesterday, (person.left_on - timedelta(days=1)) if person.left_on else yesterday)
        if last < first:  # hired too late or left too early: the group's head instead
            person_index, person = 0, people[0]
            first, last = max(earliest, person.hire_date), yesterday
        day = _random_day(rng, first, last)
        moment = datetime.combine(
            day, dtime(rng.randrange(8, 20), rng.randrange(60), rng.randrange(60)), tzinfo=zone
        )
        drafts.append(Draft(moment, n, person_index, rule_index))
    drafts.sort(key=lambda d: (d.occurred_at, d.order))
    return drafts, heavy


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _fate(rng: random.Random, age_days: int) -> str:
    """What became of a violation's penalties, by how long ago it happened."""
    roll = rng.random()
    if roll < 0.02:
        return "violation_voided"
    roll = rng.random()
    if age_days <= 45:
        if roll < 0.6:
            return "pending"
        return "approved" if roll < 0.95 else "rejected"
    if age_days <= 120:
        if roll < 0.06:
            return "under_appeal"
        if roll < 0.08:
            return "revoked"
    if roll < 0.85:
        return "approved"
    if roll < 0.92:
        return "rejected"
    if roll < 0.95:
        return "voided"
    if roll < 0.97:
        return "pending"
    return "approved"


# --- the whole run -----------------------------------------------------------------------


def load_data_exists() -> bool:
    from staff.models import Department

    return Department.objects.filter(code=ROOT_CODE).exists()


def generate(
    *,
    employees: int,
    violations: int,
    seed: int = 1,
    today: date | None = None,
    years: int = 3,
    out: Callable[[str], None] = lambda _line: None,
) -> Stats:
    """Write the load data into the current database (refuses to run twice)."""
    from django.utils import timezone

    from conduct import demo as conduct_demo
    from staff import demo as staff_demo

    if employees < 1 or violations < 0:
        raise ValueError("employees ≥ 1 and violations ≥ 0")
    today = today or timezone.localdate()
    stats = Stats()
    started = time.perf_counter()
    if load_data_exists():
        raise LoadDataExists("Load data is already in this database: use a fresh one.")

    def stage(name: str, since: float) -> float:
        now = time.perf_counter()
        stats.seconds[name] = round(now - since, 2)
        out(f"{name}: {stats.seconds[name]:.1f}s")
        return now

    with transaction.atomic():
        staff_demo.seed(rng=random.Random(f"{seed}:staff"), today=today)
        conduct_demo.seed(rng=random.Random(f"{seed}:conduct"), today=today)
    mark = stage("demo organisation and rulebooks", started)

    with transaction.atomic():
        _fast_load()
        rng = random.Random(f"{seed}:organisation")
        start = date(today.year - years, today.month, 1)
        departments = _departments(rng, stats)
        people = _employees(rng, employees, departments, start, today, stats)
        users = _users(people, departments)
        mark = stage("organisation", mark)
        rules, quoter = _rules(random.Random(f"{seed}:rules"), start, today, stats)
        if not rules:
            raise RuntimeError("No rulebook is in force: load the fixtures first.")
        zone = ZoneInfo(settings.TIME_ZONE)
        drafts, heavy = _drafts(
            random.Random(f"{seed}:violations"), violations, people, rules, today, zone
        )
        if heavy is not None:
            stats.heavy_employee_no = people[heavy].employee_no
        mark = stage("drafts", mark)
        from conduct.models import Violation
        from penalties.models import Appeal, Notice, Penalty, PenaltyTransition
        from staff.models import Department, Employee

        big = [Violation, Penalty, PenaltyTransition, Notice, Appeal]
        with _indexes_rebuilt(big, enabled=violations >= 50_000, out=out, stats=stats):
            _write_violations(
                random.Random(f"{seed}:fates"), drafts, people, rules, quoter, users, today, stats
            )
            mark = stage("violations, penalties, notices", mark)

        _reset_sequences(
            [Department, Employee, Violation, Penalty, PenaltyTransition, Notice, Appeal]
        )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # As autovacuum would leave them: statistics for the planner, and the visibility
        # map that lets a count be answered from an index alone.
        with connection.cursor() as cursor:
            for model in (Department, Employee, *big):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        stage("vacuum analyze", mark)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Department, Employee, *big):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    stats.seconds["total"] = round(time.perf_counter() - started, 2)
    return stats


@contextmanager
def _indexes_rebuilt(model_list, *, enabled: bool, out, stats: Stats):
    """On PostgreSQL, drop the secondary indexes of the tables about to be filled and build
    them again afterwards (much faster than keeping them up to date row by row). Indexes
    behind a constraint (primary keys, unique constraints) stay."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            WHERE c.relname = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
    stats.seconds["indexes"] = round(time.perf_counter() - started, 2)
    out(f"indexes ({len(indexes)} rebuilt): {stats.seconds['indexes']:.1f}s")


def _fast_load() -> None:
    """On PostgreSQL as a superuser, skip the per-row foreign-key triggers for this
    transaction (every key written here points at a row written here or before)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _write_violations(
    rng: random.Random,
    drafts: list[Draft],
    people: list[Person],
    rules: list[RuleInfo],
    quoter: Quoter,
    users: dict,
    today: date,
    stats: Stats,
) -> None:
    from conduct.models import Violation
    from penalties.engine import amount_in_words, window_bounds
    from penalties.models import Appeal, Notice, NoticeCounter, Penalty, PenaltyTransition
    from penalties.services.notices import cn_date, notice_number
    from staff.models import CompanySettings, Department

    company = CompanySettings.get().name
    dept_names = dict(Department.objects.values_list("pk", "name"))
    hr, gm = users["load-hr"], users["load-gm"]
    head = users["load-head"]
    division_one = set(
        Department.objects.filter(code__startswith=f"{ROOT_CODE}-1").values_list("pk", flat=True)
    )
    head_of = dict(Department.objects.values_list("pk", "head_id"))
    person_of = {p.pk: p for p in people}
    pump = CopyPump() if connection.vendor == "postgresql" else None
    v_writer = Writer(Violation, stats, pump)
    p_writer = Writer(Penalty, stats, pump)
    t_writer = Writer(PenaltyTransition, stats, pump)
    n_writer = Writer(Notice, stats, pump)
    a_writer = Writer(Appeal, stats, pump)
    v_id, p_id, t_id = _next_id(Violation), _next_id(Penalty), _next_id(PenaltyTransition)
    n_id, a_id = _next_id(Notice), _next_id(Appeal)
    counters = dict(NoticeCounter.objects.values_list("year", "last_sequence"))
    history: dict[tuple[int, int, str], list[date]] = {}
    source_names = [s for s, _w in SOURCES]
    source_cum = list(_cumulative([w for _s, w in SOURCES]))
    for draft in drafts:
        person = people[draft.person]
        info = rules[draft.rule]
        on = draft.occurred_at.date()
        fate = _fate(rng, (today - on).days)
        key = (person.pk, info.rulebook.pk, info.rule.number)
        dates = history.setdefault(key, [])
        window_start, _end = window_bounds(info.schedule.window, info.schedule.window_days, on)
        earlier = len(dates) - (bisect.bisect_left(dates, window_start) if window_start else 0)
        occurrence = earlier + 1
        if fate != "violation_voided":
            dates.append(on)
        snapshot, explanation, planned, names_leader, _facts = quoter.quote(
            info, occurrence, person.wage
        )
        leader = head_of.get(person.department_id)
        if leader == person.pk or leader is None:
            leader = person.supervisor_id
        logged_at = draft.occurred_at + timedelta(minutes=rng.randrange(10, 60 * 24))
        logged_at = min(logged_at, datetime.combine(today, dtime(0), tzinfo=logged_at.tzinfo))
        voided = fate == "violation_voided"
        v_writer.add(
            {
                "id": v_id,
                "employee_id": person.pk,
                "rulebook_id": info.rulebook.pk,
                "rulebook_version_id": info.version.pk,
                "rule_id": info.rule.pk,
                "rule_number": info.rule.number,
                "occurred_at": draft.occurred_at,
                "occurred_on": on,
                "place": rng.choice(PLACES),
                "source": source_names[_pick(rng, source_cum)],
                "description": f"{info.rule.title or info.rule.number}(压测数据)",
                "level": _facts.level or "",
                "chosen_amount": _facts.amount,
                "second_amount": None,  # the generator enters no second range amount
                "involved_amount": _facts.involved,
                "quantity": 1,
                "second_party_employee_id": leader if names_leader else None,
                "sanction_choice": _facts.sanction_choice or "",
                "occurrence": occurrence,
                "quote": snapshot,
                "explanation": explanation,
                "status": "voided" if voided else "active",
                "void_reason": "录入错误,作废(压测数据)" if voided else "",
                "voided_at": logged_at + timedelta(days=2) if voided else None,
                "voided_by_id": hr.pk if voided else None,
                "needs_review": False,
                "review_note": "",
                "logged_by_id": hr.pk,
                "logged_at": logged_at,
            }
        )
        decided_at = logged_at + timedelta(hours=rng.randrange(2, 24 * 6))
        decider = head if person.department_id in division_one else gm
        for plan in planned:
            payer = plan["payer"]
            if payer == -1:
                payer = person.pk
            elif payer == -2:
                payer = person.supervisor_id
            elif payer == -3:
                payer = leader
            if plan["party"] != "department" and payer is None:
                continue  # nobody to pay it (the top of the tree has no supervisor)
            own_fate = fate
            if fate in ("under_appeal", "revoked") and plan["party"] != "employee":
                own_fate = "approved"  # only the person can appeal their own penalty
            status = _penalty_status(own_fate)
            decided = status != "pending" and own_fate != "violation_voided"
            transitions = _transitions(own_fate)
            p_writer.add(
                {
                    "id": p_id,
                    "violation_id": v_id,
                    "party": plan["party"],
                    "employee_id": payer if plan["party"] != "department" else None,
                    "department_id": person.department_id,
                    "is_primary": plan["is_primary"],
                    "money_kind": plan["money_kind"],
                    "amount": plan["amount"],
                    "label": plan["label"],
                    "lines": plan["lines"],
                    "sanctions": plan["sanctions"],
                    "points": plan["points"],
                    "explanation": plan["explanation"],
                    "required_tier": plan["required_tier"],
                    "status": status,
                    "decided_by_id": decider.pk if decided else None,
                    "decided_at": decided_at if decided else None,
                    "decision_comment": "",
                    "needs_review": False,
                    "review_note": "",
                    "created_at": logged_at,
                    "updated_at": decided_at if decided else logged_at,
                }
            )
            at = decided_at
            for action, before, after, actor in transitions:
                t_writer.add(
                    {
                        "id": t_id,
                        "penalty_id": p_id,
                        "action": action,
                        "from_status": before,
                        "to_status": after,
                        "actor_id": (decider if actor == "decider" else hr).pk,
                        "actor_tier": plan["required_tier"] if actor == "decider" else "",
                        "at": at,
                        "comment": "",
                        "amount": plan["amount"],
                    }
                )
                t_id += 1
                at += timedelta(days=1)
            if own_fate in ("approved", "under_appeal", "revoked", "voided"):
                year = decided_at.year
                counters[year] = counters.get(year, 0) + 1
                sequence = counters[year]
                payer_person = person_of.get(payer) if payer else None
                amount = plan["amount"]
                appeal_until = decided_at.date() + timedelta(days=7)
                n_writer.add(
                    {
                        "id": n_id,
                        "number": notice_number(year, sequence),
                        "year": year,
                        "sequence": sequence,
                        "penalty_id": p_id,
                        "supersedes_id": None,
                        "is_current": True,
                        "amount": amount,
                        "appeal_until": appeal_until,
                        "issued_at": decided_at,
                        "issued_by_id": decider.pk,
                        "snapshot": _notice_snapshot(
                            plan,
                            pump is not None,
                            static=lambda plan=plan, amount=amount, info=info, why=explanation: {
                                "v": 1,
                                "company": company,
                                "party": plan["party_label"],
                                "rulebook": info.rulebook.name,
                                "version": info.version.label,
                                "category": info.rule.category.name,
                                "rule_number": info.rule.number,
                                "rule_title": info.rule.title,
                                "rule_text": info.rule.text,
                                "place": "",
                                "facts": "",
                                "explanation": plan["explanation"] or why,
                                "label": plan["label"],
                                "money_kind": plan["kind_label"],
                                "amount": f"{amount:,.2f}",
                                "amount_words": amount_in_words(amount),
                                "sanctions": plan["sanction_names"],
                                "points": plan["points"],
                                "chain": [],
                                "appeal_days": 7,
                                "supersedes": "",
                                "reissue_reason": "",
                            },
                            dynamic={
                                "employee_name": payer_person.name
                                if payer_person
                                else dept_names[person.department_id],
                                "employee_no": payer_person.employee_no if payer_person else "",
                                "department": dept_names[person.department_id],
                                "violator": ""
                                if plan["party"] == "employee"
                                else f"{person.name}({person.employee_no})",
                                "occurred_at": f"{cn_date(on)} {draft.occurred_at:%H:%M}",
                                "occurrence": occurrence,
                                "appeal_until": cn_date(appeal_until),
                                "issued_by": decider.username,
                                "issued_at": cn_date(decided_at.date()),
                            },
                        ),
                        "acknowledged_at": None,
                        "acknowledged_ip": None,
                        "acknowledged_by_id": None,
                    }
                )
                if status in ("under_appeal", "revoked") and plan["party"] == "employee":
                    filed = decided_at + timedelta(days=1)
                    decided_appeal = status == "revoked"
                    a_writer.add(
                        {
                            "id": a_id,
                            "penalty_id": p_id,
                            "notice_id": n_id,
                            "employee_id": payer,
                            "filed_by_id": hr.pk,
                            "text": "本人对处罚有异议(压测数据)",
                            "filed_at": filed,
                            "review_tier": "deputy_gm",
                            "status": "decided" if decided_appeal else "filed",
                            "outcome": "revoked" if decided_appeal else "",
                            "amount_before": amount,
                            "new_amount": None,
                            "reason": "证据不足(压测数据)" if decided_appeal else "",
                            "decided_by_id": gm.pk if decided_appeal else None,
                            "decided_at": filed + timedelta(days=3) if decided_appeal else None,
                        }
                    )
                    a_id += 1
                n_id += 1
            p_id += 1
        v_id += 1
    for writer in (v_writer, p_writer, t_writer, n_writer, a_writer):
        writer.flush()
    if pump is not None:
        pump.close()
        stats.seconds["copy (in parallel)"] = round(pump.seconds, 2)
    for year, last in counters.items():
        NoticeCounter.objects.update_or_create(year=year, defaults={"last_sequence": last})


class CopyText(str):
    """Text already in COPY format (escaped)."""

    __slots__ = ()


_CONVERT[CopyText] = str.__str__


def _notice_snapshot(plan: dict, copy: bool, *, static: Callable[[], dict], dynamic: dict):
    """The notice's printed text: the part every notice of this quote shares is built and
    serialised once (cached on the plan), the person's part per notice."""
    shared = plan.get("notice_static")
    if shared is None:
        values = static()
        text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        shared = plan["notice_static"] = (values, _escape(text[:-1]))
    if not copy:
        return {**shared[0], **dynamic}
    own = json.dumps(dynamic, ensure_ascii=False, separators=(",", ":"))
    return CopyText(shared[1] + "," + _escape(own[1:]))


def _penalty_status(fate: str) -> str:
    return {
        "violation_voided": "voided",
        "pending": "pending",
        "approved": "approved",
        "rejected": "rejected",
        "voided": "voided",
        "under_appeal": "under_appeal",
        "revoked": "revoked",
    }[fate]


def _transitions(fate: str) -> list[tuple[str, str, str, str]]:
    """(action, from, to, actor) in order; actor ``decider`` or ``hr``."""
    approve = ("approve", "pending", "approved", "decider")
    return {
        "violation_voided": [("void", "pending", "voided", "hr")],
        "pending": [],
        "approved": [approve],
        "rejected": [("reject", "pending", "rejected", "decider")],
        "voided": [approve, ("void", "approved", "voided", "hr")],
        "under_appeal": [approve, ("appeal", "approved", "under_appeal", "hr")],
        "revoked": [
            approve,
            ("appeal", "approved", "under_appeal", "hr"),
            ("revoke", "under_appeal", "revoked", "decider"),
        ],
    }[fate]


def rows_digest(*, limit_to_load: bool = True) -> str:
    """A SHA-256 over the load rows (ids and generated values, not the clock's stamps):
    the same seed must give the same digest."""
    import hashlib

    from conduct.models import Violation
    from penalties.models import Notice, Penalty, PenaltyTransition
    from staff.models import Department, Employee

    digest = hashlib.sha256()
    queries = [
        Department.objects.filter(code__startswith=ROOT_CODE)
        .order_by("code")
        .values_list("code", "name", "parent__code", "head__employee_no"),
        Employee.objects.filter(employee_no__startswith=EMPLOYEE_PREFIX)
        .order_by("employee_no")
        .values_list(
            "employee_no",
            "name",
            "department__code",
            "hire_date",
            "monthly_wage",
            "status",
            "left_on",
            "supervisor__employee_no",
        ),
        Violation.objects.filter(employee__employee_no__startswith=EMPLOYEE_PREFIX)
        .order_by("pk")
        .values_list(
            "employee__employee_no",
            "rulebook__code",
            "rule_number",
            "occurred_at",
            "occurrence",
            "status",
            "source",
            "second_party_employee__employee_no",
            "quote",
        ),
        Penalty.objects.filter(violation__employee__employee_no__startswith=EMPLOYEE_PREFIX)
        .order_by("pk")
        .values_list(
            "violation_id", "party", "employee__employee_no", "amount", "status", "required_tier"
        ),
        PenaltyTransition.objects.filter(
            penalty__violation__employee__employee_no__startswith=EMPLOYEE_PREFIX
        )
        .order_by("pk")
        .values_list("penalty_id", "action", "at"),
        Notice.objects.filter(penalty__violation__employee__employee_no__startswith=EMPLOYEE_PREFIX)
        .order_by("pk")
        .values_list("number", "penalty_id", "amount", "snapshot"),
    ]
    for query in queries:
        for row in query.iterator(chunk_size=10_000):
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())
    return digest.hexdigest()
