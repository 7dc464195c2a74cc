"""Every write of attendance: set-up, imports, leave, processing."""

from .imports import clock_import_confirm, clock_import_discard, clock_import_start
from .leave import leave_approve, leave_cancel, leave_reject, leave_request, leave_working_days
from .processing import attendance_month_process
from .setup import (
    attendance_policies_for_seed_rulebooks,
    attendance_policy_save,
    attendance_settings_update,
    calendar_day_set,
    department_rulebook_set,
    shift_assignment_create,
    shift_assignment_update,
    shift_create,
    shift_update,
)

__all__ = [
    "attendance_month_process",
    "attendance_policies_for_seed_rulebooks",
    "attendance_policy_save",
    "attendance_settings_update",
    "calendar_day_set",
    "clock_import_confirm",
    "clock_import_discard",
    "clock_import_start",
    "department_rulebook_set",
    "leave_approve",
    "leave_cancel",
    "leave_reject",
    "leave_request",
    "leave_working_days",
    "shift_assignment_create",
    "shift_assignment_update",
    "shift_create",
    "shift_update",
]
