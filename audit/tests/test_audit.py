"""The audit trail: written by services, chained, tamper-evident, shown on the record."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse

from audit.models import AuditEntry
from audit.selectors import audit_chain_verify, audit_history
from staff import services
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def test_employee_changes_are_recorded_with_old_and_new_values(hr_user):
    department = DepartmentFactory()
    employee = services.employee_create(
        by=hr_user,
        employee_no="A001",
        name="审计对象",
        department=department,
        hire_date="2021-01-04",
        monthly_wage="3000.00",
    )
    services.employee_update(employee=employee, by=hr_user, monthly_wage="3200.00")
    created, changed = audit_history(obj=employee)
    assert created.action == "create" and created.actor == hr_user
    assert created.changes["employee_no"] == [None, "A001"]
    assert changed.action == "update"
    assert changed.changes == {"monthly_wage": ["3000.00", "3200.00"]}
    assert changed.actor_name == hr_user.get_username()


def test_unchanged_update_writes_nothing(hr_user):
    employee = EmployeeFactory()
    before = AuditEntry.objects.count()
    services.employee_update(employee=employee, by=hr_user, name=employee.name)
    assert AuditEntry.objects.count() == before


def test_chain_is_intact_after_many_writes(hr_user):
    department = DepartmentFactory()
    for index in range(5):
        services.department_update(department=department, by=hr_user, name=f"部门{index}")
    assert audit_chain_verify() == []
    call_command("audit_verify")


def test_database_refuses_to_change_or_delete_an_entry(hr_user):
    services.department_update(department=DepartmentFactory(), by=hr_user, name="改名")
    entry = AuditEntry.objects.last()
    for sql in (
        "UPDATE audit_auditentry SET comment = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])


def _tamper(sql, params):
    """What only a database superuser could do: bypass the triggers and edit the table."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_verify_reports_a_changed_entry(hr_user):
    department = DepartmentFactory()
    for name in ("一", "二", "三"):
        services.department_update(department=department, by=hr_user, name=name)
    middle = AuditEntry.objects.order_by("id")[1]
    _tamper("UPDATE audit_auditentry SET changes = '{}' WHERE id = %s", [middle.pk])
    assert [(b.entry_id, b.reason) for b in audit_chain_verify()] == [(middle.pk, "content")]
    with pytest.raises(CommandError, match="1"):
        call_command("audit_verify")


def test_verify_reports_a_removed_entry(hr_user):
    department = DepartmentFactory()
    for name in ("一", "二", "三"):
        services.department_update(department=department, by=hr_user, name=name)
    _first, second, third = AuditEntry.objects.order_by("id")
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    assert [(b.entry_id, b.reason) for b in audit_chain_verify()] == [(third.pk, "link")]


def test_history_is_shown_to_hr_and_auditors_only(client, hr_user, auditor_user, head_user):
    employee = EmployeeFactory(department=head_user.employee.department)
    services.employee_update(employee=employee, by=hr_user, name="新名字")
    url = reverse("staff:employee_detail", args=[employee.pk])
    for user, shown in ((hr_user, True), (auditor_user, True), (head_user, False)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert (b'data-testid="audit-history"' in response.content) is shown
