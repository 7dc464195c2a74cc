"""The main navigation: the menus each role sees, badges on the menus, the current page's
menu highlighted, rendered without inline script."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from staff.navigation import NAV_ITEMS, nav_for, nav_menu

pytestmark = pytest.mark.django_db


def shape(user, path="/"):
    """The menu as plain data: a link's address, or (group, [its items' addresses])."""
    return [
        (entry["key"], [item["url"] for item in entry["children"]])
        if "children" in entry
        else entry["url"]
        for entry in nav_menu(user, path)
    ]


REPORTS_AND_JOBS = ("reports", ["/reports/", "/reports/my-file/", "/jobs/"])
ADMIN = ("admin", ["/staff/employees/", "/staff/departments/"])
DECIDERS_CONDUCT = (
    "conduct",
    ["/conduct/violations/", "/penalties/", "/penalties/inbox/", "/penalties/appeals/",
     "/penalties/my/"],
)  # fmt: skip
DECIDERS_REWARDS = ("rewards", ["/rewards/", "/rewards/inbox/", "/rewards/service-star/"])

EXPECTED = {
    "hr_user": [
        "/",
        "/conduct/rulebooks/",
        ("conduct", ["/conduct/violations/", "/conduct/violations/new/", "/penalties/",
                     "/penalties/appeals/", "/penalties/notices/", "/penalties/my/"]),
        ("rewards", ["/rewards/", "/rewards/service-star/"]),
        ("attendance", ["/attendance/", "/attendance/leave/", "/attendance/imports/",
                        "/attendance/setup/", "/payroll/"]),
        REPORTS_AND_JOBS,
        ADMIN,
    ],
    "head_user": [
        "/",
        "/conduct/rulebooks/",
        DECIDERS_CONDUCT,
        DECIDERS_REWARDS,
        ("attendance", ["/attendance/", "/attendance/leave/"]),
        REPORTS_AND_JOBS,
        ADMIN,
    ],
    "gm_user": [
        "/",
        "/conduct/rulebooks/",
        DECIDERS_CONDUCT,
        DECIDERS_REWARDS,
        ("attendance", ["/attendance/", "/attendance/leave/", "/attendance/setup/", "/payroll/"]),
        REPORTS_AND_JOBS,
        ADMIN,
    ],
    "deputy_user": [
        "/",
        "/conduct/rulebooks/",
        DECIDERS_CONDUCT,
        DECIDERS_REWARDS,
        ("attendance", ["/attendance/", "/attendance/leave/", "/attendance/setup/"]),
        REPORTS_AND_JOBS,
        ADMIN,
    ],
    # One reward item: a plain link, not a menu of one.
    "payroll_user": [
        "/",
        "/conduct/rulebooks/",
        ("conduct", ["/penalties/", "/penalties/my/"]),
        "/rewards/",
        ("attendance", ["/attendance/", "/attendance/leave/", "/payroll/"]),
        ("reports", ["/reports/my-file/", "/jobs/"]),
        ADMIN,
    ],
    "auditor_user": [
        "/",
        "/conduct/rulebooks/",
        ("conduct", ["/conduct/violations/", "/penalties/", "/penalties/appeals/",
                     "/penalties/my/"]),
        ("rewards", ["/rewards/", "/rewards/service-star/"]),
        ("attendance", ["/attendance/", "/attendance/leave/", "/attendance/setup/", "/payroll/"]),
        REPORTS_AND_JOBS,
        ADMIN,
    ],
    # Their own things as plain links; no management menu at all.
    "employee_user": [
        "/",
        "/conduct/rulebooks/",
        "/penalties/my/",
        "/rewards/mine/",
        ("attendance", ["/attendance/", "/attendance/leave/"]),
        ("reports", ["/reports/my-file/", "/jobs/"]),
    ],
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_menus_and_items(request, role):
    user = request.getfixturevalue(role)
    assert shape(user) == EXPECTED[role]
    # Grouping hides nothing: the menus hold exactly the items the role may use.
    flat = [
        url
        for entry in EXPECTED[role]
        for url in (entry[1] if isinstance(entry, tuple) else [entry])
    ]
    assert flat == [item["url"] for item in nav_for(user)]


def test_no_group_is_empty_and_none_holds_a_single_item(
    hr_user, head_user, gm_user, deputy_user, payroll_user, auditor_user, employee_user
):
    for user in (hr_user, head_user, gm_user, deputy_user, payroll_user, auditor_user):
        for entry in nav_menu(user, "/"):
            assert "children" not in entry or len(entry["children"]) >= 2


def test_every_signed_in_user_has_background_jobs(employee_user, hr_user):
    for user in (employee_user, hr_user):
        assert "/jobs/" in {item["url"] for item in nav_for(user)}
    assert len({item.url_name for item in NAV_ITEMS}) == len(NAV_ITEMS)


def test_a_menu_shows_the_sum_of_its_items_badges(head_user):
    with (
        mock.patch("penalties.selectors.approvals.approval_inbox_count", return_value=2),
        mock.patch("penalties.selectors.approvals.appeal_queue_count", return_value=3),
        mock.patch("rewards.selectors.award_inbox_count", return_value=0),
    ):
        menu = {entry.get("key"): entry for entry in nav_menu(head_user, "/")}
    conduct = menu["conduct"]
    assert conduct["badge"] == 5
    assert {item["url"]: item["badge"] for item in conduct["children"]}["/penalties/inbox/"] == 2
    assert menu["rewards"]["badge"] is None  # nothing waits: no "0" badge


@pytest.mark.parametrize(
    ("path", "group", "item"),
    [
        ("/penalties/inbox/", "conduct", "/penalties/inbox/"),
        ("/penalties/42/", "conduct", "/penalties/"),  # a penalty's page: under 处罚
        ("/staff/employees/7/edit/", "admin", "/staff/employees/"),
        ("/jobs/3/", "reports", "/jobs/"),
        ("/", None, "/"),
        ("/accounts/password_change/", None, None),  # home is not every page's item
    ],
)
def test_the_current_pages_item_and_menu_are_highlighted(head_user, path, group, item):
    menu = nav_menu(head_user, path)
    active_groups = [e["key"] for e in menu if "children" in e and e["active"]]
    items = [i for e in menu for i in e.get("children", [e])]
    assert active_groups == ([group] if group else [])
    assert [i["url"] for i in items if i["active"]] == ([item] if item else [])


def test_the_page_renders_menus_bootstrap_opens_without_inline_script(client, hr_user):
    client.force_login(hr_user)
    html = client.get(reverse("penalties:penalty_list")).content.decode()
    toggle = re.search(r'<button[^>]*data-testid="nav-group-conduct"[^>]*>', html).group(0)
    assert 'data-bs-toggle="dropdown"' in toggle and 'aria-expanded="false"' in toggle
    assert " active" in toggle  # 违纪与处罚 holds the current page
    assert 'class="dropdown-item active" href="/penalties/" aria-current="page"' in html
    assert 'data-testid="nav-group-admin"' in html
    assert "bootstrap.bundle.min.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # only files, no inline code


def test_an_employee_gets_plain_links_and_no_management_menu(client, employee_user):
    client.force_login(employee_user)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-group-admin"' not in html
    assert 'data-testid="nav-group-conduct"' not in html
    assert 'class="nav-link" href="/penalties/my/"' in html
    assert 'href="/jobs/"' in html
