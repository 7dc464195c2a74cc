"""Loading reward types from the rulebook fixtures: validated, idempotent, history kept."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from conduct.models import RulebookVersion
from rewards.models import REWARD_NO_SANCTIONS, REWARD_ONLY, REWARD_PARTIES, RewardType
from rewards.selectors import reward_types_in_force
from rewards.services.awards import award_create
from rewards.services.catalogue import (
    BAD_SCHEDULE,
    FIELD_MISSING,
    HAS_AWARDS,
    UNKNOWN_KEYS,
    reward_types_load,
)
from rewards.tests.helpers import fixture_data, load_types
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

FIXTURE_TYPES = {
    "service-bonus": 5,
    "service-management": 1,
    "water-utility": 3,
    "customer-service": 1,
    "hospitality": 6,
    "bank-points": 0,
    "hospital-service": 0,
    "moh-eight": 0,
}


def test_every_fixture_reward_type_loads_and_is_in_force():
    types = load_types(*FIXTURE_TYPES)
    counts = {code: 0 for code in FIXTURE_TYPES}
    for reward_type in types.values():
        counts[reward_type.version.rulebook.code] += 1
        reward_type.full_clean()
    assert counts == FIXTURE_TYPES
    assert reward_types_in_force(date(2026, 6, 1)).count() == 16
    assert AuditEntry.objects.filter(object_type="rewards.rewardtype").count() == 16


def test_loading_again_changes_nothing():
    load_types("service-bonus")
    version = RulebookVersion.objects.get(rulebook__code="service-bonus")
    data = fixture_data("service-bonus")["versions"][0]["reward_types"]
    assert reward_types_load(version=version, data=data) == {
        "created": 0,
        "updated": 0,
        "unchanged": 5,
        "deactivated": 0,
    }


def _version():
    load_types("service-bonus")
    return RulebookVersion.objects.get(rulebook__code="service-bonus")


def _bad(problem) -> str:
    return str(BAD_SCHEDULE) % {"code": "thanks", "error": str(problem)}


def _one(**overrides):
    entry = {
        "code": "thanks",
        "name": "感谢信",
        "text": "收到感谢信奖励30元。",
        "schedule": {
            "steps": [{"charges": [{"basis": "fixed", "amount": "30", "money_kind": "reward"}]}]
        },
    }
    entry.update(overrides)
    return entry


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (
            _one(schedule={"steps": [{"charges": [{"basis": "fixed", "amount": "30"}]}]}),
            lambda: _bad(REWARD_ONLY),
        ),
        (
            _one(
                schedule={
                    "steps": [
                        {
                            "charges": [
                                {
                                    "basis": "fixed",
                                    "amount": "30",
                                    "money_kind": "reward",
                                    "party": "leader",
                                }
                            ]
                        }
                    ]
                }
            ),
            lambda: _bad(str(REWARD_PARTIES) % {"party": "责任领导"}),
        ),
        (
            _one(
                schedule={
                    "steps": [
                        {"charges": [{"basis": "fixed", "amount": 30.5, "money_kind": "reward"}]}
                    ]
                }
            ),
            lambda: "thanks",
        ),
        (
            _one(
                schedule={
                    "steps": [
                        {
                            "charges": [{"basis": "fixed", "amount": "30", "money_kind": "reward"}],
                            "sanctions": ["public_criticism"],
                        }
                    ]
                }
            ),
            lambda: _bad(REWARD_NO_SANCTIONS),
        ),
        (_one(name=""), lambda: str(FIELD_MISSING) % {"index": 6, "field": "name"}),
        (_one(colour="red"), lambda: str(UNKNOWN_KEYS) % {"code": "thanks", "keys": ["colour"]}),
    ],
)
def test_a_bad_reward_type_is_refused_with_its_reason_and_nothing_is_saved(entry, fragment):
    version = _version()
    before = RewardType.objects.count()
    with pytest.raises(ValidationError) as exc_info:
        reward_types_load(
            version=version,
            data=[*fixture_data("service-bonus")["versions"][0]["reward_types"], entry],
        )
    assert fragment() in " ".join(exc_info.value.messages)
    assert RewardType.objects.count() == before


def test_a_code_used_twice_is_refused():
    version = _version()
    with pytest.raises(ValidationError) as exc_info:
        reward_types_load(version=version, data=[_one(), _one()])
    assert "thanks" in " ".join(exc_info.value.messages)


def test_a_type_left_out_is_deactivated_not_deleted():
    version = _version()
    data = fixture_data("service-bonus")["versions"][0]["reward_types"][:4]
    counts = reward_types_load(version=version, data=data)
    assert counts["deactivated"] == 1
    assert RewardType.objects.get(version=version, code="long-service").is_active is False


def test_a_type_with_awards_cannot_be_rewritten(hr_user):
    version = _version()
    star = RewardType.objects.get(version=version, code="service-star")
    award_create(
        logged_by=hr_user,
        reward_type=star,
        employee=EmployeeFactory(),
        awarded_on=date(2026, 3, 2),
        reason="客户满意度第一",
    )
    data = fixture_data("service-bonus")["versions"][0]["reward_types"]
    data[0]["schedule"]["steps"][0]["charges"][0]["amount"] = "600"
    with pytest.raises(ValidationError) as exc_info:
        reward_types_load(version=version, data=data)
    assert exc_info.value.messages == [str(HAS_AWARDS) % {"code": "service-star"}]
    star.refresh_from_db()
    assert star.parsed_schedule.steps[0].charges[0].amount == Decimal("500")


# --- a new rulebook version keeps its reward types ---------------------------------------


def _types(version):
    return [
        (t.code, t.name, t.text, t.schedule, t.position, t.is_active)
        for t in RewardType.objects.filter(version=version).order_by("position", "code")
    ]


def test_the_next_rulebook_version_gets_a_copy_of_the_reward_types(hr_user):
    from conduct.services.rulebooks import rulebook_version_create_next

    load_types("service-bonus")
    old = RulebookVersion.objects.get(rulebook__code="service-bonus")
    RewardType.objects.filter(version=old, position=5).update(is_active=False)
    new = rulebook_version_create_next(
        version=old,
        label="新版",
        effective_from=timezone.localdate() + timedelta(days=30),
        by=hr_user,
    )
    assert len(_types(new)) == 5
    assert _types(new) == _types(old)
    assert not RewardType.objects.get(version=new, position=5).is_active
    copies = AuditEntry.objects.filter(
        object_type="rewards.rewardtype",
        action="create",
        actor=hr_user,
        object_id__in=[str(pk) for pk in new.reward_types.values_list("pk", flat=True)],
    )
    assert copies.count() == 5
    # The old version's types are untouched (awards already made keep pointing at them).
    assert RewardType.objects.filter(version=old).count() == 5


def test_an_excel_import_following_the_latest_version_carries_its_reward_types(hr_user):
    from conduct import excel
    from conduct.services.rulebooks import rulebook_version_import

    load_types("water-utility")
    old = RulebookVersion.objects.get(rulebook__code="water-utility")
    parsed = excel.parse_version_workbook(excel.version_workbook(version=old))
    assert parsed.ok
    tomorrow = timezone.localdate() + timedelta(days=1)
    dry = rulebook_version_import(
        data=parsed.data, label="导入版", effective_from=tomorrow, dry_run=True, by=hr_user
    )
    assert dry.dry_run and RewardType.objects.count() == 3  # rolled back with the rest
    result = rulebook_version_import(
        data=parsed.data, label="导入版", effective_from=tomorrow, by=hr_user
    )
    assert result.closed == old
    assert _types(result.version) == _types(old)
    assert len(_types(result.version)) == 3


def test_a_new_rulebook_imported_from_excel_has_no_reward_types_to_carry(hr_user):
    from conduct import excel
    from conduct.services.rulebooks import rulebook_version_import

    load_types("customer-service")
    old = RulebookVersion.objects.get(rulebook__code="customer-service")
    parsed = excel.parse_version_workbook(excel.version_workbook(version=old))
    data = {**parsed.data, "code": "customer-service-copy"}
    result = rulebook_version_import(data=data, by=hr_user)
    assert result.rulebook_created and result.closed is None
    assert not result.version.reward_types.exists()
