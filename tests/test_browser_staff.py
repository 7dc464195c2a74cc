"""First journey: an HR officer logs in in Chinese, finds an employee by 工号, switches
to English."""

import pytest

from conftest import login
from staff.tests.factories import EmployeeFactory
from tests.nav import follow_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_finds_an_employee_by_number_and_switches_language(page, hr_user, screenshot_dir):
    EmployeeFactory(employee_no="CS0042", name="欧阳娜")
    EmployeeFactory.create_batch(5)
    login(page, hr_user.username)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    follow_nav(page, "员工")
    page.get_by_placeholder("工号或姓名").fill("CS0042")
    page.get_by_test_id("search").click()
    rows = page.get_by_test_id("employee-table").locator("tbody tr")
    assert rows.count() == 1
    assert "欧阳娜" in rows.first.inner_text()
    page.screenshot(path=f"{screenshot_dir}/employee-search-zh.png", full_page=True)

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Employees").is_visible()
    assert "欧阳娜" in page.get_by_test_id("employee-table").inner_text()
    page.screenshot(path=f"{screenshot_dir}/employee-search-en.png", full_page=True)
