"""Demo rewards: the reward types of every rulebook fixture, then three months of awards
in every state (pending, approved, rejected, voided), service-star nominations and
selections, and long-service awards confirmed by HR. Idempotent: the reward types are
loaded again (unchanged ones are left alone); awards and nominations are made only when
there are none yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone

from conduct.models import Rulebook, RulebookVersion
from staff.models import Department, Employee, EmployeeStatus
from staff.roles import Role

from .models import Award, RewardSettings, RewardType, ServiceStarNomination
from .selectors import anniversary, first_of_month, previous_month
from .services.awards import award_create
from .services.catalogue import reward_types_load
from .services.decisions import award_approve, award_reject, award_void
from .services.service_star import (
    long_service_confirm,
    service_star_nominate,
    service_star_select,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "rulebooks"
DEMO_PASSWORD = "jiangcheng-demo"  # noqa: S105 - the demo's shared password (staff.demo)


def load_reward_types() -> dict[str, int]:
    totals = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    for path in sorted(FIXTURES.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        for version_data in data.get("versions") or []:
            version = RulebookVersion.objects.filter(
                rulebook__code=data["code"], label=version_data.get("label")
            ).first()
            if version is None:
                continue
            counts = reward_types_load(version=version, data=version_data.get("reward_types"))
            for key, value in counts.items():
                totals[key] += value
    return totals


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    """A back-dated moment, never later than now."""
    moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
    return min(moment, timezone.now())


def _day(month: date, day: int, today: date) -> date:
    return min(month.replace(day=day), today)


def _head_logins() -> dict[str, User]:
    """A login for each department head (the demo's ``head`` heads 营业大厅; the others get
    ``head_<code>`` so that every department can nominate)."""
    heads = {}
    group = Group.objects.get(name=Role.DEPARTMENT_HEAD)
    employee_group = Group.objects.get(name=Role.EMPLOYEE)
    for department in Department.objects.select_related("head__user").exclude(head=None):
        head = department.head
        user = head.user
        if user is None:
            username = f"head_{department.code.lower().replace('-', '_')}"
            user, made = User.objects.get_or_create(
                username=username, defaults={"first_name": head.name}
            )
            if made:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Employee.objects.filter(pk=head.pk, user__isnull=True).update(user=user)
            head.refresh_from_db()
        if head.user_id != user.pk:
            continue
        if not user.groups.filter(name=Role.GM).exists():
            user.groups.add(group, employee_group)
        heads[department.code] = user
    return heads


def _people(department_code: str, hired_by: date) -> list[Employee]:
    """Active people of a department who are not its head, hired by ``hired_by``."""
    return list(
        Employee.objects.filter(
            department__code=department_code,
            status=EmployeeStatus.ACTIVE,
            hire_date__lte=hired_by,
        )
        .exclude(headed_departments__isnull=False)
        .order_by("employee_no")
    )


def _type(rulebook: str, code: str) -> RewardType:
    return RewardType.objects.get(version__rulebook__code=rulebook, code=code, is_active=True)


def seed(*, rng, today) -> dict:
    types = load_reward_types()
    row = RewardSettings.get()
    if row.service_star_rulebook_id is None:
        row.service_star_rulebook = Rulebook.objects.filter(code="service-bonus").first()
        row.long_service_rulebook = row.service_star_rulebook
        row.save(update_fields=["service_star_rulebook", "long_service_rulebook"])
    result = {f"reward_types_{k}": v for k, v in types.items() if v}
    if Award.objects.exists() or ServiceStarNomination.objects.exists():
        return result
    if not RewardType.objects.exists() or not Employee.objects.exists():
        return result

    hr = User.objects.get(username="hr")
    deputy = User.objects.get(username="deputy")
    gm = User.objects.get(username="gm")
    heads = _head_logins()
    this = first_of_month(today)
    months = [previous_month(previous_month(this)), previous_month(this), this]

    def approver_for(department_code: str) -> User:
        return heads.get(department_code, deputy)

    # Decisions are made after everything is logged, in time order, so that the notice
    # numbers run in the order of the (back-dated) approvals.
    decisions: list[tuple[datetime, int, Callable[[], object]]] = []

    def later(moment: datetime, act: Callable[[], object]) -> None:
        decisions.append((moment, len(decisions), act))

    # -- Service stars: nominations each month; selections in the two months before.
    nominations = 0
    stars = []
    for index, month in enumerate(months):
        for code in ("CS-HALL", "CS", "OPS", "FIN", "HR"):
            if code not in heads or (index == 2 and code in ("FIN", "HR")):
                continue
            nominee = rng.choice(_people(code, month))
            service_star_nominate(
                by=heads[code],
                employee=nominee,
                reason=rng.choice(
                    [
                        "本月客户满意度评分最高,多次获得客户书面表扬。",
                        "主动加班处理积压工单,同事评价优秀。",
                        "耐心解答老年客户问题,收到锦旗一面。",
                        "全月零差错,带教新员工两名。",
                    ]
                ),
                month=month,
                now=_moment(_day(month, 20, today), 9, 30 + len(code)),
            )
            nominations += 1
        if index < 2:
            selector = hr if index == 0 else gm
            open_ones = list(
                ServiceStarNomination.objects.filter(month=month).order_by("department__code")
            )
            chosen = open_ones[: 3 if index == 0 else 2]
            stars.extend(
                service_star_select(
                    by=selector,
                    month=month,
                    nominations=chosen,
                    now=_moment(_day(month, 27, today), 15),
                )
            )
    for number, award in enumerate(stars):
        if number == len(stars) - 1:
            continue  # the latest selection still waits for approval
        approver = approver_for(award.department.code)
        if approver.pk == award.employee.user_id:
            approver = deputy
        moment = _moment(award.awarded_on, 17)
        later(
            moment,
            partial(award_approve, award=award, approver=approver, comment="同意。", now=moment),
        )

    # -- Awards logged by HR, over the three months, in every state.
    hall = _people("CS-HALL", months[0])
    cs = _people("CS", months[0])
    ops = _people("OPS", months[0])
    plan = [
        # (month index, day, rulebook, code, recipient, extra, outcome)
        (0, 8, "water-utility", "praise-comment-book", rng.choice(hall), {}, "approve"),
        (
            0,
            14,
            "service-bonus",
            "over-target",
            rng.choice(ops),
            {"involved_amount": Decimal("12000")},
            "approve",
        ),
        (0, 22, "customer-service", "report-misconduct", rng.choice(cs), {}, "reject"),
        (1, 5, "water-utility", "media-report", rng.choice(hall), {}, "approve"),
        (1, 11, "service-bonus", "teamwork", "OPS", {}, "approve"),
        (1, 18, "hospitality", "helpful", rng.choice(cs), {}, "void"),
        (
            1,
            25,
            "service-bonus",
            "innovation-proposal",
            rng.choice(ops),
            {"chosen_amount": Decimal("800")},
            "approve",
        ),
        (2, 2, "water-utility", "survey-thanks", rng.choice(hall), {}, "pending"),
        (
            2,
            3,
            "service-bonus",
            "innovation-proposal",
            rng.choice(cs),
            {"chosen_amount": Decimal("450")},
            "pending",
        ),
        (2, 4, "service-management", "service-star", rng.choice(cs), {}, "pending"),
    ]
    reasons = {
        "praise-comment-book": "用户在营业大厅留言簿留言表扬其热情周到。",
        "over-target": "本季度抄表任务超额完成,超额部分折合12000元。",
        "report-misconduct": "检举同事私自使用公司电话。",
        "media-report": "《鹤城晚报》报道其雨夜抢修事迹。",
        "teamwork": "维修抢修部团队协作完成汛期抢修任务。",
        "helpful": "主动帮助同事完成客户回访。",
        "innovation-proposal": "提出的工单分派改进措施已采纳实施。",
        "survey-thanks": "电话抽查中用户表示感谢。",
        "service-star": "年度优质服务之星,全年零投诉。",
    }
    logged = 0
    for index, day, rulebook, code, recipient, extra, outcome in plan:
        month = months[index]
        on = _day(month, day, today)
        recipient_kwargs = (
            {"department": Department.objects.get(code=recipient)}
            if isinstance(recipient, str)
            else {"employee": recipient}
        )
        award = award_create(
            logged_by=hr,
            reward_type=_type(rulebook, code),
            awarded_on=on,
            reason=reasons[code],
            now=_moment(on, 10),
            **recipient_kwargs,
            **extra,
        )
        logged += 1
        approver = approver_for(award.department.code)
        if award.required_tier != "department_head":
            approver = deputy if award.required_tier == "deputy_gm" else gm
        decided, voided = _moment(on, 16), _moment(on, 18)
        if outcome in ("approve", "void"):
            later(decided, partial(award_approve, award=award, approver=approver, now=decided))
        if outcome == "reject":
            reason = "检举事实未经核实,暂不奖励。"
            later(
                decided,
                partial(award_reject, award=award, approver=approver, reason=reason, now=decided),
            )
        if outcome == "void":
            reason = "重复登记,已在另一条记录中奖励。"
            later(voided, partial(award_void, award=award, by=hr, reason=reason, now=voided))

    # -- Long service: confirm those who completed the years in the two months before;
    # this month's stay suggestions for HR to confirm.
    years = row.long_service_years
    confirmed = 0
    for month in months[:2]:
        due = Employee.objects.exclude(status=EmployeeStatus.LEFT).filter(
            hire_date__year=month.year - years, hire_date__month=month.month
        )
        for employee in due.order_by("employee_no"):
            award = long_service_confirm(
                by=hr,
                employee=employee,
                month=month,
                now=_moment(min(anniversary(employee.hire_date, years), today), 11),
            )
            moment = _moment(award.awarded_on, 17)
            later(moment, partial(award_approve, award=award, approver=deputy, now=moment))
            confirmed += 1
    for _moment_at, _order, act in sorted(decisions, key=lambda item: item[:2]):
        act()
    return {
        **result,
        "nominations": nominations,
        "service_stars": len(stars),
        "awards_logged": logged,
        "long_service": confirmed,
    }
