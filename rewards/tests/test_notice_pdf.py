"""The 奖励通知书 read back: number, names, reward, amounts in capitals, approval chain."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from penalties.engine import amount_in_words
from penalties.tests.test_notice_pdf_cache import counting_renders
from rewards.models import RewardNotice
from rewards.notices_pdf import reward_notice_pdf, reward_notices_pdf
from rewards.services.awards import award_create
from rewards.services.decisions import award_approve, award_void
from rewards.tests.helpers import load_types, today
from staff.models import CompanySettings

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def notice(employee_user, hr_user, head_user):
    CompanySettings.objects.update_or_create(pk=1, defaults={"name": "鹤城优质服务有限公司"})
    types = load_types("water-utility")
    award = award_create(
        logged_by=hr_user,
        reward_type=types["water-utility/media-report"],
        employee=employee_user.employee,
        awarded_on=today(),
        reason="《鹤城晚报》报道其雨夜抢修事迹。",
    )
    award_approve(award=award, approver=head_user, comment="同意奖励")
    return RewardNotice.objects.get(award=award)


def test_the_notice_carries_number_names_reward_and_capital_amounts(notice, employee_user):
    data = reward_notice_pdf(notice=notice)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4
    text = pdf_text(data)
    employee = employee_user.employee
    assert re.fullmatch(r"JL-\d{4}-\d{6}", notice.number)
    for expected in [
        "鹤城优质服务有限公司",
        "奖励通知书",
        notice.number,
        employee.name,
        employee.employee_no,
        employee.department.name,
        "优质服务管理办法",
        "媒体正面报道",
        "《鹤城晚报》报道其雨夜抢修事迹。",
        "¥50.00",
        amount_in_words(Decimal("50.00")),  # 伍拾元整
        "¥500.00",
        amount_in_words(Decimal("500.00")),  # 伍佰元整
        "人事小王",
        "部门李主任",
        "同意奖励",
    ]:
        assert expected in text, expected
    assert "伍拾元整" in text and "伍佰元整" in text


def test_a_voided_award_prints_as_no_longer_valid(notice, hr_user):
    award_void(award=notice.award, by=hr_user, reason="重复登记")
    notice.refresh_from_db()
    text = pdf_text(reward_notice_pdf(notice=notice))
    assert notice.number in text
    assert "奖励已作废" in text or "Awardvoided" in text


def test_several_notices_print_one_per_page(notice, employee_user, hr_user, head_user):
    types = load_types("hospitality")
    other = award_create(
        logged_by=hr_user,
        reward_type=types["hospitality/returning-lost-property"],
        employee=employee_user.employee,
        awarded_on=today(),
        reason="拾获客人钱包并交还。",
    )
    award_approve(award=other, approver=head_user)
    second = RewardNotice.objects.get(award=other)
    assert second.sequence == notice.sequence + 1
    data = reward_notices_pdf(notices=[notice, second])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "叁拾元整" in pdf_text(data)


def test_a_second_download_reads_the_kept_pdf(notice, monkeypatch):
    renders = counting_renders(monkeypatch)
    first = reward_notice_pdf(notice=notice)
    assert reward_notice_pdf(notice=RewardNotice.objects.get(pk=notice.pk)) == first
    assert len(renders) == 1


def test_a_voided_award_is_rendered_again_with_its_banner(notice, hr_user, monkeypatch):
    renders = counting_renders(monkeypatch)
    before = reward_notice_pdf(notice=notice)
    award_void(award=notice.award, by=hr_user, reason="重复登记")
    notice.refresh_from_db()
    after = reward_notice_pdf(notice=notice)
    assert len(renders) == 2
    assert "奖励已作废" not in pdf_text(before)
    assert "奖励已作废" in pdf_text(after)
