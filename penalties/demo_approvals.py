"""Demo: violations taken through approval, notices, acknowledgement and appeal, in
every state, over the last three months (issue 5).

Each case is logged by the demo HR officer through ``violation_log`` and moved on only
through the services (approve, reject, void, acknowledge, appeal, decide) with back-dated
``now``s. The logging time and the penalties' creation time are back-dated afterwards
(demo data only: nothing else ever writes those columns). A case is keyed by its
employee and description, so running the seed again changes nothing. Demo employees
who acknowledge or appeal get a login without a password (``demo-e00nn``).

The demo logins see: ``head`` a few penalties waiting in the inbox (营业大厅), and the
department's own fine on their record; ``deputy`` and ``gm`` larger ones and appeals to
decide; ``employee`` (E0015) notices to open, acknowledge and appeal, one appeal reduced.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conduct.models import Rule, Rulebook, Violation
from conduct.selectors.rulebooks import rulebook_version_in_force
from conduct.services.violations import violation_log
from penalties.models import Penalty
from penalties.selectors.approvals import current_approval_policy, notice_recipient_user
from penalties.services.appeals import appeal_decide, appeal_file
from penalties.services.approvals import penalty_approve, penalty_reject, penalty_void
from penalties.services.notices import notice_acknowledge
from staff.models import Employee, EmployeeStatus


@dataclass(frozen=True)
class Case:
    key: str
    employee: str  # 工号
    rulebook: str
    rule: str
    days_ago: int
    description: str
    plan: tuple[str, ...] = ()  # steps after logging, see _run
    facts: dict = field(default_factory=dict)


CASES: tuple[Case, ...] = (
    Case(
        "A01", "E0021", "customer-service", "10.8", 84, "早班迟到12分钟。", ("approve:head", "ack")
    ),
    Case(
        "A02",
        "E0022",
        "service-management",
        "3",
        78,
        "客户询问业务时推诿,让客户到别处咨询。",
        ("approve:head", "ack"),
    ),
    Case(
        "A03",
        "E0023",
        "hospital-service",
        "14",
        72,
        "与同事在大厅争执。",
        ("reject:head:经调查系正常工作沟通,不属于吵架。",),
    ),
    Case(
        "A04",
        "E0024",
        "customer-service",
        "10.2",
        66,
        "用公司座机拨打私人电话约15分钟。",
        ("approve:head",),
    ),
    Case(
        "A05",
        "E0015",
        "customer-service",
        "10.1",
        61,
        "交接班时未整理台面,资料散落。",
        ("approve:deputy", "ack"),
    ),
    Case(
        "A06",
        "E0025",
        "hospital-service",
        "24",
        56,
        "对前来咨询的客户态度生硬,推诿不办。",
        (
            "approve:head",
            "appeal:客户误会了我的意思,我已经解释过。",
            "decide:deputy:upheld:监控录像显示确有推诿,维持原处罚。",
        ),
        {"chosen_amount": Decimal("300")},
    ),
    Case(
        "A07",
        "E0026",
        "customer-service",
        "10.2",
        50,
        "上班时间用座机打私人电话。",
        (
            "approve:head",
            "appeal:家中老人突发疾病,情况紧急。",
            "decide:gm:reduced:20:情况属实,酌情减轻。",
        ),
    ),
    Case(
        "A08",
        "E0027",
        "service-management",
        "3",
        45,
        "未执行首问责任制。",
        ("approve:head", "void:与9月已登记的同一事件重复。"),
    ),
    Case(
        "A09",
        "E0035",
        "hospital-service",
        "22",
        40,
        "维修时收受用户红包150元。",
        ("approve:deputy", "ack"),
        {"involved_amount": Decimal("150"), "sanction_choice": "public_criticism"},
    ),
    Case(
        "A10",
        "E0036",
        "hospital-service",
        "22",
        36,
        "收受供应商回扣600元。",
        ("approve:gm",),
        {"involved_amount": Decimal("600"), "sanction_choice": "public_criticism"},
    ),
    Case(
        "A11",
        "E0015",
        "service-management",
        "2",
        31,
        "上班穿拖鞋。",
        (
            "approve:deputy",
            "ack",
            "appeal:当天脚受伤,穿拖鞋是经主管同意的。",
            "decide:gm:reduced:15:主管证实曾口头同意,减半处罚。",
        ),
    ),
    Case(
        "A12",
        "E0028",
        "hospital-service",
        "12",
        26,
        "早退40分钟。",
        (
            "approve:head",
            "appeal:当天已请假,有请假条。",
            "decide:gm:revoked:查实已按规定请假,撤销处罚。",
        ),
        {"chosen_amount": Decimal("150")},
    ),
    Case(
        "A13",
        "E0022",
        "customer-service",
        "10.8",
        21,
        "迟到5分钟。",
        ("reject:head:打卡机故障,当天全员记录异常。",),
    ),
    Case(
        "A14",
        "E0021",
        "water-utility",
        "2",
        16,
        "用户投诉窗口办理业务时态度冷淡。",
        ("approve:head", "ack"),
    ),
    Case("A15", "E0016", "hospital-service", "14", 11, "与客户发生口角。", ("approve:deputy",)),
    Case(
        "A16",
        "E0015",
        "hospital-service",
        "14",
        4,
        "在大厅与客户争吵,引起围观。",
        ("approve:deputy",),
    ),
    Case(
        "A17",
        "E0023",
        "customer-service",
        "6.2",
        6,
        "穿工作服进食堂就餐。",
        ("approve:head", "appeal:当天食堂通知可以穿工作服。"),
    ),
    Case(
        "A18",
        "E0011",
        "service-management",
        "3",
        5,
        "对客户的问题推诿搪塞。",
        ("approve:deputy", "appeal:客户的问题不属于本岗位,我已指引到正确窗口。"),
    ),
    Case("P01", "E0024", "hospital-service", "14", 3, "与同事在工作时间争吵。"),
    Case("P02", "E0025", "customer-service", "10.2", 2, "用公司座机打私人电话。"),
    Case(
        "P03",
        "E0026",
        "hospital-service",
        "24",
        2,
        "对客户推诿,导致客户投诉。",
        facts={"chosen_amount": Decimal("800")},
    ),
    Case(
        "P04",
        "E0031",
        "hospital-service",
        "22",
        1,
        "收受客户礼金120元。",
        facts={"involved_amount": Decimal("120"), "sanction_choice": "public_criticism"},
    ),
    Case(
        "P05",
        "E0040",
        "hospital-service",
        "22",
        1,
        "收受工程方回扣700元。",
        facts={"involved_amount": Decimal("700"), "sanction_choice": "public_criticism"},
    ),
    Case("P06", "E0012", "customer-service", "10.5", 1, "上班时间在工位闲聊。"),
)


def _png(width: int = 48, height: int = 32) -> bytes:
    """A small grey PNG standing in for a photo of the scene."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([200, 200, 200]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _rule(code: str, number: str, on: date) -> Rule | None:
    rulebook = Rulebook.objects.filter(code=code).first()
    version = rulebook_version_in_force(rulebook=rulebook, on=on) if rulebook else None
    return version.rules.filter(number=number).first() if version else None


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _Clock:
    """Moments after the violation, never in the future."""

    def __init__(self, start: datetime, rng: random.Random):
        self.now = start
        self.rng = rng
        self.limit = timezone.now() - timedelta(minutes=5)

    def later(self, days: int) -> datetime:
        """``days`` later (0: the same day, an hour or so on), in office hours."""
        if days:
            day = timezone.localtime(self.now).date() + timedelta(days=days)
            moment = _at(day, self.rng.randrange(9, 17), self.rng.randrange(0, 60))
        else:
            moment = self.now + timedelta(minutes=self.rng.randrange(30, 120))
        self.now = min(moment, self.limit)
        return self.now


def _log(case: Case, *, users: dict[str, User], rng: random.Random, today: date):
    """Log the case's violation (back-dated); None when the demo company lacks its
    employee or rule."""
    employee = Employee.objects.filter(employee_no=case.employee).first()
    if employee is None or employee.status != EmployeeStatus.ACTIVE:
        return None
    day = max(today - timedelta(days=case.days_ago), employee.hire_date + timedelta(days=1))
    rule = _rule(case.rulebook, case.rule, day)
    if rule is None:
        return None
    occurred = _at(day, rng.randrange(8, 17), rng.choice((0, 10, 20, 35, 50)))
    clock = _Clock(occurred, rng)
    files = (
        [SimpleUploadedFile("现场照片.png", _png(), content_type="image/png")]
        if case.key in ("A06", "A09", "P01", "P03", "P05")
        else []
    )
    violation = violation_log(
        employee=employee,
        rule=rule,
        occurred_at=occurred,
        logged_by=users["hr"],
        place=rng.choice(["营业大厅", "客服中心", "维修现场", "三号窗口", "办公区"]),
        source=rng.choice(["inspection", "complaint", "complaint", "other"]),
        description=case.description,
        evidence_files=files,
        policy=current_approval_policy(),
        **case.facts,
    )
    logged_at = clock.later(0)
    Violation.objects.filter(pk=violation.pk).update(logged_at=logged_at)  # demo back-dating
    Penalty.objects.filter(violation=violation).update(created_at=logged_at)
    return violation, clock


def _steps(case: Case, violation: Violation, clock: _Clock, users, rng):
    """The case's later steps as (when, action) pairs, in the case's own order."""
    penalties = list(violation.penalties.order_by("-is_primary", "pk"))
    primary = penalties[0]
    employee = violation.employee
    steps = []
    for step in case.plan:
        verb, _sep, rest = step.partition(":")
        if verb == "approve":
            when = clock.later(1)
            steps.append(
                (
                    when,
                    lambda w=when, who=rest: [
                        penalty_approve(penalty=p, approver=users[who], now=w) for p in penalties
                    ],
                )
            )
        elif verb == "reject":
            who, _sep, reason = rest.partition(":")
            when = clock.later(1)
            steps.append(
                (
                    when,
                    lambda w=when, who=who, reason=reason: [
                        penalty_reject(penalty=p, approver=users[who], reason=reason, now=w)
                        for p in penalties
                    ],
                )
            )
        elif verb == "void":
            when = clock.later(3)
            steps.append(
                (
                    when,
                    lambda w=when, reason=rest: penalty_void(
                        penalty=primary, by=users["hr"], reason=reason, now=w
                    ),
                )
            )
        elif verb == "ack":
            when = clock.later(1)
            ip = f"10.0.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}"
            steps.append((when, lambda w=when, ip=ip: _acknowledge(penalties, ip, w)))
        elif verb == "appeal":
            when = clock.later(2)
            steps.append(
                (
                    when,
                    lambda w=when, text=rest: appeal_file(
                        penalty=primary,
                        employee_user=employee.user or _login_for(employee),
                        text=text,
                        now=w,
                    ),
                )
            )
        elif verb == "decide":
            who, outcome, *more = rest.split(":")
            when = clock.later(3)
            steps.append(
                (
                    when,
                    lambda w=when, who=who, outcome=outcome, more=more: appeal_decide(
                        appeal=type(primary).objects.get(pk=primary.pk).appeal,
                        reviewer=users[who],
                        outcome=outcome,
                        new_amount=Decimal(more[0]) if outcome == "reduced" else None,
                        reason=more[-1],
                        now=w,
                    ),
                )
            )
    return steps


def _acknowledge(penalties, ip: str, when: datetime) -> None:
    for penalty in penalties:
        recipient = notice_recipient_user(penalty)
        if recipient is None and penalty.employee_id:
            recipient = _login_for(penalty.employee)
        if recipient is not None:
            notice = penalty.notices.get(is_current=True)
            notice_acknowledge(notice=notice, employee_user=recipient, ip=ip, now=when)


def _login_for(employee: Employee) -> User:
    """Demo employees without a login of their own get one (to file their appeal)."""
    user, created = User.objects.get_or_create(
        username=f"demo-{employee.employee_no.lower()}", defaults={"first_name": employee.name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        from staff.services import employee_update

        employee_update(employee=employee, user=user)
    return user


def seed(*, rng: random.Random, today: date) -> dict:
    users = {
        u.username: u for u in User.objects.filter(username__in=["hr", "head", "deputy", "gm"])
    }
    if len(users) < 4:
        return {"skipped": "no demo logins"}
    done = set(
        Violation.objects.filter(logged_by=users["hr"]).values_list(
            "employee__employee_no", "description"
        )
    )
    # Log every new case, then play all their later steps in time order, so that notice
    # numbers follow the dates the notices were issued on.
    steps = []
    logged = 0
    for case in CASES:
        if (case.employee, case.description) in done:
            continue
        result = _log(case, users=users, rng=rng, today=today)
        if result is None:
            continue
        logged += 1
        steps.extend(_steps(case, *result, users, rng))
    for _when, action in sorted(steps, key=lambda step: step[0]):
        action()
    return {"cases": logged, "steps": len(steps)}
