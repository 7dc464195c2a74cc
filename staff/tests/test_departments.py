import pytest
from django.core.exceptions import ValidationError

from staff import services
from staff.selectors import department_subtree_ids
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_department_cannot_be_its_own_parent():
    dept = DepartmentFactory()
    with pytest.raises(ValidationError) as exc:
        services.department_update(department=dept, parent=dept)
    assert exc.value.message_dict == {"parent": ["部门不能挂在自身或其下级部门之下。"]}
    dept.refresh_from_db()
    assert dept.parent_id is None


def test_department_cannot_become_its_own_ancestor():
    top = DepartmentFactory()
    middle = DepartmentFactory(parent=top)
    bottom = DepartmentFactory(parent=middle)
    with pytest.raises(ValidationError):
        services.department_update(department=top, parent=bottom)
    top.refresh_from_db()
    assert top.parent_id is None


def test_moving_a_department_elsewhere_is_allowed():
    a, b = DepartmentFactory(), DepartmentFactory()
    child = DepartmentFactory(parent=a)
    services.department_update(department=child, parent=b)
    child.refresh_from_db()
    assert child.parent_id == b.pk


def test_subtree_includes_all_descendants_in_one_query(django_assert_num_queries):
    top = DepartmentFactory()
    middle = DepartmentFactory(parent=top)
    bottom = DepartmentFactory(parent=middle)
    other = DepartmentFactory()
    with django_assert_num_queries(1):
        ids = department_subtree_ids([middle.pk])
    assert ids == {middle.pk, bottom.pk}
    assert other.pk not in department_subtree_ids([top.pk])
