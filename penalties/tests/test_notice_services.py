"""Notice numbers, the frozen snapshot and acknowledgement."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from conftest import make_user
from penalties.models import Notice, NoticeCounter
from penalties.services.appeals import appeal_decide, appeal_file
from penalties.services.approvals import penalty_approve
from penalties.services.notices import (
    ALREADY_ACKNOWLEDGED,
    NOT_CURRENT,
    NOT_YOUR_NOTICE,
    cn_datetime,
    notice_acknowledge,
    notice_number_next,
)
from penalties.tests.approval_helpers import RULE_TEXT, make_penalty
from staff.models import CompanySettings

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_numbers_count_per_year_with_six_digits():
    with transaction.atomic():
        assert notice_number_next(year=2026) == (1, "JC-2026-000001")
        assert notice_number_next(year=2026) == (2, "JC-2026-000002")
        assert notice_number_next(year=2027) == (1, "JC-2027-000001")
    assert NoticeCounter.objects.get(year=2026).last_sequence == 2


def test_a_rolled_back_issue_gives_its_number_back():
    with transaction.atomic():
        notice_number_next(year=2026)
    try:
        with transaction.atomic():
            notice_number_next(year=2026)
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        assert notice_number_next(year=2026) == (2, "JC-2026-000002")


def test_numbers_are_drawn_only_inside_a_transaction(django_db_blocker):
    # pytest-django wraps the test in a transaction; leave it to see the guard.
    from django.db import connection

    connection.in_atomic_block, was = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError):
            notice_number_next(year=2026)
    finally:
        connection.in_atomic_block = was


def test_the_year_is_the_local_year_of_issue(employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    new_year_shanghai = datetime(2026, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))  # 2027-01-01 00:30
    penalty_approve(penalty=penalty, approver=head_user, now=new_year_shanghai)
    notice = Notice.objects.get(penalty=penalty)
    assert (notice.year, notice.number) == (2027, "JC-2027-000001")


@pytest.fixture
def notice(employee_user, hr_user, head_user):
    CompanySettings.objects.update_or_create(pk=1, defaults={"name": "鹤城优质服务有限公司"})
    penalty = make_penalty(
        employee=employee_user.employee,
        logged_by=hr_user,
        sanctions=["public_criticism"],
        points=2,
    )
    penalty_approve(penalty=penalty, approver=head_user, comment="情况属实")
    return Notice.objects.get(penalty=penalty)


def test_the_snapshot_freezes_everything_the_notice_prints(notice, employee_user, head_user):
    s = notice.snapshot
    employee = employee_user.employee
    assert s["company"] == "鹤城优质服务有限公司"
    assert (s["employee_name"], s["employee_no"], s["department"]) == (
        employee.name,
        employee.employee_no,
        employee.department.name,
    )
    assert (s["rulebook"], s["version"], s["category"], s["rule_number"]) == (
        "全员优质服务规范与处罚细则",
        "2024版",
        "劳动纪律“八不准”",
        "14",
    )
    assert s["rule_text"] == RULE_TEXT
    assert s["occurred_at"] == "2026年11月3日 09:20"
    assert s["occurrence"] == 1
    assert s["amount"] == "200.00"
    assert s["amount_words"] == "贰佰元整"
    assert s["money_kind"] == "罚款"
    assert s["sanctions"] == ["通报批评"]
    assert s["points"] == 2
    assert [step["name"] for step in s["chain"]] == ["人事小王", "部门李主任"]
    assert s["chain"][1]["role"] == "部门负责人"
    assert s["chain"][1]["comment"] == "情况属实"
    assert s["appeal_days"] == 7
    assert s["issued_by"] == "部门李主任"


def test_later_changes_do_not_touch_an_issued_notice(notice, employee_user):
    before = dict(notice.snapshot)
    rule = notice.penalty.violation.rule
    rule.text = "改写后的条文"
    rule.save(update_fields=["text"])
    employee = employee_user.employee
    employee.name = "改名"
    employee.save(update_fields=["name"])
    notice.refresh_from_db()
    assert notice.snapshot == before


def test_the_person_addressed_acknowledges_with_time_and_ip(notice, employee_user):
    notice_acknowledge(notice=notice, employee_user=employee_user, ip="10.1.2.3")
    notice.refresh_from_db()
    assert notice.acknowledged_by == employee_user
    assert notice.acknowledged_ip == "10.1.2.3"
    assert notice.acknowledged_at is not None
    with pytest.raises(ValidationError) as info:
        notice_acknowledge(notice=notice, employee_user=employee_user, ip="10.1.2.3")
    assert info.value.messages == [
        str(ALREADY_ACKNOWLEDGED) % {"when": cn_datetime(notice.acknowledged_at)}
    ]


@pytest.mark.parametrize("role", ["hr_officer", "department_head", "gm", "employee"])
def test_nobody_else_acknowledges(notice, role, department):
    with pytest.raises(ValidationError) as info:
        user = make_user(role, department=department)
        notice_acknowledge(notice=notice, employee_user=user, ip=None)
    assert info.value.messages == [str(NOT_YOUR_NOTICE)]
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_a_replaced_notice_cannot_be_acknowledged(notice, employee_user, gm_user):
    appeal = appeal_file(penalty=notice.penalty, employee_user=employee_user, text="太重")
    appeal_decide(
        appeal=appeal, reviewer=gm_user, outcome="reduced", new_amount=Decimal("50"), reason="从轻"
    )
    newer = Notice.objects.get(penalty=notice.penalty, is_current=True)
    with pytest.raises(ValidationError) as info:
        notice_acknowledge(notice=notice, employee_user=employee_user, ip=None)
    assert info.value.messages == [str(NOT_CURRENT) % {"number": newer.number}]
    notice_acknowledge(notice=newer, employee_user=employee_user, ip="::1")


def test_a_department_penalty_is_addressed_to_the_departments_head(hr_user, employee_user, gm_user):
    head = make_user("department_head", heads=True)
    penalty = make_penalty(
        employee=head.employee, logged_by=hr_user, party="department", amount="500"
    )
    penalty_approve(penalty=penalty, approver=gm_user)
    notice = Notice.objects.get(penalty=penalty)
    assert notice.snapshot["employee_name"] == head.employee.department.name
    assert notice.snapshot["employee_no"] == ""
    notice_acknowledge(notice=notice, employee_user=head, ip=None)
