"""The approval, notice and appeal screens: every role on every view, the inbox's
confirmation step, and query counts that do not grow with the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from penalties.models import Appeal, AppealEvidence, Notice, PenaltyStatus
from penalties.selectors.approvals import approval_inbox_count
from penalties.services.appeals import appeal_file
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import PNG, make_penalty
from staff.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

ROLES = ["hr", "head", "deputy", "gm", "payroll", "auditor", "owner", "colleague", "other_head"]


@pytest.fixture
def world(
    department, hr_user, head_user, deputy_user, gm_user, payroll_user, auditor_user, employee_user
):
    other = DepartmentFactory(name="财务部")
    users = {
        "hr": hr_user,
        "head": head_user,
        "deputy": deputy_user,
        "gm": gm_user,
        "payroll": payroll_user,
        "auditor": auditor_user,
        "owner": employee_user,
        "colleague": make_user("employee", department=department),
        "other_head": make_user("department_head", department=other, heads=True),
    }
    pending = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    approved = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="100")
    penalty_approve(penalty=approved, approver=head_user)
    appealed = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="50")
    penalty_approve(penalty=appealed, approver=head_user)
    appeal = appeal_file(
        penalty=appealed,
        employee_user=employee_user,
        text="不服",
        files=[SimpleUploadedFile("a.png", PNG)],
    )
    return {
        "users": users,
        "pending": pending,
        "approved": approved,
        "notice": Notice.objects.get(penalty=approved),
        "appeal": appeal,
        "evidence": AppealEvidence.objects.get(appeal=appeal),
    }


def _get(client, world, role, url):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client.get(url)


EXPECTED_GET = {
    # view: {role: status}; roles not listed → the default in the tuple's first item
    "approval_inbox": (403, {"head": 200, "deputy": 200, "gm": 200, "other_head": 200}),
    "penalty_decision": (
        200,
        {"owner": 403, "colleague": 403, "other_head": 404},
    ),
    "notice_pdf": (200, {"colleague": 404, "other_head": 404}),
    "notice_list": (403, {"hr": 200}),
    "notice_print_month": (403, {"hr": 200}),
    "my_record": (200, {}),
    "appeal_create": (404, {"owner": 200}),
    "appeal_list": (200, {"payroll": 403, "owner": 403, "colleague": 403}),
    "appeal_review": (200, {"payroll": 404, "colleague": 404, "other_head": 404}),
    "appeal_evidence": (200, {"payroll": 404, "colleague": 404, "other_head": 404}),
}


def _url(world, view):
    args = {
        "penalty_decision": [world["pending"].pk],
        "notice_pdf": [world["notice"].pk],
        "appeal_create": [world["approved"].pk],
        "appeal_review": [world["appeal"].pk],
        "appeal_evidence": [world["evidence"].pk],
    }.get(view, [])
    return reverse(f"penalties:{view}", args=args)


@pytest.mark.parametrize("view", sorted(EXPECTED_GET))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_screen(client, world, view, role):
    default, overrides = EXPECTED_GET[view]
    response = _get(client, world, role, _url(world, view))
    assert response.status_code == overrides.get(role, default), (view, role)


@pytest.mark.parametrize("view", sorted(EXPECTED_GET))
def test_anonymous_is_sent_to_login(client, world, view):
    response = client.get(_url(world, view))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_pdf_is_a_pdf(client, world):
    client.force_login(world["users"]["owner"])
    response = client.get(_url(world, "notice_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert world["notice"].number in response["Content-Disposition"]


# ---- Deciding through the screens ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "decided"),
    [
        ("head", 302, True),
        ("deputy", 302, True),
        ("gm", 302, True),
        ("other_head", 302, False),  # not in their inbox: reported, nothing decided
        ("hr", 403, False),
        ("payroll", 403, False),
        ("auditor", 403, False),
        ("owner", 403, False),
    ],
)
def test_bulk_approve_needs_the_confirmation_then_decides(client, world, role, status, decided):
    client.force_login(world["users"][role])
    url = reverse("penalties:approval_bulk")
    data = {"ids": [world["pending"].pk], "action": "approve"}
    first = client.post(url, data)
    if status == 403:
        assert first.status_code == 403
    else:
        assert first.status_code == 200
        assert "penalties/inbox_confirm.html" in [t.name for t in first.templates]
    world["pending"].refresh_from_db()
    assert world["pending"].status == PenaltyStatus.PENDING  # nothing before confirming
    second = client.post(url, {**data, "confirm": "1", "comment": "同意"})
    assert second.status_code == status
    world["pending"].refresh_from_db()
    assert (world["pending"].status == PenaltyStatus.APPROVED) is decided


def test_rejecting_needs_a_reason_on_the_confirmation_page(client, world):
    client.force_login(world["users"]["head"])
    url = reverse("penalties:approval_bulk")
    response = client.post(
        url, {"ids": [world["pending"].pk], "action": "reject", "confirm": "1", "comment": ""}
    )
    assert response.status_code == 200
    assert "请填写理由" in response.content.decode()
    response = client.post(
        url,
        {"ids": [world["pending"].pk], "action": "reject", "confirm": "1", "comment": "证据不足"},
    )
    assert response.status_code == 302
    world["pending"].refresh_from_db()
    assert world["pending"].status == PenaltyStatus.REJECTED


def test_bulk_reports_each_failure(client, world, hr_user, employee_user):
    too_high = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="2000")
    client.force_login(world["users"]["head"])
    response = client.post(
        reverse("penalties:approval_bulk"),
        {"ids": [world["pending"].pk, too_high.pk], "action": "approve", "confirm": "1"},
        follow=True,
    )
    text = [str(m) for m in response.context["messages"]]
    assert any("已批准 1 项处罚" in m for m in text), text
    assert any(f"#{too_high.pk}" in m and "副总经理" in m for m in text), text


@pytest.mark.parametrize(
    ("role", "status", "voided"),
    [("hr", 302, True), ("head", 403, False), ("gm", 403, False), ("auditor", 403, False)],
)
def test_only_hr_voids_through_the_screen(client, world, role, status, voided):
    client.force_login(world["users"][role])
    url = reverse("penalties:penalty_void", args=[world["approved"].pk])
    response = client.post(url, {"reason": "登记错误"})
    assert response.status_code == status
    world["approved"].refresh_from_db()
    assert (world["approved"].status == PenaltyStatus.VOIDED) is voided


@pytest.mark.parametrize("role", ROLES)
def test_only_the_person_addressed_acknowledges(client, world, role):
    client.force_login(world["users"][role])
    url = reverse("penalties:notice_acknowledge", args=[world["notice"].pk])
    response = client.post(url, REMOTE_ADDR="10.9.8.7")
    world["notice"].refresh_from_db()
    if role == "owner":
        assert response.status_code == 302
        assert world["notice"].acknowledged_ip == "10.9.8.7"
    else:
        assert response.status_code in (302, 404)
        assert world["notice"].acknowledged_at is None


@pytest.mark.parametrize(
    ("role", "decided"),
    [
        ("deputy", True),
        ("gm", True),
        ("hr", False),  # logged the violation
        ("head", False),  # approved it
        ("auditor", False),
        ("owner", False),
    ],
)
def test_who_decides_an_appeal_on_the_screen(client, world, role, decided):
    client.force_login(world["users"][role])
    url = reverse("penalties:appeal_review", args=[world["appeal"].pk])
    response = client.post(url, {"outcome": "upheld", "reason": "事实清楚"})
    world["appeal"].refresh_from_db()
    assert (world["appeal"].outcome == "upheld") is decided
    assert response.status_code == (302 if decided else 403)


def test_the_employee_appeals_through_the_screen(client, world):
    client.force_login(world["users"]["owner"])
    url = reverse("penalties:appeal_create", args=[world["approved"].pk])
    response = client.post(
        url, {"text": "我有异议", "files": [SimpleUploadedFile("x.pdf", b"%PDF-1.4 test")]}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(penalty=world["approved"])
    assert appeal.evidence.count() == 1
    fake = make_penalty(employee=world["users"]["owner"].employee, logged_by=world["users"]["hr"])
    penalty_approve(penalty=fake, approver=world["users"]["head"])
    response = client.post(
        reverse("penalties:appeal_create", args=[fake.pk]),
        {"text": "x", "files": [SimpleUploadedFile("x.pdf", b"not a pdf")]},
    )
    assert response.status_code == 200
    assert "不是JPG、PNG或PDF" in response.content.decode() or "PDF" in response.content.decode()
    assert not Appeal.objects.filter(penalty=fake).exists()


# ---- Query counts -------------------------------------------------------------------


def _queries(client, url, per_page):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"per_page": per_page})
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def _touching(queries, *tables):
    return [sql for sql in queries if any(f'"{table}"' in sql for table in tables)]


def test_inbox_query_count_does_not_grow_with_page_size(client, head_user, hr_user, department):
    sub = DepartmentFactory(parent=department)
    for i in range(60):
        employee = make_user("employee", department=sub if i % 2 else department).employee
        make_penalty(employee=employee, logged_by=hr_user)
    client.force_login(head_user)
    url = reverse("penalties:approval_inbox")
    counts = {}
    for per_page in (10, 50):
        response, queries = _queries(client, url, per_page)
        assert len(response.context["page"]) == per_page
        # The inbox's own: the page's count (the navigation badge reuses it), its ids,
        # its rows, their evidence. (Other apps' navigation badges come on top, the same
        # at any size.)
        assert len(_touching(queries, "penalties_penalty", "conduct_evidence")) == 4
        # the badge's figure, kept from the page's count
        assert approval_inbox_count(response.wsgi_request.user) == 60
        counts[per_page] = len(queries)
    assert counts[10] == counts[50]


@pytest.mark.parametrize("waiting", [3, 30])
def test_inbox_query_count_does_not_grow_with_what_waits(
    client, head_user, hr_user, department, django_assert_num_queries, waiting
):
    for _ in range(waiting):
        make_penalty(
            employee=make_user("employee", department=department).employee, logged_by=hr_user
        )
    client.force_login(head_user)
    # session, user, permissions (2), roles; the count, the page's ids, its rows, their
    # evidence; the rewards' badge
    with django_assert_num_queries(10):
        response = client.get(reverse("penalties:approval_inbox"))
    assert len(response.context["page"]) == min(waiting, 25)


def test_inbox_pages_hold_what_the_head_decides_oldest_first(
    client, head_user, hr_user, department
):
    sub = DepartmentFactory(parent=department)
    other = DepartmentFactory()
    mine = []
    for i in range(12):
        who = make_user("employee", department=sub if i % 2 else department).employee
        mine.append(make_penalty(employee=who, logged_by=hr_user))
    # not for this head: another department, what they logged, their own penalty, and
    # one above their tier
    make_penalty(employee=make_user("employee", department=other).employee, logged_by=hr_user)
    in_department = make_user("employee", department=department).employee
    make_penalty(employee=in_department, logged_by=head_user)
    make_penalty(employee=head_user.employee, logged_by=hr_user)
    big = make_penalty(employee=in_department, logged_by=hr_user, amount="100000.00")
    assert big.required_tier != "department_head"
    client.force_login(head_user)
    url = reverse("penalties:approval_inbox")
    first = client.get(url, {"per_page": 10, "page": 1})
    second = client.get(url, {"per_page": 10, "page": 2})
    assert first.context["page"].paginator.count == 12
    shown = [p.pk for p in first.context["page"]] + [p.pk for p in second.context["page"]]
    assert shown == [p.pk for p in mine]  # every one once, oldest first
    html = second.content.decode()
    assert html.count('data-testid="inbox-row-') == 2
    assert approval_inbox_count(second.wsgi_request.user) == 12


def test_notice_list_query_count_does_not_grow_with_page_size(client, hr_user, gm_user, department):
    for _ in range(55):
        penalty = make_penalty(
            employee=make_user("employee", department=department).employee, logged_by=hr_user
        )
        penalty_approve(penalty=penalty, approver=gm_user)
    client.force_login(hr_user)
    url = reverse("penalties:notice_list")
    counts = {}
    for per_page in (10, 50):
        response, queries = _queries(client, url, per_page)
        assert len(response.context["page"]) == per_page
        assert len(_touching(queries, "penalties_notice")) == 2  # the count and the rows
        counts[per_page] = len(queries)
    assert counts[10] == counts[50]


def test_nav_badge_counts_what_waits_in_one_query(client, world, django_assert_max_num_queries):
    from penalties.selectors.approvals import approval_inbox_count

    head = world["users"]["head"]
    head.has_perm("penalties.decide_penalty")  # permissions cached, as in a request
    from staff.roles import user_roles

    user_roles(head)
    with django_assert_max_num_queries(1):
        assert approval_inbox_count(head) == 1
    client.force_login(head)
    response = client.get(reverse("penalties:my_record"))
    assert 'data-testid="nav-badge">1<' in response.content.decode()
