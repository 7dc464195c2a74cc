"""On PostgreSQL, the database itself refuses to change or delete an audit entry; the
HR officer and the auditor may read the trail."""

from django.db import migrations

from staff.migrations_support import grant

PROTECT = """
CREATE OR REPLACE FUNCTION audit_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_immutable
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();
"""
UNPROTECT = """
DROP TRIGGER IF EXISTS audit_entry_immutable ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_immutable();
"""


def protect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PROTECT)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT)


def grant_reading(apps, schema_editor):
    grant(
        apps,
        "audit",
        {"hr_officer": ["audit.view_auditentry"], "auditor": ["audit.view_auditentry"]},
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_trail"), ("staff", "0002_roles")]

    operations = [
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(grant_reading, migrations.RunPython.noop),
    ]
