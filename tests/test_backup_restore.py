"""A `pg_dump -Fc` of the database restores into an empty database with the same number
of rows in every table (README, "Backup and restore")."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if candidates:
        return candidates[-1]
    found = shutil.which("pg_dump")
    if not found:
        pytest.fail("PostgreSQL client programs (pg_dump, pg_restore) not found")
    return Path(found).parent


def _conn_args(settings_dict) -> list[str]:
    args = ["-h", settings_dict["HOST"] or "127.0.0.1", "-U", settings_dict["USER"] or "postgres"]
    if settings_dict["PORT"]:
        args += ["-p", str(settings_dict["PORT"])]
    return args


def _counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def test_a_dump_restores_into_an_empty_database_with_identical_row_counts(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    call_command("seed_demo", verbosity=0)
    settings_dict = connection.settings_dict
    source = settings_dict["NAME"]
    target = f"{source}_restore_check"
    pg = _pg_bin()
    conn = _conn_args(settings_dict)
    env = {"PGPASSWORD": settings_dict.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    dump = tmp_path / "jiangcheng.dump"

    with connection.cursor() as cursor:
        before = _counts(cursor)
    assert sum(before.values()) > 1000, "the demo should have filled the tables"

    run = lambda *cmd: subprocess.run(cmd, check=True, env=env, capture_output=True, text=True)  # noqa: E731, S603
    run(str(pg / "pg_dump"), *conn, "-Fc", "-f", str(dump), source)
    run(str(pg / "dropdb"), *conn, "--if-exists", target)
    run(str(pg / "createdb"), *conn, "-T", "template0", "-E", "UTF8", target)
    try:
        run(str(pg / "pg_restore"), *conn, "--no-owner", "--exit-on-error", "-d", target, str(dump))
        import psycopg2

        restored = psycopg2.connect(
            dbname=target,
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or None,
            user=settings_dict["USER"] or "postgres",
            password=settings_dict.get("PASSWORD") or None,
        )
        try:
            with restored.cursor() as cursor:
                after = _counts(cursor)
                # The database-level protections came back with the data.
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
                )
                triggers = {row[0] for row in cursor.fetchall()}
        finally:
            restored.close()
    finally:
        run(str(pg / "dropdb"), *conn, "--if-exists", target)

    assert after == before
    assert {
        "audit_entry_immutable",
        "penalties_penalty_keep",
        "penalties_notice_keep",
        "payroll_payrollperiod_keep",
    } <= triggers
