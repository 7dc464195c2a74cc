"""The violation list at scale (issue 11): pages past the middle are read from the other
end, deep pages pick their ids first, an unfiltered count above the threshold is the
planner's estimate. Every page must hold exactly the rows plain ``OFFSET`` paging gives."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from conduct.models import Rulebook
from conduct.selectors.violations import SORTS, violation_list
from scale.loaddata import generate
from staff import pagination
from staff.models import Department
from staff.pagination import LargeTablePaginator

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)
PER_PAGE = 25


@pytest.fixture
def hr():
    generate(employees=80, violations=700, seed=3, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE conduct_violation")
    return get_user_model().objects.get(username="load-hr")


def _ids(rows) -> list[int]:
    return [row.pk for row in rows]


def _pages_to_check(num_pages: int) -> list[int]:
    middle = (num_pages + 1) // 2
    wanted = {1, 2, middle - 1, middle, middle + 1, num_pages - 1, num_pages}
    return sorted(n for n in wanted if 1 <= n <= num_pages)


def test_every_page_holds_the_rows_of_plain_offset_paging(hr, monkeypatch):
    """Forward, deferred (ids first) and reversed reads give the OFFSET page's ids, for
    every sort and several filters; all pages together list each row once."""
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 0)  # the ids-first read on every page
    rulebook = Rulebook.objects.get(code="hospital-service")
    division = Department.objects.get(code="LOAD-2")
    cases = {f"sort {name}": {"sort": name} for name in SORTS}
    cases.update(
        {
            "rulebook by rule": {"rulebook": rulebook, "sort": "rule"},
            "department by employee": {"department": division, "sort": "-employee"},
            "active, a quarter, oldest first": {
                "status": "active",
                "date_from": TODAY - timedelta(days=90),
                "date_to": TODAY,
                "sort": "occurred",
            },
            "complaints by occurrence": {"source": "complaint", "sort": "-occurrence"},
        }
    )
    checked = 0
    for label, filters in cases.items():
        queryset = violation_list(user=hr, **filters)
        everything = _ids(queryset)
        assert len(everything) == len(set(everything)), label
        paginator = LargeTablePaginator(queryset, PER_PAGE)
        assert paginator.count == len(everything), label
        assert not paginator.estimated
        for number in _pages_to_check(paginator.num_pages):
            bottom = (number - 1) * PER_PAGE
            expected = _ids(queryset[bottom : bottom + PER_PAGE])
            assert _ids(paginator.page(number)) == expected, (label, number)
            assert expected == everything[bottom : bottom + PER_PAGE], (label, number)
            checked += 1
        pages = [_ids(paginator.page(n)) for n in paginator.page_range]
        assert [pk for page in pages for pk in page] == everything, label
    assert checked > 60


def test_reversed_read_with_an_uneven_last_page_and_orphans(hr):
    queryset = violation_list(user=hr, sort="employee")
    everything = _ids(queryset)
    for per_page, orphans in ((7, 0), (10, 3), (100, 0)):
        paginator = LargeTablePaginator(queryset, per_page, orphans=orphans)
        last = paginator.page(paginator.num_pages)
        bottom = (paginator.num_pages - 1) * per_page
        assert _ids(last) == everything[bottom:]
        assert last.end_index() == len(everything)


def test_unfiltered_count_above_the_threshold_is_an_estimate(hr, monkeypatch):
    """The estimate serves the first half; a page past it counts exactly and reads from
    the end: the same rows as OFFSET paging."""
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 10)
    queryset = violation_list(user=hr)
    everything = _ids(queryset)
    paginator = LargeTablePaginator(queryset, PER_PAGE)
    assert paginator.estimated
    assert paginator.count > 10
    assert _ids(paginator.page(2)) == everything[PER_PAGE : 2 * PER_PAGE]
    assert paginator.estimated

    deep = LargeTablePaginator(queryset, PER_PAGE)
    last_number = math.ceil(len(everything) / PER_PAGE)
    page = deep.get_page(last_number)
    assert not deep.estimated
    assert deep.count == len(everything)
    assert page.number == last_number
    assert _ids(page) == everything[(last_number - 1) * PER_PAGE :]

    beyond = LargeTablePaginator(queryset, PER_PAGE)  # past any estimate: the true last page
    assert beyond.get_page(10_000).number == last_number
    assert not beyond.estimated

    filtered = LargeTablePaginator(violation_list(user=hr, source="complaint"), PER_PAGE)
    assert not filtered.estimated
    assert filtered.count == violation_list(user=hr, source="complaint").count()


def test_no_estimate_below_the_threshold(hr):
    paginator = LargeTablePaginator(violation_list(user=hr), PER_PAGE)
    assert paginator.count == violation_list(user=hr).count()
    assert not paginator.estimated


# --- the page: queries and what it says ------------------------------------------------


def _get(client, **params):
    return client.get(reverse("conduct:violation_list"), params)


LIST_QUERIES = 11  # session, user, 2 permissions, categories, departments, rulebooks,
# count, page, and the base layout's two (groups, appeals waiting)


@pytest.mark.parametrize("per_page", [10, 50])
def test_last_page_costs_one_more_query_only_when_counting_exactly(
    client, hr, per_page, django_assert_num_queries, monkeypatch
):
    client.force_login(hr)
    _get(client)  # warm the session
    total = violation_list(user=hr).count()
    last = math.ceil(total / per_page)
    with django_assert_num_queries(LIST_QUERIES):
        response = _get(client, per_page=per_page, page=last)
    page = response.context["page"]
    assert page.number == last
    assert page.end_index() == total
    assert 'data-testid="count-estimated"' not in response.content.decode()

    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 10)
    with django_assert_num_queries(LIST_QUERIES + 1):  # the estimate, then the exact count
        response = _get(client, per_page=per_page, page=last)
    assert response.context["page"].number == last
    assert response.context["page"].end_index() == total


@pytest.mark.parametrize("per_page", [10, 50])
def test_estimated_count_page_says_it_is_an_estimate(
    client, hr, per_page, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 10)
    client.force_login(hr)
    _get(client)
    with django_assert_num_queries(LIST_QUERIES):
        response = _get(client, per_page=per_page, page=2)
    page = response.context["page"]
    assert page.paginator.estimated
    assert len(page) == per_page
    html = response.content.decode()
    assert 'data-testid="count-estimated"' in html
    shown = html.split('data-testid="count-estimated"', 1)[1].split("</span>", 1)[0]
    assert page.paginator.shown_count in shown
    assert html.count('href="/conduct/violations/') >= per_page


def test_department_filter_reads_the_departments_once(client, hr, django_assert_num_queries):
    """The chosen department, its subtree and the options come from one read."""
    division = Department.objects.get(code="LOAD-2")
    rulebook = Rulebook.objects.get(code="hospital-service")
    client.force_login(hr)
    _get(client)
    with django_assert_num_queries(LIST_QUERIES):  # as unfiltered: no second read
        response = _get(client, department=division.pk, rulebook=rulebook.pk)
    page = response.context["page"]
    expected = violation_list(user=hr, department=division, rulebook=rulebook)
    assert page.paginator.count == expected.count() > 0
    assert _ids(page) == _ids(expected[:25])


@pytest.mark.parametrize("deferred_from", [0, 10_000])
def test_every_page_shows_the_amount_and_labels_of_its_rows(client, hr, deferred_from, monkeypatch):
    """The list reads only what it shows (the amount the employee pays comes out of the
    quote in SQL): forward, ids-first and reversed pages all carry it, and the labels."""
    from staff.templatetags.jc import yuan

    monkeypatch.setattr(pagination, "DEFERRED_FROM", deferred_from)
    client.force_login(hr)
    total = violation_list(user=hr).count()
    last = math.ceil(total / PER_PAGE)
    for number in (1, (last + 1) // 2, last):
        response = _get(client, page=number)
        page = response.context["page"]
        assert len(page) > 0
        html = response.content.decode()
        for row in page:
            full = violation_list(user=hr).get(pk=row.pk)
            assert row.person_amount == full.quote.get("person_amount")
            assert row.source_label == full.get_source_display()
            assert row.status_label == full.get_status_display()
            assert "quote" in row.get_deferred_fields()
        assert any(yuan(row.person_amount) in html for row in page if row.person_amount)
