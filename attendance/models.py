"""Attendance: shifts, the company calendar, clock records, leave, the attendance policy of
each rulebook version, and the processed employee-days with the violations they produced.

The policy is a mapping, not a second pricing engine: an attendance event (late, early,
absent, a personal or sick leave day) names a rule of the rulebook version in force that
day, minutes choose the rule's severity level, and ``penalties.engine`` prices it through
``conduct.services.violations.violation_log``.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conduct.models.voided import void_recorded, voider
from penalties.models.decided import Decided, decision_recorded
from staff.singleton import SingletonSettings, singleton

# --- shifts and calendar ---------------------------------------------------------------


class Shift(models.Model):
    """A working shift. ``crosses_midnight``: the shift ends the next day (22:00–06:00)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    crosses_midnight = models.BooleanField(
        _("crosses midnight"),
        default=False,
        help_text=_("The shift ends on the next day (e.g. 22:00–06:00)."),
    )
    work_weekdays = models.CharField(
        _("working weekdays"),
        max_length=7,
        default="12345",
        validators=[RegexValidator(r"^[1-7]{1,7}$", _("Use the digits 1 (Monday) to 7 (Sunday)."))],
        help_text=_("Weekdays the shift works, 1 = Monday … 7 = Sunday; e.g. 123456."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(crosses_midnight=False) & Q(end__gt=F("start")))
                | (Q(crosses_midnight=True) & Q(end__lt=F("start"))),
                name="shift_end_matches_midnight_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    def works_on_weekday(self, day: date) -> bool:
        return str(day.isoweekday()) in self.work_weekdays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The shift's aware start and end for the work date ``day`` (remembered per
        instance: processing asks for the same day thousands of times)."""
        windows = self.__dict__.setdefault("_windows", {})
        found = windows.get(day)
        if found is None:
            zone = timezone.get_current_timezone()
            start = datetime.combine(day, self.start, tzinfo=zone)
            end_day = day + timedelta(days=1) if self.crosses_midnight else day
            found = windows[day] = (start, datetime.combine(end_day, self.end, tzinfo=zone))
        return found

    @property
    def minutes(self) -> int:
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) % (24 * 60)


class ShiftAssignment(models.Model):
    """A shift for a department (and its sub-departments) or for one employee, from a date
    (and until a date, inclusive). An employee's own assignment wins over the department's;
    a department's own over its parent's."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shift_assignments",
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shift_assignments",
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["-effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(employee__isnull=True))
                | (Q(department__isnull=True) & Q(employee__isnull=False)),
                name="shift_assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="shift_assignment_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee or self.department} · {self.shift.name}"

    def covers(self, day: date) -> bool:
        ends = self.effective_to
        return self.effective_from <= day and (ends is None or day <= ends)


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    REST_DAY = "rest_day", _("Company rest day")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """An exception to the shifts' weekdays: a holiday or rest day (nobody works) or a
    make-up working day (调休上班: everyone with a shift works, whatever the weekday)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("company calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


# --- which rulebook judges attendance -----------------------------------------------------


class AttendanceSettings(SingletonSettings):
    """The one row of attendance settings (pk=1), read through ``AttendanceSettings.get()``."""

    updated_at = None  # who changed it last is not kept on the row
    updated_by = None

    default_rulebook = models.ForeignKey(
        "conduct.Rulebook",
        verbose_name=_("rulebook for attendance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The rulebook whose attendance policy judges everyone, unless a department has its own."
        ),
    )
    default_shift = models.ForeignKey(
        Shift,
        verbose_name=_("default shift"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The shift of anyone without an assignment (empty: not scheduled)."),
    )
    last_mapping = models.JSONField(_("last column mapping"), default=dict, blank=True)

    class Meta:
        verbose_name = _("attendance settings")
        verbose_name_plural = _("attendance settings")
        constraints = [
            singleton(name="attendance_settings_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Attendance settings"))


class DepartmentRulebook(models.Model):
    """A department (and its sub-departments) judged by another rulebook's attendance policy."""

    department = models.OneToOneField(
        "staff.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="attendance_rulebook",
    )
    rulebook = models.ForeignKey(
        "conduct.Rulebook",
        verbose_name=_("rulebook"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("department attendance rulebook")
        verbose_name_plural = _("department attendance rulebooks")

    def __str__(self) -> str:
        return f"{self.department} · {self.rulebook}"


class EventKind(models.TextChoices):
    """What attendance events a policy maps to rules."""

    LATE = "late", _("Late")
    EARLY = "early", _("Left early")
    ABSENT = "absent", _("Absent")
    PERSONAL_LEAVE = "personal_leave", _("Personal leave day")
    SICK_LEAVE = "sick_leave", _("Sick leave day")


class AttendancePolicy(models.Model):
    """How one rulebook version judges attendance.

    ``tiers`` is a list ``[{"up_to": 20, "level": "within_20"}, …]`` ascending: late or
    early by ``n`` minutes (after the grace) takes the level of the first tier with
    ``n ≤ up_to``; an empty list gives no level (a fixed fine or a ladder). Late or early by
    more than ``absence_after_minutes`` counts as absent (G: over 60 minutes)."""

    version = models.OneToOneField(
        "conduct.RulebookVersion",
        verbose_name=_("rulebook version"),
        on_delete=models.PROTECT,
        related_name="attendance_policy",
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace minutes"),
        default=0,
        validators=[MaxValueValidator(120)],
        help_text=_("Late or early by at most this many minutes counts as on time."),
    )
    tiers = models.JSONField(_("minute tiers"), default=list, blank=True)
    absence_after_minutes = models.PositiveSmallIntegerField(
        _("absence after (minutes)"),
        null=True,
        blank=True,
        help_text=_("Late or early by more than this counts as absent (empty: never)."),
    )
    late_rule = models.ForeignKey(
        "conduct.Rule",
        verbose_name=_("rule for lateness"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    early_rule = models.ForeignKey(
        "conduct.Rule",
        verbose_name=_("rule for leaving early"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    absence_rule = models.ForeignKey(
        "conduct.Rule",
        verbose_name=_("rule for absence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    personal_leave_rule = models.ForeignKey(
        "conduct.Rule",
        verbose_name=_("rule for a personal leave day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sick_leave_rule = models.ForeignKey(
        "conduct.Rule",
        verbose_name=_("rule for a sick leave day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    RULE_FIELDS = {
        EventKind.LATE: "late_rule",
        EventKind.EARLY: "early_rule",
        EventKind.ABSENT: "absence_rule",
        EventKind.PERSONAL_LEAVE: "personal_leave_rule",
        EventKind.SICK_LEAVE: "sick_leave_rule",
    }

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")
        ordering = ["version__rulebook__code", "-version__effective_from"]

    def __str__(self) -> str:
        return str(self.version)

    def rule_for(self, kind: str):
        return getattr(self, self.RULE_FIELDS[EventKind(kind)])

    def level_for(self, minutes: int) -> str:
        for tier in self.tiers:
            if minutes <= int(tier["up_to"]):
                return str(tier["level"])
        return ""

    def is_absence(self, minutes: int) -> bool:
        return self.absence_after_minutes is not None and minutes > self.absence_after_minutes


# --- clock records --------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Previewed, not imported")
    CONFIRMED = "confirmed", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class ClockImport(models.Model):
    """One uploaded time-clock export. The file is kept (in the database) from the upload
    to the confirmation, so the preview and the import read the same bytes."""

    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(_("content"), editable=False)
    file_format = models.CharField(_("format"), max_length=8)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    headers = models.JSONField(_("column headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("new records"), default=0)
    rows_updated = models.PositiveIntegerField(_("corrected records"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("records already present"), default=0)
    date_from = models.DateField(_("first date"), null=True, blank=True)
    date_to = models.DateField(_("last date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock-record import")
        verbose_name_plural = _("clock-record imports")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("import_clock_records", _("Can import clock records")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                condition=Q(status="confirmed"),
                name="clock_import_file_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed")
                | (Q(confirmed_by__isnull=False) & Q(confirmed_at__isnull=False)),
                name="clock_import_confirmed_has_who_when",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class ClockRecord(models.Model):
    """One employee-day from the time clock: when they clocked in and out (aware; a shift
    crossing midnight clocks out on the next calendar day). A corrected import supersedes
    the record instead of overwriting it."""

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="clock_records",
    )
    work_date = models.DateField(_("work date"))
    clock_in = models.DateTimeField(_("clock-in"), null=True, blank=True)
    clock_out = models.DateTimeField(_("clock-out"), null=True, blank=True)
    source = models.ForeignKey(
        ClockImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    is_current = models.BooleanField(_("current"), default=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock record")
        verbose_name_plural = _("clock records")
        ordering = ["work_date", "employee"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "work_date"],
                condition=Q(is_current=True),
                name="clock_record_one_current_per_day",
            ),
            models.CheckConstraint(
                condition=Q(clock_in__isnull=True)
                | Q(clock_out__isnull=True)
                | Q(clock_out__gt=F("clock_in")),
                name="clock_record_out_after_in",
            ),
        ]
        indexes = [
            models.Index(fields=["work_date", "employee"], name="clock_record_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date}"


# --- leave ----------------------------------------------------------------------------------


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    MARRIAGE = "marriage", _("Marriage leave")
    MATERNITY = "maternity", _("Maternity leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")
    COMPENSATORY = "compensatory", _("Compensatory time off")
    WORK_INJURY = "work_injury", _("Work-injury leave")


class HalfDay(models.TextChoices):
    AM = "am", _("Morning")
    PM = "pm", _("Afternoon")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Leave(Decided):
    """A leave from the morning or afternoon of ``start_date`` to the morning or afternoon
    of ``end_date`` (both inclusive): 3 May afternoon – 4 May morning is one day."""

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="leaves",
    )
    kind = models.CharField(_("kind of leave"), max_length=16, choices=LeaveKind.choices)
    start_date = models.DateField(_("from"))
    start_half = models.CharField(
        _("from (half)"), max_length=2, choices=HalfDay.choices, default=HalfDay.AM
    )
    end_date = models.DateField(_("to"))
    end_half = models.CharField(
        _("to (half)"), max_length=2, choices=HalfDay.choices, default=HalfDay.PM
    )
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    # decided_by, decided_at, decision_comment: from Decided
    cancelled_by = voider(_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-start_date", "-pk"]
        permissions = [
            ("enter_leave_for_others", _("Can enter leave for any employee")),
            ("approve_leave", _("Can approve leave in own departments")),
            ("view_all_leave", _("Can view the leave of every department")),
        ]
        indexes = [
            models.Index(fields=["employee", "start_date"], name="leave_employee_start_idx"),
            models.Index(fields=["status", "start_date"], name="leave_status_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="leave_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~(Q(end_date=F("start_date")) & Q(start_half="pm") & Q(end_half="am")),
                name="leave_halves_ordered",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="leave_days_gt_0"),
            decision_recorded(
                name="leave_decided_has_who_when",
                unless=~Q(status__in=["approved", "rejected"]),
            ),
            void_recorded(
                name="leave_cancelled_has_who_when",
                unless=~Q(status="cancelled"),
                by="cancelled_by",
                at="cancelled_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_kind_display()} {self.start_date}–{self.end_date}"

    def halves_on(self, day: date) -> frozenset[str]:
        """Which halves of ``day`` the leave covers (empty outside it)."""
        if not (self.start_date <= day <= self.end_date):
            return frozenset()
        halves = {HalfDay.AM.value, HalfDay.PM.value}
        if day == self.start_date and self.start_half == HalfDay.PM:
            halves.discard(HalfDay.AM.value)
        if day == self.end_date and self.end_half == HalfDay.AM:
            halves.discard(HalfDay.PM.value)
        return frozenset(halves)

    @property
    def is_open(self) -> bool:
        return self.status in (LeaveStatus.PENDING, LeaveStatus.APPROVED)


# --- processing -------------------------------------------------------------------------------


class AttendanceMonth(models.Model):
    """A processed month (first day); its row is locked while the month is processed."""

    month = models.DateField(_("month"), unique=True)
    processed_at = models.DateTimeField(_("last processed at"), null=True, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last processed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    days = models.PositiveIntegerField(_("employee-days"), default=0)
    violations_created = models.PositiveIntegerField(_("violations created"), default=0)
    violations_voided = models.PositiveIntegerField(_("violations voided"), default=0)
    violations_kept = models.PositiveIntegerField(_("violations unchanged"), default=0)
    flagged = models.PositiveIntegerField(_("flagged for HR review"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("processed month")
        verbose_name_plural = _("processed months")
        ordering = ["-month"]
        permissions = [("process_attendance", _("Can process attendance months"))]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="attendance_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class DayStatus(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    EARLY = "early", _("Left early")
    LATE_EARLY = "late_early", _("Late and left early")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")
    INCOMPLETE = "incomplete", _("Missing clock-in or clock-out")
    REST = "rest", _("Rest day")
    HOLIDAY = "holiday", _("Holiday")
    NO_SHIFT = "no_shift", _("No shift")


class AttendanceDay(models.Model):
    """One employee-day as processing judged it (recomputed on every processing)."""

    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="attendance_days",
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=DayStatus.choices)
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, null=True, blank=True
    )
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    early_minutes = models.PositiveIntegerField(_("minutes early"), default=0)
    leave = models.ForeignKey(
        Leave,
        verbose_name=_("leave"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance_days",
    )
    leave_kind = models.CharField(
        _("kind of leave"), max_length=16, choices=LeaveKind.choices, blank=True
    )
    leave_fraction = models.DecimalField(
        _("leave (days)"), max_digits=2, decimal_places=1, default=Decimal("0")
    )
    clock_in = models.DateTimeField(_("clock-in"), null=True, blank=True)
    clock_out = models.DateTimeField(_("clock-out"), null=True, blank=True)
    needs_review = models.BooleanField(_("needs HR review"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    processed_at = models.DateTimeField(_("processed at"))

    class Meta:
        verbose_name = _("attendance day")
        verbose_name_plural = _("attendance days")
        ordering = ["date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="attendance_day_unique"),
            models.CheckConstraint(
                condition=Q(leave_fraction__gte=0) & Q(leave_fraction__lte=1),
                name="attendance_day_leave_fraction_0_1",
            ),
        ]
        indexes = [models.Index(fields=["date", "employee"], name="attendance_day_date_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"

    @property
    def is_working_day(self) -> bool:
        return self.status not in (DayStatus.REST, DayStatus.HOLIDAY, DayStatus.NO_SHIFT)


class DayViolation(models.Model):
    """The violation an attendance day produced for one event kind. Reprocessing compares
    ``fingerprint`` (what was judged: rule and level) and voids what no longer applies; a
    link stays (``is_current=False``) when its violation was voided by reprocessing."""

    day = models.ForeignKey(
        AttendanceDay,
        verbose_name=_("attendance day"),
        on_delete=models.PROTECT,
        related_name="violation_links",
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    violation = models.ForeignKey(
        "conduct.Violation",
        verbose_name=_("violation"),
        on_delete=models.PROTECT,
        related_name="attendance_links",
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=100)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance violation")
        verbose_name_plural = _("attendance violations")
        ordering = ["day", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind"],
                condition=Q(is_current=True),
                name="day_violation_one_current_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"
