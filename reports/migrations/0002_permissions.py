"""Gives the roles the reports' permissions (issue 9). Charts and reports: HR, the GM,
the deputy GM, the auditor and department heads (whose selectors keep them inside the
departments they head). Employees' conduct files: HR, the auditor and department heads;
every employee reads their own file without a permission."""

from django.db import migrations

from staff.migrations_support import grant

GRANTS = {
    "hr_officer": ["reports.view_reports", "reports.view_employee_file"],
    "gm": ["reports.view_reports"],
    "deputy_gm": ["reports.view_reports"],
    "auditor": ["reports.view_reports", "reports.view_employee_file"],
    "department_head": ["reports.view_reports", "reports.view_employee_file"],
}


def grant_report_permissions(apps, schema_editor):
    grant(apps, "reports", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_report"), ("staff", "0002_roles")]

    operations = [migrations.RunPython(grant_report_permissions, migrations.RunPython.noop)]
