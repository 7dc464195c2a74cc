"""Gives the roles their payroll permissions (issue 8): the payroll clerk closes months and
downloads the workbooks; the GM reopens a closed month; HR and the auditor read. Department
heads and employees have nothing here."""

from django.db import migrations

from staff.migrations_support import grant

READ = [
    "payroll.view_payrollperiod",
    "payroll.view_payrollline",
    "payroll.view_payrollitem",
    "payroll.view_payrolladjustment",
    "payroll.view_payrollreopening",
    "payroll.view_payrollsettings",
]

GRANTS = {
    "payroll_clerk": [
        *READ,
        "payroll.close_payrollperiod",
        "payroll.export_payrollperiod",
    ],
    "gm": [*READ, "payroll.reopen_payrollperiod", "payroll.change_payrollsettings"],
    "hr_officer": READ,
    "auditor": READ,
}


def grant_payroll_permissions(apps, schema_editor):
    grant(apps, "payroll", GRANTS)
    PayrollSettings = apps.get_model("payroll", "PayrollSettings")
    PayrollSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0001_payroll"),
        ("staff", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_payroll_permissions, migrations.RunPython.noop)]
