"""The monthly service star and long service: who may nominate whom, one per department
a month, the company-wide limit, and suggestions that HR must confirm."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from penalties.authority import LOGGED_IT
from rewards.models import (
    Award,
    AwardSource,
    AwardStatus,
    NominationStatus,
    RewardSettings,
    ServiceStarNomination,
)
from rewards.selectors import (
    anniversary,
    first_of_month,
    long_service_suggestions,
    previous_month,
)
from rewards.services.decisions import AWARD_MESSAGES, award_approve, award_reject
from rewards.services.service_star import (
    MONTH_IN_FUTURE,
    MONTH_TOO_OLD,
    NOT_A_HEAD,
    NOT_A_SELECTOR,
    NOT_DUE,
    OTHER_DEPARTMENT,
    SECOND_NOMINATION,
    SELF_NOMINATION,
    TOO_MANY,
    long_service_confirm,
    service_star_nominate,
    service_star_select,
)
from rewards.tests.helpers import load_types, today
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def types():
    return load_types("service-bonus")


@pytest.fixture
def hall(department):
    """A sub-department of the head's department."""
    return DepartmentFactory(name="营业大厅", parent=department)


def _nominate(head, employee, **kwargs):
    return service_star_nominate(
        by=head, employee=employee, reason=kwargs.pop("reason", "客户满意度最高"), **kwargs
    )


def _heads(n):
    """``n`` department heads, each with one nominee in their own department."""
    pairs = []
    for _ in range(n):
        head = make_user("department_head", heads=True)
        pairs.append((head, EmployeeFactory(department=head.employee.department)))
    return pairs


# ---- Nominations ---------------------------------------------------------------------


def test_a_head_nominates_someone_of_their_department_for_this_month(head_user, employee_user):
    nomination = _nominate(head_user, employee_user.employee)
    assert nomination.month == first_of_month(today())
    assert nomination.department == head_user.employee.department
    assert nomination.status == NominationStatus.NOMINATED
    assert nomination.nominated_by == head_user


def test_a_nominee_below_the_department_counts_for_the_department_the_head_heads(head_user, hall):
    nominee = EmployeeFactory(department=hall)
    assert _nominate(head_user, nominee).department == head_user.employee.department


def test_a_second_nomination_in_the_same_month_is_refused_and_nothing_saved(
    head_user, employee_user
):
    first = _nominate(head_user, employee_user.employee)
    other = EmployeeFactory(department=head_user.employee.department)
    with pytest.raises(ValidationError) as exc_info:
        _nominate(head_user, other)
    month = first.month
    assert exc_info.value.messages == [
        str(SECOND_NOMINATION)
        % {
            "department": first.department.name,
            "name": employee_user.employee.name,
            "month": f"{month.year}年{month.month}月",
        }
    ]
    assert ServiceStarNomination.objects.count() == 1


def test_last_month_is_still_open_but_not_earlier_or_later(head_user, employee_user):
    last = previous_month(today())
    assert _nominate(head_user, employee_user.employee, month=last).month == last
    with pytest.raises(ValidationError) as exc_info:
        _nominate(head_user, employee_user.employee, month=previous_month(last))
    older = previous_month(last)
    assert exc_info.value.message_dict["month"] == [
        str(MONTH_TOO_OLD) % {"month": f"{older.year}年{older.month}月"}
    ]
    nxt = first_of_month(today()) + timedelta(days=32)
    with pytest.raises(ValidationError) as exc_info:
        _nominate(head_user, employee_user.employee, month=nxt)
    assert exc_info.value.message_dict["month"] == [str(MONTH_IN_FUTURE)]


def test_another_departments_employee_cannot_be_nominated(head_user):
    stranger = EmployeeFactory(department=DepartmentFactory(name="财务部"))
    with pytest.raises(ValidationError) as exc_info:
        _nominate(head_user, stranger)
    assert exc_info.value.message_dict["employee"] == [
        str(OTHER_DEPARTMENT) % {"name": stranger.name}
    ]
    assert not ServiceStarNomination.objects.exists()


def test_a_head_cannot_nominate_themselves(head_user):
    with pytest.raises(ValidationError) as exc_info:
        _nominate(head_user, head_user.employee)
    assert exc_info.value.message_dict["employee"] == [str(SELF_NOMINATION)]


@pytest.mark.parametrize("role", ["hr_officer", "gm", "deputy_gm", "employee", "payroll_clerk"])
def test_only_department_heads_nominate(role, employee_user):
    with pytest.raises(ValidationError) as exc_info:
        _nominate(make_user(role), employee_user.employee)
    assert exc_info.value.messages == [str(NOT_A_HEAD)]


def test_a_head_role_without_a_headed_department_cannot_nominate(employee_user):
    with pytest.raises(ValidationError) as exc_info:
        _nominate(make_user("department_head"), employee_user.employee)
    assert exc_info.value.messages == [str(NOT_A_HEAD)]


# ---- Selection -----------------------------------------------------------------------


def test_hr_selects_winners_creating_pending_awards_logged_by_the_selector(hr_user):
    (head, nominee), *_ = pairs = _heads(2)
    nominations = [_nominate(h, e) for h, e in pairs]
    awards = service_star_select(by=hr_user, month=today(), nominations=nominations)
    assert len(awards) == 2
    for award, nomination in zip(
        awards, sorted(nominations, key=lambda n: n.department.code), strict=True
    ):
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.SELECTED and nomination.award == award
        assert award.status == AwardStatus.PENDING
        assert award.source == AwardSource.SERVICE_STAR
        assert award.logged_by == hr_user
        assert award.amount == Decimal("500.00")
        assert award.awarded_on == today()
        assert "服务之星" in award.certificate
    # The nominee's head approves; HR, who selected, could not (and has no tier anyway).
    winner = next(a for a in awards if a.employee == nominee)
    assert award_approve(award=winner, approver=head).status == AwardStatus.APPROVED


def test_a_gm_who_selects_cannot_approve_their_selection(gm_user, deputy_user):
    ((head, nominee),) = _heads(1)
    nomination = _nominate(head, nominee)
    (award,) = service_star_select(by=gm_user, month=today(), nominations=[nomination])
    with pytest.raises(ValidationError) as exc_info:
        award_approve(award=award, approver=gm_user)
    assert exc_info.value.messages == [str(AWARD_MESSAGES[LOGGED_IT])]
    assert award_approve(award=award, approver=deputy_user).status == AwardStatus.APPROVED


def test_at_most_n_winners_a_month_company_wide(hr_user):
    row = RewardSettings.get()
    row.service_star_winners = 2
    row.save()
    nominations = [_nominate(h, e) for h, e in _heads(4)]
    service_star_select(by=hr_user, month=today(), nominations=nominations[:1])
    with pytest.raises(ValidationError) as exc_info:
        service_star_select(by=hr_user, month=today(), nominations=nominations[1:3])
    month = first_of_month(today())
    assert exc_info.value.messages == [
        str(TOO_MANY)
        % {"limit": 2, "taken": 1, "left": 1, "month": f"{month.year}年{month.month}月"}
    ]
    assert Award.objects.count() == 1
    assert ServiceStarNomination.objects.filter(status=NominationStatus.SELECTED).count() == 1
    service_star_select(by=hr_user, month=today(), nominations=nominations[1:2])
    assert Award.objects.count() == 2


def test_a_rejected_winner_frees_a_place(hr_user):
    row = RewardSettings.get()
    row.service_star_winners = 1
    row.save()
    pairs = _heads(2)
    nominations = [_nominate(h, e) for h, e in pairs]
    (award,) = service_star_select(by=hr_user, month=today(), nominations=nominations[:1])
    award_reject(award=award, approver=pairs[0][0], reason="投诉未结")
    assert len(service_star_select(by=hr_user, month=today(), nominations=nominations[1:])) == 1


def test_a_nomination_is_selected_once(hr_user):
    nomination = _nominate(*_heads(1)[0])
    service_star_select(by=hr_user, month=today(), nominations=[nomination])
    with pytest.raises(ValidationError) as exc_info:
        service_star_select(by=hr_user, month=today(), nominations=[nomination])
    assert exc_info.value.code == "already_selected"
    assert Award.objects.count() == 1


@pytest.mark.parametrize("role", ["department_head", "deputy_gm", "payroll_clerk", "employee"])
def test_only_hr_or_the_gm_select(role):
    nomination = _nominate(*_heads(1)[0])
    with pytest.raises(ValidationError) as exc_info:
        service_star_select(by=make_user(role), month=today(), nominations=[nomination])
    assert exc_info.value.messages == [str(NOT_A_SELECTOR)]


# ---- Long service ---------------------------------------------------------------------


def _hired_years_ago(years, day_shift=0):
    month = first_of_month(today())
    hired = date(month.year - years, month.month, 1) + timedelta(days=day_shift)
    return EmployeeFactory(hire_date=hired)


def test_people_completing_five_years_this_month_are_suggested_not_awarded(hr_user):
    due = _hired_years_ago(5)
    _hired_years_ago(4)
    _hired_years_ago(6)
    rows = long_service_suggestions(user=hr_user, month=today())
    assert [row["employee"] for row in rows] == [due]
    assert rows[0]["anniversary"] == anniversary(due.hire_date, 5)
    assert rows[0]["award"] is None
    assert not Award.objects.exists()  # never created silently


def test_hr_confirms_and_the_award_waits_for_approval_once(hr_user):
    due = _hired_years_ago(5)
    award = long_service_confirm(by=hr_user, employee=due, month=today())
    assert award.status == AwardStatus.PENDING
    assert award.source == AwardSource.LONG_SERVICE
    assert award.amount == Decimal("3000.00")
    assert award.certificate == "颁发荣誉证书"
    assert award.awarded_on == min(anniversary(due.hire_date, 5), today())
    assert long_service_suggestions(user=hr_user, month=today())[0]["award"] == award
    with pytest.raises(ValidationError) as exc_info:
        long_service_confirm(by=hr_user, employee=due, month=today())
    assert exc_info.value.code == "already_long_service"


def test_someone_not_due_this_month_is_refused(hr_user):
    early = _hired_years_ago(4)
    with pytest.raises(ValidationError) as exc_info:
        long_service_confirm(by=hr_user, employee=early, month=today())
    month = first_of_month(today())
    assert exc_info.value.messages == [
        str(NOT_DUE) % {"name": early.name, "years": 5, "month": f"{month.year}年{month.month}月"}
    ]


def test_leap_day_hires_complete_their_years_on_28_february():
    assert anniversary(date(2020, 2, 29), 5) == date(2025, 2, 28)
    assert anniversary(date(2020, 2, 29), 4) == date(2024, 2, 29)
