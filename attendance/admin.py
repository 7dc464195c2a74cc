"""Administration of attendance: the set-up saves through the services; records (imports,
clock records, leave, processed days) are read-only here — they change through their
own screens and services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from safeguards.admin import ReadOnlyAdmin
from staff.admin import ServiceSavedAdmin

from . import services
from .models import (
    AttendanceDay,
    AttendanceMonth,
    AttendancePolicy,
    AttendanceSettings,
    CalendarDay,
    ClockImport,
    ClockRecord,
    DayViolation,
    DepartmentRulebook,
    Leave,
    Shift,
    ShiftAssignment,
)
from .services.setup import (
    ASSIGNMENT_FIELDS,
    POLICY_FIELDS,
    SHIFT_FIELDS,
    validate_assignment,
    validate_policy,
    validate_shift,
)


def checked_form(validator):
    """A model form that also runs the service's checks, so errors show on the form
    instead of failing in ``save_model``."""

    class Form(forms.ModelForm):
        def _post_clean(self):
            super()._post_clean()
            if self.errors:
                return
            try:
                validator(self.instance)
            except ValidationError as exc:
                self._update_errors(exc)

    return Form


@admin.register(Shift)
class ShiftAdmin(ServiceSavedAdmin):
    form = checked_form(validate_shift)
    service_fields = SHIFT_FIELDS
    list_display = ("name", "start", "end", "crosses_midnight", "work_weekdays", "is_active")
    list_filter = ("is_active", "crosses_midnight")
    search_fields = ("name",)

    def create(self, *, by, **fields):
        return services.shift_create(by=by, **fields)

    def update(self, obj, *, by, **fields):
        return services.shift_update(shift=obj, by=by, **fields)


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(ServiceSavedAdmin):
    form = checked_form(validate_assignment)
    service_fields = ASSIGNMENT_FIELDS
    list_display = ("shift", "department", "employee", "effective_from", "effective_to")
    list_filter = ("shift",)
    autocomplete_fields = ("department", "employee")
    list_select_related = ("shift", "department", "employee")

    def create(self, *, by, **fields):
        return services.shift_assignment_create(by=by, **fields)

    def update(self, obj, *, by, **fields):
        return services.shift_assignment_update(assignment=obj, by=by, **fields)


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceSavedAdmin):
    service_fields = ("date", "kind", "name")
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def create(self, *, by, **fields):
        return services.calendar_day_set(
            day=fields["date"], kind=fields["kind"], name=fields.get("name", ""), by=by
        )

    def update(self, obj, *, by, **fields):
        return services.calendar_day_set(
            day=obj.date,
            kind=fields.get("kind", obj.kind),
            name=fields.get("name", obj.name),
            by=by,
        )

    def get_readonly_fields(self, request, obj=None):
        return ("date",) if obj else ()


@admin.register(AttendancePolicy)
class AttendancePolicyAdmin(ServiceSavedAdmin):
    form = checked_form(validate_policy)
    service_fields = POLICY_FIELDS
    list_display = (
        "version",
        "grace_minutes",
        "absence_after_minutes",
        "late_rule",
        "absence_rule",
    )
    list_select_related = ("version__rulebook", "late_rule", "absence_rule")
    raw_id_fields = (
        "late_rule",
        "early_rule",
        "absence_rule",
        "personal_leave_rule",
        "sick_leave_rule",
    )

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in POLICY_FIELDS if n in form.cleaned_data}
        if change:
            data = {n: data[n] for n in form.changed_data if n in data}
        saved = services.attendance_policy_save(
            version=form.cleaned_data.get("version") or obj.version, by=request.user, **data
        )
        obj.pk = saved.pk

    def get_readonly_fields(self, request, obj=None):
        return ("version",) if obj else ()


@admin.register(AttendanceSettings)
class AttendanceSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "default_rulebook", "default_shift")
    fields = ("default_rulebook", "default_shift")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in form.changed_data if n in self.fields}
        services.attendance_settings_update(by=request.user, **data)


@admin.register(DepartmentRulebook)
class DepartmentRulebookAdmin(admin.ModelAdmin):
    list_display = ("department", "rulebook")
    autocomplete_fields = ("department",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.department_rulebook_set(
            department=form.cleaned_data.get("department") or obj.department,
            rulebook=form.cleaned_data["rulebook"],
            by=request.user,
        )
        obj.pk = saved.pk

    def get_readonly_fields(self, request, obj=None):
        return ("department",) if obj else ()


@admin.register(ClockImport)
class ClockImportAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "status",
        "rows_total",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "created_by",
        "created_at",
    )
    list_filter = ("status",)
    exclude = ("content",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")


@admin.register(ClockRecord)
class ClockRecordAdmin(ReadOnlyAdmin):
    list_display = ("employee", "work_date", "clock_in", "clock_out", "is_current", "source")
    list_filter = ("is_current",)
    search_fields = ("employee__employee_no", "employee__name")
    date_hierarchy = "work_date"
    list_select_related = ("employee", "source")


@admin.register(Leave)
class LeaveAdmin(ReadOnlyAdmin):
    list_display = ("employee", "kind", "start_date", "end_date", "days", "status")
    list_filter = ("status", "kind")
    search_fields = ("employee__employee_no", "employee__name")
    list_select_related = ("employee",)


@admin.register(AttendanceDay)
class AttendanceDayAdmin(ReadOnlyAdmin):
    list_display = (
        "employee",
        "date",
        "status",
        "late_minutes",
        "early_minutes",
        "leave_kind",
        "needs_review",
    )
    list_filter = ("status", "needs_review")
    search_fields = ("employee__employee_no", "employee__name")
    date_hierarchy = "date"
    list_select_related = ("employee",)


@admin.register(AttendanceMonth)
class AttendanceMonthAdmin(ReadOnlyAdmin):
    list_display = (
        "month",
        "processed_at",
        "processed_by",
        "days",
        "violations_created",
        "violations_voided",
        "violations_kept",
        "flagged",
    )


@admin.register(DayViolation)
class DayViolationAdmin(ReadOnlyAdmin):
    list_display = ("day", "kind", "violation", "fingerprint", "is_current")
    list_select_related = ("day", "violation")
