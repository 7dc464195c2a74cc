"""Leave: employees request their own, HR anyone's; the head of a department above the
employee decides (never on their own leave); half days; no overlaps; the state machine."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from attendance.models import LeaveStatus
from attendance.services import (
    calendar_day_set,
    leave_approve,
    leave_cancel,
    leave_reject,
    leave_request,
)
from attendance.services.leave import (
    LEAVE_CANNOT_DECIDE,
    LEAVE_NOT_PENDING,
    LEAVE_NOT_YOURS,
)
from attendance.tests.factories import ShiftFactory, assign
from conftest import make_user
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


@pytest.fixture
def me(employee_user):
    assign(ShiftFactory(), department=employee_user.employee.department)
    return employee_user.employee


def request(employee, by, **kwargs):
    fields = {"kind": "annual", "start_date": MONDAY, "end_date": MONDAY, **kwargs}
    return leave_request(employee=employee, by=by, **fields)


def test_employee_requests_own_leave(me, employee_user):
    leave = request(me, employee_user, end_date=date(2026, 3, 6), reason="回老家")
    assert leave.status == LeaveStatus.PENDING
    assert leave.days == Decimal("5")
    assert leave.requested_by == employee_user


def test_employee_cannot_request_for_someone_else(me, employee_user, department):
    colleague = EmployeeFactory(department=department)
    with pytest.raises(ValidationError) as caught:
        request(colleague, employee_user)
    assert caught.value.messages == [str(LEAVE_NOT_YOURS)]


def test_hr_enters_leave_for_anyone(me, hr_user):
    leave = request(me, hr_user, kind="sick")
    assert leave.requested_by == hr_user


def test_working_days_skip_weekends_and_holidays_and_count_half_days(me, employee_user):
    calendar_day_set(day=date(2026, 3, 4), kind="holiday", name="假日")
    leave = request(
        me,
        employee_user,
        start_date=MONDAY,
        start_half="pm",
        end_date=date(2026, 3, 9),
        end_half="am",
    )
    # Mon pm ½ + Tue 1 + (Wed holiday) + Thu 1 + Fri 1 + (weekend) + Mon am ½
    assert leave.days == Decimal("4.0")


def test_a_leave_on_rest_days_only_is_refused(me, employee_user):
    with pytest.raises(ValidationError):
        request(me, employee_user, start_date=date(2026, 3, 7), end_date=date(2026, 3, 8))


def test_afternoon_to_morning_of_one_day_is_refused(me, employee_user):
    with pytest.raises(ValidationError):
        request(me, employee_user, start_half="pm", end_half="am")


def test_overlapping_leave_is_refused_but_the_other_half_is_fine(me, employee_user):
    request(me, employee_user, end_half="am")
    with pytest.raises(ValidationError):
        request(me, employee_user, kind="personal")
    assert request(me, employee_user, kind="personal", start_half="pm").days == Decimal("0.5")


def test_head_of_the_department_approves(me, employee_user, head_user):
    leave = request(me, employee_user)
    leave = leave_approve(leave=leave, by=head_user, comment="同意")
    assert (leave.status, leave.decided_by) == (LeaveStatus.APPROVED, head_user)
    assert leave.decided_at is not None


def test_head_of_a_parent_department_approves(department, hr_user):
    child = DepartmentFactory(parent=department)
    assign(ShiftFactory(), department=child)
    top = make_user("department_head", department=department, heads=True)
    employee = EmployeeFactory(department=child)
    leave = request(employee, hr_user)
    assert leave_approve(leave=leave, by=top).status == LeaveStatus.APPROVED


def test_head_of_another_department_cannot_decide(me, employee_user):
    other_head = make_user("department_head", department=DepartmentFactory(), heads=True)
    leave = request(me, employee_user)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        leave_approve(leave=leave, by=other_head)
    assert caught.value.messages == [str(LEAVE_CANNOT_DECIDE)]


def test_hr_cannot_approve(me, employee_user, hr_user):
    with pytest.raises(ValidationError):
        leave_approve(leave=request(me, employee_user), by=hr_user)


def test_head_cannot_approve_own_leave(head_user, department):
    assign(ShiftFactory(), department=department)
    leave = request(head_user.employee, head_user)
    with pytest.raises(ValidationError):
        leave_approve(leave=leave, by=head_user)


def test_reject_needs_a_reason(me, employee_user, head_user):
    leave = request(me, employee_user)
    with pytest.raises(ValidationError):
        leave_reject(leave=leave, by=head_user, comment=" ")
    leave = leave_reject(leave=leave, by=head_user, comment="旺季,请改期")
    assert leave.status == LeaveStatus.REJECTED


def test_decided_leave_cannot_be_decided_again(me, employee_user, head_user):
    leave = leave_approve(leave=request(me, employee_user), by=head_user)
    with pytest.raises(ValidationError) as caught:
        leave_reject(leave=leave, by=head_user, comment="改主意")
    assert caught.value.messages == [str(LEAVE_NOT_PENDING)]


def test_employee_cancels_approved_leave(me, employee_user, head_user):
    leave = leave_approve(leave=request(me, employee_user), by=head_user)
    leave = leave_cancel(leave=leave, by=employee_user, reason="不用请了")
    assert (leave.status, leave.cancelled_by) == (LeaveStatus.CANCELLED, employee_user)
    with pytest.raises(ValidationError):
        leave_cancel(leave=leave, by=employee_user, reason="again")


def test_colleague_cannot_cancel(me, employee_user, department):
    colleague = make_user("employee", department=department)
    leave = request(me, employee_user)
    with pytest.raises(ValidationError):
        leave_cancel(leave=leave, by=colleague, reason="x")


def test_cancelled_leave_frees_the_days(me, employee_user):
    leave = request(me, employee_user)
    leave_cancel(leave=leave, by=employee_user, reason="改期")
    assert request(me, employee_user).status == LeaveStatus.PENDING


def test_leave_for_someone_who_left_is_refused(me, hr_user):
    me.status, me.left_on = "left", date(2026, 2, 1)
    me.save(update_fields=["status", "left_on"])
    with pytest.raises(ValidationError):
        request(me, hr_user)
