"""The notice PDF, read back: number, names, rule text, the amount in capitals."""

import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from pypdf import PdfReader

from penalties.engine import amount_in_words
from penalties.models import Notice
from penalties.notices_pdf import penalty_notice_pdf, penalty_notices_pdf
from penalties.services.appeals import appeal_decide, appeal_file
from penalties.services.approvals import penalty_approve, penalty_void
from penalties.services.notices import notice_acknowledge
from penalties.tests.approval_helpers import RULE_TEXT, make_penalty
from staff.models import CompanySettings

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text of a PDF, with the line breaks and spaces of the layout removed."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


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


def test_the_notice_carries_what_the_issue_asks_for(notice, employee_user):
    data = penalty_notice_pdf(notice=notice)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    employee = employee_user.employee
    for expected in [
        "鹤城优质服务有限公司",
        "处罚通知书",
        notice.number,
        employee.name,
        employee.employee_no,
        employee.department.name,
        "全员优质服务规范与处罚细则",
        "2024版",
        "劳动纪律“八不准”",
        "第14条",
        re.sub(r"\s+", "", RULE_TEXT),
        "2026年11月3日09:20",
        "在营业大厅与客户发生争吵,引起围观。",
        "第1次违反",
        "¥200.00",
        "贰佰元整",
        "通报批评",
        "人事小王",
        "部门李主任",
        "情况属实",
        notice.snapshot["appeal_until"],
        "申诉",
        "见证人",
    ]:
        assert expected in text, expected


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdftotext_reads_the_same(notice, tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(penalty_notice_pdf(notice=notice))
    out = subprocess.run(  # noqa: S603 - fixed arguments
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert notice.number in out
    assert "贰佰元整" in out


def test_an_issued_notice_prints_the_same_after_the_rule_changes(notice):
    before = pdf_text(penalty_notice_pdf(notice=notice))
    rule = notice.penalty.violation.rule
    rule.text = "改写后的条文"
    rule.save(update_fields=["text"])
    notice.refresh_from_db()
    assert pdf_text(penalty_notice_pdf(notice=notice)) == before


def test_acknowledgement_is_printed(notice, employee_user):
    notice_acknowledge(notice=notice, employee_user=employee_user, ip="10.0.0.8")
    notice.refresh_from_db()
    text = pdf_text(penalty_notice_pdf(notice=notice))
    assert "10.0.0.8" in text
    assert employee_user.employee.name in text


def test_a_replaced_notice_says_so_and_the_new_one_carries_the_new_amount(
    notice, employee_user, gm_user
):
    appeal = appeal_file(penalty=notice.penalty, employee_user=employee_user, text="太重")
    appeal_decide(
        appeal=appeal,
        reviewer=gm_user,
        outcome="reduced",
        new_amount=Decimal("101"),
        reason="初犯从轻",
    )
    notice.refresh_from_db()
    old_text = pdf_text(penalty_notice_pdf(notice=notice))
    assert "已被新的通知书取代" in old_text
    newer = Notice.objects.get(penalty=notice.penalty, is_current=True)
    new_text = pdf_text(penalty_notice_pdf(notice=newer))
    assert "壹佰零壹元整" in new_text
    assert notice.number in new_text  # "replaces notice …"
    assert "初犯从轻" in new_text


def test_a_voided_penalty_prints_as_void(notice, make_hr):
    penalty_void(penalty=notice.penalty, by=make_hr, reason="登记错误")
    notice.refresh_from_db()
    assert "处罚已作废" in pdf_text(penalty_notice_pdf(notice=notice))


@pytest.fixture
def make_hr(db):
    from conftest import make_user

    return make_user("hr_officer")


def test_a_month_prints_as_one_pdf_one_notice_per_page(notice, employee_user, hr_user, gm_user):
    second = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="20000")
    penalty_approve(penalty=second, approver=gm_user)
    notices = list(Notice.objects.order_by("sequence"))
    data = penalty_notices_pdf(notices=notices)
    reader = PdfReader(io.BytesIO(data))
    starts = [
        i
        for i, page in enumerate(reader.pages)
        if "处罚通知书" in re.sub(r"\s+", "", page.extract_text())
    ]
    assert len(starts) == 2
    text = pdf_text(data)
    assert notices[0].number in text and notices[1].number in text
    assert "贰万元整" in text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.50", "伍角"),
        ("10", "壹拾元整"),
        ("101", "壹佰零壹元整"),
        ("1000.05", "壹仟元零伍分"),
        ("20000", "贰万元整"),
        ("100000000", "壹亿元整"),
    ],
)
def test_capital_numerals_table_from_the_issue(amount, words):
    assert amount_in_words(Decimal(amount)) == words
