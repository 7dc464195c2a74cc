"""The monthly service star (服务之星) and the long-service award (长期服务奖).

Service star: a department head nominates one person a month for a department they head
(the nominee in that department or below it), with a reason. HR or the GM then selects
up to N winners company-wide (``RewardSettings.service_star_winners``). Selecting creates
the awards — **pending approval, always**. The selector is recorded as the one who logged
them, and whoever logs an award may not approve it (the same segregation as penalties),
so even a GM selecting does not approve their own choice: the award waits in the reward
inbox of the winner's department head (¥500 is within a head's authority), a deputy GM or
the GM, like any other award. One rule for every award keeps the history honest: a
nomination by a head, a selection by HR or the GM, an approval by someone else.

Long service: employees completing N years (default 5) in a month are suggested to HR
(``rewards.selectors.long_service_suggestions``); HR confirms each one, which creates its
award. Nothing is created without that confirmation.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from rewards.models import (
    Award,
    AwardSource,
    AwardStatus,
    NominationStatus,
    RewardSettings,
    ServiceStarNomination,
)
from rewards.selectors import (
    anniversary,
    first_of_month,
    long_service_type_on,
    month_label,
    service_star_type_on,
)
from staff.models import Department, Employee, EmployeeStatus
from staff.selectors import department_ancestor_ids, employee_for_user

from .awards import award_create

NOT_A_HEAD = _("Only a department head may nominate the service star of their department.")
OTHER_DEPARTMENT = _(
    "%(name)s is not in a department you head: you may nominate only your own department's people."
)
SECOND_NOMINATION = _(
    "%(department)s has already nominated %(name)s for %(month)s: one nomination per "
    "department a month."
)
SELF_NOMINATION = _("You may not nominate yourself.")
NOMINEE_LEFT = _("%(name)s has left the company and cannot be nominated.")
NOMINEE_NOT_ACTIVE = _("%(name)s is not active (%(status)s) and cannot be nominated.")
MONTH_IN_FUTURE = _("You cannot nominate for a month that has not started.")
MONTH_TOO_OLD = _("Nominations for %(month)s are closed: nominate for this month or the last.")
REASON_REQUIRED = _("Give the reason for the nomination.")

NOT_A_SELECTOR = _("Only HR or the general manager may select the service stars.")
CHOOSE_NOMINEES = _("Choose at least one nominee.")
TOO_MANY = _(
    "At most %(limit)s service stars a month: %(taken)s already selected for %(month)s, "
    "so you may choose %(left)s more."
)
NOT_THIS_MONTH = _("The nomination of %(name)s is for another month.")
ALREADY_SELECTED = _("%(name)s has already been selected for %(month)s.")
SELF_SELECTION = _("You may not select yourself.")
NO_SERVICE_STAR_TYPE = _(
    "No service-star reward (code %(code)s) is in force on %(date)s: load the rulebook's "
    "reward types or change the reward settings."
)
SELECTION_MONTH_IN_FUTURE = _("The month %(month)s has not started.")

NOT_DUE = _("%(name)s does not complete %(years)s years of service in %(month)s.")
LONG_SERVICE_MONTH_IN_FUTURE = _(
    "Long-service awards for %(month)s can be confirmed from %(start)s."
)
NO_LONG_SERVICE_TYPE = _(
    "No long-service reward (code %(code)s) is in force on %(date)s: load the rulebook's "
    "reward types or change the reward settings."
)
NOT_ALLOWED_TO_CONFIRM = _("Only HR may confirm long-service awards.")


# ---- Nominations -------------------------------------------------------------------


def nominating_department(*, user, employee: Employee) -> Department | None:
    """The department ``user`` heads that ``employee`` belongs to: their own department
    if the user heads it, else the nearest one above it that the user heads."""
    me = employee_for_user(user)
    if me is None:
        return None
    headed = set(Department.objects.filter(head=me).values_list("pk", flat=True))
    for department_id in [employee.department_id, *department_ancestor_ids(employee.department_id)]:
        if department_id in headed:
            return Department.objects.get(pk=department_id)
    return None


def _check_month(month: date, today: date) -> date:
    month = first_of_month(month)
    current = first_of_month(today)
    if month > current:
        raise ValidationError({"month": MONTH_IN_FUTURE})
    previous = first_of_month(date.fromordinal(current.toordinal() - 1))
    if month < previous:
        raise ValidationError(
            {"month": ValidationError(MONTH_TOO_OLD, params={"month": month_label(month)})}
        )
    return month


@transaction.atomic
def service_star_nominate(
    *,
    by,
    employee: Employee,
    reason: str,
    month: date | None = None,
    now: datetime | None = None,
) -> ServiceStarNomination:
    """A department head nominates ``employee`` for the service star of ``month`` (this
    month by default; the last month is still open). One nomination per department and
    month; the nominee must be in a department the nominator heads."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not by.has_perm("rewards.nominate_service_star"):
        raise ValidationError(NOT_A_HEAD, code="not_a_head")
    me = employee_for_user(by)
    if me is None or not Department.objects.filter(head=me).exists():
        raise ValidationError(NOT_A_HEAD, code="not_a_head")
    month = _check_month(month or today, today)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if employee.pk == me.pk:
        raise ValidationError({"employee": SELF_NOMINATION})
    if employee.status == EmployeeStatus.LEFT:
        raise ValidationError(
            {"employee": ValidationError(NOMINEE_LEFT, params={"name": employee.name})}
        )
    if employee.status != EmployeeStatus.ACTIVE:
        raise ValidationError(
            {
                "employee": ValidationError(
                    NOMINEE_NOT_ACTIVE,
                    params={"name": employee.name, "status": employee.get_status_display()},
                )
            }
        )
    department = nominating_department(user=by, employee=employee)
    if department is None:
        raise ValidationError(
            {"employee": ValidationError(OTHER_DEPARTMENT, params={"name": employee.name})}
        )
    # Lock the department row: two heads (or two tabs) nominating at once queue here.
    Department.objects.select_for_update().filter(pk=department.pk).first()
    existing = (
        ServiceStarNomination.objects.filter(department=department, month=month)
        .select_related("employee")
        .first()
    )
    if existing is not None:
        raise _second(department, existing.employee, month)
    nomination = ServiceStarNomination(
        month=month,
        department=department,
        employee=employee,
        reason=reason,
        nominated_by=by,
        nominated_at=now,
    )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:  # pragma: no cover - the lock above makes this a race backstop
        existing = ServiceStarNomination.objects.get(department=department, month=month)
        raise _second(department, existing.employee, month) from None
    audit_record(
        actor=by,
        obj=nomination,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(nomination, ("month", "department", "employee", "reason"))),
    )
    return nomination


def _second(department, employee, month) -> ValidationError:
    return ValidationError(
        SECOND_NOMINATION,
        code="second_nomination",
        params={"department": department.name, "name": employee.name, "month": month_label(month)},
    )


# ---- Selection -----------------------------------------------------------------------


def live_winners(month: date) -> int:
    """Selected nominations of ``month`` whose award still stands (pending or approved)."""
    return ServiceStarNomination.objects.filter(
        month=month,
        status=NominationStatus.SELECTED,
        award__status__in=[AwardStatus.PENDING, AwardStatus.APPROVED],
    ).count()


@transaction.atomic
def service_star_select(
    *, by, month: date, nominations, now: datetime | None = None
) -> list[Award]:
    """HR or the GM selects winners among ``month``'s nominations (up to the monthly
    limit, counting those already selected); each becomes a pending service-star award
    logged by the selector, dated the day of selection."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not by.has_perm("rewards.select_service_star"):
        raise ValidationError(NOT_A_SELECTOR, code="not_a_selector")
    month = first_of_month(month)
    if month > first_of_month(today):
        raise ValidationError(
            SELECTION_MONTH_IN_FUTURE, params={"month": month_label(month)}, code="future"
        )
    ids = sorted({n.pk for n in nominations})
    if not ids:
        raise ValidationError(CHOOSE_NOMINEES, code="choose")
    settings_row = RewardSettings.objects.select_for_update().get(pk=RewardSettings.get().pk)
    locked = list(
        ServiceStarNomination.objects.select_for_update(of=("self",))
        .select_related("employee__department", "department")
        .filter(pk__in=ids)
        .order_by("department__code", "pk")
    )
    for nomination in locked:
        if nomination.month != month:
            raise ValidationError(
                NOT_THIS_MONTH, params={"name": nomination.employee.name}, code="other_month"
            )
        if nomination.status != NominationStatus.NOMINATED:
            raise ValidationError(
                ALREADY_SELECTED,
                params={"name": nomination.employee.name, "month": month_label(month)},
                code="already_selected",
            )
    taken = live_winners(month)
    limit = settings_row.service_star_winners
    if taken + len(locked) > limit:
        raise ValidationError(
            TOO_MANY,
            code="too_many",
            params={
                "limit": limit,
                "taken": taken,
                "left": max(limit - taken, 0),
                "month": month_label(month),
            },
        )
    me = employee_for_user(by)
    if me is not None and any(n.employee_id == me.pk for n in locked):
        raise ValidationError(SELF_SELECTION, code="self_selection")
    reward_type = service_star_type_on(today)
    if reward_type is None:
        raise ValidationError(
            NO_SERVICE_STAR_TYPE,
            code="no_type",
            params={"code": settings_row.service_star_code, "date": today},
        )
    awards = []
    for nomination in locked:
        award = award_create(
            logged_by=by,
            reward_type=reward_type,
            employee=nomination.employee,
            awarded_on=today,
            reason=f"{month.year}年{month.month}月服务之星(提名:{nomination.department.name})"
            f":{nomination.reason}",
            certificate=f"{month.year}年{month.month}月“{reward_type.name}”",
            source=AwardSource.SERVICE_STAR,
            now=now,
        )
        nomination.status = NominationStatus.SELECTED
        nomination.selected_by = by
        nomination.selected_at = now
        nomination.award = award
        nomination.save(update_fields=["status", "selected_by", "selected_at", "award"])
        audit_record(
            actor=by,
            obj=nomination,
            action=AuditAction.TRANSITION,
            changes={"status": [NominationStatus.NOMINATED, NominationStatus.SELECTED]},
            comment=f"award {award.pk}",
        )
        awards.append(award)
    return awards


# ---- Long service ----------------------------------------------------------------------


@transaction.atomic
def long_service_confirm(
    *, by, employee: Employee, month: date, now: datetime | None = None
) -> Award:
    """HR confirms the suggested long-service award of ``employee``, who completes the
    years of service in ``month``: a pending award dated the anniversary (or today, if
    HR confirms earlier in that month). Given once per person."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not by.has_perm("rewards.add_award"):
        raise ValidationError(NOT_ALLOWED_TO_CONFIRM, code="not_allowed")
    settings_row = RewardSettings.get()
    years = settings_row.long_service_years
    month = first_of_month(month)
    if month > first_of_month(today):
        raise ValidationError(
            LONG_SERVICE_MONTH_IN_FUTURE,
            code="future",
            params={"month": month_label(month), "start": month},
        )
    due = anniversary(employee.hire_date, years)
    if first_of_month(due) != month:
        raise ValidationError(
            NOT_DUE,
            code="not_due",
            params={"name": employee.name, "years": years, "month": month_label(month)},
        )
    awarded_on = min(due, today)
    reward_type = long_service_type_on(awarded_on)
    if reward_type is None:
        raise ValidationError(
            NO_LONG_SERVICE_TYPE,
            code="no_type",
            params={"code": settings_row.long_service_code, "date": awarded_on},
        )
    return award_create(
        logged_by=by,
        reward_type=reward_type,
        employee=employee,
        awarded_on=awarded_on,
        reason=f"服务满{years}年:{employee.hire_date:%Y-%m-%d}入职,{due:%Y-%m-%d}满{years}年。",
        source=AwardSource.LONG_SERVICE,
        now=now,
    )
