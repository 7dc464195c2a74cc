"""The home page's dashboard per role: the figures against the hand-counted world, the
template each role gets, and a query count that stays the same when the data grows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from payroll.models import PayrollLine, PayrollPeriod, PeriodStatus
from penalties.models import Notice
from penalties.services.appeals import appeal_file
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import PNG, make_penalty
from reports.dashboards import dashboard_for
from reports.selectors.dashboards import attendance_months_to_process
from reports.tests.helpers import build_world, login_for
from rewards.services.awards import award_create
from rewards.tests.helpers import load_types
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db
Y = Decimal
TODAY = date(2025, 3, 20)


@pytest.fixture
def world(hr_user, gm_user):
    return build_world(hr=hr_user, approver=gm_user)


def test_hr_dashboard_figures(world, hr_user):
    dashboard = dashboard_for(user=hr_user, today=TODAY)
    assert dashboard.template == "reports/dashboard_hr.html"
    c = dashboard.context
    assert (c["violations"].this_month, c["violations"].last_month) == (2, 2)
    # pending: e1 5 Feb ¥50, e2 15 Mar ¥50, e3 6 Feb ¥50, e4 20 Jan ¥200, e4 20 Dec ¥200
    assert (c["pending"].count, c["pending"].amount) == (5, Y("550.00"))
    assert c["pending_awards"] == 1
    assert c["notices"].count == 2  # the two approved penalties' notices
    assert c["appeals"].count == 0
    assert [row["month"].month for row in c["attendance"]] == [
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert 'data-testid="chart-category-month-bar"' in c["category_chart"]


def test_head_dashboard_figures_are_their_subtree(world):
    head = make_user("department_head", department=world.a1, heads=True)
    dashboard = dashboard_for(user=head, today=TODAY)
    assert dashboard.template == "reports/dashboard_head.html"
    c = dashboard.context
    assert (c["violations"].this_month, c["violations"].last_month) == (2, 1)
    assert (c["pending"].count, c["pending"].amount) == (2, Y("100.00"))
    assert (c["inbox"], c["award_inbox"]) == (2, 1)
    assert c["employees"] == 3  # e1, e2 and the head


def test_company_dashboard_for_gm_deputy_and_auditor(world, gm_user, deputy_user, auditor_user):
    gm = dashboard_for(user=gm_user, today=TODAY)
    assert gm.template == "reports/dashboard_company.html"
    assert (gm.context["fines"], gm.context["rewards"]) == (Y("200.00"), Y("220.00"))
    assert gm.context["inbox"] == 5 and gm.context["award_inbox"] == 1
    assert dashboard_for(user=deputy_user, today=TODAY).template == gm.template
    auditor = dashboard_for(user=auditor_user, today=TODAY)
    assert auditor.template == gm.template and auditor.context["inbox"] is None


def test_employee_dashboard_is_their_own_record(world):
    user = login_for(world.e1)
    dashboard = dashboard_for(user=user, today=TODAY)
    assert dashboard.template == "reports/dashboard_employee.html"
    c = dashboard.context
    assert (c["violations"], c["fines"], c["rewards"]) == (3, Y("250.00"), Y("20.00"))
    assert c["notices"].count == 2
    assert c["file_url"] == reverse("reports:employee_file", args=[world.e1.pk])


def test_payroll_dashboard_shows_the_periods_and_the_capped(payroll_user):
    lines = _closed_period(date(2025, 2, 1), capped=3, uncapped=2)
    dashboard = dashboard_for(user=payroll_user, today=TODAY)
    assert dashboard.template == "reports/dashboard_payroll.html"
    overview = dashboard.context["payroll"]
    assert overview.next_month == date(2025, 3, 1)
    assert overview.latest_closed.capped == 3 and overview.latest_closed.employees == 5
    assert [line.pk for line in overview.capped_lines] == [
        line.pk for line in sorted(lines[:3], key=lambda x: (-x.carried_out, x.employee_no))
    ]


def test_a_role_less_login_gets_no_dashboard(client):
    from staff.tests.factories import UserFactory

    user = UserFactory()
    user.save()  # the factory saves the password only with roles
    assert dashboard_for(user=user) is None
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_attendance_months_imported_after_processing_are_listed(hr_user):
    from attendance.models import AttendanceMonth, ClockImport

    processed = timezone.now() - timedelta(days=2)
    AttendanceMonth.objects.create(month=date(2025, 2, 1), processed_at=processed)
    AttendanceMonth.objects.create(month=date(2025, 1, 1), processed_at=processed)
    AttendanceMonth.objects.create(month=date(2024, 12, 1), processed_at=processed)
    ClockImport.objects.create(
        file_name="feb.csv",
        sha256="x" * 64,
        content=b"",
        file_format="csv",
        status="confirmed",
        date_from=date(2025, 2, 10),
        date_to=date(2025, 2, 20),
        created_by=hr_user,
        confirmed_by=hr_user,
        confirmed_at=timezone.now(),
    )
    rows = attendance_months_to_process(today=TODAY)
    assert [(r.month, r.never_processed) for r in rows] == [(date(2025, 2, 1), False)]


# ---- the query count does not grow with the data --------------------------------------------


def _closed_period(month: date, *, capped: int, uncapped: int) -> list[PayrollLine]:
    period = PayrollPeriod.objects.create(
        month=month,
        status=PeriodStatus.CLOSED,
        closed_at=timezone.now(),
        minimum_wage=Y("2100.00"),
    )
    lines = []
    for i in range(capped + uncapped):
        e = EmployeeFactory()
        carried = Y(100 + i) if i < capped else Y("0.00")
        lines.append(
            PayrollLine.objects.create(
                period=period,
                employee=e,
                employee_no=e.employee_no,
                name=e.name,
                department=e.department,
                department_name=e.department.name,
                monthly_wage=Y("3000.00"),
                cap=Y("600.00"),
                fines=Y("600.00") + carried,
                due=Y("600.00") + carried,
                capped_applied=Y("600.00"),
                withheld=Y("600.00"),
                carried_out=carried,
                is_capped=i < capped,
            )
        )
    return lines


def _busy(n: int, *, department, hr, gm, employee_user) -> None:
    """``n`` of everything a dashboard counts, this month, in ``department`` and elsewhere."""
    other = DepartmentFactory()
    now = timezone.now() - timedelta(minutes=5)
    types = load_types("water-utility")
    for i in range(n):
        where = department if i % 2 else other
        someone = EmployeeFactory(department=where)
        pending = make_penalty(employee=someone, logged_by=hr, occurred=now)
        approved = make_penalty(employee=someone, logged_by=hr, occurred=now, amount="100")
        penalty_approve(penalty=approved, approver=gm)
        award_create(
            logged_by=hr,
            reward_type=types["water-utility/survey-thanks"],
            awarded_on=timezone.localdate(),
            reason="致谢",
            employee=someone,
        )
        assert pending.status == "pending"
    mine = make_penalty(employee=employee_user.employee, logged_by=hr, occurred=now)
    penalty_approve(penalty=mine, approver=gm)
    appeal_file(
        penalty=mine,
        employee_user=employee_user,
        text="不服",
        files=[SimpleUploadedFile("a.png", PNG)],
    )
    _closed_period(date(2020, n, 1), capped=n, uncapped=n)
    assert Notice.objects.count() == n + 1


# Whole request: session, user, permissions and roles, the navigation's badges, then the
# dashboard's own aggregate queries (none of them per row).
DASHBOARD_QUERIES = {
    # + this month's violations, penalties and awards pending, notices, appeals, the
    # attendance months (2), the category chart, the department chart (2)
    "hr": 17,
    # + the head's departments (2), employees, violations, pending, both inboxes, open
    # appeals, this month's money (2), the category chart, repeat offenders
    "head": 20,
    # + employees, violations, pending, both inboxes, open appeals, this month's money
    # (2), the department chart (2), the money chart (2)
    "gm": 21,
    "deputy": 21,
    # + the next month to close, the recent months, the capped lines
    "payroll": 9,
    "auditor": 16,  # the company's, without the inboxes
    # + the monthly totals (3), the points (1), the notices addressed to them
    "employee": 11,
}


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("role", DASHBOARD_QUERIES)
def test_each_dashboard_costs_the_same_queries_whatever_the_data(
    client,
    django_assert_num_queries,
    department,
    users,
    role,
    size,
):
    _busy(
        size, department=department, hr=users["hr"], gm=users["gm"], employee_user=users["employee"]
    )
    client.force_login(users[role])
    with django_assert_num_queries(DASHBOARD_QUERIES[role]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    testid = {"deputy": "company", "gm": "company", "auditor": "company"}.get(role, role)
    assert f'data-testid="dashboard-{testid}"' in response.content.decode()
