"""HR's rulebook screens: the next version, adoption evidence, and rule editing that
refuses to touch a version in force."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conduct.models import Rule, RulebookVersion
from conduct.tests.test_rulebook_support import FIXED_50, LADDER_30_60, load_book

pytestmark = pytest.mark.django_db


def _tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_hr_creates_the_next_version_from_the_screen(client, hr_user):
    version = load_book()
    client.force_login(hr_user)
    url = reverse("conduct:version_create_next", args=[version.rulebook.code, version.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"label": "2027版", "effective_from": _tomorrow().isoformat()})
    new = RulebookVersion.objects.get(label="2027版")
    assert response.status_code == 302
    assert response.url == reverse("conduct:version_detail", args=[version.rulebook.code, new.pk])
    assert new.rules.count() == 3
    version.refresh_from_db()
    assert version.effective_to == timezone.localdate()


def test_next_version_from_today_is_refused_at_the_field(client, hr_user):
    version = load_book()
    client.force_login(hr_user)
    url = reverse("conduct:version_create_next", args=[version.rulebook.code, version.pk])
    response = client.post(url, {"label": "v2", "effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "最早从明天起生效" in str(response.context["form"].errors["effective_from"])
    assert RulebookVersion.objects.count() == 1


def test_hr_records_adoption_evidence(client, hr_user):
    version = load_book()
    client.force_login(hr_user)
    url = reverse("conduct:version_update", args=[version.rulebook.code, version.pk])
    response = client.post(
        url,
        {
            "label": "v1",
            "consultation_body": "职工代表大会",
            "consultation_date": "2023-12-01",
            "publication_date": "2023-12-10",
            "notes": "",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.has_adoption_evidence
    page = client.get(reverse("conduct:version_detail", args=[version.rulebook.code, version.pk]))
    assert "经职工代表大会于2023-12-01讨论通过" in page.content.decode()
    assert page.context["warnings"] == []
    assert "audit-history" in page.content.decode()  # HR reads the history


def test_changing_the_schedule_of_a_rule_in_force_is_refused_with_the_way_forward(client, hr_user):
    rule = load_book().rules.get(number="2")
    client.force_login(hr_user)
    url = reverse("conduct:rule_update", args=[rule.pk])
    page = client.get(url)
    assert 'data-testid="version-started"' in page.content.decode()
    response = client.post(
        url,
        {
            "category": rule.category_id,
            "number": "2",
            "title": rule.title,
            "text": rule.text,
            "schedule": json.dumps(LADDER_30_60),
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["schedule"])
    assert "已成为历史" in errors and "新版本" in errors
    rule.refresh_from_db()
    assert rule.schedule == FIXED_50


def test_title_of_a_rule_in_force_can_be_corrected_on_screen(client, hr_user):
    rule = load_book().rules.get(number="2")
    client.force_login(hr_user)
    response = client.post(
        reverse("conduct:rule_update", args=[rule.pk]),
        {
            "category": rule.category_id,
            "number": "2",
            "title": "仪容仪表",
            "text": rule.text,
            "schedule": json.dumps(rule.schedule),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.title == "仪容仪表"


def test_rule_of_an_upcoming_version_is_edited_and_bad_schedules_shown(client, hr_user):
    version = load_book(effective_from=(_tomorrow() + timedelta(days=30)).isoformat())
    rule = version.rules.get(number="2")
    client.force_login(hr_user)
    url = reverse("conduct:rule_update", args=[rule.pk])
    data = {
        "category": rule.category_id,
        "number": "2",
        "title": rule.title,
        "text": rule.text,
        "is_active": "on",
    }
    bad = {"steps": [{"charges": [{"basis": "fixed", "amount": "-5"}]}]}
    response = client.post(url, {**data, "schedule": json.dumps(bad)})
    assert response.context["form"].errors["schedule"] == [
        "steps[0].charges[0].amount: 金额不能为负数"
    ]
    response = client.post(url, {**data, "schedule": "{not json"})
    assert response.status_code == 200 and "schedule" in response.context["form"].errors
    response = client.post(url, {**data, "schedule": json.dumps(LADDER_30_60)})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert len(rule.schedule["steps"]) == 2


def test_rule_added_to_an_upcoming_version(client, hr_user):
    version = load_book(effective_from=(_tomorrow() + timedelta(days=30)).isoformat())
    client.force_login(hr_user)
    url = reverse("conduct:rule_create", args=[version.rulebook.code, version.pk])
    response = client.post(
        url,
        {
            "category": version.categories.get(position=2).pk,
            "number": "1",  # taken
            "text": "早退。",
            "schedule": json.dumps(FIXED_50),
            "is_active": "on",
        },
    )
    assert "number" in response.context["form"].errors
    response = client.post(
        url,
        {
            "category": version.categories.get(position=2).pk,
            "number": "4",
            "text": "早退。",
            "schedule": json.dumps(FIXED_50),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Rule.objects.get(version=version, number="4").position == 4


def test_screens_of_hr_are_closed_to_others(client, employee_user, auditor_user):
    version = load_book()
    rule = version.rules.first()
    urls = [
        reverse("conduct:version_create_next", args=[version.rulebook.code, version.pk]),
        reverse("conduct:version_update", args=[version.rulebook.code, version.pk]),
        reverse("conduct:rule_update", args=[rule.pk]),
        reverse("conduct:rule_create", args=[version.rulebook.code, version.pk]),
        reverse("conduct:rulebook_import"),
    ]
    for user in (employee_user, auditor_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
