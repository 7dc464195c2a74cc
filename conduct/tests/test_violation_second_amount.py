"""The second amount: a step's second ``range`` charge (service-management rule 4: the
compensation of a loss besides the fine) entered by the officer, end to end — service,
batch, re-count, form, live preview, detail page and ``penalty_quote``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from conduct.models import Category, Rule, Rulebook, RulebookVersion, Violation
from conduct.selectors.violations import second_range_index
from conduct.services.violations import (
    ViolationInput,
    violation_log,
    violation_void,
    violations_log_many,
)
from conduct.tests.test_violation_batch import log_each, records
from conduct.tests.test_violation_support import at, person, rule_of
from penalties.models import Penalty, PenaltyStatus
from penalties.selectors.penalties import schedule_needs

pytestmark = pytest.mark.django_db
Y = Decimal
LABEL = "造成损失的赔偿相应损失"


def log(employee, rule, when, officer, **kwargs):
    return violation_log(
        employee=employee, rule=rule, occurred_at=when, logged_by=officer, **kwargs
    )


def money(violation) -> dict[str, Decimal]:
    """The employee's pending penalties of ``violation`` by money kind."""
    return {
        p.money_kind: p.amount
        for p in Penalty.objects.filter(violation=violation, party="employee").exclude(
            status=PenaltyStatus.VOIDED
        )
    }


@pytest.fixture
def capped_rule(db) -> Rule:
    """A rule whose compensation is capped at ¥500."""
    book = Rulebook.objects.create(code="capped", name="封顶赔偿")
    version = RulebookVersion.objects.create(
        rulebook=book, label="v1", effective_from=date(2020, 1, 1)
    )
    category = Category.objects.create(version=version, position=1, name="测试")
    return Rule.objects.create(
        version=version,
        category=category,
        number="1",
        position=1,
        title="封顶",
        text="罚款80元至150元,赔偿损失不超过500元。",
        schedule={
            "steps": [
                {
                    "charges": [
                        {"basis": "range", "min_amount": "80", "max_amount": "150"},
                        {
                            "basis": "range",
                            "min_amount": "0",
                            "max_amount": "500",
                            "money_kind": "compensation",
                            "label": "赔偿损失",
                        },
                    ]
                }
            ]
        },
    )


# --- what the schedule needs -------------------------------------------------------------


def test_schedule_needs_says_when_a_second_range_exists_and_gives_its_label():
    needs = schedule_needs(rule_of("service-management", 4).parsed_schedule)
    assert needs["second_amount"] is True
    assert needs["second_label"] == LABEL
    assert second_range_index(rule_of("service-management", 4).parsed_schedule.steps[0]) == 1

    plain = schedule_needs(rule_of("service-management", 3).parsed_schedule)
    assert plain["second_amount"] is False
    assert plain["second_label"] == ""


# --- the service -------------------------------------------------------------------------


def test_the_compensation_entered_is_a_line_besides_the_fine(hr_user):
    violation = log(
        person(),
        rule_of("service-management", 4),
        at(2025, 3, 1),
        hr_user,
        second_amount=Y("300.50"),
    )
    violation.refresh_from_db()
    assert violation.second_amount == Y("300.50")
    assert money(violation) == {"fine": Y("80.00"), "compensation": Y("300.50")}
    lines = {line["charge_index"]: line for line in violation.quote["lines"]}
    assert lines[1]["amount"] == "300.50"
    assert lines[1]["money_kind"] == "compensation"
    assert lines[0]["amount"] == "80.00"
    assert violation.quote["facts"]["extra_amounts"] == {"1": "300.50"}
    assert "¥300.50" in violation.explanation


def test_without_a_second_amount_the_compensation_is_zero(hr_user):
    violation = log(person(), rule_of("service-management", 4), at(2025, 3, 1), hr_user)
    assert violation.second_amount is None
    assert money(violation).get("compensation", Y("0.00")) == Y("0.00")
    assert money(violation)["fine"] == Y("80.00")
    assert "extra_amounts" not in violation.quote["facts"]


@pytest.mark.parametrize("amount", [Y("-1"), Y("300.505")])
def test_a_negative_or_sub_fen_second_amount_is_refused_at_its_field(hr_user, amount):
    with pytest.raises(ValidationError) as exc:
        log(
            person(),
            rule_of("service-management", 4),
            at(2025, 3, 1),
            hr_user,
            second_amount=amount,
        )
    assert "second_amount" in exc.value.error_dict
    assert Violation.objects.count() == 0


def test_a_second_amount_above_the_max_is_refused_at_its_field(hr_user, capped_rule):
    with pytest.raises(ValidationError) as exc:
        log(person(), capped_rule, at(2025, 3, 1), hr_user, second_amount=Y("600"))
    assert "¥500" in exc.value.message_dict["second_amount"][0]
    assert Violation.objects.count() == 0
    ok = log(person(), capped_rule, at(2025, 3, 1), hr_user, second_amount=Y("500"))
    assert money(ok)["compensation"] == Y("500.00")


def test_a_second_amount_for_a_rule_without_one_is_refused(hr_user):
    with pytest.raises(ValidationError) as exc:
        log(
            person(),
            rule_of("service-management", 3),
            at(2025, 3, 1),
            hr_user,
            second_amount=Y("10"),
        )
    assert "second_amount" in exc.value.error_dict


def test_re_counting_keeps_the_second_amount(hr_user):
    """Voiding an earlier violation re-judges the later one with its stored inputs."""
    employee = person()
    rule = rule_of("service-management", 4)
    first = log(employee, rule, at(2025, 3, 1), hr_user)
    later = log(employee, rule, at(2025, 3, 5), hr_user, second_amount=Y("120.30"))
    violation_void(violation=first, reason="录入错误", by=hr_user)
    later.refresh_from_db()
    assert money(later) == {"fine": Y("80.00"), "compensation": Y("120.30")}


def test_a_batch_with_second_amounts_is_violation_log_one_by_one(hr_user):
    employee, other = person(), person()
    rule = rule_of("service-management", 4)
    items = [
        ViolationInput(
            employee=employee, rule=rule, occurred_at=at(2025, 3, 9), second_amount=Y("300.50")
        ),
        ViolationInput(employee=other, rule=rule, occurred_at=at(2025, 3, 2), level="serious"),
        ViolationInput(
            employee=employee, rule=rule, occurred_at=at(2025, 3, 1), second_amount=Y("12.34")
        ),
    ]
    with transaction.atomic():
        before = transaction.savepoint()
        violations_log_many(items=items, logged_by=hr_user)
        batched = records([employee, other])
        seconds = sorted(
            Violation.objects.filter(employee__in=[employee, other]).values_list(
                "second_amount", flat=True
            ),
            key=str,
        )
        transaction.savepoint_rollback(before)
        log_each(items, by=hr_user)
        assert batched == records([employee, other])
        assert seconds == [Y("12.34"), Y("300.50"), None]
        transaction.set_rollback(True)


# --- the form, the live preview and the detail page -------------------------------------


def _form(employee, rule, **extra) -> dict:
    return {
        "employee": employee.pk,
        "rulebook": rule.version.rulebook_id,
        "rule": rule.pk,
        "occurred_at": at(2025, 3, 1).strftime("%Y-%m-%dT%H:%M"),
        "source": "inspection",
        **extra,
    }


def test_the_form_shows_the_second_amount_only_for_a_rule_that_has_one(client, hr_user):
    employee = person()
    client.force_login(hr_user)
    url = reverse("conduct:violation_rule_section")
    with_second = client.get(url, _form(employee, rule_of("service-management", 4)))
    html = with_second.content.decode()
    assert 'data-testid="second-amount-field"' in html
    assert LABEL in html
    assert 'name="second_amount"' in html
    without = client.get(url, _form(employee, rule_of("service-management", 3)))
    assert 'name="second_amount"' not in without.content.decode()


def test_the_preview_counts_the_compensation_and_refuses_bad_amounts(client, hr_user):
    employee = person()
    rule = rule_of("service-management", 4)
    client.force_login(hr_user)
    url = reverse("conduct:violation_preview")
    html = client.post(url, _form(employee, rule, second_amount="300.50")).content.decode()
    assert "preview-errors" not in html, html
    assert "¥380.50" in html
    assert "¥300.50" in html

    for bad in ("-1", "1.234"):
        html = client.post(url, _form(employee, rule, second_amount=bad)).content.decode()
        assert "preview-errors" in html, bad


def test_logging_through_the_form_stores_and_shows_the_second_amount(client, hr_user):
    employee = person()
    rule = rule_of("service-management", 4)
    client.force_login(hr_user)
    response = client.post(
        reverse("conduct:violation_create"), _form(employee, rule, second_amount="300.50")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    violation = Violation.objects.get()
    assert violation.second_amount == Y("300.50")
    assert money(violation)["compensation"] == Y("300.50")
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="violation-second-amount"' in detail
    assert "¥300.50" in detail


def test_the_form_refuses_a_three_decimal_second_amount_at_its_field(client, hr_user):
    employee = person()
    rule = rule_of("service-management", 4)
    client.force_login(hr_user)
    response = client.post(
        reverse("conduct:violation_create"), _form(employee, rule, second_amount="1.234")
    )
    assert response.status_code == 200
    assert "second_amount" in response.context["form"].errors
    assert Violation.objects.count() == 0


# --- penalty_quote -----------------------------------------------------------------------


def test_penalty_quote_takes_the_second_amount():
    person(employee_no="Q0900")
    rule_of("service-management", 4)
    out = StringIO()
    call_command(
        "penalty_quote",
        "--rulebook=service-management",
        "--rule=4",
        "--employee=Q0900",
        "--on=2025-06-16",
        "--amount2=300.50",
        stdout=out,
    )
    preview = json.loads(out.getvalue())
    assert preview["amount"] == "380.50"
