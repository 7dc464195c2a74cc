"""Gives the roles their attendance permissions. The month sheet is scoped by the rows a
user may see (a head their subtree, an employee their own row)."""

from django.db import migrations

from staff.migrations_support import grant

SETUP = ["shift", "shiftassignment", "calendarday", "attendancepolicy", "attendancesettings",
         "departmentrulebook"]
VIEW_SETUP = [f"attendance.view_{model}" for model in SETUP]
CHANGE_SETUP = [f"attendance.{action}_{model}" for model in SETUP for action in ("add", "change")]
VIEW_RECORDS = [
    "attendance.view_attendanceday",
    "attendance.view_attendancemonth",
    "attendance.view_clockimport",
    "attendance.view_clockrecord",
    "attendance.view_leave",
    "attendance.view_all_leave",
]

GRANTS = {
    "hr_officer": [
        *VIEW_SETUP,
        *CHANGE_SETUP,
        *VIEW_RECORDS,
        "attendance.import_clock_records",
        "attendance.process_attendance",
        "attendance.enter_leave_for_others",
    ],
    "department_head": [
        "attendance.view_attendanceday",
        "attendance.view_leave",
        "attendance.approve_leave",
    ],
    "deputy_gm": [*VIEW_SETUP, *VIEW_RECORDS],
    "gm": [*VIEW_SETUP, *VIEW_RECORDS],
    "payroll_clerk": [*VIEW_RECORDS],
    "auditor": [*VIEW_SETUP, *VIEW_RECORDS, "attendance.view_dayviolation"],
    "employee": ["attendance.view_attendanceday"],
}


def grant_attendance_permissions(apps, schema_editor):
    grant(apps, "attendance", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_attendance"),
        ("staff", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_attendance_permissions, migrations.RunPython.noop)]
