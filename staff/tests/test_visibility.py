"""Who sees whom: a head their subtree, an employee themselves, HR everyone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(department):
    sub = DepartmentFactory(name="营业大厅", parent=department)
    other = DepartmentFactory(name="财务部")
    return {
        "mine": EmployeeFactory(department=department, name="本部门"),
        "sub": EmployeeFactory(department=sub, name="下级部门"),
        "other": EmployeeFactory(department=other, name="其他部门"),
    }


def _names(response):
    return {e.name for e in response.context["page"]}


def test_head_sees_own_department_and_sub_departments(client, head_user, org):
    client.force_login(head_user)
    names = _names(client.get(reverse("staff:employee_list")))
    assert {"本部门", "下级部门"} <= names
    assert "其他部门" not in names


def test_head_gets_404_for_another_departments_employee(client, head_user, org):
    client.force_login(head_user)
    url = reverse("staff:employee_detail", args=[org["other"].pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("staff:employee_detail", args=[org["sub"].pk])).status_code == 200


def test_hr_sees_everyone(client, hr_user, org):
    client.force_login(hr_user)
    assert {"本部门", "下级部门", "其他部门"} <= _names(client.get(reverse("staff:employee_list")))


def test_employee_sees_own_file_only(client, employee_user, org):
    client.force_login(employee_user)
    assert client.get(reverse("staff:employee_list")).status_code == 403
    me = employee_user.employee
    assert client.get(reverse("staff:employee_detail", args=[me.pk])).status_code == 200
    url = reverse("staff:employee_detail", args=[org["mine"].pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("staff:employee_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_search_by_number_and_name(client, hr_user, org):
    client.force_login(hr_user)
    number = org["sub"].employee_no
    assert _names(client.get(reverse("staff:employee_list"), {"q": number})) == {"下级部门"}
    assert _names(client.get(reverse("staff:employee_list"), {"q": "其他"})) == {"其他部门"}


def test_department_filter_includes_sub_departments(client, hr_user, org, department):
    client.force_login(hr_user)
    names = _names(client.get(reverse("staff:employee_list"), {"department": department.pk}))
    assert names == {"本部门", "下级部门"}


def test_employee_list_query_count_does_not_grow_with_page_size(client, hr_user, department):
    """The same queries at 10 and 50 rows a page: no query per row."""
    EmployeeFactory.create_batch(60, department=department)
    client.force_login(hr_user)
    counts = []
    for per_page in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("staff:employee_list"), {"per_page": per_page})
        assert len(response.context["page"]) == per_page
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # session, user, permissions (2), role names, navigation badges, departments for the
    # filter, count, the page's rows
    assert counts[0] <= 12
