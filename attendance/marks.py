"""The marks of the month sheet: ✓, 迟n, 早n, 旷, the kind of leave, 休 …"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import DayStatus, LeaveKind


def leave_abbreviation(kind: str) -> str:
    return {
        LeaveKind.PERSONAL: pgettext("leave mark", "Personal"),
        LeaveKind.SICK: pgettext("leave mark", "Sick"),
        LeaveKind.ANNUAL: pgettext("leave mark", "Annual"),
        LeaveKind.MARRIAGE: pgettext("leave mark", "Marriage"),
        LeaveKind.MATERNITY: pgettext("leave mark", "Maternity"),
        LeaveKind.BEREAVEMENT: pgettext("leave mark", "Bereavement"),
        LeaveKind.COMPENSATORY: pgettext("leave mark", "Time off"),
        LeaveKind.WORK_INJURY: pgettext("leave mark", "Injury"),
    }.get(kind, kind)


def day_mark(
    *,
    status: str,
    late_minutes: int = 0,
    early_minutes: int = 0,
    leave_kind: str = "",
    leave_fraction=0,
) -> str:
    """One cell of the sheet, e.g. ``✓``, ``迟25``, ``迟5 早10``, ``旷``, ``事假``, ``事½ ✓``."""
    parts: list[str] = []
    if leave_kind and leave_fraction and status != DayStatus.LEAVE:
        parts.append(leave_abbreviation(leave_kind) + "½")
    if status == DayStatus.ON_TIME:
        parts.append("✓")
    elif status in (DayStatus.LATE, DayStatus.EARLY, DayStatus.LATE_EARLY):
        if late_minutes:
            parts.append(pgettext("sheet mark", "L%(minutes)s") % {"minutes": late_minutes})
        if early_minutes:
            parts.append(pgettext("sheet mark", "E%(minutes)s") % {"minutes": early_minutes})
    elif status == DayStatus.ABSENT:
        parts.append(pgettext("sheet mark", "A"))
    elif status == DayStatus.LEAVE:
        parts.append(leave_abbreviation(leave_kind))
    elif status == DayStatus.INCOMPLETE:
        parts.append(pgettext("sheet mark", "Missing"))
    elif status == DayStatus.REST:
        parts.append(pgettext("sheet mark", "Rest"))
    elif status == DayStatus.HOLIDAY:
        parts.append(pgettext("sheet mark", "Hol"))
    return " ".join(parts)


def legend() -> list[tuple[str, str]]:
    return [
        ("✓", _("On time")),
        (pgettext("sheet mark", "L%(minutes)s") % {"minutes": "n"}, _("Late n minutes")),
        (pgettext("sheet mark", "E%(minutes)s") % {"minutes": "n"}, _("Left n minutes early")),
        (pgettext("sheet mark", "A"), _("Absent")),
        (pgettext("sheet mark", "Missing"), _("Missing clock-in or clock-out")),
        (pgettext("sheet mark", "Rest"), _("Rest day")),
        (pgettext("sheet mark", "Hol"), _("Holiday")),
    ] + [(leave_abbreviation(k), str(label)) for k, label in LeaveKind.choices]


STATUS_CSS = {
    DayStatus.ON_TIME: "att-ok",
    DayStatus.LATE: "att-late",
    DayStatus.EARLY: "att-late",
    DayStatus.LATE_EARLY: "att-late",
    DayStatus.ABSENT: "att-absent",
    DayStatus.LEAVE: "att-leave",
    DayStatus.INCOMPLETE: "att-review",
    DayStatus.REST: "att-rest",
    DayStatus.HOLIDAY: "att-rest",
    DayStatus.NO_SHIFT: "att-rest",
}
