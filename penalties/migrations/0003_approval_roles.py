"""Gives the roles their permissions on approvals, notices and appeals (issue 5).

Who may decide a given penalty is further limited by tier and department in
``penalties.services.approvals``; who may decide an appeal by ``appeals``."""

from django.db import migrations

from staff.migrations_support import grant

VIEW_ALL = [
    "penalties.view_penaltytransition",
    "penalties.view_notice",
    "penalties.view_appeal",
    "penalties.view_appealevidence",
    "penalties.view_approvalsettings",
]

GRANTS = {
    "hr_officer": [
        *VIEW_ALL,
        "penalties.void_penalty",
        "penalties.print_notice",
        "penalties.review_appeal",
    ],
    "department_head": [
        "penalties.decide_penalty",
        "penalties.view_penaltytransition",
        "penalties.view_notice",
        "penalties.view_appeal",
    ],
    "deputy_gm": [*VIEW_ALL, "penalties.decide_penalty", "penalties.review_appeal"],
    "gm": [
        *VIEW_ALL,
        "penalties.decide_penalty",
        "penalties.review_appeal",
        "penalties.change_approvalsettings",
    ],
    "payroll_clerk": ["penalties.view_penaltytransition", "penalties.view_notice"],
    "auditor": VIEW_ALL,
}


def grant_approval_permissions(apps, schema_editor):
    grant(apps, "penalties", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("penalties", "0002_approvals_notices_appeals")]

    operations = [migrations.RunPython(grant_approval_permissions, migrations.RunPython.noop)]
