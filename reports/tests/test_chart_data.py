"""The figures behind the charts against the hand-counted world of ``helpers.World``,
each chart's links against the list they open (same rows), and the scoping of the
figures to what the user may see."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from conftest import make_user
from reports import figures
from reports.selectors import charts as data
from reports.selectors.periods import Window
from reports.tests.helpers import FEB, JAN, MAR, build_world

pytestmark = pytest.mark.django_db
Q1 = Window((JAN, FEB, MAR))
TEN, EIGHT, LOOK = "全员上岗“十做到”", "劳动纪律“八不准”", "外观形象“八不准”"


@pytest.fixture
def world(hr_user, gm_user):
    return build_world(hr=hr_user, approver=gm_user)


def test_violations_by_category_per_month_are_counted_by_hand(world, hr_user):
    result = data.violations_by_category_month(user=hr_user, window=Q1)
    assert {s.name: s.counts for s in result.series} == {
        TEN: (1, 2, 0),  # e1 10 Jan; e1 5 Feb, e3 6 Feb (e2's of 10 Feb is voided)
        EIGHT: (1, 0, 1),  # e4 20 Jan (not 20 Dec 2024); e1 3 Mar
        LOOK: (0, 0, 1),  # e2 15 Mar
    }
    assert [s.name for s in result.series] == [TEN, EIGHT, LOOK]  # biggest first
    assert result.month_totals() == [2, 2, 2]


def test_categories_beyond_the_top_are_put_together(world, hr_user):
    result = data.violations_by_category_month(user=hr_user, window=Q1, top=1)
    assert [(s.name, s.counts) for s in result.series] == [(TEN, (1, 2, 0)), (None, (1, 0, 2))]


def test_violations_by_department_roll_up_the_subtree_in_tree_order(world, hr_user):
    rows = data.violations_by_department(user=hr_user, window=Q1)
    by_code = {r.name: (r.depth, r.direct, r.total) for r in rows}
    assert by_code == {"甲部": (0, 1, 5), "甲一科": (1, 4, 4), "乙部": (0, 1, 1)}
    assert [r.name for r in rows] == ["甲部", "甲一科", "乙部"]


def test_top_rules_and_repeat_offenders(world, hr_user):
    rules = data.top_rules(user=hr_user, window=Q1)
    assert [(r.rule_number, r.count) for r in rules] == [("1", 3), ("14", 2), ("29", 1)]
    assert rules[0].title == "挂牌上岗、首问负责"
    offenders = data.repeat_offenders(user=hr_user, window=Q1)
    assert [(o.employee_no, o.count, o.department) for o in offenders] == [("R001", 3, "甲一科")]
    assert data.repeat_offenders(user=hr_user, window=Q1, minimum=1)[1:] == sorted(
        data.repeat_offenders(user=hr_user, window=Q1, minimum=1)[1:],
        key=lambda o: o.employee_no,
    )


def test_fines_against_rewards_per_month(world, hr_user):
    money = data.money_by_month(user=hr_user, window=Q1)
    # approved: e1's ¥50 (10 Jan) and ¥200 (3 Mar); e1 ¥20 (Feb); e3 ¥20 + ¥200 (Mar)
    assert money.fines == (Decimal("50.00"), Decimal("0.00"), Decimal("200.00"))
    assert money.rewards == (Decimal("0.00"), Decimal("20.00"), Decimal("220.00"))


def test_a_department_head_sees_only_their_subtree(world, hr_user):
    head = make_user("department_head", department=world.a1, heads=True)
    totals = data.violations_by_category_month(user=head, window=Q1).month_totals()
    # the head is in A1: e1's three and e2's one
    assert totals == [1, 1, 2]
    assert [(r.name, r.total) for r in data.violations_by_department(user=head, window=Q1)] == [
        ("甲一科", 4)
    ]
    money = data.money_by_month(user=head, window=Q1)
    assert money.rewards == (Decimal("0.00"), Decimal("20.00"), Decimal("0.00"))


def _links(svg: str) -> list[tuple[str, str]]:
    """(href, data-value) of every linked bar or point in a chart."""
    return [
        (unescape(href), value)
        for href, value in re.findall(r'<a href="([^"]+)"[^>]*data-value="([^"]+)"', svg)
    ]


def _list_count(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.mark.parametrize(
    "chart",
    ["category", "department", "rules", "offenders"],
)
def test_every_bar_opens_the_violation_list_with_as_many_rows(world, hr_user, client, chart):
    """Follow each bar's link: the violation list, filtered by its own GET parameters,
    shows exactly the bar's count."""
    client.force_login(hr_user)
    svg = {
        "category": lambda: figures.category_month_chart(
            data.violations_by_category_month(user=hr_user, window=Q1)
        ),
        "department": lambda: figures.department_chart(
            data.violations_by_department(user=hr_user, window=Q1), Q1
        ),
        "rules": lambda: figures.top_rules_chart(data.top_rules(user=hr_user, window=Q1), Q1),
        "offenders": lambda: figures.offenders_chart(
            data.repeat_offenders(user=hr_user, window=Q1), Q1
        ),
    }[chart]()
    links = _links(str(svg))
    assert links
    for href, value in links:
        assert href.startswith(reverse("conduct:violation_list") + "?")
        assert _list_count(client, href) == int(value), href


def test_the_money_chart_links_rewards_to_the_month_of_approved_awards(world, hr_user, client):
    client.force_login(hr_user)
    svg = str(figures.money_chart(data.money_by_month(user=hr_user, window=Q1)))
    reward_links = [h for h, _v in _links(svg) if h.startswith(reverse("rewards:award_list"))]
    assert len(reward_links) == 3
    march = next(h for h in reward_links if "month=2025-03" in h)
    awards = client.get(march).context["page"]
    assert sum(a.amount + a.department_amount for a in awards) == Decimal("220.00")
    violation_links = [h for h, _v in _links(svg) if "date_from=2025-03-01" in h]
    assert _list_count(client, violation_links[0]) == 2
