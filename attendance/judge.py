"""Judge one employee-day: pure, no database (shift, calendar, leave, clock times in;
status, minutes and attendance events out). ``attendance.services.processing`` feeds it
from bulk reads and turns its events into violations.

Rules of judgement:
- No shift → not scheduled. A holiday or company rest day → not a working day; a make-up
  working day (调休上班) → a working day whatever the weekday; otherwise the shift's weekdays.
- Approved leave covering the whole working day → on leave (never late, early or absent).
  Half a day of leave moves the expected start (morning off) or end (afternoon off) to the
  shift's midpoint.
- No clock record → absent. One of the two punches missing → incomplete, for HR to review
  (no violation: the time clock or the person may be at fault).
- Minutes late or early are whole minutes (seconds dropped), counted from the expected
  start or end; within the grace they count as on time. Beyond the policy's absence
  threshold (G: over 60 minutes) the day is absent.
- Half-day leave or half-day absence is flagged for HR instead of priced: the engine prices
  a daily-wage multiple per whole day only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from .models import CalendarDayKind, DayStatus, EventKind, HalfDay, LeaveKind

FULL_DAY = frozenset({HalfDay.AM.value, HalfDay.PM.value})
LEAVE_EVENTS = {LeaveKind.PERSONAL: EventKind.PERSONAL_LEAVE, LeaveKind.SICK: EventKind.SICK_LEAVE}


class ShiftLike(Protocol):
    crosses_midnight: bool

    def works_on_weekday(self, day: date) -> bool: ...

    def window(self, day: date) -> tuple[datetime, datetime]: ...


@dataclass(frozen=True)
class Event:
    """Something a policy may turn into a violation."""

    kind: str
    at: datetime
    minutes: int = 0


@dataclass
class DayResult:
    status: str
    late_minutes: int = 0
    early_minutes: int = 0
    leave_fraction: Decimal = Decimal("0")
    events: list[Event] = field(default_factory=list)
    needs_review: bool = False
    note: str = ""


@dataclass(frozen=True)
class Rules:
    """The parts of an attendance policy the judgement needs."""

    grace_minutes: int = 0
    absence_after_minutes: int | None = None


NO_RULES = Rules()


def is_working_day(shift: ShiftLike | None, day: date, calendar_kind: str | None) -> bool:
    if shift is None:
        return False
    if calendar_kind in (CalendarDayKind.HOLIDAY, CalendarDayKind.REST_DAY):
        return False
    if calendar_kind == CalendarDayKind.WORKDAY:
        return True
    return shift.works_on_weekday(day)


def expected_window(
    shift: ShiftLike, day: date, leave_halves: frozenset[str]
) -> tuple[datetime, datetime]:
    start, end = shift.window(day)
    middle = start + (end - start) / 2
    if leave_halves == {HalfDay.AM.value}:
        start = middle
    elif leave_halves == {HalfDay.PM.value}:
        end = middle
    return start, end


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def judge_day(
    *,
    day: date,
    shift: ShiftLike | None,
    calendar_kind: str | None = None,
    leave_halves: frozenset[str] = frozenset(),
    leave_kind: str = "",
    clock_in: datetime | None = None,
    clock_out: datetime | None = None,
    has_record: bool | None = None,
    rules: Rules = NO_RULES,
    notes: dict[str, str] | None = None,
) -> DayResult:
    """The judgement of one day. ``notes`` supplies the (translated) review notes."""
    notes = notes or {}
    if has_record is None:
        has_record = clock_in is not None or clock_out is not None
    if shift is None:
        holiday = calendar_kind == CalendarDayKind.HOLIDAY
        status = DayStatus.HOLIDAY if holiday else DayStatus.NO_SHIFT
        return DayResult(status=status)
    if not is_working_day(shift, day, calendar_kind):
        status = DayStatus.HOLIDAY if calendar_kind == CalendarDayKind.HOLIDAY else DayStatus.REST
        return DayResult(status=status)
    shift_start, _shift_end = shift.window(day)
    leave_event = LEAVE_EVENTS.get(leave_kind) if leave_kind else None
    if leave_halves >= FULL_DAY:
        result = DayResult(status=DayStatus.LEAVE, leave_fraction=Decimal("1"))
        if leave_event:
            result.events.append(Event(kind=leave_event, at=shift_start))
        return result
    half = Decimal("0.5") if leave_halves else Decimal("0")
    start, end = expected_window(shift, day, leave_halves)
    result = DayResult(status=DayStatus.ON_TIME, leave_fraction=half)
    if half and leave_event:
        result.needs_review = True
        result.note = notes.get("half_leave", "half-day leave: pay cut not priced")
    if not has_record or (clock_in is None and clock_out is None):
        result.status = DayStatus.ABSENT
        if half:
            result.needs_review = True
            result.note = notes.get("half_absent", "half-day absence: not priced")
        else:
            result.events.append(Event(kind=EventKind.ABSENT, at=start))
        return result
    if clock_in is None or clock_out is None:
        result.status = DayStatus.INCOMPLETE
        result.needs_review = True
        result.note = notes.get("incomplete", "missing clock-in or clock-out")
        return result
    late = _minutes(clock_in - start)
    early = _minutes(end - clock_out)
    late = 0 if late <= rules.grace_minutes else late
    early = 0 if early <= rules.grace_minutes else early
    result.late_minutes, result.early_minutes = late, early
    threshold = rules.absence_after_minutes
    if threshold is not None and (late > threshold or early > threshold):
        result.status = DayStatus.ABSENT
        if half:
            result.needs_review = True
            result.note = notes.get("half_absent", "half-day absence: not priced")
        else:
            result.events.append(Event(kind=EventKind.ABSENT, at=start, minutes=max(late, early)))
        return result
    if late and early:
        result.status = DayStatus.LATE_EARLY
    elif late:
        result.status = DayStatus.LATE
    elif early:
        result.status = DayStatus.EARLY
    if late:
        result.events.append(Event(kind=EventKind.LATE, at=clock_in, minutes=late))
    if early:
        result.events.append(Event(kind=EventKind.EARLY, at=clock_out, minutes=early))
    return result
