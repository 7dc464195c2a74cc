"""Admin editing of rulebook versions with inlines: the engine's schedule errors at the
field, saves through the services (audited), and history read-only."""

import json
from datetime import date, timedelta

import pytest
from django.forms import FileField
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from conduct.models import Rule, RulebookVersion
from conduct.tests.test_rulebook_support import FIXED_50, load_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_hr(hr_user):
    hr_user.is_staff = True
    hr_user.save()
    return hr_user


def _future() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


def _value(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _post_data(response) -> dict:
    """The change form as the browser would post it back, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            if isinstance(field, FileField):
                continue
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else _value(value)
    return data


def _rule_index(response, number: str) -> int:
    rules = next(i for i in response.context["inline_admin_formsets"] if i.formset.model is Rule)
    return next(i for i, f in enumerate(rules.formset.forms) if f.instance.number == number)


def test_schedule_error_is_shown_at_the_field_and_nothing_is_saved(client, staff_hr):
    version = load_book(effective_from=_future())
    url = reverse("admin:conduct_rulebookversion_change", args=[version.pk])
    client.force_login(staff_hr)
    page = client.get(url)
    data = _post_data(page)
    index = _rule_index(page, "2")
    data[f"rules-{index}-schedule"] = json.dumps(
        {"steps": [{"charges": [{"basis": "range", "min_amount": "300", "max_amount": "100"}]}]}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    rules = next(i for i in response.context["inline_admin_formsets"] if i.formset.model is Rule)
    errors = rules.formset.forms[index].errors["schedule"]
    assert errors == ["steps[0].charges[0].max_amount: 最高金额不能低于最低金额"]
    assert Rule.objects.get(version=version, number="2").schedule == FIXED_50


def test_valid_change_is_saved_through_the_service(client, staff_hr):
    version = load_book(effective_from=_future())
    url = reverse("admin:conduct_rulebookversion_change", args=[version.pk])
    client.force_login(staff_hr)
    page = client.get(url)
    data = _post_data(page)
    index = _rule_index(page, "2")
    data[f"rules-{index}-schedule"] = json.dumps(
        {"steps": [{"charges": [{"basis": "fixed", "amount": "80.00"}]}]}
    )
    data["consultation_body"] = "职工代表大会"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms
    ]
    rule = Rule.objects.get(version=version, number="2")
    assert rule.schedule["steps"][0]["charges"][0]["amount"] == "80"  # canonical
    assert AuditEntry.objects.filter(
        actor=staff_hr, object_type="conduct.rule", object_id=str(rule.pk), action="update"
    ).exists()
    assert RulebookVersion.objects.get(pk=version.pk).consultation_body == "职工代表大会"


def test_version_in_force_is_read_only_with_the_way_forward(client, staff_hr):
    version = load_book()  # in force since 2024
    url = reverse("admin:conduct_rulebookversion_change", args=[version.pk])
    client.force_login(staff_hr)
    response = client.get(url)
    page = response.content.decode()
    assert "已成为历史" in page and "新版本" in page
    rules = next(i for i in response.context["inline_admin_formsets"] if i.formset.model is Rule)
    assert "schedule" not in rules.formset.forms[0].fields
    assert set(rules.formset.forms[0].fields) >= {"title"}
    # posting the page back changes nothing but what may change (the evidence)
    data = _post_data(response)
    data["publication_date"] = "2023-12-20"
    assert client.post(url, data).status_code == 302
    version.refresh_from_db()
    assert version.publication_date == date(2023, 12, 20)


def test_rule_admin_of_a_rule_in_force_only_edits_the_title(client, staff_hr):
    rule = load_book().rules.get(number="2")
    url = reverse("admin:conduct_rule_change", args=[rule.pk])
    client.force_login(staff_hr)
    response = client.get(url)
    assert set(response.context["adminform"].form.fields) == {"title"}
    response = client.post(url, {"title": "着装不整齐"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.title == "着装不整齐"
    assert rule.schedule == FIXED_50


def test_new_version_from_the_admin_closes_the_previous_one(client, staff_hr):
    version = load_book()
    client.force_login(staff_hr)
    start = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("admin:conduct_rulebookversion_add"),
        {
            "rulebook": version.rulebook.pk,
            "label": "v2",
            "effective_from": start.isoformat(),
            "categories-TOTAL_FORMS": "0",
            "categories-INITIAL_FORMS": "0",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    version.refresh_from_db()
    assert version.effective_to == start - timedelta(days=1)
    assert RulebookVersion.objects.get(label="v2").rules.count() == 0


def test_admin_lists_versions_with_their_evidence(client, staff_hr):
    load_book()
    client.force_login(staff_hr)
    response = client.get(reverse("admin:conduct_rulebookversion_changelist"))
    assert response.status_code == 200
    assert client.get(reverse("admin:conduct_rulebook_changelist")).status_code == 200
    assert client.get(reverse("admin:conduct_rule_changelist")).status_code == 200


def test_admin_add_page_and_a_refused_version(client, staff_hr):
    version = load_book()
    client.force_login(staff_hr)
    url = reverse("admin:conduct_rulebookversion_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "rulebook": version.rulebook.pk,
            "label": "v2",
            "effective_from": "2025-01-01",  # in the past, over the version in force
            "categories-TOTAL_FORMS": "0",
            "categories-INITIAL_FORMS": "0",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "最早从明天起生效" in str(response.context["adminform"].form.errors)
    assert RulebookVersion.objects.count() == 1
