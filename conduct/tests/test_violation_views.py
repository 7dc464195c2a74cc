"""Violation screens: logging through the form, list (filters, scope, query count), detail,
void, evidence download; 404 for what is not the user's."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conduct.models import Evidence, Rule, Violation
from conduct.services.violations import violation_log
from conduct.tests.test_violation_support import (
    PDF,
    PNG,
    BigUpload,
    at,
    load_rulebook,
    media_files,
    person,
    upload,
)
from penalties.models import Penalty
from staff.models import EmployeeStatus
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(db):
    load_rulebook("hospital-service")
    return Rule.objects.get(version__rulebook__code="hospital-service", number="8")


def post_data(employee, rule, **changes):
    data = {
        "employee": employee.pk,
        "rulebook": rule.version.rulebook_id,
        "rule": rule.pk,
        "occurred_at": "2025-06-16T10:30",
        "source": "complaint",
        "place": "门诊大厅",
        "description": "与患者争执",
        "chosen_amount": "300",
    }
    data.update(changes)
    return data


# --- logging through the form -------------------------------------------------------------


def test_officer_logs_a_violation_with_evidence(client, hr_user, rule):
    employee = person()
    client.force_login(hr_user)
    data = post_data(employee, rule)
    data["evidence_files"] = [upload("现场.png", PNG, "image/png"), upload("a.pdf", PDF)]
    response = client.post(reverse("conduct:violation_create"), data)
    violation = Violation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("conduct:violation_detail", args=[violation.pk])
    assert violation.chosen_amount == 300 and violation.source == "complaint"
    assert violation.penalties.get().amount == 300
    assert violation.evidence.count() == 2
    detail = client.get(response.url).content.decode()
    assert "现场.png" in detail and "¥300.00" in detail


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at", "未来"),
        ({"chosen_amount": "600"}, "chosen_amount", "¥500"),
        ({"evidence_files": [upload("假的.pdf", b"not a pdf at all")]}, "evidence_files", "PDF"),
        ({"evidence_files": [BigUpload("big.pdf", 50 * 1024 * 1024)]}, "evidence_files", "10 MB"),
    ],
    ids=["future", "amount-out-of-range", "fake-pdf", "50mb"],
)
def test_bad_input_is_shown_in_chinese_and_nothing_is_saved(
    client, hr_user, rule, changes, field, message
):
    client.force_login(hr_user)
    response = client.post(
        reverse("conduct:violation_create"), post_data(person(), rule, **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(str(e) for e in errors.get(field, errors.get("__all__", [])))
    assert message in response.content.decode()
    assert Violation.objects.count() == 0 and Penalty.objects.count() == 0
    assert Evidence.objects.count() == 0 and media_files() == []


def test_missing_amount_involved_is_explained(client, hr_user, rule):
    red_envelope = Rule.objects.get(version=rule.version, number="22")
    client.force_login(hr_user)
    data = post_data(person(), red_envelope, chosen_amount="", sanction_choice="dismissal")
    response = client.post(reverse("conduct:violation_create"), data)
    assert "涉及金额" in " ".join(response.context["form"].errors["involved_amount"])
    assert Violation.objects.count() == 0


def test_employee_who_has_left_is_refused(client, hr_user, rule):
    left = person(status=EmployeeStatus.LEFT, left_on=date(2025, 5, 1), name="离职者")
    client.force_login(hr_user)
    response = client.post(reverse("conduct:violation_create"), post_data(left, rule))
    assert "离职" in " ".join(response.context["form"].errors["employee"])
    assert Violation.objects.count() == 0


def test_form_and_pickers_render(client, hr_user, rule):
    client.force_login(hr_user)
    page = client.get(reverse("conduct:violation_create"))
    assert page.status_code == 200
    section = client.get(
        reverse("conduct:violation_rule_section"),
        {"rulebook": rule.version.rulebook_id, "rule": rule.pk},
    )
    html = section.content.decode()
    assert section.status_code == 200
    assert rule.text[:10] in html
    assert "¥100–500" in html  # the schedule summary
    assert 'name="chosen_amount"' in html and 'name="involved_amount"' not in html
    assert section["HX-Trigger-After-Settle"] == "jc-preview"


def test_employee_search_is_scoped_and_finds_by_number_or_name(client, hr_user, head_user):
    mine = person(employee_no="A100", name="张三", department=head_user.employee.department)
    person(employee_no="B200", name="李四")
    client.force_login(hr_user)
    url = reverse("conduct:violation_employee_search")
    assert [r["value"] for r in client.get(url, {"q": "A10"}).json()["results"]] == [mine.pk]
    assert len(client.get(url, {"q": "李四"}).json()["results"]) == 1
    client.force_login(head_user)
    assert client.get(url, {"q": "李四"}).status_code == 403


# --- list, detail, scope ---------------------------------------------------------------------


def _seed(rule, officer, n=3, department=None):
    department = department or DepartmentFactory()
    people = [person(department=department) for _ in range(n)]
    return [
        violation_log(
            employee=p,
            rule=rule,
            occurred_at=at(2025, 5 + i // 28, 1 + i % 28),
            logged_by=officer,
            chosen_amount=100,
            source="inspection" if i % 2 else "complaint",
        )
        for i, p in enumerate(people)
    ]


def test_list_filters_and_search(client, hr_user, rule):
    logged = _seed(rule, hr_user, n=4)
    client.force_login(hr_user)
    url = reverse("conduct:violation_list")
    page = client.get(url).context["page"]
    assert page.paginator.count == 4
    target = logged[0].employee
    assert [v.pk for v in client.get(url, {"q": target.employee_no}).context["page"]] == [
        logged[0].pk
    ]
    assert client.get(url, {"source": "complaint"}).context["page"].paginator.count == 2
    assert client.get(url, {"date_from": "2025-05-03"}).context["page"].paginator.count == 2
    assert client.get(url, {"date_to": "2025-05-01"}).context["page"].paginator.count == 1
    assert client.get(url, {"rule": "8"}).context["page"].paginator.count == 4
    assert client.get(url, {"rule": "9"}).context["page"].paginator.count == 0
    assert (
        client.get(url, {"rulebook": rule.version.rulebook_id}).context["page"].paginator.count == 4
    )
    assert client.get(url, {"category": rule.category.name}).context["page"].paginator.count == 4
    assert client.get(url, {"status": "voided"}).context["page"].paginator.count == 0
    oldest_first = [v.pk for v in client.get(url, {"sort": "occurred"}).context["page"]]
    assert oldest_first == [v.pk for v in logged]


def test_list_query_count_does_not_grow_with_the_page(client, hr_user, rule):
    """The same number of queries at 10 and at 50 a page; of them, two read violations
    (the count and the page, with employee, department, rulebook and rule joined)."""
    _seed(rule, hr_user, n=60)
    client.force_login(hr_user)
    client.get(reverse("conduct:violation_list"))  # warm the session
    counts = {}
    for per_page in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("conduct:violation_list"), {"per_page": per_page})
        assert len(response.context["page"]) == per_page
        assert response.content.decode().count('href="/conduct/violations/') >= per_page
        counts[per_page] = len(queries)
        touching = [q["sql"] for q in queries if 'FROM "conduct_violation"' in q["sql"]]
        assert len(touching) == 2, touching
    assert counts[10] == counts[50], counts


def test_department_head_sees_only_their_subtree(client, hr_user, head_user, rule):
    own = head_user.employee.department
    child = DepartmentFactory(parent=own)
    mine = _seed(rule, hr_user, n=1, department=child)[0]
    other = _seed(rule, hr_user, n=1)[0]
    client.force_login(head_user)
    listed = [v.pk for v in client.get(reverse("conduct:violation_list")).context["page"]]
    assert listed == [mine.pk]
    assert client.get(reverse("conduct:violation_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("conduct:violation_detail", args=[other.pk])).status_code == 404


def test_employee_sees_only_their_own_violation(client, hr_user, employee_user, rule):
    own = violation_log(
        employee=employee_user.employee,
        rule=rule,
        occurred_at=at(2025, 5, 1),
        logged_by=hr_user,
        chosen_amount=100,
        evidence_files=[upload("p.png", PNG, "image/png")],
    )
    colleague = person(department=employee_user.employee.department)
    other = violation_log(
        employee=colleague,
        rule=rule,
        occurred_at=at(2025, 5, 1),
        logged_by=hr_user,
        chosen_amount=100,
        evidence_files=[upload("q.png", PNG, "image/png")],
    )
    client.force_login(employee_user)
    assert client.get(reverse("conduct:violation_list")).status_code == 403
    assert client.get(reverse("conduct:violation_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("conduct:violation_detail", args=[other.pk])).status_code == 404
    own_file = own.evidence.get()
    response = client.get(reverse("conduct:evidence_download", args=[own_file.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    other_file = other.evidence.get()
    assert client.get(reverse("conduct:evidence_download", args=[other_file.pk])).status_code == 404


def test_void_through_the_detail_page(client, hr_user, head_user, rule):
    violation = _seed(rule, hr_user, n=1, department=head_user.employee.department)[0]
    url = reverse("conduct:violation_void", args=[violation.pk])
    client.force_login(head_user)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(hr_user)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "作废原因" in response.content.decode()
    response = client.post(url, {"reason": "录错了人"})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == "voided" and violation.void_reason == "录错了人"
    assert violation.penalties.get().status == "voided"


def test_penalty_list_is_scoped(client, hr_user, head_user, rule):
    _seed(rule, hr_user, n=2, department=head_user.employee.department)
    _seed(rule, hr_user, n=3)
    client.force_login(hr_user)
    assert client.get(reverse("penalties:penalty_list")).context["page"].paginator.count == 5
    client.force_login(head_user)
    assert client.get(reverse("penalties:penalty_list")).context["page"].paginator.count == 2


def test_nav_shows_the_violation_items_by_permission(client, hr_user, employee_user):
    client.force_login(hr_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("conduct:violation_create") in html
    assert reverse("conduct:violation_list") in html
    client.force_login(employee_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("conduct:violation_list") not in html
