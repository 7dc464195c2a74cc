"""Bad input on the employee form: a clear Chinese message at the field, nothing saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import Department, Employee
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    department = Department.objects.first() or DepartmentFactory()
    data = {
        "employee_no": "C1001",
        "name": "张三",
        "department": department.pk,
        "hire_date": "2023-04-01",
        "monthly_wage": "3000.00",
        "monthly_bonus": "500",
        "status": "active",
    }
    data.update(overrides)
    return client.post(reverse("staff:employee_create"), data)


def _field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_valid_employee_is_created_through_the_form(client, hr_user):
    client.force_login(hr_user)
    response = _post(client)
    employee = Employee.objects.get(employee_no="C1001")
    assert response.status_code == 302
    assert response.url == reverse("staff:employee_detail", args=[employee.pk])
    assert str(employee.monthly_wage) == "3000.00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"monthly_wage": "-1"}, "monthly_wage", "金额不能为负数。"),
        ({"monthly_wage": "3000.123"}, "monthly_wage", "金额最多保留两位小数(精确到分)。"),
        ({"monthly_wage": "abc"}, "monthly_wage", "请输入以元为单位的金额,如 3000 或 3000.50。"),
        ({"department": ""}, "department", "请选择员工所在部门。"),
        ({"employee_no": "C 10/01"}, "employee_no", "只能使用字母、数字、连字符和下划线。"),
        ({"hire_date": "2026-02-30"}, "hire_date", "输入一个有效的日期。"),
    ],
)
def test_bad_values_are_refused_at_the_field(client, hr_user, overrides, field, message):
    client.force_login(hr_user)
    response = _post(client, **overrides)
    assert response.status_code == 200
    assert message in _field_errors(response, field)
    assert not Employee.objects.filter(name="张三").exists()


def test_future_hire_date_is_refused(client, hr_user):
    client.force_login(hr_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _post(client, hire_date=tomorrow.isoformat())
    assert _field_errors(response, "hire_date") == ["入职日期不能晚于今天。"]
    assert not Employee.objects.filter(employee_no="C1001").exists()


def test_duplicate_employee_number_is_refused(client, hr_user):
    EmployeeFactory(employee_no="C1001")
    client.force_login(hr_user)
    response = _post(client, name="李四")
    assert _field_errors(response, "employee_no") == ["该工号已被使用。"]
    assert Employee.objects.filter(employee_no="C1001").count() == 1
    assert not Employee.objects.filter(name="李四").exists()


def test_left_status_needs_a_date(client, hr_user):
    client.force_login(hr_user)
    response = _post(client, status="left")
    assert _field_errors(response, "left_on") == ["请填写离职日期。"]


def test_edit_saves_only_changed_fields(client, hr_user):
    employee = EmployeeFactory(name="旧名")
    client.force_login(hr_user)
    data = {
        "employee_no": employee.employee_no,
        "name": "新名",
        "department": employee.department_id,
        "hire_date": employee.hire_date.isoformat(),
        "monthly_wage": "3000.00",
        "monthly_bonus": "600.00",
        "status": "active",
    }
    response = client.post(reverse("staff:employee_update", args=[employee.pk]), data)
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.name == "新名"


def test_employee_without_permission_cannot_create(client, employee_user):
    client.force_login(employee_user)
    assert _post(client).status_code == 403
    assert not Employee.objects.filter(employee_no="C1001").exists()
