"""The two commands do what the screens do."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from conftest import make_user
from payroll.models import PayrollPeriod, PeriodStatus
from payroll.tests.factories import employee, penalty

pytestmark = pytest.mark.django_db


def test_close_then_export_from_the_command_line(tmp_path):
    clerk = make_user("payroll_clerk")
    emp = employee(employee_no="C001", wage="3000.00")
    penalty(emp, "1000.00", on=date(2026, 1, 5))
    out = StringIO()
    call_command("payroll_close", "2026-01", "--by", clerk.username, stdout=out)
    assert "2026-01 closed: 1 employees" in out.getvalue()
    period = PayrollPeriod.objects.get(month=date(2026, 1, 1))
    assert period.status == PeriodStatus.CLOSED and period.closed_by == clerk

    xlsx, csv = tmp_path / "p.xlsx", tmp_path / "p.csv"
    call_command(
        "payroll_export", "2026-01", "--out", str(xlsx), "--csv", str(csv), stdout=StringIO()
    )
    sheet = load_workbook(xlsx)["汇总"]
    assert sheet["A2"].value == "C001" and D(str(sheet["I2"].value)) == D("600")
    assert csv.read_bytes().startswith("\ufeff".encode())


def test_the_commands_refuse_what_the_screens_refuse():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("payroll_close", "2026-1")
    with pytest.raises(CommandError, match="no such user"):
        call_command("payroll_close", "2026-01", "--by", "nobody")
    with pytest.raises(CommandError, match="您无权结账"):
        call_command("payroll_close", "2026-01", "--by", make_user("hr_officer").username)
    with pytest.raises(CommandError, match="尚未结账"):
        call_command("payroll_export", "2026-01", "--out", "/tmp/x.xlsx")  # noqa: S108
    call_command("payroll_close", "2026-01", stdout=StringIO())
    assert PayrollPeriod.objects.get().closed_by is None  # run from the command line
    with pytest.raises(CommandError, match="已结账"):
        call_command("payroll_close", "2026-01")
