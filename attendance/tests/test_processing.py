"""Processing a month into attendance days, violations (source: attendance) and pending
penalties priced by the rulebook: the seed tiers at their edges (G), the monthly ladder
that resets (F), absence and leave by daily wage, consecutive absence as a flag, leave
over a late day, idempotent reprocessing after a corrected import."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from attendance.models import AttendanceDay, DayStatus, DayViolation, EventKind
from attendance.services import (
    attendance_month_process,
    clock_import_confirm,
    clock_import_start,
    leave_approve,
    leave_request,
)
from attendance.tests.factories import (
    MAPPING,
    ShiftFactory,
    assign,
    csv_bytes,
    judge_by,
    night_shift,
    seed_rulebooks,
)
from conduct.models import Violation, ViolationSource, ViolationStatus
from conduct.services.violations import violation_void
from penalties.models import Penalty, PenaltyStatus
from staff.models import EmployeeStatus
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
APRIL = date(2026, 4, 1)
WAGE = Decimal("3000.00")  # daily wage 3000 / 21.75 = 137.93


@pytest.fixture
def rulebooks(db):
    return seed_rulebooks("hospitality", "customer-service")


@pytest.fixture
def worker(department, rulebooks):
    assign(ShiftFactory(), department=department)  # 09:00–18:00, Monday to Friday
    return EmployeeFactory(employee_no="W001", department=department, monthly_wage=WAGE)


def working_days(month: date):
    day = month
    while day.month == month.month:
        if day.isoweekday() <= 5:
            yield day
        day += timedelta(days=1)


def clock(user, rows, name=None):
    content = csv_bytes(rows)
    draft = clock_import_start(file_name=name or "clock.csv", content=content, by=user)
    return clock_import_confirm(clock_import=draft, mapping=MAPPING, by=user)


def month_rows(employee, month, overrides=None, skip=()):
    """On time every working day of ``month`` except the overridden or skipped days."""
    overrides = overrides or {}
    rows = []
    for day in working_days(month):
        if day in skip:
            continue
        clock_in, clock_out = overrides.get(day, ("08:55", "18:05"))
        rows.append([employee.employee_no, day.isoformat(), clock_in, clock_out])
    return rows


def process(month, user):
    return attendance_month_process(month=month, by=user, today=date(2026, 11, 1))


def person_amount(violation) -> Decimal:
    return Decimal(violation.quote["person_amount"])


def active(employee, **filters):
    return list(
        Violation.objects.filter(
            employee=employee, status=ViolationStatus.ACTIVE, **filters
        ).order_by("occurred_at")
    )


# --- hospitality (G) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock_in", "level", "amount"),
    [
        ("09:20", "within_20", "10.00"),
        ("09:21", "within_30", "20.00"),
        ("09:30", "within_30", "20.00"),
        ("09:31", "within_60", "50.00"),
        ("10:00", "within_60", "50.00"),
    ],
)
def test_hospitality_tiers_at_their_edges(worker, hr_user, clock_in, level, amount):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: (clock_in, "18:00")}))
    result = process(MARCH, hr_user)
    assert result.violations_created == 1
    (violation,) = active(worker)
    assert violation.source == ViolationSource.ATTENDANCE
    assert violation.rule_number == "1.3(1)"
    assert violation.level == level
    assert person_amount(violation) == Decimal(amount)
    assert Penalty.objects.get(violation=violation, is_primary=True).status == (
        PenaltyStatus.PENDING
    )
    attendance_day = AttendanceDay.objects.get(employee=worker, date=day)
    assert attendance_day.status == DayStatus.LATE
    assert attendance_day.violation_links.get().violation == violation


def test_hospitality_late_over_sixty_minutes_is_absence_at_three_daily_wages(worker, hr_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: ("10:01", "18:00")}))
    process(MARCH, hr_user)
    (violation,) = active(worker)
    assert violation.rule_number == "1.3(3)"
    assert person_amount(violation) == Decimal("413.79")  # 3 × 3000 / 21.75
    assert violation.quote["lines"][0]["money_kind"] == "absence_cut"
    assert AttendanceDay.objects.get(employee=worker, date=day).status == DayStatus.ABSENT


def test_leaving_early_uses_the_same_tiers(worker, hr_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:00", "17:39")}))
    process(MARCH, hr_user)
    (violation,) = active(worker)
    assert (violation.level, person_amount(violation)) == ("within_30", Decimal("20.00"))
    assert "Left 21 minutes early" in violation.description or "早退21分钟" in violation.description


def test_three_consecutive_absences_flag_resignation_for_review(worker, hr_user):
    judge_by("hospitality")
    days = [date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)]
    clock(hr_user, month_rows(worker, MARCH, skip=days))
    result = process(MARCH, hr_user)
    absences = active(worker, rule_number="1.3(3)")
    assert len(absences) == 3
    assert [person_amount(v) for v in absences] == [Decimal("413.79")] * 3
    assert result.flagged == 1
    flagged = AttendanceDay.objects.get(employee=worker, date=days[2])
    assert flagged.needs_review
    assert "自动离职" in flagged.note
    assert not AttendanceDay.objects.get(employee=worker, date=days[1]).needs_review
    worker.refresh_from_db()
    assert worker.status == EmployeeStatus.ACTIVE  # a flag, never a termination


def test_personal_and_sick_leave_days_cut_pay_by_the_daily_wage(worker, hr_user, head_user):
    judge_by("hospitality")
    personal, sick = date(2026, 3, 10), date(2026, 3, 12)
    for kind, day in (("personal", personal), ("sick", sick)):
        leave = leave_request(employee=worker, kind=kind, start_date=day, end_date=day, by=hr_user)
        leave_approve(leave=leave, by=head_user)
    clock(hr_user, month_rows(worker, MARCH, skip=[personal, sick]))
    process(MARCH, hr_user)
    by_rule = {v.rule_number: v for v in active(worker)}
    assert set(by_rule) == {"1.3(2)a", "1.3(2)b"}
    assert person_amount(by_rule["1.3(2)a"]) == Decimal("206.90")  # 1.5 × 137.93…
    assert person_amount(by_rule["1.3(2)b"]) == Decimal("137.93")
    assert AttendanceDay.objects.get(employee=worker, date=personal).status == DayStatus.LEAVE


def test_annual_leave_produces_nothing(worker, hr_user, head_user):
    judge_by("hospitality")
    day = date(2026, 3, 10)
    leave = leave_request(employee=worker, kind="annual", start_date=day, end_date=day, by=hr_user)
    leave_approve(leave=leave, by=head_user)
    clock(hr_user, month_rows(worker, MARCH, skip=[day]))
    process(MARCH, hr_user)
    assert active(worker) == []


def test_pending_leave_does_not_excuse_absence(worker, hr_user):
    judge_by("hospitality")
    day = date(2026, 3, 10)
    leave_request(employee=worker, kind="annual", start_date=day, end_date=day, by=hr_user)
    clock(hr_user, month_rows(worker, MARCH, skip=[day]))
    process(MARCH, hr_user)
    assert [v.rule_number for v in active(worker)] == ["1.3(3)"]


# --- customer service (F) ----------------------------------------------------------------------


def test_customer_service_ladder_resets_each_month(worker, hr_user):
    judge_by("customer-service")
    late_march = [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)]
    clock(hr_user, month_rows(worker, MARCH, {d: ("09:05", "18:00") for d in late_march}))
    clock(
        hr_user,
        month_rows(worker, APRIL, {date(2026, 4, 7): ("09:05", "18:00")}),
        name="april.csv",
    )
    process(MARCH, hr_user)
    process(APRIL, hr_user)
    violations = active(worker)
    assert [v.rule_number for v in violations] == ["10.8"] * 4
    assert [v.occurrence for v in violations] == [1, 2, 3, 1]
    assert [person_amount(v) for v in violations] == [
        Decimal("10.00"),
        Decimal("20.00"),
        Decimal("20.00"),
        Decimal("10.00"),  # 按月计算,跨月不累计
    ]


def test_customer_service_absence_is_two_daily_wages_and_third_is_flagged(worker, hr_user):
    judge_by("customer-service")
    days = [date(2026, 3, 3), date(2026, 3, 11), date(2026, 3, 19)]
    clock(hr_user, month_rows(worker, MARCH, skip=days))
    result = process(MARCH, hr_user)
    absences = active(worker)
    assert [person_amount(v) for v in absences] == [Decimal("275.86")] * 3
    assert result.flagged == 1
    assert AttendanceDay.objects.get(employee=worker, date=days[2]).needs_review


def test_customer_service_personal_leave_is_base_pay_and_thirty(worker, hr_user, head_user):
    judge_by("customer-service")
    day = date(2026, 3, 10)
    leave = leave_request(
        employee=worker, kind="personal", start_date=day, end_date=day, by=hr_user
    )
    leave_approve(leave=leave, by=head_user)
    clock(hr_user, month_rows(worker, MARCH, skip=[day]))
    process(MARCH, hr_user)
    (violation,) = active(worker)
    assert person_amount(violation) == Decimal("167.93")  # 137.93 + 30


def test_a_department_can_be_judged_by_another_rulebook(worker, hr_user, department):
    from staff.tests.factories import DepartmentFactory

    judge_by("customer-service")
    kitchen = DepartmentFactory(name="后厨", parent=department)
    judge_by("hospitality", department=kitchen)
    cook = EmployeeFactory(department=kitchen, monthly_wage=WAGE)
    day = date(2026, 3, 4)
    rows = month_rows(worker, MARCH, {day: ("09:25", "18:00")})
    rows += month_rows(cook, MARCH, {day: ("09:25", "18:00")})
    clock(hr_user, rows)
    process(MARCH, hr_user)
    assert active(worker)[0].rule_number == "10.8"
    assert active(cook)[0].rule_number == "1.3(1)"


# --- reprocessing -----------------------------------------------------------------------------


def test_processing_twice_changes_nothing(worker, hr_user):
    judge_by("hospitality")
    clock(hr_user, month_rows(worker, MARCH, {date(2026, 3, 4): ("09:25", "18:00")}))
    first = process(MARCH, hr_user)
    second = process(MARCH, hr_user)
    assert (first.violations_created, first.violations_voided) == (1, 0)
    assert (second.violations_created, second.violations_voided, second.violations_kept) == (
        0,
        0,
        1,
    )
    assert Violation.objects.count() == 1
    assert AttendanceDay.objects.filter(employee=worker).count() == 31


def test_a_corrected_import_voids_what_no_longer_applies_and_adds_what_is_new(worker, hr_user):
    judge_by("hospitality")
    wrong, other = date(2026, 3, 4), date(2026, 3, 5)
    clock(hr_user, month_rows(worker, MARCH, {wrong: ("09:25", "18:00")}))
    process(MARCH, hr_user)
    (late,) = active(worker)
    corrected = month_rows(worker, MARCH, {other: ("09:45", "18:00")})
    clock(hr_user, corrected, name="corrected.csv")
    result = process(MARCH, hr_user)
    assert (result.violations_created, result.violations_voided) == (1, 1)
    late.refresh_from_db()
    assert late.status == ViolationStatus.VOIDED
    assert "2026-03-04" in late.void_reason
    assert Penalty.objects.get(violation=late, is_primary=True).status == PenaltyStatus.VOIDED
    (new,) = active(worker)
    assert (new.occurred_on, new.level, person_amount(new)) == (
        other,
        "within_60",
        Decimal("50.00"),
    )
    link = DayViolation.objects.get(violation=late)
    assert not link.is_current


def test_a_different_tier_replaces_the_violation(worker, hr_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:25", "18:00")}))
    process(MARCH, hr_user)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:45", "18:00")}), name="fix.csv")
    process(MARCH, hr_user)
    (violation,) = active(worker)
    assert (violation.level, person_amount(violation)) == ("within_60", Decimal("50.00"))


def test_same_tier_different_minutes_keeps_the_violation(worker, hr_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:25", "18:00")}))
    process(MARCH, hr_user)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:27", "18:00")}), name="fix.csv")
    result = process(MARCH, hr_user)
    assert (result.violations_created, result.violations_voided) == (0, 0)
    assert AttendanceDay.objects.get(employee=worker, date=day).late_minutes == 27


def test_leave_approved_over_a_late_day_voids_the_lateness(worker, hr_user, head_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:40", "18:00")}))
    process(MARCH, hr_user)
    (late,) = active(worker)
    leave = leave_request(employee=worker, kind="annual", start_date=day, end_date=day, by=hr_user)
    leave_approve(leave=leave, by=head_user)
    process(MARCH, hr_user)
    late.refresh_from_db()
    assert late.is_voided
    assert active(worker) == []
    attendance_day = AttendanceDay.objects.get(employee=worker, date=day)
    assert attendance_day.status == DayStatus.LEAVE
    assert attendance_day.leave == leave


def test_half_day_leave_over_a_late_morning_is_not_late(worker, hr_user, head_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    leave = leave_request(
        employee=worker,
        kind="annual",
        start_date=day,
        end_date=day,
        start_half="am",
        end_half="am",
        by=hr_user,
    )
    leave_approve(leave=leave, by=head_user)
    clock(hr_user, month_rows(worker, MARCH, {day: ("13:20", "18:00")}))
    process(MARCH, hr_user)
    assert active(worker) == []
    attendance_day = AttendanceDay.objects.get(employee=worker, date=day)
    assert (attendance_day.status, attendance_day.leave_fraction) == (
        DayStatus.ON_TIME,
        Decimal("0.5"),
    )


def test_a_violation_hr_voided_is_not_logged_again(worker, hr_user):
    judge_by("hospitality")
    clock(hr_user, month_rows(worker, MARCH, {date(2026, 3, 4): ("09:25", "18:00")}))
    process(MARCH, hr_user)
    (late,) = active(worker)
    violation_void(violation=late, by=hr_user, reason="考勤机故障,经核实准时到岗")
    result = process(MARCH, hr_user)
    assert (result.violations_created, result.violations_voided) == (0, 0)
    assert Violation.objects.count() == 1


def test_night_shift_crossing_midnight(worker, hr_user):
    judge_by("hospitality")
    assign(night_shift(), employee=worker, start=date(2026, 3, 1))  # wins over the department
    rows = []
    for day in working_days(MARCH):
        rows.append([worker.employee_no, day.isoformat(), "21:55", "06:05"])
    rows[2] = [worker.employee_no, rows[2][1], "22:25", "06:00"]
    clock(hr_user, rows)
    process(MARCH, hr_user)
    (late,) = active(worker)
    assert (late.level, late.occurred_on) == ("within_30", date(2026, 3, 4))


def test_missing_punch_is_for_review(worker, hr_user):
    judge_by("hospitality")
    day = date(2026, 3, 4)
    clock(hr_user, month_rows(worker, MARCH, {day: ("09:00", "")}))
    process(MARCH, hr_user)
    assert active(worker) == []
    attendance_day = AttendanceDay.objects.get(employee=worker, date=day)
    assert (attendance_day.status, attendance_day.needs_review) == (DayStatus.INCOMPLETE, True)


def test_holidays_and_make_up_days(worker, hr_user):
    from attendance.services import calendar_day_set

    judge_by("hospitality")
    holiday, saturday = date(2026, 3, 4), date(2026, 3, 7)
    calendar_day_set(day=holiday, kind="holiday", name="测试假日")
    calendar_day_set(day=saturday, kind="workday", name="调休上班")
    clock(hr_user, month_rows(worker, MARCH, skip=[holiday]))  # nobody clocks on Saturday
    process(MARCH, hr_user)
    assert AttendanceDay.objects.get(employee=worker, date=holiday).status == DayStatus.HOLIDAY
    (absent,) = active(worker)
    assert absent.occurred_on == saturday


def test_no_policy_judges_days_but_logs_nothing(worker, hr_user):
    clock(hr_user, month_rows(worker, MARCH, {date(2026, 3, 4): ("09:25", "18:00")}))
    result = process(MARCH, hr_user)
    assert result.violations_created == 0
    assert result.warnings
    assert AttendanceDay.objects.get(employee=worker, date=date(2026, 3, 4)).late_minutes == 25


def test_a_month_with_no_finished_day_is_refused(worker, hr_user):
    with pytest.raises(ValidationError):
        attendance_month_process(month=date(2026, 11, 1), by=hr_user, today=date(2026, 11, 1))


def test_only_days_up_to_yesterday_are_judged(worker, hr_user):
    judge_by("hospitality")
    clock(hr_user, month_rows(worker, MARCH))
    attendance_month_process(month=MARCH, by=hr_user, today=date(2026, 3, 11))
    assert AttendanceDay.objects.filter(employee=worker).latest("date").date == date(2026, 3, 10)
    assert active(worker) == []


def test_events_the_policy_does_not_map_are_not_logged(worker, hr_user, head_user):
    judge_by("customer-service")  # no rule for sick leave (certificate: no fine)
    day = date(2026, 3, 10)
    leave = leave_request(employee=worker, kind="sick", start_date=day, end_date=day, by=hr_user)
    leave_approve(leave=leave, by=head_user)
    clock(hr_user, month_rows(worker, MARCH, skip=[day]))
    process(MARCH, hr_user)
    assert active(worker) == []
    assert EventKind.SICK_LEAVE  # the event exists; the mapping is what is missing


def test_a_month_whose_payroll_is_closed_is_refused(worker, hr_user):
    from django.utils import timezone

    from payroll.models import PayrollPeriod

    PayrollPeriod.objects.create(
        month=MARCH, status="closed", closed_at=timezone.now(), minimum_wage=Decimal("2100")
    )
    with pytest.raises(ValidationError) as caught:
        process(MARCH, hr_user)
    assert (
        caught.value.messages[0]
        == "2026-03 的薪资已结账,考勤不再变动。如需更正,请在未结账月份登记调整。"
    )
    assert not AttendanceDay.objects.exists()
