"""The reports (a month per department, the year to date per employee) and the charts
page: figures against the hand-counted world, their Excel files reopened, scoping, every
role on every page, and query counts that do not grow with the page."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from reports.selectors.summaries import department_month_summary, employee_year_to_date
from reports.tests.helpers import MAR, build_world
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
Y = Decimal
TODAY = date(2025, 3, 20)
TEN, EIGHT, LOOK = "全员上岗“十做到”", "劳动纪律“八不准”", "外观形象“八不准”"


@pytest.fixture
def world(hr_user, gm_user):
    return build_world(hr=hr_user, approver=gm_user)


def test_month_summary_per_department_and_category(world, hr_user):
    summary = department_month_summary(user=hr_user, month=MAR)
    rows = {
        d.code: [(line.category, line.violations, line.fines, line.pending) for line in d.lines]
        for d in summary.departments
    }
    # March: e1 rule 14 (A1, approved ¥200), e2 rule 29 (A1, pending ¥50); rewards: e3 (A)
    assert rows == {
        "A": [],
        "A1": [(EIGHT, 1, Y("200.00"), Y("0.00")), (LOOK, 1, Y("0.00"), Y("50.00"))],
    }
    a = next(d for d in summary.departments if d.code == "A")
    assert (a.rewards_count, a.rewards) == (1, Y("220.00"))
    assert (summary.total.violations, summary.total.fines, summary.total.pending) == (
        2,
        Y("200.00"),
        Y("50.00"),
    )
    assert summary.rewards == Y("220.00")


def test_month_summary_for_one_department_takes_its_subtree(world, hr_user):
    february = department_month_summary(user=hr_user, month=date(2025, 2, 1), department=world.a)
    assert {d.code: d.total.violations for d in february.departments} == {"A": 1, "A1": 1}
    only_b = department_month_summary(user=hr_user, month=date(2025, 1, 1), department=world.b)
    assert [(d.code, d.total.violations, d.total.pending) for d in only_b.departments] == [
        ("B", 1, Y("200.00"))
    ]


def test_year_to_date_per_employee(world, hr_user):
    rows = {
        e.employee_no: (e.ytd_violations, e.ytd_fines, e.ytd_pending, e.ytd_rewards, e.ytd_net)
        for e in employee_year_to_date(user=hr_user, year=2025, today=TODAY)
    }
    assert rows == {
        "R001": (3, Y("250.00"), Y("50.00"), Y("20.00"), Y("-230.00")),
        "R002": (1, Y("0.00"), Y("50.00"), Y("0.00"), Y("0.00")),
        "R003": (1, Y("0.00"), Y("50.00"), Y("20.00"), Y("20.00")),
        "R004": (1, Y("0.00"), Y("200.00"), Y("0.00"), Y("0.00")),  # not 20 Dec 2024's
    }
    last_year = employee_year_to_date(user=hr_user, year=2024, today=TODAY)
    assert [(e.employee_no, e.ytd_violations) for e in last_year] == [("R004", 1)]
    everyone = employee_year_to_date(user=hr_user, year=2025, today=TODAY, everyone=True)
    assert everyone.count() > 4  # the logins of the fixtures too, with nothing on record


def test_year_to_date_is_scoped_and_sorted(world):
    head = make_user("department_head", department=world.a1, heads=True)
    rows = employee_year_to_date(user=head, year=2025, today=TODAY, sort="-violations")
    assert [e.employee_no for e in rows] == ["R001", "R002"]


def test_the_excel_reports_reopen_with_their_totals(world, hr_user, client):
    client.force_login(hr_user)
    response = client.get(reverse("reports:month_summary_export") + "?month=2025-03")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[-1][1:6] == ("总计", None, 2, 200, 50)
    assert sheet.freeze_panes == "A2"
    response = client.get(reverse("reports:year_to_date_export") + "?year=2024")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("R004", "李四", "乙部", 1, 0, 200, 0, 0)
    ]


def test_the_month_summary_page_and_a_bad_month(world, hr_user, client):
    client.force_login(hr_user)
    page = client.get(reverse("reports:month_summary") + "?month=2025-03")
    assert page.context["summary"].month == MAR
    assert 'data-testid="summary-total"' in page.content.decode()
    bad = client.get(reverse("reports:month_summary") + "?month=2025-13")
    assert bad.status_code == 200 and bad.context["form"].errors


# ---- every role on every page -------------------------------------------------------------

PAGES = [
    "reports:index",
    "reports:charts",
    "reports:month_summary",
    "reports:month_summary_export",
    "reports:year_to_date",
    "reports:year_to_date_export",
]
ALLOWED = {"hr", "head", "gm", "deputy", "auditor"}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["hr", "head", "gm", "deputy", "payroll", "auditor", "employee"])
def test_who_may_open_the_reports(users, client, page, role):
    client.force_login(users[role])
    assert client.get(reverse(page)).status_code == (200 if role in ALLOWED else 403)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_log_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_department_head_reports_only_their_subtree(world, client):
    head = make_user("department_head", department=world.a1, heads=True)
    client.force_login(head)
    summary = client.get(reverse("reports:month_summary") + "?month=2025-03").context["summary"]
    assert [d.code for d in summary.departments] == ["A1"]
    # a department outside the subtree is not a valid choice: the filter falls back
    outside = client.get(
        reverse("reports:month_summary") + f"?month=2025-03&department={world.b.pk}"
    )
    assert [d.code for d in outside.context["summary"].departments] == ["A1"]


@pytest.mark.parametrize("per_page", [10, 50])
def test_year_to_date_query_count_does_not_grow_with_the_page(
    world, hr_user, client, django_assert_num_queries, per_page
):
    EmployeeFactory.create_batch(60)
    client.force_login(hr_user)
    url = reverse("reports:year_to_date") + f"?year=2025&everyone=on&per_page={per_page}"
    # session, user, permissions (2), roles, the navigation's badge, departments for the
    # filter, the count, the rows
    with django_assert_num_queries(QUERIES_YTD):
        response = client.get(url)
    assert len(response.context["page"]) == per_page


QUERIES_YTD = 9


@pytest.mark.parametrize("extra", [0, 5])
def test_the_charts_page_costs_the_same_queries_whatever_the_data(
    world, hr_user, client, django_assert_num_queries, extra
):
    from conduct.tests.test_violation_support import rule_of
    from reports.tests.helpers import log

    rule = rule_of("hospital-service", 1)
    for day in range(1, extra + 1):
        log(EmployeeFactory(department=world.b), rule, _recent(day), hr_user)
    client.force_login(hr_user)
    with django_assert_num_queries(QUERIES_CHARTS):
        assert client.get(reverse("reports:charts")).status_code == 200


QUERIES_CHARTS = 13


def _recent(n: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(days=n)
