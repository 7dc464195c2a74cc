"""Journey: an HR officer uploads a time-clock export (GBK) with bad rows, sees each row's
error in the preview, cannot import, fixes the file and imports it."""

import pytest

from attendance.models import ClockRecord
from attendance.tests.factories import ShiftFactory, assign, csv_bytes
from conftest import login
from staff.tests.factories import EmployeeFactory
from tests.nav import follow_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_imports_a_clock_file_and_sees_the_row_errors(page, hr_user, department, screenshot_dir):
    assign(ShiftFactory(), department=department)
    EmployeeFactory(employee_no="CS0001", name="欧阳娜", department=department)
    EmployeeFactory(employee_no="CS0002", name="李强", department=department)
    bad = csv_bytes(
        [
            ["CS0001", "2026/3/2", "08:58", "18:03"],
            ["CS9999", "2026/3/2", "08:58", "18:03"],
            ["CS0002", "2026/3/2", "8点7x", "18:03"],
            ["CS0002", "2026/3/3", "18:00", "09:00"],
        ],
        encoding="gbk",
    )
    login(page, hr_user.username)
    follow_nav(page, "打卡导入")
    page.set_input_files(
        "input[type=file]", files=[{"name": "考勤.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_test_id("upload").click()
    page.wait_for_selector("[data-testid=preview-errors]")
    assert "GBK" in page.content()
    errors = page.get_by_test_id("preview-errors").inner_text()
    assert "未知的工号“CS9999”" in errors
    assert "无法识别“上班”中的时间“8点7x”" in errors
    assert "下班打卡 09:00 不晚于上班打卡 18:00" in errors
    assert page.get_by_test_id("count-errors").inner_text() == "3"
    assert page.get_by_test_id("confirm-button").is_disabled()
    page.screenshot(path=f"{screenshot_dir}/attendance-import-errors.png", full_page=True)
    page.get_by_role("button", name="放弃").click()
    page.wait_for_url("**/attendance/imports/")
    assert ClockRecord.objects.count() == 0

    good = csv_bytes(
        [["CS0001", "2026/3/2", "08:58", "18:03"], ["CS0002", "2026/3/2", "09:07", "18:03"]],
        encoding="gbk",
    )
    fixed = {"name": "考勤-更正.csv", "mimeType": "text/csv", "buffer": good}
    page.set_input_files("input[type=file]", files=[fixed])
    page.get_by_test_id("upload").click()
    assert page.get_by_test_id("count-new").inner_text() == "2"
    page.get_by_test_id("confirm-button").click()
    page.wait_for_selector("[data-testid=import-done]")
    assert ClockRecord.objects.count() == 2
