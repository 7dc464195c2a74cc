"""The payroll screens: who may see and do what, the pages' content, query counts."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from payroll.models import PayrollPeriod, PayrollReopening, PeriodStatus
from payroll.tests.factories import employee, penalty
from payroll.tests.test_close import JAN, close

pytestmark = pytest.mark.django_db

ROLES = ["payroll_clerk", "gm", "hr_officer", "auditor", "deputy_gm", "department_head", "employee"]
READERS = {"payroll_clerk", "gm", "hr_officer", "auditor"}


def url(name, month=JAN):
    return reverse(f"payroll:{name}", kwargs={"month": month})


@pytest.fixture
def clerk(db):
    return make_user("payroll_clerk")


@pytest.fixture
def closed_month(clerk):
    emp = employee(employee_no="E100", name="欧阳娜", wage="3000.00")
    penalty(emp, "1000.00", on=date(2026, 1, 9))
    penalty(None, "300.00", on=date(2026, 1, 9), party="department", violator=emp)
    return close(JAN, clerk)


def client_for(client, role):
    user = make_user(role, heads=role == "department_head")
    client.force_login(user)
    return user


# ---- Permissions, view by view ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_list_and_the_month(client, role, closed_month):
    client_for(client, role)
    expected = 200 if role in READERS else 403
    assert client.get(reverse("payroll:period_list")).status_code == expected
    for view in ("summary", "carry", "departments", "history"):
        assert client.get(url("period_detail"), {"view": view}).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_clerk_downloads(client, role, closed_month):
    client_for(client, role)
    expected = 200 if role == "payroll_clerk" else 403
    assert client.get(url("period_export_xlsx")).status_code == expected
    assert client.get(url("period_export_csv")).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_clerk_closes(client, role):
    client_for(client, role)
    expected = 302 if role == "payroll_clerk" else 403
    assert client.get(url("period_close")).status_code == (200 if expected == 302 else 403)
    assert client.post(url("period_close")).status_code == expected
    closed = PayrollPeriod.objects.filter(status=PeriodStatus.CLOSED).exists()
    assert closed == (role == "payroll_clerk")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_gm_reopens(client, role, closed_month):
    client_for(client, role)
    expected = 302 if role == "gm" else 403
    assert client.get(url("period_reopen")).status_code == (200 if role == "gm" else 403)
    assert client.post(url("period_reopen"), {"reason": "重算"}).status_code == expected
    closed_month.refresh_from_db()
    assert closed_month.is_closed == (role != "gm")


def test_anonymous_users_are_sent_to_log_in(client, closed_month):
    for name in ("period_detail", "period_close", "period_reopen", "period_export_xlsx"):
        response = client.get(url(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- Pages -----------------------------------------------------------------------------


def test_the_clerk_closes_through_the_confirmation(client, clerk):
    employee(wage="3000.00")
    client.force_login(clerk)
    page = client.get(url("period_close"))
    assert "confirm-close" in page.content.decode()
    response = client.post(url("period_close"), follow=True)
    assert response.redirect_chain[-1][0] == url("period_detail")
    assert "2026-01 的薪资已结账" in response.content.decode()
    assert PayrollPeriod.objects.get(month=JAN).closed_by == clerk


def test_closing_out_of_order_shows_why(client, clerk):
    close(JAN, clerk)
    client.force_login(clerk)
    response = client.post(url("period_close", date(2026, 3, 1)), follow=True)
    assert "请先结账 2026-02" in response.content.decode()


def test_the_month_page_highlights_capped_employees_with_their_explanation(client, closed_month):
    client_for(client, "hr_officer")
    body = client.get(url("period_detail")).content.decode()
    assert 'data-testid="capped-row"' in body
    assert "本月应扣 ¥1,000,按《工资支付暂行规定》第十六条上限实扣 ¥600,结转下月 ¥400" in body
    assert "download-xlsx" not in body  # HR reads, the clerk downloads
    carry = client.get(url("period_detail"), {"view": "carry"}).content.decode()
    assert "E100" in carry and "¥400.00" in carry
    departments = client.get(url("period_detail"), {"view": "departments"}).content.decode()
    assert "¥300.00" in departments and "罚款" in departments


def test_an_open_month_shows_what_the_close_will_take(client, clerk):
    emp = employee()
    penalty(emp, "100.00", on=date(2026, 1, 5))
    penalty(emp, "100.00", on=date(2026, 1, 6), status="pending")
    client.force_login(clerk)
    body = client.get(url("period_detail")).content.decode()
    assert 'data-testid="close-month"' in body and 'data-testid="waiting-note"' in body


def test_the_list_offers_the_next_month_to_close(client, closed_month, clerk):
    client.force_login(clerk)
    body = client.get(reverse("payroll:period_list")).content.decode()
    assert 'data-testid="period-2026-01"' in body and 'data-testid="period-2026-02"' in body


def test_downloads_are_the_workbook_and_the_csv(client, closed_month, clerk):
    client.force_login(clerk)
    response = client.get(url("period_export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="payroll-2026-01.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book["汇总"]["A2"].value == "E100"
    response = client.get(url("period_export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "E100"


def test_an_open_month_cannot_be_downloaded(client, clerk):
    client.force_login(clerk)
    response = client.get(url("period_export_xlsx"), follow=True)
    assert response.redirect_chain and "从未结账" in response.content.decode()


def test_the_gm_reopens_with_a_reason_and_it_is_recorded(client, closed_month, gm_user):
    client.force_login(gm_user)
    response = client.post(url("period_reopen"), {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = client.post(url("period_reopen"), {"reason": "最低工资调整"})
    assert response.status_code == 302
    assert PayrollReopening.objects.get().reason == "最低工资调整"
    history = client.get(url("period_detail"))
    assert "最低工资调整" in history.content.decode()


# ---- Query counts ------------------------------------------------------------------------


def _many_lines(n: int) -> None:
    for i in range(n):
        emp = employee(employee_no=f"Q{i:03d}", wage="3000.00")
        penalty(emp, "700.00", on=date(2026, 1, 9))


@pytest.mark.parametrize("view", ["summary", "carry"])
def test_the_month_page_query_count_does_not_depend_on_the_page_size(
    client, clerk, django_assert_num_queries, view
):
    _many_lines(30)
    close(JAN, clerk)
    client.force_login(clerk)
    client.get(url("period_detail"), {"view": view})  # warm the session and settings rows
    counts = []
    for per_page in (10, 25):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("period_detail"), {"view": view, "per_page": per_page})
        assert response.status_code == 200
        assert response.content.decode().count("<tr") >= per_page
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url("period_detail"), {"view": view, "per_page": 10, "page": 2})


def test_the_list_query_count_does_not_depend_on_the_months(client, clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk)
    _many_lines(3)
    close(JAN, clerk)
    client.get(reverse("payroll:period_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("payroll:period_list"))
    close(date(2026, 2, 1), clerk)
    close(date(2026, 3, 1), clerk)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("payroll:period_list"))
    assert len(one) == len(three)


def test_totals_on_the_page_match_the_lines(client, closed_month, clerk):
    client.force_login(clerk)
    response = client.get(url("period_detail"))
    assert response.context["totals"]["withheld"] == D("600.00")
    assert response.context["totals"]["carried_out"] == D("400.00")
    assert response.context["totals"]["department_total"] == D("300.00")


def test_the_admin_reads_payroll_and_changes_the_setting_through_the_service(client, closed_month):
    from django.contrib.auth.models import User

    from audit.models import AuditEntry
    from payroll.models import PayrollSettings

    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    for model in ("payrollperiod", "payrollline", "payrollitem", "payrolladjustment"):
        assert client.get(reverse(f"admin:payroll_{model}_changelist")).status_code == 200
    PayrollSettings.get()
    response = client.post(
        reverse("admin:payroll_payrollsettings_change", args=[1]),
        {"net_rewards_against_cap": "on"},
    )
    assert response.status_code == 302
    assert PayrollSettings.get().net_rewards_against_cap
    assert AuditEntry.objects.filter(object_type="payroll.payrollsettings").exists()
