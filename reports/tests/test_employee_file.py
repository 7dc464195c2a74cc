"""The employee conduct file (一人一档): what it holds, its totals per month and year, the
points balance, who may read it (404 for everyone else) and a query count that does not
grow with the record."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conduct.tests.test_violation_support import PNG, at, person, rule_of
from conftest import make_user
from penalties.models import Notice
from penalties.services.appeals import appeal_file
from penalties.services.approvals import penalty_approve
from penalties.services.notices import notice_acknowledge
from reports.selectors.employee_file import employee_file, points_balances
from reports.tests.helpers import build_world, log, login_for, primary
from rewards.services.awards import award_create
from rewards.services.decisions import award_approve
from rewards.tests.helpers import load_types
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
Y = Decimal


@pytest.fixture
def world(hr_user, gm_user):
    return build_world(hr=hr_user, approver=gm_user)


def _url(employee) -> str:
    return reverse("reports:employee_file", args=[employee.pk])


def test_the_file_holds_every_violation_penalty_and_award_in_time_order(world, hr_user):
    file = employee_file(user=hr_user, employee_id=world.e1.pk)
    kinds = [(e.kind, e.day) for e in file.entries]
    assert kinds == [
        ("violation", date(2025, 1, 10)),
        ("violation", date(2025, 2, 5)),
        ("award", date(2025, 2, 14)),
        ("violation", date(2025, 3, 3)),
    ]
    jan = file.entries[0]
    assert [(p.amount, p.status) for p in jan.penalties] == [(Y("50.00"), "approved")]
    assert [n.number for n in jan.penalties[0].notice_list] == [
        Notice.objects.get(penalty=jan.penalties[0]).number
    ]
    assert file.entries[1].penalties[0].status == "pending"


def test_totals_per_month_and_year(world, hr_user):
    file = employee_file(user=hr_user, employee_id=world.e1.pk)
    (year,) = file.years
    assert year.year == 2025
    months = {m.month: m.totals for m in year.months}
    assert months[date(2025, 1, 1)].violations == 1 and months[date(2025, 1, 1)].fines == Y("50")
    assert months[date(2025, 2, 1)].pending == Y("50.00")  # the second ¥50, not approved
    assert months[date(2025, 2, 1)].rewards == Y("20.00")
    assert months[date(2025, 3, 1)].fines == Y("200.00")
    assert (year.totals.violations, year.totals.fines, year.totals.rewards) == (
        3,
        Y("250.00"),
        Y("20.00"),
    )
    assert file.totals.net == Y("-230.00")


def test_voided_violations_stay_on_file_but_do_not_count(world, hr_user):
    file = employee_file(user=hr_user, employee_id=world.e2.pk)
    voided = [e for e in file.entries if e.violation and e.violation.is_voided]
    assert len(voided) == 1
    assert file.totals.violations == 1


def test_the_employee_sees_decided_penalties_and_approved_awards_only(world, hr_user):
    user = login_for(world.e2)
    file = employee_file(user=user, employee_id=world.e2.pk)
    assert file.own
    # the pending penalty of 15 Mar is not shown; the voided one of 10 Feb stays on record
    assert [p.status for e in file.entries for p in e.penalties] == ["voided"]
    assert [e.kind for e in file.entries if e.kind == "award"] == []  # pending award
    assert file.totals.pending == Y("0.00")


def test_points_balance_per_rulebook_with_a_budget(hr_user, gm_user):
    employee = person()
    rule = rule_of("bank-points", 3)
    today = timezone.localdate()
    first = log(employee, rule, timezone.now() - timedelta(minutes=10), hr_user)
    log(employee, rule, timezone.now() - timedelta(minutes=5), hr_user)
    penalty_approve(penalty=primary(first), approver=gm_user)
    (balance,) = points_balances(employee=employee, today=today)
    assert balance.rulebook.code == "bank-points"
    assert (balance.budget, balance.used, balance.balance) == (12, 2, 10)
    assert balance.start == date(today.year, 1, 1)
    # a rulebook without points, or a person without violations in it, shows nothing
    assert points_balances(employee=person(), today=today) == []


def test_notices_acknowledged_and_appeals_are_shown(world, hr_user, client):
    user = login_for(world.e1)
    notice = Notice.objects.get(penalty=primary(world.violations["e1_jan"]))
    notice_acknowledge(notice=notice, employee_user=user, ip="127.0.0.1")
    march = primary(world.violations["e1_mar"])
    appeal_file(
        penalty=march,
        employee_user=user,
        text="不服",
        files=[SimpleUploadedFile("a.png", PNG)],
        now=Notice.objects.get(penalty=march).issued_at,
    )
    client.force_login(hr_user)
    html = client.get(_url(world.e1)).content.decode()
    assert 'data-testid="notice-acknowledged"' in html
    assert 'data-testid="file-appeal"' in html


def test_joint_liability_appears_on_the_file_of_the_one_who_pays(hr_user, gm_user):
    department = DepartmentFactory()
    leader = person(department=department)
    worker = person(department=department, supervisor=leader)
    rule = rule_of("bank-points", 8)
    log(worker, rule, at(2025, 4, 2), hr_user)
    file = employee_file(user=hr_user, employee_id=leader.pk)
    assert [e.kind for e in file.entries] == ["joint"]
    assert file.entries[0].violation.employee == worker


# ---- who may read it ------------------------------------------------------------------------


@pytest.fixture
def readers(world, hr_user, gm_user, deputy_user, payroll_user, auditor_user):
    owner = login_for(world.e1)
    return {
        "hr": hr_user,
        "auditor": auditor_user,
        "head_a": make_user("department_head", department=world.a, heads=True),
        "head_a1": make_user("department_head", department=world.a1, heads=True),
        "head_b": make_user("department_head", department=world.b, heads=True),
        "gm": gm_user,
        "deputy": deputy_user,
        "payroll": payroll_user,
        "owner": owner,
        "colleague": make_user("employee", department=world.a1),
    }


# e1's file: HR and auditors, the heads of A (above) and A1; the owner. Nobody else.
FILE_STATUS = {
    "hr": 200,
    "auditor": 200,
    "head_a": 200,
    "head_a1": 200,
    "head_b": 404,
    "gm": 404,
    "deputy": 404,
    "payroll": 404,
    "owner": 200,
    "colleague": 404,
}


@pytest.mark.parametrize("role", FILE_STATUS)
def test_who_may_read_a_file(readers, world, client, role):
    client.force_login(readers[role])
    assert client.get(_url(world.e1)).status_code == FILE_STATUS[role]


@pytest.mark.parametrize("role", FILE_STATUS)
def test_a_missing_employee_is_a_404_for_everyone(readers, client, role):
    client.force_login(readers[role])
    assert client.get(reverse("reports:employee_file", args=[999_999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(world, client):
    response = client.get(_url(world.e1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_file_redirects_to_ones_own_file_or_home(readers, world, client):
    client.force_login(readers["owner"])
    assert client.get(reverse("reports:my_file"))["Location"] == _url(world.e1)
    client.force_login(readers["auditor"])  # no employee file behind the login
    assert client.get(reverse("reports:my_file"))["Location"] == reverse("home")


def test_the_file_page_is_printable(world, hr_user, client):
    client.force_login(hr_user)
    html = client.get(_url(world.e1)).content.decode()
    assert 'data-testid="print-file"' in html and "reports/print.js" in html
    assert "onclick" not in html  # the production CSP runs no inline script
    assert "reports/reports.css" in html
    css = (Path(__file__).resolve().parents[1] / "static/reports/reports.css").read_text()
    assert "@media print" in css


@pytest.mark.parametrize("extra", [0, 6])
@pytest.mark.parametrize("query", ["", "?all=1", "?per_page=10&page=2"])
def test_the_file_costs_the_same_queries_whatever_the_record(
    world, hr_user, gm_user, client, django_assert_num_queries, extra, query
):
    rule = rule_of("hospital-service", 14)
    for day in range(1, extra + 1):
        v = log(world.e1, rule, at(2025, 5, day), hr_user)
        penalty_approve(penalty=primary(v), approver=gm_user)
    client.force_login(hr_user)
    # session, user, permissions (2), roles and navigation badges, the employee; where
    # each entry sits (violations, joint penalties, awards); three monthly totals; the
    # entries shown: their violations, penalties, notices and awards; the rulebooks with
    # points and the points used
    with django_assert_num_queries(FILE_QUERIES):
        response = client.get(_url(world.e1) + query)
    assert response.status_code == 200
    assert response.context["file"].entries  # a page with something of every kind


FILE_QUERIES = 18


# ---- the history a page at a time -----------------------------------------------------------


@pytest.fixture
def long_record(world, hr_user, gm_user):
    """e1 with 14 more violations from November 2024 to May 2025 (some approved) and an
    award in December 2024: 19 entries over two years. Newest first: May 4, April 2,
    March 2, February 2 (a violation and the award), January 2, December 4 (with the
    award), November 3."""
    rule = rule_of("hospital-service", 14)
    days = [date(2024, 11, d) for d in (3, 9, 20)] + [date(2024, 12, d) for d in (1, 2, 30)]
    days += [date(2025, 1, 11), date(2025, 3, 3), date(2025, 4, 8), date(2025, 4, 9)]
    days += [date(2025, 5, d) for d in (1, 2, 3, 4)]
    for n, day in enumerate(days):
        v = log(world.e1, rule, at(day.year, day.month, day.day, 9), hr_user)
        if n % 3 == 0:
            penalty_approve(penalty=primary(v), approver=gm_user)
    thanks = load_types("water-utility")["water-utility/survey-thanks"]
    award = award_create(
        logged_by=hr_user,
        reward_type=thanks,
        awarded_on=date(2024, 12, 24),
        reason="用户致谢",
        employee=world.e1,
    )
    award_approve(award=award, approver=gm_user)
    return world.e1


def _shown(file) -> list[tuple]:
    return [(e.kind, (e.violation or e.award).pk, e.day) for e in file.entries]


def test_the_pages_hold_every_entry_once_newest_first_under_the_right_year_and_month(
    long_record, hr_user
):
    whole = employee_file(user=hr_user, employee_id=long_record.pk)
    assert len(whole.entries) == 19
    seen = []
    pages = employee_file(user=hr_user, employee_id=long_record.pk, page=1, per_page=5)
    assert pages.page.paginator.num_pages == 4
    for number in range(1, 5):
        file = employee_file(user=hr_user, employee_id=long_record.pk, page=number, per_page=5)
        assert file.page.number == number
        for year in file.years:
            for month in year.months:
                assert month.entries, "a page shows only the months it has entries of"
                for entry in month.entries:
                    assert entry.day.year == year.year
                    assert entry.day.replace(day=1) == month.month
                # the heading's figures are the whole month's, not the page's
                assert month.totals == next(
                    m.totals for y in whole.years for m in y.months if m.month == month.month
                )
        # the totals per year and in all cover the whole record on every page
        assert [(y.year, y.totals) for y in file.year_totals] == [
            (y.year, y.totals) for y in whole.years
        ]
        assert file.totals == whole.totals
        seen += _shown(file)
    assert seen == _shown(whole)[::-1]  # every entry once, newest first
    assert [y.year for y in pages.years] == [2025]
    last = employee_file(user=hr_user, employee_id=long_record.pk, page=4, per_page=5)
    assert [y.year for y in last.years] == [2024]
    assert [m.month for m in last.years[0].months] == [date(2024, 12, 1), date(2024, 11, 1)]
    assert [len(m.entries) for m in last.years[0].months] == [1, 3]
    assert last.years[0].months[0].partial and not last.years[0].months[1].partial


def test_a_month_cut_by_a_page_says_so(long_record, hr_user):
    # newest first: May's 4, April's 2, March's 2 (3 Mar twice), February's 2 (the award
    # and a violation), so a page of 9 ends inside February
    file = employee_file(user=hr_user, employee_id=long_record.pk, page=1, per_page=9)
    months = {m.month: m for y in file.years for m in y.months}
    assert not months[date(2025, 5, 1)].partial
    assert months[date(2025, 2, 1)].partial
    second = employee_file(user=hr_user, employee_id=long_record.pk, page=2, per_page=9)
    assert second.years[0].months[0].month == date(2025, 2, 1)
    assert second.years[0].months[0].partial


def test_the_file_page_shows_a_page_and_the_whole_file_is_one_click_away(
    long_record, hr_user, client
):
    client.force_login(hr_user)
    response = client.get(_url(long_record) + "?per_page=10")
    html = response.content.decode()
    assert html.count('data-testid="file-entry"') == 10
    assert html.count('data-testid="file-penalty"') >= 1
    assert 'href="?all=1#print"' in html  # printing asks for the whole file
    assert html.count('<tr data-year="') == 2  # the summary has both years on every page
    page2 = client.get(_url(long_record) + "?per_page=10&page=2").content.decode()
    assert page2.count('data-testid="file-entry"') == 9
    assert 'data-testid="file-year" data-year="2024"' in page2
    response = client.get(_url(long_record) + "?all=1")
    assert response.context["page"] is None
    whole = response.content.decode()
    assert whole.count('data-testid="file-entry"') == 19
    assert "data-print" in whole and 'data-testid="file-paged"' in whole


def test_the_employee_sees_their_own_record_a_page_at_a_time(long_record, world, client):
    client.force_login(login_for(world.e1))
    response = client.get(_url(world.e1) + "?per_page=10&page=2")
    assert response.status_code == 200
    file = response.context["file"]
    assert file.own and file.totals.pending == Y("0.00")
    statuses = {p.status for e in file.entries for p in e.penalties}
    assert "pending" not in statuses
