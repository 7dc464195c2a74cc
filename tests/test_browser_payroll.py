"""Journey: the payroll clerk closes the month through its confirmation, sees who was
capped and why, and downloads the workbook, which opens with the capped line in it."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login, make_user
from payroll.months import first_of, previous_month
from payroll.tests.factories import employee, penalty
from payroll.tests.helpers import restore_payroll_roles
from staff.models import CompanySettings
from tests.nav import follow_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_payroll_roles()
    settings = CompanySettings.get()
    settings.local_minimum_wage = Decimal("2100.00")
    settings.save()


def test_the_clerk_closes_the_month_and_downloads_the_workbook(page, screenshot_dir):
    clerk = make_user("payroll_clerk", name="薪资钱")
    month = previous_month(first_of(timezone.localdate()))
    capped = employee(employee_no="P0001", name="欧阳娜", wage="3000.00")
    plain = employee(employee_no="P0002", name="李雷", wage="5000.00")
    penalty(capped, "1000.00", on=month.replace(day=10))
    penalty(plain, "200.00", on=month.replace(day=12), kind="compensation")
    label = f"{month:%Y-%m}"

    login(page, clerk.username)
    follow_nav(page, "薪资")
    page.get_by_test_id("next-month").click()
    assert page.get_by_test_id("period-status").inner_text() == "未结账"
    assert "2" in page.get_by_test_id("open-preview").inner_text()
    page.get_by_test_id("close-month").click()
    page.wait_for_url(f"**/payroll/{label}/close/")
    page.screenshot(path=f"{screenshot_dir}/payroll-confirm.png", full_page=True)
    page.get_by_test_id("confirm-close").click()
    page.wait_for_url(f"**/payroll/{label}/")

    assert page.get_by_test_id("period-status").inner_text() == "已结账"
    assert f"{label} 的薪资已结账" in page.locator("main").inner_text()
    row = page.get_by_test_id("capped-row")
    assert row.count() == 1 and "欧阳娜" in row.inner_text()
    assert "按《工资支付暂行规定》第十六条上限实扣 ¥600,结转下月 ¥400" in row.inner_text()
    assert page.get_by_test_id("total-withheld").inner_text() == "¥800.00"
    page.screenshot(path=f"{screenshot_dir}/payroll-closed.png", full_page=True)

    page.get_by_test_id("tab-carry").click()
    assert "¥400.00" in page.get_by_test_id("carry-table").inner_text()
    page.get_by_test_id("tab-summary").click()

    with page.expect_download() as download_info:
        page.get_by_test_id("download-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == f"payroll-{label}.xlsx"
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    summary = book["汇总"]
    assert [summary["A2"].value, summary["B2"].value, summary["I2"].value] == [
        "P0001",
        "欧阳娜",
        600,
    ]
    assert summary["J2"].value == 400 and summary["A4"].value == "合计"
    assert book.sheetnames == ["汇总", "明细", "部门", "结转"]
