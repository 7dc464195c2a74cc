"""Demo organisation: a service company with six departments and about sixty people,
and one login per role. Deterministic and idempotent (keyed by codes and 工号)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User

from . import services
from .models import CompanySettings, Department, Employee, EmployeeStatus, Grade, Position
from .roles import Role

DEMO_PASSWORD = "jiangcheng-demo"  # noqa: S105 - printed for the demo, never used in production

GRADES = [  # seed 003 篇九
    ("probation", "试用", Decimal("1800"), 1),
    ("junior", "初级", Decimal("2200"), 2),
    ("intermediate", "中级", Decimal("2500"), 3),
    ("senior", "高级", Decimal("3000"), 4),
    ("reserve_lead", "储备主管", Decimal("4000"), 5),
]
POSITIONS = [
    "客服专员",
    "大厅窗口员",
    "维修工",
    "抄表员",
    "护士",
    "收银员",
    "人事专员",
    "主管",
    "经理",
]
DEPARTMENTS = [  # code, name, parent code
    ("HQ", "总经理办公室", None),
    ("HR", "人力资源部", "HQ"),
    ("CS", "客户服务中心", "HQ"),
    ("CS-HALL", "营业大厅", "CS"),
    ("OPS", "维修抢修部", "HQ"),
    ("FIN", "财务部", "HQ"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玲桂芳鹏红梅建华婷斌宇浩凯晨欣怡子涵梓轩雨萱思远佳琪文博"  # noqa: E501

DEMO_USERS = [  # username, role, 工号 of the person behind the login (None: no file)
    ("hr", Role.HR_OFFICER, "E0002"),
    ("head", Role.DEPARTMENT_HEAD, "E0010"),
    ("deputy", Role.DEPUTY_GM, "E0003"),
    ("gm", Role.GM, "E0001"),
    ("payroll", Role.PAYROLL_CLERK, "E0050"),
    ("employee", Role.EMPLOYEE, "E0015"),
    ("auditor", Role.AUDITOR, None),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def seed(*, rng: random.Random, today: date) -> dict:
    company = CompanySettings.get()
    if not company.name:
        company.name = "鹤城优质服务有限公司"
        company.save(update_fields=["name"])
    grades = {
        code: Grade.objects.update_or_create(
            code=code, defaults={"name": name, "base_pay": pay, "rank": rank}
        )[0]
        for code, name, pay, rank in GRADES
    }
    positions = {name: Position.objects.get_or_create(name=name)[0] for name in POSITIONS}
    departments: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        departments[code] = Department.objects.filter(code=code).first() or (
            services.department_create(
                code=code, name=name, parent=departments[parent] if parent else None
            )
        )

    # Sixty people, spread over the departments; the first few are the managers.
    plan = ["HQ"] * 3 + ["HR"] * 4 + ["CS"] * 12 + ["CS-HALL"] * 14 + ["OPS"] * 17 + ["FIN"] * 10
    grade_for = list(grades.values())
    created = 0
    for index, dept_code in enumerate(plan, start=1):
        number = f"E{index:04d}"
        if Employee.objects.filter(employee_no=number).exists():
            continue
        grade = (
            grades["reserve_lead"]
            if index in (1, 2, 3, 8, 10, 20, 34, 51)
            else rng.choice(grade_for[:4])
        )
        wage = grade.base_pay + Decimal(rng.randrange(0, 1200, 50))
        hired = today - timedelta(days=rng.randrange(60, 365 * 9))
        status = EmployeeStatus.ACTIVE
        left_on = None
        if index in (30, 47):
            status, left_on = EmployeeStatus.LEFT, today - timedelta(days=rng.randrange(5, 60))
        elif index == 44:
            status = EmployeeStatus.SUSPENDED
        services.employee_create(
            employee_no=number,
            name=_name(rng),
            department=departments[dept_code],
            position=positions[rng.choice(POSITIONS[:6])] if index > 10 else positions["经理"],
            grade=grade,
            hire_date=hired,
            monthly_wage=wage,
            monthly_bonus=(wage * Decimal("0.2")).quantize(Decimal("1")),
            status=status,
            left_on=left_on,
            phone=f"139{rng.randrange(10**7, 10**8)}",
        )
        created += 1

    heads = {
        "HQ": "E0001",
        "HR": "E0004",
        "CS": "E0008",
        "CS-HALL": "E0010",
        "OPS": "E0020",
        "FIN": "E0051",
    }
    for code, number in heads.items():
        head = Employee.objects.get(employee_no=number)
        if departments[code].head_id != head.pk:
            services.department_update(department=departments[code], head=head)
    # Everyone reports to their department's head (the head to the parent's head).
    for employee in Employee.objects.select_related("department__head", "department__parent"):
        dept = employee.department
        supervisor = (
            dept.head
            if dept.head_id != employee.pk
            else (dept.parent.head if dept.parent_id else None)
        )
        if employee.supervisor_id is None and supervisor is not None:
            services.employee_update(employee=employee, supervisor=supervisor)

    logins = []
    for username, role, number in DEMO_USERS:
        user, made = User.objects.get_or_create(username=username)
        if made:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role in (Role.HR_OFFICER, Role.GM)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if number:
            employee = Employee.objects.get(employee_no=number)
            user.first_name = employee.name
            user.save(update_fields=["first_name"])
            if employee.user_id != user.pk:
                services.employee_update(employee=employee, user=user)
            if role != Role.EMPLOYEE:
                user.groups.add(Group.objects.get(name=Role.EMPLOYEE))
        logins.append((username, str(role.label)))
    return {"employees_created": created, "logins": logins}
