"""The "run in background" buttons on the notices, attendance and payroll pages: shown to
those who may run the job, posting the page's month to jobs:job_create."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import make_penalty

pytestmark = pytest.mark.django_db


def _button(html: str, kind: str) -> bool:
    return f'data-testid="run-in-background-{kind}"' in html and reverse("jobs:job_create") in html


def test_the_notice_list_offers_the_month_as_a_background_job(
    client, hr_user, head_user, employee_user
):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user, comment="情况属实")
    month = timezone.localdate().strftime("%Y-%m")
    client.force_login(hr_user)
    html = client.get(reverse("penalties:notice_list"), {"month": month}).content.decode()
    assert _button(html, "notices_pdf")
    assert f'name="month" value="{month}"' in html


def test_the_attendance_sheet_offers_processing_in_the_background(client, hr_user, employee_user):
    client.force_login(hr_user)
    html = client.get(reverse("attendance:month_sheet"), {"month": "2026-10"}).content.decode()
    assert _button(html, "attendance_process")
    client.force_login(employee_user)
    response = client.get(reverse("attendance:month_sheet"), {"month": "2026-10"})
    assert not _button(response.content.decode(), "attendance_process")


def test_a_closed_payroll_month_offers_its_export_in_the_background(client):
    from conftest import make_user
    from payroll.tests.factories import employee, penalty
    from payroll.tests.test_close import JAN, close

    user = make_user("payroll_clerk")
    emp = employee(employee_no="E100", name="欧阳娜", wage="3000.00")
    penalty(emp, "1000.00", on=date(2026, 1, 9))
    close(JAN, user)
    client.force_login(user)
    html = client.get(reverse("payroll:period_detail", kwargs={"month": JAN})).content.decode()
    assert _button(html, "payroll_export")
    assert 'name="fmt" value="xlsx"' in html
