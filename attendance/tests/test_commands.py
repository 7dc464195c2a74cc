"""The two commands: attendance_import FILE [--mapping …] and attendance_process YYYY-MM."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from attendance.models import AttendanceDay, ClockImport, ClockRecord, ImportStatus
from attendance.tests.factories import ShiftFactory, assign, csv_bytes, judge_by, seed_rulebooks
from conduct.models import Violation, ViolationSource
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
HEADER = ("EmpNo", "Date", "In", "Out")


@pytest.fixture
def people(department):
    assign(ShiftFactory(), department=department)
    return [EmployeeFactory(employee_no=f"C{n}", department=department) for n in (1, 2)]


def write(tmp_path, rows, name="clock.csv", **kwargs):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kwargs))
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_with_a_mapping_then_again(tmp_path, people):
    rows = [["C1", "2026-03-02", "09:00", "18:00"], ["C2", "2026-03-02", "09:05", "18:00"]]
    path = write(tmp_path, rows, header=HEADER)
    out, _err = run(
        "attendance_import", path, "--mapping", "工号=EmpNo,date=Date,clock-in=In,clock-out=Out"
    )
    assert "2 new records" in out
    assert ClockRecord.objects.count() == 2
    out, _err = run("attendance_import", path)
    assert "already imported" in out
    assert ClockRecord.objects.count() == 2
    assert ClockImport.objects.count() == 1


def test_import_with_errors_imports_nothing_and_lists_the_rows(tmp_path, people):
    path = write(tmp_path, [["C1", "2026-03-02", "09:00", "18:00"], ["Z9", "2026-03-02", "", ""]])
    with pytest.raises(CommandError):
        run("attendance_import", path)
    assert ClockRecord.objects.count() == 0
    assert ClockImport.objects.get().status == ImportStatus.DISCARDED


def test_import_reports_row_errors(tmp_path, people, capsys):
    path = write(tmp_path, [["Z9", "2026-03-02", "", ""]])
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("attendance_import", path, stderr=err)
    assert "line 2: Unknown employee number “Z9”." in err.getvalue()


def test_process_command(tmp_path, people, hr_user):
    seed_rulebooks("hospitality")
    judge_by("hospitality")
    late = (people[0], 3)
    rows = [
        [p.employee_no, d.isoformat(), "09:25" if (p, d.day) == late else "08:59", "18:00"]
        for p in people
        for d in (date(2026, 3, n) for n in range(1, 32))
        if d.isoweekday() <= 5
    ]
    run("attendance_import", write(tmp_path, rows))
    out, _err = run("attendance_process", "2026-03", "--by", hr_user.username)
    assert "1 violations created" in out
    violation = Violation.objects.get()
    assert (violation.source, violation.logged_by) == (ViolationSource.ATTENDANCE, hr_user)
    assert AttendanceDay.objects.filter(employee=people[0]).count() == 31
    out, _err = run("attendance_process", "2026-03")
    assert "0 violations created, 0 voided, 1 unchanged" in out


def test_process_rejects_a_bad_month():
    with pytest.raises(CommandError):
        run("attendance_process", "March")
