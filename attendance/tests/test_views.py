"""Pages: who sees which rows of the month sheet, the Excel export read back, the import
screen with its preview, processing from the sheet, leave pages; query counts pinned."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance.models import AttendanceMonth, ClockRecord, ImportStatus, Leave, LeaveStatus
from attendance.services import (
    attendance_month_process,
    clock_import_confirm,
    clock_import_start,
    leave_request,
)
from attendance.tests.factories import (
    MAPPING,
    ShiftFactory,
    assign,
    csv_bytes,
    judge_by,
    seed_rulebooks,
)
from conftest import make_user
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
MARCH = "2026-03"


@pytest.fixture
def org(department):
    sub = DepartmentFactory(name="营业大厅", parent=department)
    other = DepartmentFactory(name="财务部")
    assign(ShiftFactory(), department=department)
    assign(ShiftFactory(), department=other)
    return {
        "mine": EmployeeFactory(department=department, name="本部门"),
        "sub": EmployeeFactory(department=sub, name="下级部门"),
        "other": EmployeeFactory(department=other, name="其他部门"),
        "sub_department": sub,
        "other_department": other,
    }


def import_march(user, employees, late=None):
    rows = []
    for employee in employees:
        for day in range(1, 32):
            when = date(2026, 3, day)
            if when.isoweekday() > 5:
                continue
            clock_in = "09:25" if (employee, day) == late else "08:58"
            rows.append([employee.employee_no, when.isoformat(), clock_in, "18:02"])
    draft = clock_import_start(file_name="march.csv", content=csv_bytes(rows), by=user)
    return clock_import_confirm(clock_import=draft, mapping=MAPPING, by=user)


def sheet_names(response):
    return {row.employee.name for row in response.context["rows"]}


# --- the month sheet ----------------------------------------------------------------------------


def test_hr_sees_everyone_on_the_sheet(client, hr_user, org):
    client.force_login(hr_user)
    response = client.get(reverse("attendance:month_sheet"), {"month": MARCH})
    assert {"本部门", "下级部门", "其他部门"} <= sheet_names(response)


def test_head_sees_own_subtree_only(client, head_user, org):
    client.force_login(head_user)
    response = client.get(reverse("attendance:month_sheet"), {"month": MARCH})
    names = sheet_names(response)
    assert {"本部门", "下级部门"} <= names
    assert "其他部门" not in names
    # the department filter offers only their departments; another one is refused
    other = org["other_department"].pk
    response = client.get(reverse("attendance:month_sheet"), {"month": MARCH, "department": other})
    assert "其他部门" not in sheet_names(response)


def test_department_filter_includes_sub_departments(client, hr_user, org, department):
    client.force_login(hr_user)
    response = client.get(
        reverse("attendance:month_sheet"), {"month": MARCH, "department": department.pk}
    )
    assert sheet_names(response) >= {"本部门", "下级部门"}
    assert "其他部门" not in sheet_names(response)


def test_employee_sees_only_their_own_row(client, employee_user, org):
    client.force_login(employee_user)
    response = client.get(reverse("attendance:month_sheet"), {"month": MARCH})
    assert sheet_names(response) == {employee_user.employee.name}


def test_auditor_reads_but_cannot_process_or_import(client, auditor_user, org):
    client.force_login(auditor_user)
    assert client.get(reverse("attendance:month_sheet")).status_code == 200
    assert client.post(reverse("attendance:month_process"), {"month": MARCH}).status_code == 403
    assert client.get(reverse("attendance:import_list")).status_code == 403


def test_head_cannot_process_or_import(client, head_user):
    client.force_login(head_user)
    assert client.post(reverse("attendance:month_process"), {"month": MARCH}).status_code == 403
    assert client.get(reverse("attendance:import_list")).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("attendance:month_sheet"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sheet_shows_marks_and_totals(client, hr_user, org):
    seed_rulebooks("hospitality")
    judge_by("hospitality")
    import_march(hr_user, [org["mine"], org["sub"], org["other"]], late=(org["mine"], 4))
    attendance_month_process(month=date(2026, 3, 1), by=hr_user, today=date(2026, 4, 2))
    client.force_login(hr_user)
    response = client.get(reverse("attendance:month_sheet"), {"month": MARCH})
    row = next(r for r in response.context["rows"] if r.employee == org["mine"])
    assert row.cells[3].mark == "迟25"
    assert row.cells[2].mark == "✓"
    assert row.cells[0].mark == "休"  # Sunday 1 March
    assert (row.totals.late_times, row.totals.late_minutes, row.totals.working_days) == (1, 25, 22)
    content = response.content.decode()
    assert "迟25" in content


def page_queries(client, url, params, sizes=(10, 50)):
    """The SQL of the page at each page size (the navigation's own queries included)."""
    captured = {}
    for per_page in sizes:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {**params, "per_page": per_page})
        assert response.status_code == 200
        captured[per_page] = (response, [q["sql"] for q in queries.captured_queries])
    return captured


def test_sheet_query_count_does_not_grow_with_page_size(client, hr_user, department):
    assign(ShiftFactory(), department=department)
    employees = EmployeeFactory.create_batch(60, department=department)
    import_march(hr_user, employees[:3])
    attendance_month_process(month=date(2026, 3, 1), by=hr_user, today=date(2026, 4, 2))
    client.force_login(hr_user)
    pages = page_queries(client, reverse("attendance:month_sheet"), {"month": MARCH})
    assert [len(pages[n][0].context["rows"]) for n in (10, 50)] == [10, 50]
    assert len(pages[10][1]) == len(pages[50][1])
    # the sheet's own: count, the page of employees, their days, the calendar, the month
    ours = [sql for sql in pages[50][1] if "attendance_" in sql or 'FROM "staff_employee"' in sql]
    assert len(ours) == 5, ours


def test_export_reopens_with_marks_and_totals(client, hr_user, org):
    seed_rulebooks("hospitality")
    judge_by("hospitality")
    import_march(hr_user, [org["mine"]], late=(org["mine"], 4))
    attendance_month_process(month=date(2026, 3, 1), by=hr_user, today=date(2026, 4, 2))
    client.force_login(hr_user)
    response = client.get(reverse("attendance:month_sheet_export"), {"month": MARCH})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == MARCH
    header = [cell.value for cell in sheet[2]]
    assert header[:3] == ["工号", "姓名", "部门"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    mine = rows[org["mine"].employee_no]
    assert mine[1] == "本部门"
    assert mine[3 + 3] == "迟25"  # column D is 1 March
    assert mine[3 + 1] == "✓"
    late_times_column = 3 + 31 + 2
    assert (mine[late_times_column], mine[late_times_column + 1]) == (1, 25)


def test_export_is_scoped_like_the_sheet(client, head_user, org):
    client.force_login(head_user)
    response = client.get(reverse("attendance:month_sheet_export"), {"month": MARCH})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert "本部门" in names
    assert "其他部门" not in names


def test_process_button(client, hr_user, org):
    seed_rulebooks("hospitality")
    judge_by("hospitality")
    import_march(hr_user, [org["mine"], org["sub"], org["other"]], late=(org["mine"], 4))
    client.force_login(hr_user)
    response = client.post(reverse("attendance:month_process"), {"month": MARCH}, follow=True)
    assert response.status_code == 200
    month = AttendanceMonth.objects.get(month=date(2026, 3, 1))
    assert month.violations_created >= 1
    assert "2026-03" in response.content.decode()


def test_processing_a_future_month_shows_the_error(client, hr_user):
    client.force_login(hr_user)
    future = timezone.localdate().replace(day=1)
    future = date(future.year + 1, future.month, 1).strftime("%Y-%m")
    response = client.post(reverse("attendance:month_process"), {"month": future}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("处理" in m or "process" in m for m in messages)


# --- imports ------------------------------------------------------------------------------------


def test_upload_preview_and_confirm(client, hr_user, org):
    client.force_login(hr_user)
    content = csv_bytes(
        [
            [org["mine"].employee_no, "2026-03-02", "08:58", "18:00"],
            ["NOBODY", "2026-03-02", "08:58", "18:00"],
        ],
        encoding="gbk",
    )
    response = client.post(
        reverse("attendance:import_list"),
        {"file": SimpleUploadedFile("考勤.csv", content, content_type="text/csv")},
    )
    draft_url = response.url
    response = client.get(draft_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "GBK" in page
    assert "未知的工号“NOBODY”" in page
    assert not response.context["preview"].can_confirm
    response = client.post(draft_url, {"action": "confirm", **MAPPING})
    assert ClockRecord.objects.count() == 0
    assert response.context["mapping_form"].non_field_errors()


def test_a_clean_upload_imports(client, hr_user, org):
    client.force_login(hr_user)
    content = csv_bytes([[org["mine"].employee_no, "2026-03-02", "08:58", "18:00"]])
    response = client.post(
        reverse("attendance:import_list"),
        {"file": SimpleUploadedFile("ok.csv", content, content_type="text/csv")},
    )
    response = client.post(response.url, {"action": "confirm", **MAPPING}, follow=True)
    assert ClockRecord.objects.count() == 1
    assert response.context["clock_import"].status == ImportStatus.CONFIRMED


def test_uploading_an_imported_file_again_is_refused(client, hr_user, org):
    client.force_login(hr_user)
    content = csv_bytes([[org["mine"].employee_no, "2026-03-02", "08:58", "18:00"]])
    draft = clock_import_start(file_name="a.csv", content=content, by=hr_user)
    clock_import_confirm(clock_import=draft, mapping=MAPPING, by=hr_user)
    response = client.post(
        reverse("attendance:import_list"),
        {"file": SimpleUploadedFile("again.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "已导入" in response.content.decode()


def test_changing_the_mapping_rechecks(client, hr_user, org):
    client.force_login(hr_user)
    content = csv_bytes(
        [[org["mine"].employee_no, "2026-03-02", "08:58", "18:00"]],
        header=("A", "B", "C", "D"),
    )
    draft = clock_import_start(file_name="odd.csv", content=content, by=hr_user)
    url = reverse("attendance:import_detail", args=[draft.pk])
    response = client.get(url)
    assert response.context["preview"].mapping_errors
    mapping = {"employee_no": "A", "date": "B", "clock_in": "C", "clock_out": "D"}
    response = client.post(url, {"action": "preview", **mapping})
    assert response.context["preview"].can_confirm


def test_import_list_query_count(client, hr_user):
    client.force_login(hr_user)
    for n in range(12):
        clock_import_start(
            file_name=f"f{n}.csv",
            content=csv_bytes([["X", "2026-03-02", "", ""]]) + b"\n" * (n + 1),
            by=hr_user,
        )
    pages = page_queries(client, reverse("attendance:import_list"), {})
    assert len(pages[10][1]) == len(pages[50][1])


# --- leave --------------------------------------------------------------------------------------


def test_employee_requests_leave_through_the_form(client, employee_user, department):
    assign(ShiftFactory(), department=department)
    client.force_login(employee_user)
    response = client.get(reverse("attendance:leave_create"))
    assert "employee" not in response.context["form"].fields
    response = client.post(
        reverse("attendance:leave_create"),
        {
            "kind": "annual",
            "start_date": "2026-03-02",
            "start_half": "am",
            "end_date": "2026-03-03",
            "end_half": "pm",
            "reason": "探亲",
        },
    )
    leave = Leave.objects.get()
    assert response.url == reverse("attendance:leave_detail", args=[leave.pk])
    assert (leave.employee, leave.days) == (employee_user.employee, 2)


def test_head_approves_through_the_page(client, employee_user, head_user, department):
    assign(ShiftFactory(), department=department)
    leave = leave_request(
        employee=employee_user.employee,
        kind="annual",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 2),
        by=employee_user,
    )
    client.force_login(head_user)
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).context["can_decide"]
    client.post(reverse("attendance:leave_decide", args=[leave.pk, "approve"]), {"comment": "好"})
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_other_departments_leave_is_404(client, head_user, org):
    leave = leave_request(
        employee=org["other"],
        kind="annual",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 2),
        by=make_user("hr_officer"),
    )
    client.force_login(head_user)
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 404
    response = client.post(reverse("attendance:leave_decide", args=[leave.pk, "approve"]))
    assert response.status_code == 404


def test_employee_sees_only_own_leave(client, employee_user, org):
    hr = make_user("hr_officer")
    theirs = leave_request(
        employee=org["mine"],
        kind="sick",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 2),
        by=hr,
    )
    client.force_login(employee_user)
    response = client.get(reverse("attendance:leave_list"))
    assert list(response.context["page"]) == []
    assert client.get(reverse("attendance:leave_detail", args=[theirs.pk])).status_code == 404


def test_leave_list_query_count(client, hr_user, department):
    assign(ShiftFactory(), department=department)
    for employee in EmployeeFactory.create_batch(60, department=department):
        leave_request(
            employee=employee,
            kind="annual",
            start_date=date(2026, 3, 2),
            end_date=date(2026, 3, 2),
            by=hr_user,
        )
    client.force_login(hr_user)
    pages = page_queries(client, reverse("attendance:leave_list"), {})
    assert len(pages[10][1]) == len(pages[50][1])
    ours = [sql for sql in pages[50][1] if "attendance_leave" in sql]
    assert len(ours) == 2, ours  # count and the page (employee, department joined)


def test_setup_page(client, hr_user, department):
    seed_rulebooks("hospitality")
    judge_by("hospitality")
    client.force_login(hr_user)
    response = client.get(reverse("attendance:setup"))
    assert response.status_code == 200
    assert "1.3(1)" in response.content.decode()


def test_navigation_items(client, hr_user, employee_user):
    client.force_login(hr_user)
    page = client.get("/").content.decode()
    assert reverse("attendance:import_list") in page
    client.force_login(employee_user)
    page = client.get("/").content.decode()
    assert reverse("attendance:month_sheet") in page
    assert reverse("attendance:import_list") not in page


def test_export_never_writes_a_formula(client, hr_user, department):
    EmployeeFactory(department=department, name="=HYPERLINK(1)")
    client.force_login(hr_user)
    response = client.get(reverse("attendance:month_sheet_export"), {"month": MARCH})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for c in sheet["B"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
