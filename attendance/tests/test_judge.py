"""Judging one day (pure): working days, lateness and early leave in whole minutes, grace,
the absence threshold, leave (whole and half days), shifts crossing midnight."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from attendance.judge import Rules, expected_window, is_working_day, judge_day
from attendance.models import AttendancePolicy, DayStatus, EventKind, Shift

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 4)  # a Wednesday
DAY_SHIFT = Shift(name="白班", start=time(9, 0), end=time(18, 0), work_weekdays="12345")
NIGHT = Shift(name="夜班", start=time(22, 0), end=time(6, 0), crosses_midnight=True)
G_RULES = Rules(grace_minutes=0, absence_after_minutes=60)


def at(hour, minute, second=0, day=DAY):
    return datetime.combine(day, time(hour, minute, second), tzinfo=SH)


@pytest.fixture(autouse=True)
def _zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def test_weekday_is_working_and_weekend_is_rest():
    assert is_working_day(DAY_SHIFT, DAY, None)
    assert not is_working_day(DAY_SHIFT, date(2026, 3, 7), None)


def test_calendar_overrides_weekdays():
    assert not is_working_day(DAY_SHIFT, DAY, "holiday")
    assert not is_working_day(DAY_SHIFT, DAY, "rest_day")
    assert is_working_day(DAY_SHIFT, date(2026, 3, 7), "workday")  # 调休上班 on a Saturday


def test_on_time():
    result = judge_day(day=DAY, shift=DAY_SHIFT, clock_in=at(8, 55), clock_out=at(18, 2))
    assert result.status == DayStatus.ON_TIME
    assert result.events == []


@pytest.mark.parametrize(
    ("clock_in", "minutes"),
    [((9, 20), 20), ((9, 21), 21), ((9, 30), 30), ((9, 31), 31), ((10, 0), 60), ((9, 20, 59), 20)],
)
def test_minutes_late_are_whole_minutes(clock_in, minutes):
    result = judge_day(day=DAY, shift=DAY_SHIFT, clock_in=at(*clock_in), clock_out=at(18, 0))
    assert result.status == DayStatus.LATE
    assert result.late_minutes == minutes
    assert [(e.kind, e.minutes) for e in result.events] == [(EventKind.LATE, minutes)]


def test_over_the_threshold_is_absence():
    result = judge_day(
        day=DAY, shift=DAY_SHIFT, clock_in=at(10, 1), clock_out=at(18, 0), rules=G_RULES
    )
    assert result.status == DayStatus.ABSENT
    assert result.late_minutes == 61
    assert [(e.kind, e.minutes) for e in result.events] == [(EventKind.ABSENT, 61)]


def test_sixty_minutes_is_still_late():
    result = judge_day(
        day=DAY, shift=DAY_SHIFT, clock_in=at(10, 0), clock_out=at(18, 0), rules=G_RULES
    )
    assert result.status == DayStatus.LATE


def test_grace_minutes_count_as_on_time():
    rules = Rules(grace_minutes=5)
    on_time = judge_day(
        day=DAY, shift=DAY_SHIFT, clock_in=at(9, 5), clock_out=at(18, 0), rules=rules
    )
    late = judge_day(day=DAY, shift=DAY_SHIFT, clock_in=at(9, 6), clock_out=at(18, 0), rules=rules)
    assert on_time.status == DayStatus.ON_TIME
    assert late.late_minutes == 6  # counted from the shift's start, not from the grace


def test_late_and_early_are_two_events():
    result = judge_day(day=DAY, shift=DAY_SHIFT, clock_in=at(9, 10), clock_out=at(17, 45))
    assert result.status == DayStatus.LATE_EARLY
    assert [(e.kind, e.minutes) for e in result.events] == [
        (EventKind.LATE, 10),
        (EventKind.EARLY, 15),
    ]


def test_no_record_is_absent():
    result = judge_day(day=DAY, shift=DAY_SHIFT, has_record=False)
    assert result.status == DayStatus.ABSENT
    assert [e.kind for e in result.events] == [EventKind.ABSENT]


def test_a_missing_punch_is_for_review_not_a_violation():
    result = judge_day(day=DAY, shift=DAY_SHIFT, clock_in=at(9, 0), has_record=True)
    assert result.status == DayStatus.INCOMPLETE
    assert result.needs_review
    assert result.events == []


def test_full_day_leave_is_never_late_or_absent():
    result = judge_day(
        day=DAY, shift=DAY_SHIFT, leave_halves=frozenset({"am", "pm"}), leave_kind="annual"
    )
    assert result.status == DayStatus.LEAVE
    assert result.events == []


def test_personal_leave_day_is_an_event():
    result = judge_day(
        day=DAY, shift=DAY_SHIFT, leave_halves=frozenset({"am", "pm"}), leave_kind="personal"
    )
    assert [e.kind for e in result.events] == [EventKind.PERSONAL_LEAVE]
    assert result.leave_fraction == Decimal("1")


def test_morning_leave_moves_the_expected_start_to_midday():
    # 09:00–18:00: the midpoint is 13:30; arriving at 13:30 is on time, 13:45 late 15.
    on_time = judge_day(
        day=DAY,
        shift=DAY_SHIFT,
        leave_halves=frozenset({"am"}),
        leave_kind="annual",
        clock_in=at(13, 30),
        clock_out=at(18, 0),
    )
    late = judge_day(
        day=DAY,
        shift=DAY_SHIFT,
        leave_halves=frozenset({"am"}),
        leave_kind="annual",
        clock_in=at(13, 45),
        clock_out=at(18, 0),
    )
    assert on_time.status == DayStatus.ON_TIME
    assert on_time.leave_fraction == Decimal("0.5")
    assert late.late_minutes == 15


def test_afternoon_leave_moves_the_expected_end():
    result = judge_day(
        day=DAY,
        shift=DAY_SHIFT,
        leave_halves=frozenset({"pm"}),
        leave_kind="sick",
        clock_in=at(9, 0),
        clock_out=at(13, 30),
    )
    assert result.status == DayStatus.ON_TIME
    assert result.needs_review  # half a sick day: the pay cut is for HR to enter


def test_night_shift_clocks_out_the_next_morning():
    start, end = NIGHT.window(DAY)
    assert end - start == timedelta(hours=8)
    result = judge_day(
        day=DAY,
        shift=NIGHT,
        clock_in=at(22, 5),
        clock_out=at(5, 50, day=DAY + timedelta(days=1)),
    )
    assert result.status == DayStatus.LATE_EARLY
    assert (result.late_minutes, result.early_minutes) == (5, 10)


def test_expected_window_for_a_night_shift_half_day():
    start, end = expected_window(NIGHT, DAY, frozenset({"pm"}))
    assert (start, end) == (at(22, 0), at(2, 0, day=DAY + timedelta(days=1)))


@pytest.mark.parametrize(
    ("minutes", "level"),
    [
        (1, "within_20"),
        (20, "within_20"),
        (21, "within_30"),
        (30, "within_30"),
        (31, "within_60"),
        (60, "within_60"),
    ],
)
def test_policy_tiers_at_their_edges(minutes, level):
    policy = AttendancePolicy(
        tiers=[
            {"up_to": 20, "level": "within_20"},
            {"up_to": 30, "level": "within_30"},
            {"up_to": 60, "level": "within_60"},
        ],
        absence_after_minutes=60,
    )
    assert policy.level_for(minutes) == level
    assert not policy.is_absence(minutes)
    assert policy.is_absence(61)
