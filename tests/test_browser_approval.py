"""Journeys through approval and appeal in the browser:

1. HR logs a violation in the form, the department head sees it counted in the
   navigation, approves it after confirming, and the employee acknowledges the notice.
2. An employee appeals a penalty with a file, the GM reduces it, and the employee sees
   the new amount on a new notice.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from conduct.demo import load_fixture
from conduct.models import Rule
from conftest import htmx_settled, login
from penalties.models import Appeal, Notice, PenaltyStatus
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import PNG, make_penalty, restore_roles
from staff.models import CompanySettings
from tests.nav import follow_nav

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()  # the role groups, removed by an earlier transactional test's flush
    CompanySettings.objects.update_or_create(pk=1, defaults={"name": "鹤城优质服务有限公司"})


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _pick_rule(page, rule) -> None:
    """Choose the rule once the rulebook's section has been swapped in and wired up."""
    page.locator(f"[data-testid=pick-rule] option[value='{rule.pk}']").wait_for(state="attached")
    htmx_settled(page, "[data-testid=pick-rule]")
    page.get_by_test_id("pick-rule").select_option(str(rule.pk))
    page.get_by_test_id("rule-text").wait_for()


def test_hr_logs_the_head_approves_the_employee_acknowledges(
    page, hr_user, head_user, employee_user, screenshot_dir
):
    load_fixture(Path(settings.BASE_DIR) / "fixtures" / "rulebooks" / "hospital-service.yaml")
    rule = Rule.objects.get(version__rulebook__code="hospital-service", number="14")
    employee = employee_user.employee

    # HR logs the violation in the form.
    login(page, hr_user.username)
    page.goto(f"{page.base_url}/conduct/violations/new/")
    page.locator("#id_employee-ts-control").fill(employee.employee_no)
    page.locator(".ts-dropdown .option", has_text=employee.name).first.click()
    page.get_by_test_id("pick-rulebook").select_option(str(rule.version.rulebook_id))
    _pick_rule(page, rule)
    yesterday = timezone.localtime() - timedelta(days=1)
    page.locator("#id_occurred_at").fill(yesterday.strftime("%Y-%m-%dT09:30"))
    page.locator("#id_description").fill("在营业大厅与客户争吵,引起围观。")
    page.get_by_test_id("preview-amount").filter(has_text="200").wait_for()
    page.get_by_test_id("violation-save").click()
    page.wait_for_url("**/conduct/violations/*/")

    # The department head sees one waiting, confirms and approves it.
    _switch_user(page, head_user.username)
    # The count shows on the closed menu (违纪与处罚), then on its 审批 item.
    menu = page.get_by_test_id("nav-group-conduct")
    assert menu.get_by_test_id("nav-group-badge").inner_text() == "1"
    menu.click()
    inbox = page.locator("nav a[href='/penalties/inbox/']")  # 审批, with its badge
    assert inbox.get_by_test_id("nav-badge").inner_text() == "1"
    inbox.click()
    table = page.get_by_test_id("inbox-table")
    assert employee.name in table.inner_text()
    assert "¥200.00" in table.inner_text()
    page.screenshot(path=f"{screenshot_dir}/approval-inbox.png", full_page=True)
    table.locator("input[name=ids]").first.check()
    page.get_by_test_id("bulk-approve").click()
    assert employee.name in page.get_by_test_id("confirm-table").inner_text()
    page.get_by_test_id("confirm-comment").fill("情况属实")
    page.get_by_test_id("confirm-submit").click()
    page.get_by_text("已批准 1 项处罚").wait_for()
    assert page.get_by_test_id("inbox-empty").is_visible()
    notice = Notice.objects.get(penalty__employee=employee)

    # The employee opens the notice and acknowledges it.
    _switch_user(page, employee_user.username)
    follow_nav(page, href="/penalties/my/")  # 我的记录
    record = page.get_by_test_id(f"record-{notice.penalty_id}")
    assert notice.number in record.inner_text()
    pdf = page.request.get(f"{page.base_url}/penalties/notices/{notice.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    page.get_by_test_id(f"acknowledge-{notice.penalty_id}").click()
    page.get_by_test_id(f"acknowledged-{notice.penalty_id}").wait_for()
    page.screenshot(path=f"{screenshot_dir}/my-record-acknowledged.png", full_page=True)
    notice.refresh_from_db()
    assert notice.acknowledged_by == employee_user
    assert notice.acknowledged_ip


def test_an_employee_appeals_and_the_gm_reduces(
    page, hr_user, head_user, gm_user, employee_user, tmp_path, screenshot_dir
):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user)
    first = Notice.objects.get(penalty=penalty)

    # The employee appeals with a photo.
    login(page, employee_user.username)
    follow_nav(page, href="/penalties/my/")  # 我的记录
    page.get_by_test_id(f"appeal-{penalty.pk}").click()
    page.locator("#id_text").fill("是客户先辱骂我,有现场录像截图为证。")
    photo = tmp_path / "截图.png"
    photo.write_bytes(PNG)
    page.locator("#id_files").set_input_files(str(photo))
    page.get_by_test_id("appeal-submit").click()
    page.wait_for_url("**/penalties/my/")
    assert page.get_by_test_id(f"record-status-{penalty.pk}").inner_text() == "申诉中"

    # The GM sees it waiting and reduces it.
    _switch_user(page, gm_user.username)
    follow_nav(page, href="/penalties/appeals/")  # 申诉
    appeal = Appeal.objects.get(penalty=penalty)
    page.get_by_test_id(f"review-{appeal.pk}").click()
    assert "有现场录像截图为证" in page.get_by_test_id("appeal-text").inner_text()
    page.get_by_label("减轻处罚").check()
    page.locator("#id_new_amount").fill("100")
    page.locator("#id_reason").fill("初次违反,客户亦有过错,减半处罚。")
    page.get_by_test_id("appeal-decide").click()
    page.get_by_test_id("appeal-decision").wait_for()
    page.screenshot(path=f"{screenshot_dir}/appeal-reduced.png", full_page=True)

    # The employee sees the outcome and the new notice.
    _switch_user(page, employee_user.username)
    follow_nav(page, href="/penalties/my/")  # 我的记录
    record = page.get_by_test_id(f"record-{penalty.pk}")
    assert page.get_by_test_id(f"record-amount-{penalty.pk}").inner_text() == "¥100.00"
    outcome = page.get_by_test_id(f"appeal-outcome-{penalty.pk}").inner_text()
    assert "减轻处罚" in outcome and "减半处罚" in outcome
    newer = Notice.objects.get(penalty=penalty, is_current=True)
    assert newer.number in record.inner_text()
    assert first.number in record.inner_text()  # the replaced one stays listed
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.APPROVED
