"""On PostgreSQL the database itself refuses to delete a decided penalty, any issued
notice and a closed payroll month, whoever asks (raw SQL, the admin, a superuser).

TRUNCATE (used by the test suite between transactional tests) is a table-level statement
and does not fire these row triggers."""

from django.db import migrations

GUARDS = [
    # (table, condition on OLD that makes the row undeletable, message)
    ("penalties_penalty", "OLD.status <> 'pending'", "a decided penalty cannot be deleted"),
    ("penalties_notice", "TRUE", "an issued penalty notice cannot be deleted"),
    ("payroll_payrollperiod", "OLD.status = 'closed'", "a closed payroll month cannot be deleted"),
]


def _protect_sql(table, condition, message):
    return f"""
CREATE OR REPLACE FUNCTION {table}_keep() RETURNS trigger AS $$
BEGIN
    IF {condition} THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {table}_keep ON {table};
CREATE TRIGGER {table}_keep BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_keep();
"""


def _unprotect_sql(table):
    return f"""
DROP TRIGGER IF EXISTS {table}_keep ON {table};
DROP FUNCTION IF EXISTS {table}_keep();
"""


def protect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, condition, message in GUARDS:
            schema_editor.execute(_protect_sql(table, condition, message))


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, _condition, _message in GUARDS:
            schema_editor.execute(_unprotect_sql(table))


class Migration(migrations.Migration):
    dependencies = [
        ("penalties", "0002_approvals_notices_appeals"),
        ("payroll", "0001_payroll"),
    ]

    operations = [migrations.RunPython(protect, unprotect)]
