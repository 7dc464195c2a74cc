"""The reward notice PDF is kept like the penalty notice's: read back while unchanged,
rendered again once the award is voided (the banner)."""

import io
import re

import pytest
from pypdf import PdfReader

from penalties import pdf_support
from rewards.models import RewardNotice
from rewards.notices_pdf import reward_notice_pdf
from rewards.services.awards import award_create
from rewards.services.decisions import award_approve, award_void
from rewards.tests.helpers import load_types, today

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def renders(monkeypatch):
    calls = []
    write_pdf = pdf_support._Renderer.write_pdf

    def counting(self, html):
        calls.append(html)
        return write_pdf(self, html)

    monkeypatch.setattr(pdf_support._Renderer, "write_pdf", counting)
    return calls


@pytest.fixture
def notice(employee_user, hr_user, head_user):
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


def test_a_second_download_reads_the_kept_pdf(notice, renders):
    first = reward_notice_pdf(notice=notice)
    assert reward_notice_pdf(notice=RewardNotice.objects.get(pk=notice.pk)) == first
    assert len(renders) == 1


def test_a_voided_award_is_rendered_again_with_its_banner(notice, hr_user, renders):
    before = reward_notice_pdf(notice=notice)
    award_void(award=notice.award, by=hr_user, reason="重复登记")
    notice.refresh_from_db()
    after = reward_notice_pdf(notice=notice)
    assert len(renders) == 2
    assert "奖励已作废" not in pdf_text(before)
    assert "奖励已作废" in pdf_text(after)
