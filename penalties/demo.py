"""Demo violations (issue 4): realistic cases over the last three months, across the
departments and every rulebook, logged by the demo HR officer through ``violation_log``.

They show the engine at work: ladders (a second hairstyle costs double, the second and
third late arrival of a month ¥20), department liability (water utility), a named leader
or shift manager paying too, amounts per household, wage- and bonus-based amounts, points
off a yearly budget, accumulation triggers, a voided violation, and a violation entered
late (back-dated) that re-numbers a later one already approved, which is then flagged for
review. Most stay pending for the approvers. The approval, notice and appeal cases of
``penalties.demo_approvals`` are seeded afterwards.

Idempotent: a case is keyed by its employee and description.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conduct.models import Rule, Violation
from conduct.selectors.rulebooks import rulebook_version_in_force
from conduct.services.violations import violation_log, violation_void
from penalties.models import Penalty
from staff.models import Department, Employee, EmployeeStatus

Y = Decimal

# A one-pixel PNG (evidence photos in the demo).
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@dataclass(frozen=True)
class Case:
    employee: str  # 工号
    rulebook: str
    rule: str
    days_ago: int
    description: str
    facts: dict = field(default_factory=dict)
    leader_of: str = ""  # department code whose head is the named leader
    plan: str = ""  # "void:<reason>", "approve" (by the GM)
    photo: bool = False


CASES: tuple[Case, ...] = (
    # service-management: a ladder by year; the first one approved, then a late entry
    Case("E0029", "service-management", "2", 80, "上班穿拖鞋。", plan="approve"),
    Case("E0029", "service-management", "2", 40, "留怪异发型上岗。", plan="approve"),
    Case("E0034", "service-management", "5", 70, "抢修时接错管线,造成停水延长。", leader_of="OPS"),
    Case(
        "E0037",
        "service-management",
        "4",
        65,
        "维修后未清理现场,污损用户地板,被用户投诉;照价赔偿地板清洗费。",
        {"second_amount": Y("300.50")},
        photo=True,
    ),
    Case("E0038", "service-management", "6", 45, "上班时间饮酒。"),
    # customer-service: lateness counted by month, absence by the day's wage
    Case("E0017", "customer-service", "10.8", 20, "早班迟到8分钟。"),
    Case("E0017", "customer-service", "10.8", 19, "早班迟到15分钟。"),
    Case("E0017", "customer-service", "10.8", 18, "午休后迟到10分钟。"),
    Case("E0013", "customer-service", "10.4", 58, "事假一天,未提前办理手续。"),
    Case("E0014", "customer-service", "10.6", 47, "旷工一天。"),
    Case(
        "E0018",
        "customer-service",
        "6.6",
        12,
        "工位着装不整。",
        plan="void:经核实系误报,当天着装符合规定。",
    ),
    Case("E0019", "customer-service", "10.2", 9, "上班时间用座机打私人电话。"),
    Case("E0005", "customer-service", "10.1", 2, "下班未整理台面。"),
    # water-utility: the person and the department
    Case("E0032", "water-utility", "1", 30, "大厅值班时擅自离岗聊天。"),
    Case("E0032", "water-utility", "1", 29, "在大厅内大声喧哗。"),
    Case("E0033", "water-utility", "2", 60, "用户投诉抄表员态度恶劣。", photo=True),
    Case("E0042", "water-utility", "8", 55, "3户水表未实地抄读,估抄上报。", {"quantity": 3}),
    Case("E0043", "water-utility", "9", 50, "丢失井盖2个未及时补装。", {"quantity": 2}),
    Case(
        "E0046",
        "water-utility",
        "5",
        35,
        "工程预算审核被核减超过20%。",
        {"chosen_amount": Y("100"), "involved_amount": Y("2400")},
    ),
    # hospital-service and the MOH eight prohibitions
    Case("E0039", "hospital-service", "18", 33, "服务时间玩手机、做与工作无关的事情。"),
    Case(
        "E0041",
        "hospital-service",
        "19",
        28,
        "多收患者检查费120元。",
        {"involved_amount": Y("120")},
    ),
    Case("E0045", "hospital-service", "26", 24, "在外兼职行医。", {"level": "serious"}),
    Case("E0048", "hospital-service", "11", 22, "穿短裤上班。", {"chosen_amount": Y("150")}),
    Case("E0060", "hospital-service", "14", 3, "与同事在办公区争吵。"),
    Case(
        "E0049",
        "moh-eight",
        "3",
        60,
        "接受药品经销商宴请。",
        {"sanction_choice": "public_criticism"},
    ),
    # service-bonus: on the monthly bonus
    Case("E0052", "service-bonus", "4.1", 75, "无故旷工半天。"),
    Case("E0053", "service-bonus", "1", 68, "客户投诉服务态度差。"),
    Case("E0053", "service-bonus", "1", 30, "再次被客户投诉服务态度差。"),
    Case("E0054", "service-bonus", "2", 26, "录入错误造成客户损失。", {"chosen_amount": Y("100")}),
    # bank-points: points off 12 a year; three within 30 days send to training
    Case("E0055", "bank-points", "8", 85, "漏叫号导致客户投诉。"),
    Case("E0056", "bank-points", "3", 40, "未使用规范服务用语。"),
    Case("E0056", "bank-points", "3", 30, "柜台摆放私人物品。"),
    Case("E0056", "bank-points", "3", 21, "离柜未放置暂停服务牌。"),
    # hospitality: lateness by minutes, absence by the day's wage, a shift manager
    Case("E0057", "hospitality", "1.3(1)", 14, "迟到25分钟。", {"level": "within_30"}),
    Case(
        "E0058",
        "hospitality",
        "4.2",
        10,
        "网吧值班时擅离岗位。",
        {"chosen_amount": Y("20")},
        leader_of="FIN",
    ),
    Case("E0059", "hospitality", "1.3(3)", 5, "无故旷工一天。"),
    Case("E0007", "hospitality", "1.2", 7, "偷吃公司食品。"),
    # entered late: happened before the two hairstyle cases, re-numbers the approved one
    Case("E0029", "service-management", "2", 88, "上班穿拖鞋(补录,当时漏登)。"),
)


def _at(day: date, rng: random.Random) -> datetime:
    minute = rng.choice((5, 15, 20, 35, 40, 50))
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(8, 17), minute)))


def _rule(code: str, number: str, day: date) -> Rule | None:
    from conduct.models import Rulebook

    rulebook = Rulebook.objects.filter(code=code).first()
    version = rulebook and rulebook_version_in_force(rulebook=rulebook, on=day)
    if not version:
        return None
    return Rule.objects.filter(version=version, number=number).first()


def _log(case: Case, hr: User, rng: random.Random, today: date) -> Violation | None:
    employee = Employee.objects.select_related("department").filter(employee_no=case.employee)
    employee = employee.first()
    if employee is None or employee.status == EmployeeStatus.LEFT:
        return None
    day = max(today - timedelta(days=case.days_ago), employee.hire_date)
    rule = _rule(case.rulebook, case.rule, day)
    if rule is None:
        return None
    leader = None
    if case.leader_of:
        department = Department.objects.filter(code=case.leader_of).first()
        leader = department.head if department else None
        if leader is None or leader.pk == employee.pk:
            leader = employee.supervisor
    occurred = min(_at(day, rng), timezone.now() - timedelta(minutes=1))
    files = [SimpleUploadedFile("现场照片.png", PIXEL, "image/png")] if case.photo else []
    violation = violation_log(
        employee=employee,
        rule=rule,
        occurred_at=occurred,
        logged_by=hr,
        place=rng.choice(["营业大厅", "客服中心", "维修现场", "三号窗口", "办公区", "收费处"]),
        source=rng.choice(["inspection", "complaint", "complaint", "self_report", "other"]),
        description=case.description,
        second_party_employee=leader,
        evidence_files=files,
        **case.facts,
    )
    # Demo back-dating: logged a few hours after it happened (nothing else writes these).
    logged_at = occurred + timedelta(hours=rng.randrange(1, 30))
    Violation.objects.filter(pk=violation.pk).update(logged_at=min(logged_at, timezone.now()))
    Penalty.objects.filter(violation=violation).update(created_at=min(logged_at, timezone.now()))
    return violation


def _follow(case: Case, violation: Violation, users: dict[str, User]) -> None:
    verb, _sep, reason = case.plan.partition(":")
    if verb == "void":
        violation_void(violation=violation, by=users["hr"], reason=reason)
    elif verb == "approve" and "gm" in users:
        from penalties.services.approvals import penalty_approve

        for penalty in violation.penalties.filter(status="pending"):
            penalty_approve(penalty=penalty, approver=users["gm"], comment="情况属实。")


def seed(*, rng: random.Random, today: date) -> dict:
    users = {u.username: u for u in User.objects.filter(username__in=["hr", "gm"])}
    if "hr" not in users:
        return {"skipped": "no demo HR officer"}
    done = set(
        Violation.objects.filter(logged_by=users["hr"]).values_list(
            "employee__employee_no", "description"
        )
    )
    logged = 0
    for case in CASES:
        if (case.employee, case.description) in done:
            continue
        violation = _log(case, users["hr"], rng, today)
        if violation is None:
            continue
        logged += 1
        if case.plan:
            _follow(case, violation, users)
    result = {"violations": logged}
    try:
        from penalties import demo_approvals
    except ImportError:  # the approval demo is optional
        return result
    more = demo_approvals.seed(rng=rng, today=today) or {}
    result.update({f"approvals_{k}": v for k, v in more.items()})
    return result
