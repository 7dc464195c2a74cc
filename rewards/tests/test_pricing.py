"""Each seed reward priced by the engine: fixed amounts, the range, 10 % of the excess,
at least the monthly wage, the department's share and the team fund."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rewards.pricing import (
    AMOUNT_ABOVE_RANGE,
    AMOUNT_BELOW_RANGE,
    AMOUNT_BELOW_WAGE,
    AMOUNT_NOT_USED,
    AMOUNT_REQUIRED,
    INVOLVED_REQUIRED,
    price_award,
    type_needs,
)
from rewards.tests.helpers import load_types
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ALL = (
    "service-bonus",
    "service-management",
    "water-utility",
    "customer-service",
    "hospitality",
)


@pytest.fixture
def types():
    return load_types(*ALL)


@pytest.fixture
def person():
    return EmployeeFactory(monthly_wage=Decimal("3280.50"))


def _errors(exc_info, field):
    return exc_info.value.message_dict[field]


@pytest.mark.parametrize(
    ("key", "amount"),
    [
        ("hospitality/helpful", "20.00"),
        ("hospitality/major-contribution", "30.00"),
        ("hospitality/returning-lost-property", "30.00"),
        ("hospitality/often-praised", "20.00"),
        ("hospitality/wronged-by-guest", "20.00"),
        ("hospitality/effective-suggestion", "50.00"),
        ("customer-service/report-misconduct", "50.00"),
        ("water-utility/survey-thanks", "20.00"),
        ("service-bonus/service-star", "500.00"),
        ("service-bonus/long-service", "3000.00"),
    ],
)
def test_fixed_rewards_pay_the_seed_amount(types, person, key, amount):
    price = price_award(reward_type=types[key], employee=person)
    assert price.amount == Decimal(amount)
    assert price.department_amount == Decimal("0.00")
    assert [line["party"] for line in price.lines] == ["employee"]


def test_service_star_carries_its_title_and_long_service_its_certificate(types, person):
    assert price_award(
        reward_type=types["service-bonus/service-star"], employee=person
    ).consequences == ("授予“服务之星”称号",)
    long_service = price_award(reward_type=types["service-bonus/long-service"], employee=person)
    assert long_service.consequences == ("颁发荣誉证书",)
    assert "颁发荣誉证书" in long_service.explanation


@pytest.mark.parametrize(
    ("key", "person_amount", "department_amount"),
    [
        ("water-utility/praise-comment-book", "20.00", "200.00"),
        ("water-utility/media-report", "50.00", "500.00"),
    ],
)
def test_the_department_gets_its_share_alongside_the_person(
    types, person, key, person_amount, department_amount
):
    price = price_award(reward_type=types[key], employee=person)
    assert price.amount == Decimal(person_amount)
    assert price.department_amount == Decimal(department_amount)
    assert price.total == Decimal(person_amount) + Decimal(department_amount)
    assert {line["party"]: line["amount"] for line in price.lines} == {
        "employee": person_amount,
        "department": department_amount,
    }


def test_teamwork_pays_the_team_fund_not_a_person(types):
    teamwork = types["service-bonus/teamwork"]
    assert teamwork.is_department_only
    price = price_award(reward_type=teamwork)
    assert price.amount == Decimal("500.00")
    assert price.department_amount == Decimal("0.00")
    assert price.lines[0]["label"] == "团队活动基金"


@pytest.mark.parametrize("chosen", ["300", "800", "1000", "650.50"])
def test_innovation_proposal_takes_the_amount_inside_the_range(types, person, chosen):
    proposal = types["service-bonus/innovation-proposal"]
    assert type_needs(proposal).amount
    price = price_award(reward_type=proposal, employee=person, chosen_amount=Decimal(chosen))
    assert price.amount == Decimal(chosen).quantize(Decimal("0.01"))


def test_innovation_proposal_below_the_range_is_refused_clearly(types, person):
    with pytest.raises(ValidationError) as exc_info:
        price_award(
            reward_type=types["service-bonus/innovation-proposal"],
            employee=person,
            chosen_amount=Decimal("299.99"),
        )
    assert _errors(exc_info, "chosen_amount") == [
        str(AMOUNT_BELOW_RANGE) % {"amount": "¥299.99", "low": "¥300"}
    ]


def test_innovation_proposal_above_the_range_is_refused_clearly(types, person):
    with pytest.raises(ValidationError) as exc_info:
        price_award(
            reward_type=types["service-bonus/innovation-proposal"],
            employee=person,
            chosen_amount=Decimal("1000.01"),
        )
    assert _errors(exc_info, "chosen_amount") == [
        str(AMOUNT_ABOVE_RANGE) % {"amount": "¥1,000.01", "high": "¥1,000"}
    ]


def test_innovation_proposal_needs_an_amount(types, person):
    with pytest.raises(ValidationError) as exc_info:
        price_award(reward_type=types["service-bonus/innovation-proposal"], employee=person)
    assert _errors(exc_info, "chosen_amount") == [
        str(AMOUNT_REQUIRED) % {"low": "¥300", "high": "¥1,000"}
    ]


def test_over_target_is_ten_percent_of_the_excess_rounded_half_up(types, person):
    over = types["service-bonus/over-target"]
    price = price_award(reward_type=over, employee=person, involved_amount=Decimal("12345.65"))
    assert price.amount == Decimal("1234.57")  # 1234.565 → half up
    assert price.lines[0]["label"] == "超额部分的10%"
    with pytest.raises(ValidationError) as exc_info:
        price_award(reward_type=over, employee=person)
    assert _errors(exc_info, "involved_amount") == [str(INVOLVED_REQUIRED)]


def test_quality_service_star_is_at_least_the_monthly_wage(types, person):
    star = types["service-management/service-star"]
    needs = type_needs(star)
    assert needs.wage and needs.amount
    price = price_award(reward_type=star, employee=person)
    assert price.amount == Decimal("3280.50")
    assert price.floor == Decimal("3280.50")
    more = price_award(reward_type=star, employee=person, chosen_amount=Decimal("4000"))
    assert more.amount == Decimal("4000.00")
    assert "人事确定为¥4,000" in more.explanation


def test_quality_service_star_below_the_wage_is_refused_clearly(types, person):
    with pytest.raises(ValidationError) as exc_info:
        price_award(
            reward_type=types["service-management/service-star"],
            employee=person,
            chosen_amount=Decimal("3280.49"),
        )
    assert _errors(exc_info, "chosen_amount") == [
        str(AMOUNT_BELOW_WAGE) % {"amount": "¥3,280.49", "floor": "¥3,280.50", "wage": "¥3,280.50"}
    ]


def test_an_amount_for_a_fixed_reward_is_refused(types, person):
    with pytest.raises(ValidationError) as exc_info:
        price_award(
            reward_type=types["service-bonus/service-star"],
            employee=person,
            chosen_amount=Decimal("600"),
        )
    assert _errors(exc_info, "chosen_amount") == [str(AMOUNT_NOT_USED)]
