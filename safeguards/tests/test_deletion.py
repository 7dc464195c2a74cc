"""Decided penalties, issued notices and closed payroll months cannot be deleted: not by
the ORM (instance or queryset), not by raw SQL (a PostgreSQL trigger), not in the admin."""

from datetime import date, datetime

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from conftest import make_user
from payroll.models import PayrollPeriod
from payroll.tests.factories import penalty as payroll_penalty
from penalties.models import Notice, Penalty, PenaltyStatus
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import SHANGHAI, make_penalty
from safeguards.models import DeletionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user, comment="情况属实")
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.APPROVED
    return penalty


@pytest.fixture
def closed_month(db):
    return PayrollPeriod.objects.create(
        month=date(2026, 1, 1),
        status="closed",
        closed_at=datetime(2026, 2, 2, 9, 0, tzinfo=SHANGHAI),
        minimum_wage="2100.00",
        times_closed=1,
    )


def _records(approved, closed_month):
    return [approved, Notice.objects.get(penalty=approved), closed_month]


def _raw_delete(table, pk):
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    return str(caught.value)


def test_the_orm_refuses_to_delete_an_instance(approved, closed_month):
    for record in _records(approved, closed_month):
        with pytest.raises(DeletionRefused):
            record.delete()
        assert type(record).objects.filter(pk=record.pk).exists()


def test_the_orm_refuses_to_delete_a_queryset(approved, closed_month):
    for record in _records(approved, closed_month):
        with pytest.raises(DeletionRefused):
            type(record).objects.filter(pk=record.pk).delete()
        with pytest.raises(DeletionRefused):
            type(record).objects.all().delete()
        assert type(record).objects.filter(pk=record.pk).exists()


def test_the_database_refuses_raw_sql_deletes(approved, closed_month):
    notice = Notice.objects.get(penalty=approved)
    assert "notice" in _raw_delete("penalties_notice", notice.pk)
    # A decided penalty nothing else references: the trigger, not a foreign key, stops it.
    for status in ("approved", "rejected", "revoked", "voided"):
        bare = payroll_penalty(approved.employee, "100.00", on=date(2026, 1, 5), status=status)
        assert "penalty" in _raw_delete("penalties_penalty", bare.pk)
        assert Penalty.objects.filter(pk=bare.pk).exists()
    assert "payroll month" in _raw_delete("payroll_payrollperiod", closed_month.pk)
    assert Notice.objects.filter(pk=notice.pk).exists()
    assert PayrollPeriod.objects.filter(pk=closed_month.pk).exists()


def test_undecided_records_are_not_frozen(employee_user, hr_user):
    """The guard names the kept rows only: an open month may still go (e.g. created by
    mistake), and so may a pending penalty at the database level."""
    month = PayrollPeriod.objects.create(month=date(2026, 3, 1))
    month.delete()
    pending = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM penalties_penalty WHERE id = %s", [pending.pk])
    assert not Penalty.objects.filter(pk=pending.pk).exists()


def test_the_admin_offers_no_delete_even_to_a_superuser(approved, closed_month):
    superuser = make_user("hr_officer")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for record in _records(approved, closed_month):
        model_admin = admin.site._registry.get(type(record))
        if model_admin is None:  # not in the admin at all: nothing to delete there
            continue
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_delete_permission(request, record)
        assert "delete_selected" not in model_admin.get_actions(request)
