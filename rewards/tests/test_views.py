"""The reward screens: every view with every role, the live preview, bad input on the
forms (clear messages, nothing saved), the inbox, and the list's query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from rewards.models import Award, AwardStatus, RewardSettings, ServiceStarNomination
from rewards.selectors import first_of_month
from rewards.services.awards import award_create
from rewards.services.decisions import award_approve
from rewards.services.service_star import service_star_nominate
from rewards.tests.helpers import PNG, load_types, today
from staff.tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

ROLES = ["hr", "head", "deputy", "gm", "payroll", "employee", "auditor"]


@pytest.fixture
def types():
    return load_types("service-bonus", "water-utility")


def _award(types, users, key="service-bonus/service-star", **kwargs):
    return award_create(
        logged_by=users["hr"],
        reward_type=types[key],
        employee=kwargs.pop("employee", users["employee"].employee),
        awarded_on=today(),
        reason="客户书面表扬",
        **kwargs,
    )


@pytest.fixture
def pending(types, users):
    return _award(types, users, evidence_files=[SimpleUploadedFile("表扬信.png", PNG)])


@pytest.fixture
def approved(types, users):
    award = _award(types, users)
    return award_approve(award=award, approver=users["head"])


# ---- Who may open what ---------------------------------------------------------------

READ_ALL = {"hr", "head", "deputy", "gm", "payroll", "auditor"}
GET_MATRIX = [
    ("rewards:award_list", None, READ_ALL),
    ("rewards:award_create", None, {"hr"}),
    ("rewards:award_type_section", None, {"hr"}),
    ("rewards:employee_search", None, {"hr"}),
    ("rewards:award_inbox", None, {"head", "deputy", "gm"}),
    ("rewards:rewardtype_list", None, set(ROLES)),
    ("rewards:my_awards", None, {"employee"}),
    ("rewards:service_star", None, {"hr", "head", "deputy", "gm", "auditor"}),
    ("rewards:long_service", None, {"hr"}),
    ("rewards:settings", None, {"hr", "gm"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "_args", "allowed"), GET_MATRIX, ids=[m[0] for m in GET_MATRIX])
def test_pages_open_to_their_roles_only(client, users, types, role, name, _args, allowed):
    client.force_login(users[role])
    response = client.get(reverse(name))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("name", [m[0] for m in GET_MATRIX] + ["rewards:award_preview"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_one_award_is_a_404_outside_ones_scope(client, users, pending, role):
    client.force_login(users[role])
    response = client.get(reverse("rewards:award_detail", args=[pending.pk]))
    # The recipient does not see a pending award on their record yet.
    assert response.status_code == (200 if role in READ_ALL else 404)


def test_a_head_of_another_department_gets_404(client, pending):
    client.force_login(make_user("department_head", heads=True))
    assert client.get(reverse("rewards:award_detail", args=[pending.pk])).status_code == 404
    assert client.get(reverse("rewards:award_notice", args=[pending.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_notice_pdf_is_for_whoever_sees_the_approved_award(client, users, approved, role):
    client.force_login(users[role])
    response = client.get(reverse("rewards:award_notice", args=[approved.pk]))
    assert response.status_code == 200  # the recipient too
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_stranger_cannot_read_the_notice_or_the_record(client, approved):
    client.force_login(make_user("employee"))
    assert client.get(reverse("rewards:award_notice", args=[approved.pk])).status_code == 404
    assert client.get(reverse("rewards:award_detail", args=[approved.pk])).status_code == 404
    url = reverse("rewards:employee_awards", args=[approved.employee_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_evidence_only_for_those_who_see_awards(client, users, pending, role):
    evidence = pending.evidence.get()
    client.force_login(users[role])
    response = client.get(reverse("rewards:evidence_download", args=[evidence.pk]))
    assert response.status_code == (200 if role in READ_ALL else 404)
    if response.status_code == 200:
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ROLES)
def test_the_employee_record_shows_awards_as_the_role_may_see_them(
    client, users, pending, approved, role
):
    client.force_login(users[role])
    url = reverse("rewards:employee_awards", args=[users["employee"].employee.pk])
    response = client.get(url)
    if role in READ_ALL | {"employee"}:
        assert response.status_code == 200
        shown = {a.pk for a in response.context["awards"]}
        expected = {approved.pk} if role == "employee" else {pending.pk, approved.pk}
        assert shown == expected
    else:  # pragma: no cover - every role above sees this employee
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_approving_needs_the_authority(client, users, types, role):
    award = _award(types, users)
    client.force_login(users[role])
    response = client.post(reverse("rewards:award_approve", args=[award.pk]), {"comment": "同意"})
    award.refresh_from_db()
    if role in {"head", "deputy", "gm"}:
        assert response.status_code == 302
        assert award.status == AwardStatus.APPROVED
    else:
        assert response.status_code in (403, 404)
        assert award.status == AwardStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_rejecting_needs_the_authority_and_a_reason(client, users, types, role):
    award = _award(types, users)
    client.force_login(users[role])
    url = reverse("rewards:award_reject", args=[award.pk])
    if role in {"head", "deputy", "gm"}:
        response = client.post(url, {"reason": ""})
        assert response.status_code == 400
        assert "请填写理由" in response.content.decode()
        assert client.post(url, {"reason": "证据不足"}).status_code == 302
        award.refresh_from_db()
        assert award.status == AwardStatus.REJECTED
    else:
        assert client.post(url, {"reason": "证据不足"}).status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_hr_voids(client, users, approved, role):
    client.force_login(users[role])
    response = client.post(reverse("rewards:award_void", args=[approved.pk]), {"reason": "重复"})
    approved.refresh_from_db()
    if role == "hr":
        assert response.status_code == 302 and approved.status == AwardStatus.VOIDED
    else:
        assert response.status_code in (403, 404) and approved.status == AwardStatus.APPROVED


def test_a_head_sees_why_they_cannot_decide_above_their_limit(client, users, types):
    award = _award(types, users, "service-bonus/over-target", involved_amount=Decimal("20000"))
    client.force_login(users["head"])
    page = client.get(reverse("rewards:award_detail", args=[award.pk])).content.decode()
    assert 'data-testid="decision-error"' in page
    assert "副总经理" in page
    response = client.post(reverse("rewards:award_approve", args=[award.pk]))
    assert response.status_code == 400
    award.refresh_from_db()
    assert award.status == AwardStatus.PENDING


# ---- Logging through the form -----------------------------------------------------------


def _form_data(types, users, key="service-bonus/service-star", **extra):
    data = {
        "reward_type": types[key].pk,
        "employee": users["employee"].employee.pk,
        "awarded_on": today().isoformat(),
        "reason": "客户书面表扬",
    }
    data.update(extra)
    return data


def test_hr_logs_an_award_through_the_form(client, users, types):
    client.force_login(users["hr"])
    data = _form_data(
        types, users, evidence_files=[SimpleUploadedFile("表扬信.png", PNG, "image/png")]
    )
    response = client.post(reverse("rewards:award_create"), data)
    award = Award.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "rewards:award_detail", args=[award.pk]
    )
    assert award.amount == Decimal("500.00") and award.evidence.count() == 1


@pytest.mark.parametrize(
    ("key", "extra", "message"),
    [
        (
            "service-bonus/innovation-proposal",
            {"chosen_amount": "1200"},
            "金额¥1,200高于本奖励的最高金额¥1,000。",
        ),
        (
            "service-bonus/innovation-proposal",
            {"chosen_amount": "250"},
            "金额¥250低于本奖励的最低金额¥300。",
        ),
        ("service-bonus/innovation-proposal", {}, "请填写金额,范围为¥300至¥1,000。"),
        ("service-bonus/over-target", {}, "请填写计算比例的基数金额(例如超额部分)。"),
        ("service-bonus/teamwork", {}, "本奖励发给部门或团队基金,请选择部门。"),
        ("service-bonus/service-star", {"reason": ""}, "请填写理由。"),
    ],
)
def test_bad_input_shows_a_clear_message_and_saves_nothing(
    client, users, types, key, extra, message
):
    client.force_login(users["hr"])
    response = client.post(reverse("rewards:award_create"), _form_data(types, users, key, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Award.objects.exists()


def test_the_wage_floor_is_explained_when_the_amount_is_below_it(client, users):
    types = load_types("service-management")
    person = users["employee"].employee
    person.monthly_wage = Decimal("3500")
    person.save()
    client.force_login(users["hr"])
    data = _form_data(types, users, "service-management/service-star", chosen_amount="3000")
    response = client.post(reverse("rewards:award_create"), data)
    assert "金额¥3,000低于下限¥3,500" in response.content.decode()
    assert not Award.objects.exists()


def test_the_preview_shows_amount_share_and_tier(client, users, types):
    client.force_login(users["hr"])
    response = client.post(
        reverse("rewards:award_preview"),
        _form_data(types, users, "water-utility/media-report", reason=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="preview-amount">¥50.00' in page
    assert 'data-testid="preview-department-amount">¥500.00' in page
    assert 'data-testid="preview-tier">部门负责人' in page


def test_the_preview_shows_the_tier_a_bigger_award_needs(client, users, types):
    client.force_login(users["hr"])
    response = client.post(
        reverse("rewards:award_preview"),
        _form_data(types, users, "service-bonus/over-target", involved_amount="30000"),
    )
    page = response.content.decode()
    assert 'data-testid="preview-amount">¥3,000.00' in page
    assert 'data-testid="preview-tier">副总经理' in page


def test_the_preview_explains_an_amount_out_of_range(client, users, types):
    client.force_login(users["hr"])
    response = client.post(
        reverse("rewards:award_preview"),
        _form_data(types, users, "service-bonus/innovation-proposal", chosen_amount="1001"),
    )
    assert "金额¥1,001高于本奖励的最高金额¥1,000。" in response.content.decode()


def test_the_type_section_asks_for_what_the_reward_needs(client, users, types):
    client.force_login(users["hr"])
    url = reverse("rewards:award_type_section")
    page = client.get(url, {"reward_type": types["service-bonus/innovation-proposal"].pk})
    assert 'name="chosen_amount"' in page.content.decode()
    page = client.get(url, {"reward_type": types["service-bonus/teamwork"].pk}).content.decode()
    assert 'name="department"' in page and 'name="employee"' not in page


# ---- Inbox, nominations, selection, long service ---------------------------------------


def test_the_inbox_lists_what_waits_and_approves_the_selected(client, users, types):
    mine = _award(types, users)
    elsewhere = _award(types, users, employee=EmployeeFactory())
    client.force_login(users["head"])
    page = client.get(reverse("rewards:award_inbox"))
    assert [a.pk for a in page.context["awards"]] == [mine.pk]
    response = client.post(reverse("rewards:award_inbox"), {"award": [mine.pk, elsewhere.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert mine.status == AwardStatus.APPROVED
    assert elsewhere.status == AwardStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_only_heads_nominate_through_the_page(client, users, types, role):
    client.force_login(users[role])
    data = {
        "employee": users["employee"].employee.pk,
        "month": first_of_month(today()).isoformat(),
        "reason": "客户满意度最高",
    }
    response = client.post(reverse("rewards:nomination_create"), data)
    if role == "head":
        assert response.status_code == 302
        assert ServiceStarNomination.objects.count() == 1
    else:
        assert response.status_code == 403
        assert not ServiceStarNomination.objects.exists()


def test_a_second_nomination_shows_the_message_and_saves_nothing(client, users, types):
    head = users["head"]
    service_star_nominate(by=head, employee=users["employee"].employee, reason="第一位")
    other = EmployeeFactory(department=head.employee.department)
    client.force_login(head)
    data = {"employee": other.pk, "month": first_of_month(today()).isoformat(), "reason": "第二位"}
    response = client.post(reverse("rewards:nomination_create"), data)
    assert response.status_code == 400
    assert "每个部门每月只能提名一人" in response.content.decode()
    assert ServiceStarNomination.objects.count() == 1


def test_a_nominee_of_another_department_is_not_even_offered(client, users, types):
    stranger = EmployeeFactory()
    client.force_login(users["head"])
    data = {"employee": stranger.pk, "month": first_of_month(today()).isoformat(), "reason": "x"}
    response = client.post(reverse("rewards:nomination_create"), data)
    assert response.status_code == 400
    assert not ServiceStarNomination.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_hr_or_the_gm_select_through_the_page(client, users, types, role):
    nomination = service_star_nominate(
        by=users["head"], employee=users["employee"].employee, reason="客户满意度最高"
    )
    client.force_login(users[role])
    data = {"month": today().strftime("%Y-%m"), "nominations": [nomination.pk]}
    response = client.post(reverse("rewards:service_star_select"), data)
    if role in {"hr", "gm"}:
        assert response.status_code == 302
        assert Award.objects.get().logged_by == users[role]
    else:
        assert response.status_code == 403
        assert not Award.objects.exists()


def test_selecting_more_than_allowed_shows_the_limit(client, users, types):
    row = RewardSettings.get()
    row.service_star_winners = 1
    row.save()
    heads = [make_user("department_head", heads=True) for _ in range(2)]
    nominations = [
        service_star_nominate(
            by=h, employee=EmployeeFactory(department=h.employee.department), reason="优秀"
        )
        for h in heads
    ]
    client.force_login(users["hr"])
    data = {"month": today().strftime("%Y-%m"), "nominations": [n.pk for n in nominations]}
    response = client.post(reverse("rewards:service_star_select"), data)
    assert response.status_code == 400
    assert "每月最多评选1名服务之星" in response.content.decode()
    assert not Award.objects.exists()


def test_long_service_is_suggested_then_confirmed_on_the_page(client, users, types):
    month = first_of_month(today())
    due = EmployeeFactory(hire_date=date(month.year - 5, month.month, 1))
    client.force_login(users["hr"])
    page = client.get(reverse("rewards:long_service"))
    assert f'data-testid="confirm-{due.employee_no}"' in page.content.decode()
    assert not Award.objects.exists()
    response = client.post(
        reverse("rewards:long_service"), {"employee": due.pk, "month": month.strftime("%Y-%m")}
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.employee == due and award.amount == Decimal("3000.00")


def test_settings_change_the_monthly_number_of_stars(client, users, types):
    client.force_login(users["gm"])
    response = client.post(
        reverse("rewards:settings"),
        {
            "service_star_winners": 5,
            "service_star_code": "service-star",
            "long_service_code": "long-service",
            "long_service_years": 5,
        },
    )
    assert response.status_code == 302
    assert RewardSettings.get().service_star_winners == 5


# ---- Query counts ----------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [10, 50])
def test_the_list_costs_the_same_queries_at_any_page_size(
    client, users, types, per_page, django_assert_num_queries
):
    for _ in range(12):
        _award(types, users, employee=EmployeeFactory())
    client.force_login(users["hr"])
    url = reverse("rewards:award_list") + f"?per_page={per_page}"
    client.get(url)  # warm the session and content types
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["page"]) == min(per_page, 12)


@pytest.mark.parametrize("count", [2, 8])
def test_the_inbox_costs_the_same_queries_for_any_number_of_awards(
    client, users, types, count, django_assert_num_queries
):
    for _ in range(count):
        _award(types, users, evidence_files=[SimpleUploadedFile("a.png", PNG)])
    client.force_login(users["head"])
    url = reverse("rewards:award_inbox")
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["awards"]) == count


def test_the_auditor_reads_the_award_history_from_the_audit_trail(client, users, approved):
    client.force_login(users["auditor"])
    page = client.get(reverse("rewards:award_detail", args=[approved.pk])).content.decode()
    assert 'data-testid="audit-history"' in page
    client.force_login(users["employee"])
    page = client.get(reverse("rewards:award_detail", args=[approved.pk])).content.decode()
    assert 'data-testid="audit-history"' not in page
