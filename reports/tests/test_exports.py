"""The list exports: each takes its list page's GET filters and gives exactly the rows the
list shows (every page), reopened with openpyxl; the list's own permission; the rows
scoped like the list; text that looks like a formula stays text."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from reports.exports import EXPORTS
from reports.tests.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(hr_user, gm_user):
    return build_world(hr=hr_user, approver=gm_user)


def _export(client, name: str, query: str = ""):
    response = client.get(f"{reverse('reports:list_export', args=[name])}?{query}")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}-')
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _data_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


# (export, the list page, a query string of its own filters)
LISTS = [
    ("employees", "staff:employee_list", "q=R00"),
    (
        "violations",
        "conduct:violation_list",
        "date_from=2025-01-01&date_to=2025-03-31&status=active",
    ),
    ("penalties", "penalties:penalty_list", "status=pending"),
    ("rewards", "rewards:award_list", "month=2025-03"),
    ("appeals", "penalties:appeal_list", ""),
]


@pytest.mark.parametrize(("name", "list_url", "query"), LISTS)
def test_an_export_holds_what_the_filtered_list_shows(
    world, hr_user, client, name, list_url, query
):
    client.force_login(hr_user)
    listed = client.get(f"{reverse(list_url)}?{query}&per_page=10").context["page"].paginator
    sheet = _export(client, name, query)
    assert len(_data_rows(sheet)) == listed.count
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert all(header) and header[0]


def test_the_violation_export_filters_as_the_list_does(world, hr_user, client):
    client.force_login(hr_user)
    sheet = _export(client, "violations", "category=全员上岗“十做到”&status=active&sort=occurred")
    rows = _data_rows(sheet)
    # rule 1, active: e1 10 Jan, e1 5 Feb, e3 6 Feb — oldest first, as the list sorts them
    assert [(r[1], r[5]) for r in rows] == [("R001", "1"), ("R001", "1"), ("R003", "1")]
    assert rows[0][9] == 50  # the employee pays, a number
    assert sheet.cell(row=2, column=10).number_format.startswith('"¥"#,##0.00')
    assert sheet.cell(row=2, column=1).is_date


def test_money_cells_are_numbers_with_the_yuan_format(world, hr_user, client):
    client.force_login(hr_user)
    sheet = _export(client, "rewards", "month=2025-03&status=approved")
    (row,) = _data_rows(sheet)
    assert (row[2], row[6], row[7]) == ("孙三", 20, 200)
    assert sheet.cell(row=2, column=7).number_format == '"¥"#,##0.00;[Red]-"¥"#,##0.00'
    assert sheet.cell(row=2, column=1).value.date() == date(2025, 3, 1)


def test_penalty_export_lists_status_amount_and_sanctions(world, hr_user, client):
    client.force_login(hr_user)
    sheet = _export(client, "penalties", "status=approved&sort=-amount")
    rows = _data_rows(sheet)
    assert [(r[2], r[4], r[9], r[7]) for r in rows] == [
        ("R001 赵一", "R001 赵一", 200, "14"),
        ("R001 赵一", "R001 赵一", 50, "1"),
    ]
    assert all(r[13] for r in rows)  # the status, in words


def test_an_export_is_scoped_like_its_list(world, client):
    head = make_user("department_head", department=world.a1, heads=True)
    client.force_login(head)
    rows = _data_rows(_export(client, "violations"))
    assert {r[1] for r in rows} == {"R001", "R002"}
    rows = _data_rows(_export(client, "employees"))
    assert {r[0] for r in rows} == {"R001", "R002", head.employee.employee_no}


def test_text_that_looks_like_a_formula_is_written_as_text(world, hr_user, client):
    world.e1.name = '=HYPERLINK("http://evil.example","点我")'
    world.e1.save(update_fields=["name"])
    client.force_login(hr_user)
    sheet = _export(client, "employees", "q=R001")
    cell = sheet.cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("http://evil.example","点我")'
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_attendance_days_export_takes_the_month_sheet_filters(hr_user, client, department):
    from django.utils import timezone

    from attendance.models import AttendanceDay, DayStatus
    from staff.tests.factories import EmployeeFactory

    someone = EmployeeFactory(department=department, employee_no="AT01")
    elsewhere = EmployeeFactory(employee_no="AT02")
    for employee in (someone, elsewhere):
        for day in (3, 4):
            AttendanceDay.objects.create(
                employee=employee,
                date=date(2025, 3, day),
                status=DayStatus.LATE if day == 3 else DayStatus.ON_TIME,
                late_minutes=12 if day == 3 else 0,
                processed_at=timezone.now(),
            )
    client.force_login(hr_user)
    rows = _data_rows(_export(client, "attendance", f"month=2025-03&department={department.pk}"))
    assert [(r[0].date(), r[1], r[6]) for r in rows] == [
        (date(2025, 3, 3), "AT01", 12),
        (date(2025, 3, 4), "AT01", 0),
    ]
    assert len(_data_rows(_export(client, "attendance", "month=2025-03"))) == 4
    assert _data_rows(_export(client, "attendance", "month=2025-04")) == []


# ---- permissions: the list page's own --------------------------------------------------------

# Roles without the list's permission get 403, as on the list page.
EXPORT_STATUS = {
    "employees": {"employee": 403},
    "violations": {"payroll": 403, "employee": 403},
    "penalties": {"employee": 403},
    "rewards": {"employee": 403},
    "attendance": {},
    "appeals": {"payroll": 403, "employee": 403},
}


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("role", ["hr", "head", "gm", "deputy", "payroll", "auditor", "employee"])
def test_who_may_export_each_list(users, client, name, role):
    client.force_login(users[role])
    response = client.get(reverse("reports:list_export", args=[name]))
    assert response.status_code == EXPORT_STATUS[name].get(role, 200)


def test_an_unknown_list_is_a_404_and_anonymous_users_log_in(client, hr_user):
    assert client.get(reverse("reports:list_export", args=["violations"])).status_code == 302
    client.force_login(hr_user)
    assert client.get(reverse("reports:list_export", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_an_export_costs_the_same_queries_whatever_its_length(
    client, hr_user, django_assert_num_queries, rows
):
    from staff.tests.factories import EmployeeFactory

    EmployeeFactory.create_batch(rows, monthly_wage=Decimal("3100.50"))
    client.force_login(hr_user)
    # session, user, permissions (2), the rows
    with django_assert_num_queries(5):
        client.get(reverse("reports:list_export", args=["employees"]))


def test_the_export_button_carries_the_list_pages_query_string(rf, hr_user):
    from django.template.loader import render_to_string

    request = rf.get("/conduct/violations/", {"status": "active", "category": "十做到"})
    request.user = hr_user
    html = render_to_string(
        "reports/includes/export_button.html", {"list": "violations"}, request=request
    )
    assert 'href="/reports/export/violations/?status=active&amp;category=' in html
    assert 'data-testid="export-xlsx-violations"' in html
    bare = render_to_string(
        "reports/includes/export_button.html", {"list": "employees"}, request=rf.get("/")
    )
    assert 'href="/reports/export/employees/"' in bare
