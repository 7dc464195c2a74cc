"""The permission to manage rulebooks, given to HR; reading rights on the catalogue's
models for the roles that read everything (the catalogue screens themselves are open to
every login)."""

from django.db import migrations

from staff.migrations_support import grant

VIEW = [
    "conduct.view_rulebook",
    "conduct.view_rulebookversion",
    "conduct.view_category",
    "conduct.view_rule",
]
MANAGE = [
    "conduct.manage_rulebooks",
    "conduct.add_rulebook",
    "conduct.change_rulebook",
    "conduct.add_rulebookversion",
    "conduct.change_rulebookversion",
    "conduct.add_category",
    "conduct.change_category",
    "conduct.add_rule",
    "conduct.change_rule",
]
GRANTS = {
    "hr_officer": [*VIEW, *MANAGE],
    "gm": VIEW,
    "deputy_gm": VIEW,
    "auditor": VIEW,
}


def grant_rulebook_permissions(apps, schema_editor):
    grant(apps, "conduct", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("conduct", "0002_violations"),
        ("staff", "0002_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="rulebook",
            options={
                "ordering": ["code"],
                "permissions": [
                    (
                        "manage_rulebooks",
                        "Can manage rulebooks: versions, rules, import and export",
                    )
                ],
                "verbose_name": "rulebook",
                "verbose_name_plural": "rulebooks",
            },
        ),
        migrations.RunPython(grant_rulebook_permissions, migrations.RunPython.noop),
    ]
