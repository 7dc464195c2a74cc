"""Reads of rewards, already scoped to the user; 404 for "missing" and "not yours".

Who sees which award: holders of ``rewards.view_award`` in the departments they see
(HR, the GMs, payroll and auditors everywhere; a department head their subtree), and an
employee their own awards once decided (approved, or approved and later voided).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from conduct.models import Rulebook
from conduct.selectors.rulebooks import in_force_filter
from penalties.selectors.approvals import HEADED_SUBTREE_SQL, tiers_up_to, user_tier
from penalties.tiers import Tier
from rewards.models import (
    Award,
    AwardEvidence,
    AwardStatus,
    AwardTransition,
    NominationStatus,
    RewardSettings,
    RewardType,
    ServiceStarNomination,
)
from staff.models import Employee, EmployeeStatus
from staff.selectors import employee_for_user, employees_visible_to, visible_department_ids

# What an employee sees of their own awards: pending is not yet theirs, rejected never was.
RECORD_STATUSES = (AwardStatus.APPROVED, AwardStatus.VOIDED)

# ---- Months ------------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def previous_month(day: date) -> date:
    return first_of_month(first_of_month(day) - timedelta(days=1))


def next_month(day: date) -> date:
    return last_of_month(day) + timedelta(days=1)


def month_label(day: date) -> str:
    return f"{day.year}年{day.month}月"


def anniversary(hire_date: date, years: int) -> date:
    """The day ``years`` of service are complete (29 February → 28 February)."""
    try:
        return hire_date.replace(year=hire_date.year + years)
    except ValueError:
        return hire_date.replace(year=hire_date.year + years, day=28)


# ---- The catalogue -------------------------------------------------------------------


def reward_types_in_force(on: date) -> QuerySet[RewardType]:
    """Active reward types of the versions in force on ``on``, by rulebook."""
    return (
        RewardType.objects.filter(is_active=True)
        .filter(in_force_filter(on, prefix="version__"))
        .select_related("version__rulebook")
        .order_by("version__rulebook__code", "position", "code")
    )


def reward_type_on(*, reward_type: RewardType, on: date) -> RewardType | None:
    """The same reward (rulebook and code) in the version in force on ``on``."""
    return (
        RewardType.objects.filter(
            version__rulebook_id=reward_type.version.rulebook_id, code=reward_type.code
        )
        .filter(in_force_filter(on, prefix="version__"))
        .select_related("version__rulebook")
        .order_by("-version__effective_from")
        .first()
    )


def _configured_type_on(rulebook: Rulebook | None, code: str, on: date) -> RewardType | None:
    qs = reward_types_in_force(on).filter(code=code)
    if rulebook is not None:
        qs = qs.filter(version__rulebook=rulebook)
    return qs.first()


def service_star_type_on(on: date) -> RewardType | None:
    row = RewardSettings.get()
    return _configured_type_on(row.service_star_rulebook, row.service_star_code, on)


def long_service_type_on(on: date) -> RewardType | None:
    row = RewardSettings.get()
    return _configured_type_on(row.long_service_rulebook, row.long_service_code, on)


def reward_catalogue(*, on: date) -> QuerySet[RewardType]:
    return reward_types_in_force(on)


# ---- Awards ---------------------------------------------------------------------------


def _own(user) -> Q:
    return Q(employee__user=user, status__in=RECORD_STATUSES)


def awards_visible_to(user) -> QuerySet[Award]:
    if not getattr(user, "is_authenticated", False):
        return Award.objects.none()
    if not user.has_perm("rewards.view_award"):
        return Award.objects.filter(_own(user))
    departments = visible_department_ids(user)
    if departments is None:
        return Award.objects.all()
    return Award.objects.filter(Q(department_id__in=departments) | _own(user))


def _with_details(qs: QuerySet[Award]) -> QuerySet[Award]:
    return qs.select_related(
        "employee", "department", "reward_type__version__rulebook", "logged_by", "decided_by"
    )


SORTS = {
    "-awarded": ("-awarded_on", "-pk"),
    "awarded": ("awarded_on", "pk"),
    "-amount": ("-amount", "-pk"),
    "-logged": ("-logged_at", "-pk"),
}


def award_list(
    *,
    user,
    search: str = "",
    department=None,
    status: str = "",
    source: str = "",
    month: date | None = None,
    sort: str = "-awarded",
) -> QuerySet[Award]:
    from staff.selectors import department_subtree_ids

    qs = _with_details(awards_visible_to(user)).select_related("notice")
    if search:
        qs = qs.filter(
            Q(employee__employee_no__icontains=search)
            | Q(employee__name__icontains=search)
            | Q(department__name__icontains=search)
            | Q(reward_type__name__icontains=search)
        )
    if department is not None:
        qs = qs.filter(department_id__in=department_subtree_ids([department.pk]))
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if month is not None:
        qs = qs.filter(awarded_on__gte=first_of_month(month), awarded_on__lte=last_of_month(month))
    return qs.order_by(*SORTS.get(sort, SORTS["-awarded"]))


def award_get_for_user(*, user, award_id: int) -> Award:
    award = (
        _with_details(awards_visible_to(user))
        .select_related("voided_by", "notice", "nomination__nominated_by")
        .prefetch_related(
            Prefetch("evidence", queryset=AwardEvidence.objects.order_by("pk")),
            Prefetch(
                "transitions",
                queryset=AwardTransition.objects.select_related("actor").order_by("at", "pk"),
            ),
        )
        .filter(pk=award_id)
        .first()
    )
    if award is None:
        raise Http404
    return award


def award_notice_or_none(award: Award):
    from rewards.models import RewardNotice

    try:
        return award.notice
    except RewardNotice.DoesNotExist:
        return None


def evidence_get_for_user(*, user, evidence_id: int) -> AwardEvidence:
    """An award's evidence file, for someone who may see the award and its evidence
    (the holders of ``view_award`` in scope; not the employee's own record view)."""
    if not user.has_perm("rewards.view_award"):
        raise Http404
    evidence = (
        AwardEvidence.objects.filter(award__in=awards_visible_to(user), pk=evidence_id)
        .select_related("award")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


# ---- Approval inbox ---------------------------------------------------------------------


def _inbox_queryset(user) -> QuerySet[Award]:
    if not user.has_perm("rewards.decide_award"):
        return Award.objects.none()
    tier = user_tier(user)
    if tier is None:
        return Award.objects.none()
    qs = Award.objects.filter(status=AwardStatus.PENDING, required_tier__in=tiers_up_to(tier))
    if tier == Tier.DEPARTMENT_HEAD:
        qs = qs.filter(department_id__in=RawSQL(HEADED_SUBTREE_SQL, [user.pk]))  # noqa: S611 - constant SQL, bound parameter
    return qs.exclude(logged_by=user).exclude(employee__user=user)


def award_inbox(*, user) -> QuerySet[Award]:
    """Pending awards ``user`` may decide, oldest first."""
    return (
        _with_details(_inbox_queryset(user))
        .prefetch_related(Prefetch("evidence", queryset=AwardEvidence.objects.order_by("pk")))
        .order_by("logged_at", "pk")
    )


def award_inbox_count(user) -> int | None:
    """How many awards wait for ``user`` (one query), for a badge."""
    count = _inbox_queryset(user).count() if user.has_perm("rewards.decide_award") else 0
    return count or None


def inbox_awards_for_ids(*, user, ids: list[int]) -> list[Award]:
    return list(award_inbox(user=user).filter(pk__in=ids))


# ---- The employee's record ---------------------------------------------------------------


def awards_for_employee(*, user, employee: Employee) -> QuerySet[Award]:
    """The awards on ``employee``'s record as ``user`` may see them: everything (pending,
    rejected too) for those who see the employee's department's awards; approved and
    voided ones for the employee themselves; nothing for anyone else."""
    qs = Award.objects.filter(employee=employee)
    conditions: list[Q] = []
    if user.has_perm("rewards.view_award"):
        departments = visible_department_ids(user)
        if departments is None:
            return _record_rows(qs)
        conditions.append(Q(department_id__in=departments))
    if employee.user_id is not None and employee.user_id == user.pk:
        conditions.append(Q(status__in=RECORD_STATUSES))
    if not conditions:
        return Award.objects.none()
    condition = conditions[0]
    for extra in conditions[1:]:
        condition |= extra
    return _record_rows(qs.filter(condition))


def _record_rows(qs: QuerySet[Award]) -> QuerySet[Award]:
    return qs.select_related("reward_type", "notice").order_by("-awarded_on", "-pk")


def my_awards(*, user) -> QuerySet[Award]:
    me = employee_for_user(user)
    if me is None:
        return Award.objects.none()
    return awards_for_employee(user=user, employee=me)


# ---- Payroll ----------------------------------------------------------------------------


def payroll_awards(*, year: int, month: int) -> QuerySet[Award]:
    """The payroll additions of a month: approved awards to a person whose ``awarded_on``
    falls in it, with the amount to add (``amount``). A department's or team's fund award
    (no employee) and the department's share (``department_amount``) are nobody's pay."""
    start = date(year, month, 1)
    return (
        Award.objects.filter(
            status=AwardStatus.APPROVED,
            employee__isnull=False,
            awarded_on__gte=start,
            awarded_on__lte=last_of_month(start),
        )
        .select_related("employee", "reward_type")
        .order_by("employee__employee_no", "awarded_on", "pk")
    )


# ---- Service star -------------------------------------------------------------------------


def nominations_visible_to(user) -> QuerySet[ServiceStarNomination]:
    if not user.has_perm("rewards.view_servicestarnomination"):
        return ServiceStarNomination.objects.none()
    departments = visible_department_ids(user)
    if departments is None:
        return ServiceStarNomination.objects.all()
    return ServiceStarNomination.objects.filter(department_id__in=departments)


def nomination_list(*, user, month: date) -> QuerySet[ServiceStarNomination]:
    return (
        nominations_visible_to(user)
        .filter(month=first_of_month(month))
        .select_related(
            "department", "employee__department", "nominated_by", "award", "selected_by"
        )
        .order_by("department__code", "pk")
    )


def nomination_candidates(*, user) -> QuerySet[Employee]:
    """Whom ``user`` may nominate: active people in the departments they head (and below),
    not themselves."""
    me = employee_for_user(user)
    if me is None or not user.has_perm("rewards.nominate_service_star"):
        return Employee.objects.none()
    return (
        Employee.objects.filter(
            department_id__in=RawSQL(HEADED_SUBTREE_SQL, [user.pk]),  # noqa: S611 - constant SQL, bound parameter
            status=EmployeeStatus.ACTIVE,
        )
        .exclude(pk=me.pk)
        .select_related("department")
        .order_by("department__code", "employee_no")
    )


def nominations_open_for_selection(*, month: date) -> QuerySet[ServiceStarNomination]:
    return (
        ServiceStarNomination.objects.filter(
            month=first_of_month(month), status=NominationStatus.NOMINATED
        )
        .select_related("department", "employee__department", "nominated_by")
        .order_by("department__code", "pk")
    )


# ---- Long service --------------------------------------------------------------------------


def long_service_suggestions(*, user, month: date) -> list[dict]:
    """Employees completing the long-service years in ``month``, each with their live
    long-service award if HR already confirmed one (``award`` None: a suggestion)."""
    if not user.has_perm("rewards.add_award"):
        return []
    row = RewardSettings.get()
    years = row.long_service_years
    month = first_of_month(month)
    people = list(
        employees_visible_to(user)
        .exclude(status=EmployeeStatus.LEFT)
        .filter(hire_date__year=month.year - years, hire_date__month=month.month)
        .select_related("department")
        .order_by("hire_date", "employee_no")
    )
    awards = {
        a.employee_id: a
        for a in Award.objects.filter(
            employee__in=people,
            status__in=[AwardStatus.PENDING, AwardStatus.APPROVED],
            reward_type__code=row.long_service_code,
        ).order_by("awarded_on", "pk")
    }
    return [
        {"employee": e, "anniversary": anniversary(e.hire_date, years), "award": awards.get(e.pk)}
        for e in people
    ]
