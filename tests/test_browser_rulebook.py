"""The catalogue in the browser: an HR officer opens 规章制度, the hospital rulebook, and
reads rule 22's 10× penalty; then finds it again by searching 红包 and opens the poster."""

import pytest

from conduct.tests.test_rulebook_support import seed_rulebooks
from conftest import login
from tests.nav import follow_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hospital_rule_22_reads_ten_times_the_amount_received(page, hr_user, screenshot_dir):
    seed_rulebooks()
    login(page, hr_user.username)
    follow_nav(page, "规章制度")
    catalogue = page.get_by_test_id("rulebook-catalogue")
    assert catalogue.get_by_test_id("rulebook-hospital-service").is_visible()
    page.get_by_test_id("open-hospital-service").click()
    assert page.get_by_test_id("rulebook-title").inner_text() == "全员优质服务规范与处罚细则"
    rule = page.get_by_test_id("rule-22")
    rule.scroll_into_view_if_needed()
    summary = rule.get_by_test_id("rule-summary").inner_text()
    assert "所收金额的10倍罚款" in summary
    assert "通报批评/解职待聘/解聘" in summary
    page.screenshot(path=f"{screenshot_dir}/rulebook-hospital-service.png", full_page=True)

    follow_nav(page, "规章制度")
    page.get_by_test_id("catalogue-search").fill("红包")
    page.get_by_test_id("catalogue-search").press("Enter")
    result = page.get_by_test_id("result-hospital-service-22")
    assert "所收金额的10倍罚款" in result.inner_text()

    result.get_by_role("link", name="全员优质服务规范与处罚细则").click()
    page.get_by_test_id("print-link").click()
    assert page.get_by_test_id("poster-rule-22").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_test_id("print-button").is_visible()
    page.screenshot(path=f"{screenshot_dir}/rulebook-poster-print.png", full_page=True)
