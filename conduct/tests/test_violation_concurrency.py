"""Ten officers log the same rule for the same employee at the same moment, each in its
own PostgreSQL transaction: the row lock on the employee gives occurrences 1..10."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from conduct.models import Violation
from conduct.services.violations import violation_log
from conduct.tests.test_violation_support import (  # noqa: F401
    at,
    person,
    restored_roles,
    rule_of,
)
from penalties.models import Penalty

THREADS = 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restored_roles")
def test_ten_simultaneous_logs_get_occurrences_one_to_ten(hr_user):
    assert connection.vendor == "postgresql"
    rule = rule_of("hospitality", "4.2")  # ¥20 from the 4th time: 4 in a year → dismissal review
    employee = person()
    leader = person(department=employee.department)
    when = at(2025, 6, 1, 20, 0)  # the same instant for all ten
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    ids: list[int] = []

    def work():
        try:
            barrier.wait(timeout=10)
            violation = violation_log(
                employee=employee,
                rule=rule,
                occurred_at=when,
                logged_by=hr_user,
                second_party_employee=leader,
                chosen_amount=Decimal("20"),
            )
            ids.append(violation.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(ids) == THREADS
    violations = list(Violation.objects.filter(employee=employee).order_by("pk"))
    # In the order they got the lock (and so their ids), numbered 1..10.
    assert [v.occurrence for v in violations] == list(range(1, THREADS + 1))
    flagged = [bool(v.quote["triggered"]) for v in violations]
    assert flagged == [False, False, False] + [True] * 7
    assert Penalty.objects.filter(violation__employee=employee, party="leader").count() == THREADS
