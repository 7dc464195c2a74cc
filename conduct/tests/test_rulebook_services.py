"""Rulebook services: the next version from a later date, history that never changes, and
bad input refused with clear Chinese errors and nothing saved."""

import copy
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from audit.models import AuditEntry
from conduct.models import Category, Rule, Rulebook, RulebookVersion
from conduct.services import rulebooks as services
from conduct.tests.test_rulebook_support import FIXED_50, LADDER_30_60, book_data, load_book

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _messages(exc: ValidationError) -> str:
    return "\n".join(str(m) for m in exc.messages)


def _counts():
    return (
        Rulebook.objects.count(),
        RulebookVersion.objects.count(),
        Category.objects.count(),
        Rule.objects.count(),
    )


# --- the next version ---------------------------------------------------------------------


def test_next_version_copies_the_rules_and_closes_the_previous_one(hr_user):
    v1 = load_book()
    v2 = services.rulebook_version_create_next(
        version=v1, label="v2", effective_from=date(2026, 7, 1), today=TODAY, by=hr_user
    )
    v1.refresh_from_db()
    assert v1.effective_to == date(2026, 6, 30)
    assert v2.effective_from == date(2026, 7, 1) and v2.effective_to is None
    assert not v2.has_adoption_evidence

    def content(version):
        return [
            (r.category.position, r.category.name, r.number, r.position, r.title, r.text,
             r.schedule, r.is_active)
            for r in version.rules.select_related("category").order_by("position")
        ]  # fmt: skip

    assert content(v2) == content(v1)
    assert set(v2.rules.values_list("category__version", flat=True)) == {v2.pk}
    actions = set(
        AuditEntry.objects.filter(actor=hr_user).values_list("object_type", "object_id", "action")
    )
    assert ("conduct.rulebookversion", str(v2.pk), "create") in actions
    assert ("conduct.rulebookversion", str(v1.pk), "update") in actions


def test_next_version_starts_tomorrow_at_the_earliest():
    v1 = load_book()
    for start in (TODAY, TODAY - timedelta(days=3)):
        with pytest.raises(ValidationError) as caught:
            services.rulebook_version_create_next(
                version=v1, label="v2", effective_from=start, today=TODAY
            )
        assert "最早从明天起生效" in _messages(caught.value)
    v1.refresh_from_db()
    assert v1.effective_to is None
    assert RulebookVersion.objects.count() == 1


def test_next_version_needs_a_new_label_and_a_later_start():
    v1 = load_book()
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_create_next(
            version=v1, label="v1", effective_from=date(2026, 7, 1), today=TODAY
        )
    assert "已有版本v1" in _messages(caught.value)
    services.rulebook_version_create_next(
        version=v1, label="v2", effective_from=date(2026, 9, 1), today=TODAY
    )
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_create_next(
            version=v1, label="v3", effective_from=date(2026, 8, 1), today=TODAY
        )
    assert "必须晚于最新版本v2" in _messages(caught.value)


def test_a_draft_version_can_be_replaced_by_a_later_one_before_it_starts():
    v1 = load_book()
    v2 = services.rulebook_version_create_next(
        version=v1, label="v2", effective_from=date(2026, 9, 1), today=TODAY
    )
    services.rulebook_version_create_next(
        version=v2, label="v3", effective_from=date(2026, 10, 1), today=TODAY
    )
    v2.refresh_from_db()
    assert v2.effective_to == date(2026, 9, 30)


# --- history never changes ----------------------------------------------------------------


def test_schedule_of_a_rule_in_force_cannot_change():
    v1 = load_book()
    rule = v1.rules.get(number="2")
    with pytest.raises(ValidationError) as caught:
        services.rule_update(rule=rule, schedule=LADDER_30_60, today=TODAY)
    assert caught.value.error_dict["schedule"][0].code == "version_started"
    message = _messages(caught.value)
    assert "已于2024-01-01生效" in message
    assert "新版本" in message
    rule.refresh_from_db()
    assert rule.schedule == FIXED_50


@pytest.mark.parametrize(
    "change",
    [{"text": "新条文"}, {"number": "99"}, {"is_active": False}],
)
def test_other_contents_of_a_rule_in_force_cannot_change(change):
    rule = load_book().rules.get(number="2")
    with pytest.raises(ValidationError) as caught:
        services.rule_update(rule=rule, today=TODAY, **change)
    assert next(iter(caught.value.error_dict)) in change


def test_short_title_of_a_rule_in_force_can_be_corrected(hr_user):
    rule = load_book().rules.get(number="2")
    services.rule_update(rule=rule, title="着装不整齐", today=TODAY, by=hr_user)
    rule.refresh_from_db()
    assert rule.title == "着装不整齐"
    entry = AuditEntry.objects.get(object_type="conduct.rule", object_id=str(rule.pk))
    assert entry.changes == {"title": ["着装", "着装不整齐"]}


def test_no_rule_or_category_is_added_to_a_version_in_force():
    v1 = load_book()
    with pytest.raises(ValidationError):
        services.rule_create(
            version=v1,
            category=v1.categories.first(),
            number="9",
            text="新规定。",
            schedule=FIXED_50,
            today=TODAY,
        )
    with pytest.raises(ValidationError):
        services.category_create(version=v1, name="新分类", today=TODAY)
    assert v1.rules.count() == 3 and v1.categories.count() == 2


def test_rules_of_an_upcoming_version_can_be_edited():
    v1 = load_book()
    v2 = services.rulebook_version_create_next(
        version=v1, label="v2", effective_from=date(2026, 7, 1), today=TODAY
    )
    rule = v2.rules.get(number="2")
    schedule = {"steps": [{"charges": [{"basis": "fixed", "amount": "80.00"}]}]}
    services.rule_update(rule=rule, schedule=schedule, text="着装不整,佩戴饰物。", today=TODAY)
    rule.refresh_from_db()
    assert rule.schedule == {
        "steps": [{"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "80"}]}]
    }  # canonical form
    assert v1.rules.get(number="2").schedule == FIXED_50  # the old version is untouched
    new = services.rule_create(
        version=v2,
        category=v2.categories.get(position=1),
        number="4",
        text="上班玩手机。",
        schedule=FIXED_50,
        today=TODAY,
    )
    assert new.position == 4


def test_adoption_evidence_can_be_recorded_on_a_version_in_force_but_not_its_start():
    v1 = load_book()
    services.rulebook_version_update(
        version=v1,
        consultation_body="职工代表大会",
        consultation_date=date(2023, 12, 1),
        publication_date=date(2023, 12, 10),
        today=TODAY,
    )
    v1.refresh_from_db()
    assert v1.has_adoption_evidence
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_update(version=v1, effective_from=date(2024, 2, 1), today=TODAY)
    assert "effective_from" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.rulebook_version_update(version=v1, effective_to=date(2025, 1, 1), today=TODAY)
    services.rulebook_version_update(version=v1, effective_to=date(2026, 12, 31), today=TODAY)


def test_version_in_force_uses_the_real_date_by_default():
    v1 = load_book(effective_from=(timezone.localdate() + timedelta(days=5)).isoformat())
    rule = v1.rules.get(number="2")
    services.rule_update(rule=rule, schedule=LADDER_30_60)  # not started yet: allowed
    assert not v1.has_started(timezone.localdate())


# --- bad input: nothing saved, clear Chinese errors ---------------------------------------


def _with_schedule(schedule):
    return book_data(
        rules=[
            {"number": "1", "text": "好规则。", "schedule": FIXED_50},
            {"number": "2", "text": "坏规则。", "schedule": schedule},
        ]
    )


BAD_SCHEDULES = {
    "min above max": (
        {"steps": [{"charges": [{"basis": "range", "min_amount": "200", "max_amount": "100"}]}]},
        "第2条:steps[0].charges[0].max_amount: 最高金额不能低于最低金额",
    ),
    "negative amount": (
        {"steps": [{"charges": [{"basis": "fixed", "amount": "-50"}]}]},
        "第2条:steps[0].charges[0].amount: 金额不能为负数",
    ),
    "ladder gap": (
        {
            "steps": [
                {"occurrence_from": 1, "charges": [{"basis": "fixed", "amount": "10"}]},
                {"occurrence_from": 3, "charges": [{"basis": "fixed", "amount": "20"}]},
            ]
        },
        "不能跳号或重复",
    ),
    "unknown sanction": (
        {"steps": [{"sanctions": ["flogging"]}]},
        "第2条:steps[0].sanctions[0]: 未知处分代码:flogging",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SCHEDULES))
def test_bad_schedule_is_refused_and_nothing_is_saved(case):
    schedule, expected = BAD_SCHEDULES[case]
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_load(data=_with_schedule(schedule))
    assert expected in _messages(caught.value)
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("case", list(BAD_SCHEDULES))
def test_bad_schedule_is_refused_when_editing_a_rule(case):
    schedule, expected = BAD_SCHEDULES[case]
    v1 = load_book(effective_from="2027-01-01")
    rule = v1.rules.get(number="2")
    with pytest.raises(ValidationError) as caught:
        services.rule_update(rule=rule, schedule=schedule, today=TODAY)
    assert "schedule" in caught.value.error_dict
    assert expected.split(":", 1)[-1] in _messages(caught.value)
    rule.refresh_from_db()
    assert rule.schedule == FIXED_50


def test_duplicate_rule_number_is_refused_and_nothing_is_saved():
    data = book_data(
        rules=[
            {"number": "1", "text": "甲。", "schedule": FIXED_50},
            {"number": "1", "text": "乙。", "schedule": FIXED_50},
        ]
    )
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_load(data=data)
    assert "条款号1在本版本中重复使用" in _messages(caught.value)
    assert _counts() == (0, 0, 0, 0)


def test_duplicate_rule_number_is_refused_when_editing():
    v1 = load_book(effective_from="2027-01-01")
    with pytest.raises(ValidationError) as caught:
        services.rule_update(rule=v1.rules.get(number="2"), number="1", today=TODAY)
    assert "number" in caught.value.error_dict


def test_overlapping_versions_are_refused_and_nothing_is_saved():
    load_book(effective_from="2024-01-01", effective_to="2024-12-31")
    before = _counts()
    overlapping = book_data(label="v2", effective_from="2024-06-01")
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_load(data=overlapping)
    assert "版本v2与同一制度的版本v1时间重叠" in _messages(caught.value)
    assert _counts() == before
    services.rulebook_version_load(data=book_data(label="v2", effective_from="2025-01-01"))


def test_several_problems_are_reported_together():
    data = book_data(
        rules=[
            {"number": "1", "text": "甲。", "schedule": {"steps": []}},
            {"number": "2", "text": "乙。", "schedule": {"steps": [{"sanctions": ["x"]}]}},
            {"number": "2", "text": "丙。", "schedule": FIXED_50},
        ]
    )
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_load(data=data)
    messages = _messages(caught.value)
    assert "第1条" in messages and "第2条" in messages
    assert "条款号2在本版本中重复使用" in messages


def test_missing_fields_and_bad_dates_are_clear():
    data = book_data()
    del data["versions"][0]["label"]
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_load(data=data)
    assert "缺少版本名称" in _messages(caught.value)
    data = book_data(effective_from="2024-13-01")
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_load(data=data)
    assert "“2024-13-01”不是日期" in _messages(caught.value)
    assert _counts() == (0, 0, 0, 0)


# --- import ---------------------------------------------------------------------------------


def test_import_as_a_new_version_closes_the_previous_one():
    v1 = load_book()
    data = book_data(rules=[{"number": "1", "text": "甲。", "schedule": FIXED_50}])
    result = services.rulebook_version_import(
        data=data, label="v2", effective_from=date(2026, 7, 1), today=TODAY
    )
    v1.refresh_from_db()
    assert v1.effective_to == date(2026, 6, 30)
    assert result.closed == v1
    assert (result.version.label, result.rules, result.categories) == ("v2", 1, 2)
    assert not result.rulebook_created


def test_import_dry_run_saves_nothing():
    load_book()
    before = _counts()
    result = services.rulebook_version_import(
        data=book_data(), label="v2", effective_from=date(2026, 7, 1), today=TODAY, dry_run=True
    )
    assert result.rules == 3 and result.dry_run
    assert _counts() == before
    assert RulebookVersion.objects.get().effective_to is None


def test_import_of_a_past_version_over_the_version_in_force_is_refused():
    load_book()
    with pytest.raises(ValidationError) as caught:
        services.rulebook_version_import(
            data=book_data(label="v2", effective_from="2025-01-01"), today=TODAY
        )
    assert "最早从明天起生效" in _messages(caught.value)


def test_load_keeps_fixture_data_untouched():
    data = book_data()
    original = copy.deepcopy(data)
    services.rulebook_version_load(data=data)
    assert data == original
