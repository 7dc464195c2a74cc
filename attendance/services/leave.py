"""Leave: requested by the employee (their own only) or entered by HR, decided by the head
of a department above the employee (never by the employee), cancelled by the employee or
HR. Transitions only here:

    pending ──approve──▶ approved ──cancel──▶ cancelled
       │ └──reject───▶ rejected
       └──cancel───▶ cancelled
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record, diff, snapshot
from staff.models import Employee, EmployeeStatus
from staff.selectors import employee_for_user

from ..judge import is_working_day
from ..models import CalendarDayKind, HalfDay, Leave, LeaveKind, LeaveStatus
from ..planning import ShiftPlan, calendar_kinds
from ..selectors import can_cancel_leave, can_decide_leave

LEAVE_NOT_YOURS = _("You can only request leave for yourself.")
LEAVE_EMPLOYEE_GONE = _("%(name)s has left the company.")
LEAVE_DATES_ORDER = _("The leave cannot end before it starts.")
LEAVE_HALVES_ORDER = _("A leave on one day cannot start in the afternoon and end in the morning.")
LEAVE_NO_WORKING_DAY = _("The leave covers no working day of the employee.")
LEAVE_OVERLAP = _("This overlaps the %(kind)s from %(start)s to %(end)s (%(status)s).")
LEAVE_TOO_LONG = _("A leave can last at most 366 days.")
LEAVE_NOT_PENDING = _("Only a pending leave can be approved or rejected.")
LEAVE_NOT_OPEN = _("Only a pending or approved leave can be cancelled.")
LEAVE_CANNOT_DECIDE = _(
    "Only the head of the employee's department or of a department above it can decide, "
    "and never on their own leave."
)
LEAVE_CANNOT_CANCEL = _("Only the employee, whoever entered the leave, or HR can cancel it.")
LEAVE_REASON_REQUIRED = _("Give a reason.")
LEAVE_AUDIT_FIELDS = (
    "employee",
    "kind",
    "start_date",
    "start_half",
    "end_date",
    "end_half",
    "days",
    "status",
)


def _transition(leave: Leave, by, old: str, comment: str) -> None:
    audit_record(
        actor=by,
        obj=leave,
        action=AuditAction.TRANSITION,
        changes={"status": [old, leave.status]},
        comment=comment,
    )


def leave_working_days(
    *, employee: Employee, start_date: date, start_half: str, end_date: date, end_half: str
) -> Decimal:
    """Working days the leave covers by the employee's shift and the company calendar
    (half days count ½). Without any shift, Monday to Friday count."""
    plan = ShiftPlan.load(start_date, end_date, employee_ids=[employee.pk])
    kinds = calendar_kinds(start_date, end_date)
    probe = Leave(
        start_date=start_date, start_half=start_half, end_date=end_date, end_half=end_half
    )
    total = Decimal("0")
    day = start_date
    while day <= end_date:
        shift = plan.shift_for(employee.pk, employee.department_id, day)
        kind = kinds.get(day)
        if shift is not None:
            working = is_working_day(shift, day, kind)
        else:
            working = kind == CalendarDayKind.WORKDAY or (
                day.isoweekday() <= 5
                and kind not in (CalendarDayKind.HOLIDAY, CalendarDayKind.REST_DAY)
            )
        if working:
            total += Decimal("0.5") * len(probe.halves_on(day))
        day += timedelta(days=1)
    return total


def _check_no_overlap(leave: Leave) -> None:
    others = (
        Leave.objects.filter(
            employee=leave.employee,
            status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
            start_date__lte=leave.end_date,
            end_date__gte=leave.start_date,
        )
        .exclude(pk=leave.pk)
        .order_by("start_date")
    )
    for other in others:
        day = max(leave.start_date, other.start_date)
        last = min(leave.end_date, other.end_date)
        while day <= last:
            if leave.halves_on(day) & other.halves_on(day):
                raise ValidationError(
                    LEAVE_OVERLAP,
                    params={
                        "kind": other.get_kind_display(),
                        "start": other.start_date,
                        "end": other.end_date,
                        "status": other.get_status_display(),
                    },
                )
            day += timedelta(days=1)


@transaction.atomic
def leave_request(
    *,
    employee: Employee,
    kind: str,
    start_date: date,
    end_date: date,
    by,
    start_half: str = HalfDay.AM,
    end_half: str = HalfDay.PM,
    reason: str = "",
) -> Leave:
    """A leave request, pending approval. The employee requests their own; HR anyone's."""
    me = employee_for_user(by)
    if not by.has_perm("attendance.enter_leave_for_others") and (
        me is None or me.pk != employee.pk
    ):
        raise ValidationError(LEAVE_NOT_YOURS)
    # One leave write per employee at a time: the overlap check below needs it.
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status == EmployeeStatus.LEFT:
        raise ValidationError(LEAVE_EMPLOYEE_GONE, params={"name": employee.name})
    if end_date < start_date:
        raise ValidationError({"end_date": LEAVE_DATES_ORDER})
    if (end_date - start_date).days > 366:
        raise ValidationError({"end_date": LEAVE_TOO_LONG})
    if start_date == end_date and start_half == HalfDay.PM and end_half == HalfDay.AM:
        raise ValidationError({"end_half": LEAVE_HALVES_ORDER})
    days = leave_working_days(
        employee=employee,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
    )
    if days <= 0:
        raise ValidationError(LEAVE_NO_WORKING_DAY)
    leave = Leave(
        employee=employee,
        kind=LeaveKind(kind),
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=days,
        reason=reason,
        requested_by=by,
    )
    leave.full_clean()
    _check_no_overlap(leave)
    leave.save()
    audit_record(
        actor=by,
        obj=leave,
        action=AuditAction.CREATE,
        changes=diff({}, snapshot(leave, LEAVE_AUDIT_FIELDS)),
    )
    return leave


def _locked(leave: Leave) -> Leave:
    return (
        Leave.objects.select_for_update(of=("self",))
        .select_related("employee__department")
        .get(pk=leave.pk)
    )


@transaction.atomic
def leave_approve(*, leave: Leave, by, comment: str = "") -> Leave:
    leave = _locked(leave)
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(LEAVE_NOT_PENDING)
    if not can_decide_leave(by, leave):
        raise ValidationError(LEAVE_CANNOT_DECIDE)
    leave.status = LeaveStatus.APPROVED
    leave.decided_by = by
    leave.decided_at = timezone.now()
    leave.decision_comment = comment
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    _transition(leave, by, LeaveStatus.PENDING, comment)
    return leave


@transaction.atomic
def leave_reject(*, leave: Leave, by, comment: str) -> Leave:
    leave = _locked(leave)
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(LEAVE_NOT_PENDING)
    if not can_decide_leave(by, leave):
        raise ValidationError(LEAVE_CANNOT_DECIDE)
    if not comment.strip():
        raise ValidationError({"comment": LEAVE_REASON_REQUIRED})
    leave.status = LeaveStatus.REJECTED
    leave.decided_by = by
    leave.decided_at = timezone.now()
    leave.decision_comment = comment.strip()
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    _transition(leave, by, LeaveStatus.PENDING, leave.decision_comment)
    return leave


@transaction.atomic
def leave_cancel(*, leave: Leave, by, reason: str) -> Leave:
    """Withdraw a pending leave or cancel an approved one. A month already processed keeps
    its days until it is processed again."""
    leave = _locked(leave)
    if not leave.is_open:
        raise ValidationError(LEAVE_NOT_OPEN)
    old = leave.status
    if not can_cancel_leave(by, leave):
        raise ValidationError(LEAVE_CANNOT_CANCEL)
    if not reason.strip():
        raise ValidationError({"reason": LEAVE_REASON_REQUIRED})
    leave.status = LeaveStatus.CANCELLED
    leave.cancelled_by = by
    leave.cancelled_at = timezone.now()
    leave.cancel_reason = reason.strip()
    leave.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    _transition(leave, by, old, leave.cancel_reason)
    return leave
