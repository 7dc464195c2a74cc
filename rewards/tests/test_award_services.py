"""Logging, approving, rejecting and voiding awards: amounts, tiers, segregation, scope,
history, notices and what payroll reads."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from conftest import make_user
from penalties.authority import LOGGED_IT, NOT_AN_APPROVER, OUT_OF_SCOPE, OWN_RECORD, TIER_TOO_LOW
from penalties.models import ApprovalSettings
from penalties.tiers import Tier
from rewards.models import Award, AwardEvidence, AwardStatus, AwardTransition, RewardNotice
from rewards.pricing import AMOUNT_ABOVE_RANGE
from rewards.selectors import awards_for_employee, payroll_awards
from rewards.services import awards as award_services
from rewards.services.awards import (
    ALREADY_LONG_SERVICE,
    BEFORE_HIRE,
    CHOOSE_DEPARTMENT,
    EMPLOYEE_LEFT,
    IN_FUTURE,
    NO_EMPLOYEE_FOR_FUND,
    REASON_REQUIRED,
    award_create,
    awards_retier,
)
from rewards.services.decisions import (
    ALREADY_DECIDED,
    AWARD_MESSAGES,
    CANNOT_VOID,
    NOT_ALLOWED_TO_VOID,
    award_approve,
    award_approve_many,
    award_reject,
    award_void,
)
from rewards.tests.helpers import PDF, PNG, load_types, today
from staff.models import EmployeeStatus
from staff.tests.factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def types():
    return load_types("service-bonus", "service-management", "water-utility")


@pytest.fixture
def person(employee_user):
    return employee_user.employee


def _log(types, hr_user, key="service-bonus/service-star", **kwargs):
    kwargs.setdefault("employee", None if "teamwork" in key else kwargs.get("employee"))
    return award_create(
        logged_by=hr_user,
        reward_type=types[key],
        awarded_on=kwargs.pop("awarded_on", today()),
        reason=kwargs.pop("reason", "客户书面表扬"),
        **kwargs,
    )


def _message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# ---- Logging -----------------------------------------------------------------------


def test_an_award_is_logged_pending_with_its_amounts_tier_and_audit_row(types, hr_user, person):
    award = _log(types, hr_user, "water-utility/praise-comment-book", employee=person)
    assert award.status == AwardStatus.PENDING
    assert (award.amount, award.department_amount) == (Decimal("20.00"), Decimal("200.00"))
    assert award.department == person.department
    assert award.required_tier == Tier.DEPARTMENT_HEAD
    assert award.logged_by == hr_user
    assert [line["amount"] for line in award.lines] == ["20.00", "200.00"]
    entry = AuditEntry.objects.get(object_type="rewards.award", object_id=str(award.pk))
    assert entry.action == "create" and entry.actor == hr_user
    assert entry.changes["amount"] == [None, "20.00"]


def test_the_tier_follows_the_total_under_the_configured_policy(types, hr_user, person):
    over = _log(
        types,
        hr_user,
        "service-bonus/over-target",
        employee=person,
        involved_amount=Decimal("20000"),
    )
    assert over.amount == Decimal("2000.00")
    assert over.required_tier == Tier.DEPUTY_GM
    person.monthly_wage = Decimal("6000")
    person.save()
    star = _log(types, hr_user, "service-management/service-star", employee=person)
    assert star.required_tier == Tier.GM
    row = ApprovalSettings.get()
    row.deputy_gm_max = Decimal("8000")
    row.save()
    assert awards_retier(policy=row.as_policy()) == 1
    star.refresh_from_db()
    assert star.required_tier == Tier.DEPUTY_GM


def test_a_team_award_goes_to_the_department_fund(types, hr_user):
    team = DepartmentFactory(name="维修抢修部")
    award = _log(types, hr_user, "service-bonus/teamwork", department=team)
    assert award.employee is None and award.department == team
    assert (award.amount, award.department_amount) == (Decimal("500.00"), Decimal("0.00"))


def test_a_team_award_needs_the_department_and_no_person(types, hr_user, person):
    with pytest.raises(ValidationError) as exc_info:
        _log(types, hr_user, "service-bonus/teamwork")
    assert exc_info.value.message_dict["department"] == [str(CHOOSE_DEPARTMENT)]
    with pytest.raises(ValidationError) as exc_info:
        award_create(
            logged_by=hr_user,
            reward_type=types["service-bonus/teamwork"],
            employee=person,
            awarded_on=today(),
            reason="团队协作",
        )
    assert exc_info.value.message_dict["employee"] == [str(NO_EMPLOYEE_FOR_FUND)]
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": "  "}, "reason", REASON_REQUIRED),
        ({"awarded_on": "tomorrow"}, "awarded_on", IN_FUTURE),
        ({"chosen_amount": Decimal("1200")}, "chosen_amount", None),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(types, hr_user, person, change, field, message):
    kwargs = {"employee": person, "chosen_amount": Decimal("500"), **change}
    if kwargs.get("awarded_on") == "tomorrow":
        kwargs["awarded_on"] = today() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        _log(types, hr_user, "service-bonus/innovation-proposal", **kwargs)
    expected = (
        str(message)
        if message
        else str(AMOUNT_ABOVE_RANGE) % {"amount": "¥1,200", "high": "¥1,000"}
    )
    assert exc_info.value.message_dict[field] == [expected]
    assert not Award.objects.exists()


def test_no_award_before_the_hire_date_or_for_someone_who_left(types, hr_user):
    newcomer = EmployeeFactory(hire_date=today() - timedelta(days=3))
    with pytest.raises(ValidationError) as exc_info:
        _log(types, hr_user, employee=newcomer, awarded_on=today() - timedelta(days=5))
    assert exc_info.value.message_dict["awarded_on"] == [
        str(BEFORE_HIRE) % {"date": newcomer.hire_date}
    ]
    gone = EmployeeFactory(status=EmployeeStatus.LEFT, left_on=today() - timedelta(days=1))
    with pytest.raises(ValidationError) as exc_info:
        _log(types, hr_user, employee=gone)
    assert exc_info.value.message_dict["employee"] == [str(EMPLOYEE_LEFT) % {"name": gone.name}]


def test_evidence_is_checked_by_content_and_nothing_is_kept_on_failure(types, hr_user, person):
    files = [
        SimpleUploadedFile("表扬信.png", PNG),
        SimpleUploadedFile("报道.pdf", PDF),
    ]
    award = _log(types, hr_user, employee=person, evidence_files=files)
    assert sorted(e.content_type for e in award.evidence.all()) == ["application/pdf", "image/png"]
    with pytest.raises(ValidationError) as exc_info:
        _log(
            types,
            hr_user,
            employee=person,
            evidence_files=[SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf")],
        )
    assert "伪装.pdf" in _message(exc_info)
    assert Award.objects.count() == 1 and AwardEvidence.objects.count() == 2


def test_long_service_is_given_once(types, hr_user, person):
    _log(types, hr_user, "service-bonus/long-service", employee=person)
    with pytest.raises(ValidationError) as exc_info:
        _log(types, hr_user, "service-bonus/long-service", employee=person)
    first = Award.objects.get()
    assert exc_info.value.messages == [
        str(ALREADY_LONG_SERVICE)
        % {"name": person.name, "status": first.get_status_display(), "date": first.awarded_on}
    ]
    assert Award.objects.count() == 1


def test_the_version_in_force_on_the_award_date_prices_it(types, hr_user, person):
    """The form lists today's catalogue; the service judges by the award's own date."""
    before = date(2023, 12, 31)  # the seed rulebooks start on 2024-01-01
    person.hire_date = date(2020, 1, 1)
    person.save()
    with pytest.raises(ValidationError) as exc_info:
        _log(types, hr_user, employee=person, awarded_on=before)
    assert "reward_type" in exc_info.value.message_dict


# ---- Decisions ---------------------------------------------------------------------


@pytest.fixture
def star(types, hr_user, person):
    return _log(types, hr_user, employee=person)


def test_the_department_head_approves_and_a_numbered_notice_is_issued(star, head_user):
    award = award_approve(award=star, approver=head_user, comment="同意")
    assert award.status == AwardStatus.APPROVED and award.decided_by == head_user
    notice = RewardNotice.objects.get(award=star)
    assert notice.number == f"JL-{notice.year}-000001"
    transition = AwardTransition.objects.get(award=star)
    assert (transition.from_status, transition.to_status) == ("pending", "approved")
    assert transition.actor_tier == Tier.DEPARTMENT_HEAD
    assert AuditEntry.objects.filter(object_id=str(star.pk), action="transition").count() == 1


def _award_message(code, **params):
    text = str(AWARD_MESSAGES[code])
    return text % params if params else text


def test_whoever_logged_it_may_not_decide_it(types, person):
    gm = make_user("gm")  # e.g. the GM who selected the service star
    award = _log(types, gm, employee=person)
    with pytest.raises(ValidationError) as exc_info:
        award_approve(award=award, approver=gm)
    assert exc_info.value.messages == [_award_message(LOGGED_IT)]


def test_nobody_decides_their_own_award(types, hr_user, head_user):
    award = _log(types, hr_user, employee=head_user.employee)
    with pytest.raises(ValidationError) as exc_info:
        award_approve(award=award, approver=head_user)
    assert exc_info.value.messages == [_award_message(OWN_RECORD)]


def test_a_head_decides_only_inside_their_departments(types, hr_user, head_user):
    elsewhere = EmployeeFactory(department=DepartmentFactory(name="财务部"))
    award = _log(types, hr_user, employee=elsewhere)
    with pytest.raises(ValidationError) as exc_info:
        award_reject(award=award, approver=head_user, reason="不符合")
    assert exc_info.value.messages == [_award_message(OUT_OF_SCOPE)]


def test_a_head_cannot_approve_above_their_limit_but_a_deputy_can(
    types, hr_user, person, head_user, deputy_user
):
    award = _log(
        types,
        hr_user,
        "service-bonus/over-target",
        employee=person,
        involved_amount=Decimal("15000"),
    )
    with pytest.raises(ValidationError) as exc_info:
        award_approve(award=award, approver=head_user)
    assert exc_info.value.messages == [_award_message(TIER_TOO_LOW, tier=Tier.DEPUTY_GM.label)]
    assert award_approve(award=award, approver=deputy_user).status == AwardStatus.APPROVED


@pytest.mark.parametrize("role", ["hr_officer", "payroll_clerk", "employee", "auditor"])
def test_roles_without_authority_cannot_decide(star, role):
    user = make_user(role)
    with pytest.raises(ValidationError) as exc_info:
        award_approve(award=star, approver=user)
    assert exc_info.value.messages == [_award_message(NOT_AN_APPROVER)]


def test_reject_needs_a_reason_and_a_decided_award_stays_decided(star, head_user, gm_user):
    with pytest.raises(ValidationError):
        award_reject(award=star, approver=head_user, reason=" ")
    award_reject(award=star, approver=head_user, reason="证据不足")
    with pytest.raises(ValidationError) as exc_info:
        award_approve(award=star, approver=gm_user)
    assert exc_info.value.messages == [
        str(ALREADY_DECIDED) % {"status": AwardStatus.REJECTED.label}
    ]
    assert not RewardNotice.objects.exists()


def test_bulk_approval_reports_each_failure(types, hr_user, person, head_user):
    mine = _log(types, hr_user, employee=person)
    elsewhere = _log(types, hr_user, employee=EmployeeFactory())
    result = award_approve_many(awards=[mine, elsewhere], approver=head_user)
    assert [a.pk for a in result.done] == [mine.pk]
    assert [pk for pk, _ in result.failed] == [elsewhere.pk]


def test_hr_voids_pending_or_approved_with_a_reason_only(star, head_user, hr_user, gm_user):
    with pytest.raises(ValidationError) as exc_info:
        award_void(award=star, by=gm_user, reason="重复")
    assert exc_info.value.messages == [str(NOT_ALLOWED_TO_VOID)]
    award_approve(award=star, approver=head_user)
    with pytest.raises(ValidationError):
        award_void(award=star, by=hr_user, reason="")
    award_void(award=star, by=hr_user, reason="重复登记")
    star.refresh_from_db()
    assert star.status == AwardStatus.VOIDED and star.void_reason == "重复登记"
    with pytest.raises(ValidationError) as exc_info:
        award_void(award=star, by=hr_user, reason="再次")
    assert exc_info.value.messages == [str(CANNOT_VOID) % {"status": AwardStatus.VOIDED.label}]
    assert RewardNotice.objects.filter(award=star).exists()  # kept on file


# ---- Reading ------------------------------------------------------------------------


def test_payroll_reads_approved_person_awards_of_the_month(types, hr_user, person, head_user):
    this_month = today().replace(day=1)
    approved = _log(types, hr_user, employee=person, awarded_on=this_month)
    award_approve(award=approved, approver=head_user)
    _log(types, hr_user, employee=person, awarded_on=this_month)  # pending: not yet pay
    team = _log(types, hr_user, "service-bonus/teamwork", department=person.department)
    award_approve(award=team, approver=head_user)  # a fund, not a wage
    rows = list(payroll_awards(year=this_month.year, month=this_month.month))
    assert rows == [approved]
    assert rows[0].amount == Decimal("500.00")


def test_the_record_shows_all_to_hr_and_only_decided_ones_to_the_employee(
    types, hr_user, person, employee_user, head_user
):
    pending = _log(types, hr_user, employee=person)
    approved = _log(types, hr_user, employee=person)
    award_approve(award=approved, approver=head_user)
    rejected = _log(types, hr_user, employee=person)
    award_reject(award=rejected, approver=head_user, reason="不成立")
    assert set(awards_for_employee(user=hr_user, employee=person)) == {pending, approved, rejected}
    assert set(awards_for_employee(user=head_user, employee=person)) == {
        pending,
        approved,
        rejected,
    }
    assert list(awards_for_employee(user=employee_user, employee=person)) == [approved]
    stranger = make_user("employee")
    assert not awards_for_employee(user=stranger, employee=person).exists()
    other_head = make_user("department_head", heads=True)
    assert not awards_for_employee(user=other_head, employee=person).exists()


def test_services_module_exposes_retier_for_the_approval_settings():
    assert callable(award_services.awards_retier)


def test_voiding_an_award_no_closed_month_paid_makes_no_adjustment(star, head_user, hr_user):
    from payroll.models import PayrollAdjustment

    award_approve(award=star, approver=head_user)
    award_void(award=star, by=hr_user, reason="重复")
    star.refresh_from_db()
    assert star.status == AwardStatus.VOIDED
    assert not PayrollAdjustment.objects.filter(award=star).exists()
