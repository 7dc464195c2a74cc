"""The violation list never has to read the whole violations table: for every sort and
filter an index can serve it.

At test scale PostgreSQL rightly prefers a sequential scan of a small table, so the plan
is asked for with ``enable_seqscan = off``: a sequential scan that still appears then is
one no index can replace. (At a million rows the benchmark checks the plans PostgreSQL
really picks: ``python -m benchmarks`` prints them.)"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from conduct.models import Rulebook
from conduct.selectors.violations import SORTS, violation_list
from scale.loaddata import generate
from staff.models import Department
from staff.pagination import LargeTablePaginator

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def hr():
    generate(employees=300, violations=3000, seed=5, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE conduct_violation")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return get_user_model().objects.get(username="load-hr")


def test_every_sort_and_filter_of_the_list_has_an_index(hr):
    rulebook = Rulebook.objects.get(code="hospital-service")
    division = Department.objects.get(code="LOAD-2")
    variants = {f"sort {name}": {"sort": name} for name in SORTS}
    variants.update(
        {
            "rulebook": {"rulebook": rulebook},
            "rule": {"rulebook": rulebook, "rule_number": "12"},
            "status": {"status": "voided"},
            "source": {"source": "complaint"},
            "dates": {"date_from": TODAY - timedelta(days=30), "date_to": TODAY},
            "department": {"department": division},
        }
    )
    scans = {}
    for label, filters in variants.items():
        queryset = violation_list(user=hr, **filters)
        paginator = LargeTablePaginator(queryset, 25)
        # The first page, a deep one (ids picked first), the middle and the last (read from
        # the other end), as the list's paginator reads them; and plain OFFSET.
        last = paginator.num_pages
        pages = {1, min(81, last), min((last + 1) // 2 + 1, last), last}
        queries = [paginator.page(n).object_list for n in sorted(pages)]
        queries += [queryset[:25], queryset[2000:2025]]
        for query in queries:
            plan = _plan(query)
            if "Seq Scan on conduct_violation" in plan:
                scans[label] = plan
    assert not scans, "\n\n".join(f"{k}:\n{v}" for k, v in scans.items())
