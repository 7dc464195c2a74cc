"""Creates the role groups and gives them their permissions on the organisation.

Later apps grant their own permissions to these groups in their own migrations
(``staff.migrations_support.grant``)."""

from django.db import migrations

from staff.migrations_support import grant

ROLES = [
    "hr_officer",
    "department_head",
    "deputy_gm",
    "gm",
    "payroll_clerk",
    "employee",
    "auditor",
]

VIEW_ORG = [
    "staff.view_employee",
    "staff.view_department",
    "staff.view_position",
    "staff.view_grade",
    "staff.view_companysettings",
]

GRANTS = {
    "hr_officer": [
        *VIEW_ORG,
        "staff.view_all_employees",
        "staff.add_employee",
        "staff.change_employee",
        "staff.add_department",
        "staff.change_department",
        "staff.add_position",
        "staff.change_position",
        "staff.add_grade",
        "staff.change_grade",
        "staff.change_companysettings",
    ],
    "department_head": ["staff.view_employee", "staff.view_department"],
    "deputy_gm": [*VIEW_ORG, "staff.view_all_employees"],
    "gm": [*VIEW_ORG, "staff.view_all_employees", "staff.change_companysettings"],
    "payroll_clerk": [*VIEW_ORG, "staff.view_all_employees"],
    "employee": [],
    "auditor": [*VIEW_ORG, "staff.view_all_employees"],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    grant(apps, "staff", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
