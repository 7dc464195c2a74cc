"""Reward journey: a department head nominates the month's service star, HR selects it,
the award appears on the employee's record; the head approves it in the reward inbox and
the employee sees it, with its notice number, under "My rewards"."""

import re

import pytest

from conftest import login
from rewards.models import Award
from rewards.tests.helpers import load_types, restore_roles
from tests.nav import follow_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()


def _switch(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_nominate_select_and_see_the_award_on_the_record(
    page, head_user, hr_user, employee_user, screenshot_dir
):
    load_types("service-bonus")
    nominee = employee_user.employee

    # 1. The head nominates someone of their department.
    login(page, head_user.username)
    follow_nav(page, "服务之星")
    page.get_by_test_id("pick-nominee").select_option(str(nominee.pk))
    page.get_by_label("提名理由").fill("本月客户满意度第一,收到表扬信两封。")
    page.get_by_test_id("nominate-submit").click()
    table = page.get_by_test_id("nomination-table")
    assert nominee.name in table.inner_text()
    assert "已提名" in table.inner_text()
    page.screenshot(path=f"{screenshot_dir}/service-star-nominated.png", full_page=True)

    # 2. HR selects the nominee; the award is created, pending approval.
    _switch(page, hr_user.username)
    page.goto(f"{page.base_url}/rewards/service-star/")
    page.get_by_test_id(f"select-{nominee.employee_no}").check()
    page.get_by_test_id("select-submit").click()
    assert "已当选" in page.get_by_test_id("nomination-table").inner_text()
    award = Award.objects.get(employee=nominee)

    # 3. The award is on the employee's record.
    page.goto(f"{page.base_url}/rewards/employees/{nominee.pk}/")
    record = page.get_by_test_id(f"employee-award-{award.pk}")
    text = record.inner_text()
    assert "服务之星" in text and "¥500.00" in text and "待审批" in text
    page.screenshot(path=f"{screenshot_dir}/service-star-record.png", full_page=True)

    # 4. The head approves it in the reward inbox (HR, who selected it, may not).
    _switch(page, head_user.username)
    follow_nav(page, re.compile("奖励审批"))
    page.get_by_test_id(f"inbox-row-{award.pk}").get_by_role("checkbox").check()
    page.get_by_test_id("approve-selected").click()
    assert page.get_by_test_id("inbox-empty").is_visible()

    # 5. The employee sees it on their own record, with the notice number.
    _switch(page, employee_user.username)
    follow_nav(page, "我的奖励")
    award.refresh_from_db()
    text = page.get_by_test_id(f"employee-award-{award.pk}").inner_text()
    assert "已批准" in text and award.notice.number in text
    page.screenshot(path=f"{screenshot_dir}/service-star-my-rewards.png", full_page=True)
