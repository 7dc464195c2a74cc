"""Journey: an HR officer logs a violation with an evidence photo, watching the live
preview change when the rule changes, and finds it saved with its penalty."""

import pytest
from playwright.sync_api import expect

from conduct.tests.test_violation_support import PNG, load_rulebook, restored_roles  # noqa: F401
from conftest import htmx_settled, login
from staff.tests.factories import EmployeeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("restored_roles")  # before hr_user: the groups must exist
def test_hr_logs_a_violation_with_evidence_and_a_live_preview(page, hr_user, screenshot_dir):
    load_rulebook("hospital-service")
    EmployeeFactory(employee_no="CS0042", name="欧阳娜")
    EmployeeFactory.create_batch(3)
    login(page, hr_user.username)
    page.goto(f"{page.base_url}/conduct/violations/new/")

    # Employee by 工号, through the autocomplete.
    page.locator("#id_employee-ts-control").fill("CS0042")
    page.locator(".ts-dropdown .option", has_text="欧阳娜").click()
    page.locator("input[name=occurred_at]").fill("2025-06-16T10:30")

    # Rulebook → rule: the rule's text and summary appear, and the preview prices it.
    page.get_by_test_id("pick-rulebook").select_option(label="全员优质服务规范与处罚细则")
    rule = page.get_by_test_id("pick-rule")
    expect(rule.locator("option")).not_to_have_count(1)
    htmx_settled(page, "[data-testid=pick-rule]")
    rule.select_option(label="第1条 挂牌上岗、首问负责")
    expect(page.get_by_test_id("rule-summary")).to_contain_text("¥50")
    expect(page.get_by_test_id("preview-amount")).to_have_text("¥50.00")
    expect(page.get_by_test_id("preview-occurrence")).to_have_text("1")
    page.screenshot(path=f"{screenshot_dir}/violation-preview-50.png", full_page=True)

    # Another rule: the preview follows without a reload.
    htmx_settled(page, "[data-testid=pick-rule]")
    page.get_by_test_id("pick-rule").select_option(label="第14条 不准吵架谩骂酗酒")
    expect(page.get_by_test_id("preview-amount")).to_have_text("¥200.00")
    expect(page.get_by_test_id("preview-tier")).to_have_text("部门负责人")

    page.locator("input[name=place]").fill("门诊大厅")
    page.locator("textarea[name=description]").fill("与患者家属在大厅争吵。")
    page.locator("input[name=evidence_files]").set_input_files(
        files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_test_id("violation-save").click()

    page.wait_for_url("**/conduct/violations/*/")
    expect(page.get_by_test_id("violation-employee")).to_contain_text("欧阳娜")
    expect(page.get_by_test_id("evidence-list")).to_contain_text("现场照片.png")
    expect(page.get_by_test_id("penalty-employee")).to_contain_text("¥200.00")
    expect(page.get_by_test_id("penalty-employee")).to_contain_text("待审批")
    page.screenshot(path=f"{screenshot_dir}/violation-saved.png", full_page=True)
