"""The main navigation's menus in the browser: HR opens 管理 with the keyboard and follows
员工, the menu of the current page is highlighted; an employee gets plain links."""

import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_opens_a_menu_with_the_keyboard_and_follows_an_item(page, hr_user, screenshot_dir):
    login(page, hr_user.username)
    nav = page.get_by_test_id("main-nav")
    employees = nav.get_by_role("link", name="员工", exact=True)
    assert not employees.is_visible()  # in the closed 管理 menu

    toggle = page.get_by_test_id("nav-group-admin")
    assert "管理" in toggle.inner_text()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    employees.wait_for()
    page.screenshot(path=f"{screenshot_dir}/nav-menu-open.png")
    page.keyboard.press("ArrowDown")  # the first item: 员工
    assert employees.evaluate("el => el === document.activeElement")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    employees.click()
    page.wait_for_url("**/staff/employees/")
    assert "active" in page.get_by_test_id("nav-group-admin").get_attribute("class")
    assert "active" not in page.get_by_test_id("nav-group-conduct").get_attribute("class")
    page.get_by_test_id("nav-group-admin").click()
    current = nav.locator("a[aria-current=page]")
    assert current.inner_text().strip() == "员工"


def test_an_employee_sees_plain_links_and_no_empty_menus(page, employee_user):
    login(page, employee_user.username)
    nav = page.get_by_test_id("main-nav")
    assert nav.get_by_role("link", name="我的记录", exact=True).is_visible()
    assert page.get_by_test_id("nav-group-admin").count() == 0
    assert page.get_by_test_id("nav-group-conduct").count() == 0
    page.get_by_test_id("nav-group-reports").click()
    nav.get_by_role("link", name="后台任务", exact=True).click()
    page.wait_for_url("**/jobs/")
