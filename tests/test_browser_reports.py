"""Journey through the reports in the browser: HR opens the home page, sees their
dashboard, clicks a bar of the violations-by-category chart and lands on the violation
list filtered to exactly that bar's violations; then opens an employee's printable file."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conduct.tests.test_violation_support import person, rule_of
from conftest import login
from reports.tests.helpers import log, restore_roles
from staff.tests.factories import DepartmentFactory

# serialized_rollback: the roles and their permissions, made by data migrations, come back
# after an earlier transactional test's flush removed them (restore_roles makes sure).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()


def test_hr_follows_a_chart_bar_to_the_filtered_list(page, hr_user, screenshot_dir):
    department = DepartmentFactory(name="营业大厅", code="HALL")
    first, second = person(department=department, name="欧阳娜"), person(department=department)
    recent = timezone.now() - timedelta(hours=2)
    ten_musts, eight_nots = rule_of("hospital-service", 1), rule_of("hospital-service", 14)
    for who in (first, first, second):
        log(who, ten_musts, recent, hr_user)
    log(second, eight_nots, recent, hr_user)

    login(page, hr_user.username)
    page.get_by_test_id("dashboard-hr").wait_for()
    assert page.get_by_test_id("stat-pending-link").inner_text() == "4"
    bars = page.locator("[data-testid=chart-category-month-bar]")
    assert bars.count() == 2  # this month: one segment per category
    bar = page.locator("[data-testid=chart-category-month-bar][data-series='全员上岗“十做到”']")
    assert bar.get_attribute("data-value") == "3"
    page.screenshot(path=f"{screenshot_dir}/reports-hr-dashboard.png", full_page=True)

    bar.click()
    page.wait_for_url("**/conduct/violations/?*")
    rows = page.get_by_test_id("violation-table").locator("tbody tr")
    assert rows.count() == 3
    assert page.locator("#id_category").input_value() == "全员上岗“十做到”"
    assert page.locator("#id_status").input_value() == "active"
    page.screenshot(path=f"{screenshot_dir}/reports-chart-to-list.png", full_page=True)

    page.goto(f"{page.base_url}/reports/employees/{first.pk}/file/")
    assert page.get_by_test_id("file-entry").count() == 2
    assert "欧阳娜" in page.locator("h1").inner_text()
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.get_by_test_id("print-file").is_visible()
    page.screenshot(path=f"{screenshot_dir}/reports-file-print.png", full_page=True)
