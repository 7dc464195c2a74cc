"""The logging form's live preview gives every seed example its digest amount, by the same
engine and counts as ``penalty_quote`` (penalties/tests/test_quote_command.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conduct.models import Rule, Violation
from conduct.services.violations import violation_log
from conduct.tests.test_violation_support import at, load_rulebook, person
from penalties.selectors.penalties import penalty_preview
from penalties.tests.test_quote_command import SEED_EXAMPLES, Example, check_preview

pytestmark = pytest.mark.django_db

URL = "conduct:violation_preview"


@pytest.fixture
def employee(db):
    chief = person(employee_no="Q0001", name="科长")
    return person(employee_no="Q0002", name="钱多多", supervisor=chief)


def form_data(example: Example, employee, rule: Rule, when) -> dict:
    data = {
        "employee": employee.pk,
        "rulebook": rule.version.rulebook_id,
        "rule": rule.pk,
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "source": "inspection",
    }
    if example.severity:
        data["level"] = example.severity
    if example.chosen:
        data["chosen_amount"] = example.chosen
    if example.involved:
        data["involved_amount"] = example.involved
    if example.quantity != 1:
        data["quantity"] = example.quantity
    return data


def text_of(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</', html, re.S)
    assert match, f"{testid} not in the preview"
    return match.group(1).strip()


@pytest.mark.parametrize("example", SEED_EXAMPLES, ids=[e.name for e in SEED_EXAMPLES])
def test_seed_example_through_the_form_preview(client, hr_user, employee, example):
    load_rulebook(example.rulebook)
    rule = Rule.objects.get(version__rulebook__code=example.rulebook, number=example.rule)
    when = at(2025, 6, 16, 15)
    # The form has no "N-th" override: earlier violations in the window make it the N-th.
    for day in range(1, (example.occurrence or 1)):
        violation_log(
            employee=employee,
            rule=rule,
            occurred_at=at(2025, 6, day, 9),
            logged_by=hr_user,
            chosen_amount=_decimal(example.chosen),
            involved_amount=_decimal(example.involved),
            quantity=example.quantity,
            second_party_employee=employee.supervisor,
        )
    client.force_login(hr_user)
    response = client.post(reverse(URL), form_data(example, employee, rule, when))
    assert response.status_code == 200
    html = response.content.decode()
    assert "preview-errors" not in html, html
    assert text_of(html, "preview-amount") == f"¥{Decimal(example.amount):,.2f}"
    if example.occurrence:
        assert text_of(html, "preview-occurrence") == str(example.occurrence)
    for party, amount in example.second:
        row = re.search(rf'data-testid="preview-party-{party}".*?</tr>', html, re.S).group(0)
        assert f"¥{Decimal(amount):,.2f}" in row
    # The same dict the command prints, from the same selector.
    check_preview(
        penalty_preview(
            employee=employee,
            rule=rule,
            occurred_on=when.date(),
            occurred_at=when,
            level=example.severity,
            chosen_amount=_decimal(example.chosen),
            involved_amount=_decimal(example.involved),
            quantity=example.quantity,
        ),
        example,
    )


def _decimal(value):
    return None if value is None else Decimal(value)


def test_preview_changes_with_the_rule_and_saves_nothing(client, hr_user, employee):
    load_rulebook("hospital-service")
    fixed = Rule.objects.get(version__rulebook__code="hospital-service", number="1")
    quarrel = Rule.objects.get(version__rulebook__code="hospital-service", number="14")
    client.force_login(hr_user)
    when = at(2025, 6, 16)
    example = Example("hospital-service", "1", "50.00")
    first = client.post(reverse(URL), form_data(example, employee, fixed, when)).content.decode()
    second = client.post(reverse(URL), form_data(example, employee, quarrel, when)).content
    assert text_of(first, "preview-amount") == "¥50.00"
    assert text_of(second.decode(), "preview-amount") == "¥200.00"
    assert Violation.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"chosen_amount": "600"}, "¥500"),
        ({"occurred_at": "2999-01-01T10:00"}, "未来"),
        ({"employee": ""}, "员工"),
    ],
    ids=["amount-above-range", "future", "no-employee"],
)
def test_preview_explains_bad_input_in_chinese(client, hr_user, employee, change, message):
    load_rulebook("hospital-service")
    rule = Rule.objects.get(version__rulebook__code="hospital-service", number="8")
    client.force_login(hr_user)
    data = form_data(Example("hospital-service", "8", "0"), employee, rule, at(2025, 6, 16))
    data.update(change)
    html = client.post(reverse(URL), data).content.decode()
    assert "preview-errors" in html
    assert message in html


def test_preview_is_for_officers_only(client, employee_user):
    client.force_login(employee_user)
    assert client.post(reverse(URL), {}).status_code == 403


def test_today_counts_violations_of_the_day(client, hr_user, employee):
    """Counting is by the day it happened: an earlier violation today counts."""
    from django.utils import timezone

    load_rulebook("customer-service")
    rule = Rule.objects.get(version__rulebook__code="customer-service", number="10.8")
    now = timezone.localtime()
    violation_log(
        employee=employee, rule=rule, occurred_at=now - timedelta(minutes=5), logged_by=hr_user
    )
    client.force_login(hr_user)
    data = form_data(Example("customer-service", "10.8", "20.00"), employee, rule, now)
    html = client.post(reverse(URL), data).content.decode()
    assert text_of(html, "preview-occurrence") == "2"
