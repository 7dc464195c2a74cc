"""Importing clock records: all or nothing, the same file twice changes nothing, a
corrected file supersedes, the last mapping is remembered, queries stay bounded."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import AttendanceSettings, ClockImport, ClockRecord, ImportStatus
from attendance.selectors import clock_import_preview
from attendance.services import clock_import_confirm, clock_import_discard, clock_import_start
from attendance.tests.factories import MAPPING, ShiftFactory, assign, csv_bytes, night_shift
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def people(department):
    assign(ShiftFactory(), department=department)
    return [EmployeeFactory(employee_no=f"E{n:03d}", department=department) for n in range(1, 4)]


def rows(times=("08:58", "18:01")):
    return [[f"E{n:03d}", f"2026-03-{day:02d}", *times] for n in range(1, 4) for day in (2, 3)]


def imported(content, user, name="clock.csv", mapping=MAPPING):
    draft = clock_import_start(file_name=name, content=content, by=user)
    return clock_import_confirm(clock_import=draft, mapping=mapping, by=user)


def test_confirming_imports_every_row(people, hr_user):
    done = imported(csv_bytes(rows()), hr_user)
    assert done.status == ImportStatus.CONFIRMED
    assert (done.rows_total, done.rows_created, done.rows_unchanged) == (6, 6, 0)
    record = ClockRecord.objects.get(employee=people[0], work_date="2026-03-02")
    assert record.clock_in == datetime(2026, 3, 2, 8, 58, tzinfo=SH)
    assert record.source == done


def test_one_bad_row_imports_nothing(people, hr_user):
    draft = clock_import_start(
        file_name="bad.csv",
        content=csv_bytes([*rows(), ["E999", "2026-03-02", "9:00", "18:00"]]),
        by=hr_user,
    )
    with pytest.raises(ValidationError) as caught:
        clock_import_confirm(clock_import=draft, mapping=MAPPING, by=hr_user)
    assert caught.value.messages[0].startswith("有 1 行存在错误,未导入任何记录。")
    assert ClockRecord.objects.count() == 0
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT


def test_the_same_file_twice_is_refused_and_creates_nothing(people, hr_user):
    content = csv_bytes(rows())
    imported(content, hr_user)
    with pytest.raises(ValidationError) as caught:
        clock_import_start(file_name="again.csv", content=content, by=hr_user)
    assert "导入(clock.csv),再次导入不会有任何变化" in caught.value.messages[0]
    assert ClockRecord.objects.count() == 6
    assert ClockImport.objects.count() == 1


def test_the_same_rows_in_another_file_create_nothing_new(people, hr_user):
    imported(csv_bytes(rows()), hr_user)
    again = imported(csv_bytes(rows()) + b"\n", hr_user, name="copy.csv")  # another hash
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 6)
    assert ClockRecord.objects.count() == 6


def test_a_corrected_file_supersedes_the_changed_days_only(people, hr_user):
    imported(csv_bytes(rows()), hr_user)
    corrected = rows()
    corrected[0] = ["E001", "2026-03-02", "09:25", "18:01"]
    done = imported(csv_bytes(corrected), hr_user, name="corrected.csv")
    assert (done.rows_created, done.rows_updated, done.rows_unchanged) == (0, 1, 5)
    history = ClockRecord.objects.filter(employee=people[0], work_date="2026-03-02")
    assert history.count() == 2  # the old record is kept, no longer current
    current = history.get(is_current=True)
    assert current.clock_in == datetime(2026, 3, 2, 9, 25, tzinfo=SH)
    assert history.get(is_current=False).superseded_at is not None


def test_the_last_mapping_is_remembered(people, hr_user):
    header = ("EmpNo", "WorkDay", "Start", "Stop")
    mapping = {"employee_no": "EmpNo", "date": "WorkDay", "clock_in": "Start", "clock_out": "Stop"}
    imported(csv_bytes(rows(), header=header), hr_user, mapping=mapping)
    assert AttendanceSettings.get().last_mapping == mapping
    draft = clock_import_start(
        file_name="next.csv", content=csv_bytes(rows(("9:00", "18:00")), header=header), by=hr_user
    )
    assert draft.mapping == mapping


def test_a_wrong_mapping_is_refused(people, hr_user):
    draft = clock_import_start(file_name="a.csv", content=csv_bytes(rows()), by=hr_user)
    wrong = {**MAPPING, "clock_out": "上班"}
    with pytest.raises(ValidationError):
        clock_import_confirm(clock_import=draft, mapping=wrong, by=hr_user)
    assert ClockRecord.objects.count() == 0


def test_night_shift_rows_use_the_employee_assignment(people, hr_user):
    assign(night_shift(), employee=people[0])
    content = csv_bytes([["E001", "2026-03-02", "22:00", "06:01"]])
    imported(content, hr_user)
    record = ClockRecord.objects.get()
    assert record.clock_out == datetime(2026, 3, 3, 6, 1, tzinfo=SH)


def test_discarding_a_draft(people, hr_user):
    draft = clock_import_start(file_name="a.csv", content=csv_bytes(rows()), by=hr_user)
    clock_import_discard(clock_import=draft, by=hr_user)
    with pytest.raises(ValidationError):
        clock_import_confirm(clock_import=draft, mapping=MAPPING, by=hr_user)


def test_preview_and_confirm_use_a_fixed_number_of_queries(department, hr_user):
    assign(ShiftFactory(), department=department)
    small = [EmployeeFactory(department=department) for _ in range(3)]
    big = [EmployeeFactory(department=department) for _ in range(30)]

    def content(employees):
        return csv_bytes(
            [
                [e.employee_no, f"2026-03-{d:02d}", "9:00", "18:00"]
                for e in employees
                for d in range(1, 11)
            ]
        )

    imported(content(small[:1]), hr_user, name="warm-up.csv")  # remembers the mapping
    counts = []
    for employees in (small[1:], big):
        draft = clock_import_start(file_name="x.csv", content=content(employees), by=hr_user)
        with CaptureQueriesContext(connection) as queries:
            clock_import_preview(clock_import=draft, mapping=MAPPING)
            clock_import_confirm(clock_import=draft, mapping=MAPPING, by=hr_user)
        counts.append(len(queries))
    assert counts[0] == counts[1]
