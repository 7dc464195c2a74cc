import pytest
from django.contrib.auth.models import Group

from staff.navigation import nav_for
from staff.roles import Role

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_hr_officer_can_manage_employees_and_auditor_only_reads():
    hr = Group.objects.get(name=Role.HR_OFFICER).permissions.values_list("codename", flat=True)
    auditor = Group.objects.get(name=Role.AUDITOR).permissions.values_list("codename", flat=True)
    assert {"add_employee", "change_employee", "view_all_employees"} <= set(hr)
    assert all(codename.startswith("view_") for codename in auditor)


def test_navigation_shows_what_the_role_may_use(hr_user, employee_user):
    hr_urls = {item["url"] for item in nav_for(hr_user)}
    employee_urls = {item["url"] for item in nav_for(employee_user)}
    assert "/staff/employees/" in hr_urls
    assert "/staff/employees/" not in employee_urls
    assert "/" in employee_urls
