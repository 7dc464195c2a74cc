"""Appeals: filing within the window, evidence checks, who reviews, the three outcomes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import make_user
from penalties.models import (
    Appeal,
    AppealEvidence,
    AppealOutcome,
    AppealStatus,
    Notice,
    PenaltyStatus,
    PenaltyTransition,
    TransitionAction,
)
from penalties.selectors.approvals import PAYABLE_STATUSES
from penalties.services.appeals import (
    ALREADY_APPEALED,
    APPEAL_DECIDED,
    NEW_AMOUNT_NOT_LOWER,
    NEW_AMOUNT_REQUIRED,
    NOT_A_REVIEWER,
    NOT_APPEALABLE,
    NOT_YOURS,
    REVIEWER_INVOLVED,
    REVIEWER_TOO_LOW,
    TEXT_REQUIRED,
    WINDOW_CLOSED,
    appeal_decide,
    appeal_file,
)
from penalties.services.approvals import penalty_approve, penalty_reject
from penalties.services.notices import cn_date
from penalties.tests.approval_helpers import PDF, PNG, make_penalty
from penalties.tiers import Tier

pytestmark = pytest.mark.django_db


def _messages(exc_info) -> list[str]:
    return exc_info.value.messages


@pytest.fixture
def approved(employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    penalty_approve(penalty=penalty, approver=head_user)
    return penalty


def _file(appeal_penalty, user, **kwargs):
    kwargs.setdefault("text", "当时是客户先辱骂我,我只是解释。")
    return appeal_file(penalty=appeal_penalty, employee_user=user, **kwargs)


def test_employee_appeals_within_the_window_and_the_penalty_leaves_payroll(
    approved, employee_user, tmp_path
):
    files = [
        SimpleUploadedFile("录音截图.png", PNG, content_type="image/png"),
        SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf"),
    ]
    appeal = _file(approved, employee_user, files=files)
    approved.refresh_from_db()
    assert approved.status == PenaltyStatus.UNDER_APPEAL
    assert approved.status not in PAYABLE_STATUSES
    assert appeal.status == AppealStatus.FILED
    assert appeal.employee == employee_user.employee
    assert appeal.notice == Notice.objects.get(penalty=approved)
    assert appeal.review_tier == Tier.DEPUTY_GM  # the department head approved it
    assert appeal.amount_before == Decimal("200.00")
    evidence = list(AppealEvidence.objects.filter(appeal=appeal).order_by("pk"))
    assert [(e.original_name, e.content_type) for e in evidence] == [
        ("录音截图.png", "image/png"),
        ("说明.pdf", "application/pdf"),
    ]
    assert evidence[0].file.read() == PNG
    last = PenaltyTransition.objects.filter(penalty=approved).last()
    assert (last.action, last.from_status, last.to_status, last.actor) == (
        TransitionAction.APPEAL,
        PenaltyStatus.APPROVED,
        PenaltyStatus.UNDER_APPEAL,
        employee_user,
    )


def test_last_day_of_the_window_is_in_and_the_next_is_out(approved, employee_user):
    notice = Notice.objects.get(penalty=approved)
    issued = timezone.localtime(notice.issued_at)
    assert notice.appeal_until == issued.date() + timedelta(days=7)
    too_late = issued + timedelta(days=8)
    with pytest.raises(ValidationError) as info:
        _file(approved, employee_user, now=too_late)
    assert _messages(info) == [str(WINDOW_CLOSED) % {"date": cn_date(notice.appeal_until)}]
    appeal = _file(approved, employee_user, now=issued + timedelta(days=7))
    assert appeal.pk


def test_a_file_that_is_not_what_it_claims_saves_nothing(approved, employee_user, settings):
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    good = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError) as info:
        _file(approved, employee_user, files=[good, fake])
    assert "files" in info.value.message_dict
    assert not Appeal.objects.exists()
    approved.refresh_from_db()
    assert approved.status == PenaltyStatus.APPROVED
    uploads = settings.MEDIA_ROOT / "appeals"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_a_file_over_ten_megabytes_is_refused(approved, employee_user):
    content = PNG + b"\x00" * (10 * 1024 * 1024)
    big = SimpleUploadedFile("big.png", content, content_type="image/png")
    with pytest.raises(ValidationError) as info:
        _file(approved, employee_user, files=[big])
    assert "files" in info.value.message_dict
    assert not Appeal.objects.exists()


def test_an_error_after_files_were_written_leaves_none_behind(
    approved, employee_user, settings, monkeypatch
):
    from penalties.services import appeals

    def explode(**kwargs):
        raise RuntimeError("database went away")

    original = appeals._record
    monkeypatch.setattr(appeals, "_record", explode)
    with pytest.raises(RuntimeError):
        _file(approved, employee_user, files=[SimpleUploadedFile("a.png", PNG)])
    monkeypatch.setattr(appeals, "_record", original)
    uploads = settings.MEDIA_ROOT / "appeals"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))
    assert not Appeal.objects.exists()


def test_only_the_person_addressed_may_appeal_and_only_once(approved, employee_user, department):
    colleague = make_user("employee", department=department)
    with pytest.raises(ValidationError) as info:
        _file(approved, colleague)
    assert _messages(info) == [str(NOT_YOURS)]
    with pytest.raises(ValidationError) as info:
        _file(approved, employee_user, text="   ")
    assert _messages(info) == [str(TEXT_REQUIRED)]
    _file(approved, employee_user)
    with pytest.raises(ValidationError) as info:
        _file(approved, employee_user)
    assert _messages(info) == [str(ALREADY_APPEALED)]


def test_a_pending_or_rejected_penalty_cannot_be_appealed(employee_user, hr_user, head_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
    with pytest.raises(ValidationError) as info:
        _file(penalty, employee_user)
    assert _messages(info) == [str(NOT_APPEALABLE) % {"status": PenaltyStatus.PENDING.label}]
    penalty_reject(penalty=penalty, approver=head_user, reason="不成立")
    with pytest.raises(ValidationError):
        _file(penalty, employee_user)


# ---- Deciding ---------------------------------------------------------------------------


@pytest.fixture
def appeal(approved, employee_user):
    return _file(approved, employee_user)


def test_deputy_gm_upholds_and_the_penalty_is_back_in_payroll(appeal, deputy_user):
    appeal_decide(appeal=appeal, reviewer=deputy_user, outcome="upheld", reason="事实清楚")
    appeal.refresh_from_db()
    penalty = appeal.penalty
    penalty.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.decided_by) == (
        AppealStatus.DECIDED,
        AppealOutcome.UPHELD,
        deputy_user,
    )
    assert penalty.status == PenaltyStatus.APPROVED
    assert penalty.status in PAYABLE_STATUSES
    last = PenaltyTransition.objects.filter(penalty=penalty).last()
    assert (last.action, last.actor_tier, last.comment) == (
        TransitionAction.UPHOLD,
        Tier.DEPUTY_GM,
        "事实清楚",
    )
    assert Notice.objects.filter(penalty=penalty).count() == 1


def test_gm_reduces_and_a_new_notice_replaces_the_old(appeal, gm_user):
    old = Notice.objects.get(penalty=appeal.penalty)
    appeal_decide(
        appeal=appeal,
        reviewer=gm_user,
        outcome="reduced",
        new_amount=Decimal("100"),
        reason="初次违反,情节较轻",
    )
    penalty = appeal.penalty
    penalty.refresh_from_db()
    assert penalty.amount == Decimal("100.00")
    assert penalty.status == PenaltyStatus.APPROVED
    old.refresh_from_db()
    new = Notice.objects.get(penalty=penalty, is_current=True)
    assert not old.is_current
    assert new.supersedes == old
    assert new.amount == Decimal("100.00")
    assert new.snapshot["amount_words"] == "壹佰元整"
    assert new.snapshot["supersedes"] == old.number
    assert "初次违反,情节较轻" in new.snapshot["reissue_reason"]
    assert new.sequence == old.sequence + 1
    assert appeal.new_amount == Decimal("100.00")
    last = PenaltyTransition.objects.filter(penalty=penalty).last()
    assert (last.action, last.amount) == (TransitionAction.REDUCE, Decimal("100.00"))


def test_hr_revokes(appeal, make_hr):
    appeal_decide(appeal=appeal, reviewer=make_hr, outcome="revoked", reason="证据不足")
    penalty = appeal.penalty
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.REVOKED
    assert penalty.status not in PAYABLE_STATUSES
    assert PenaltyTransition.objects.filter(penalty=penalty).last().actor_tier == ""


@pytest.fixture
def make_hr(db):
    return make_user("hr_officer")


@pytest.mark.parametrize(
    ("new_amount", "message"),
    [(None, NEW_AMOUNT_REQUIRED), ("200", NEW_AMOUNT_NOT_LOWER), ("-1", NEW_AMOUNT_NOT_LOWER)],
)
def test_a_reduction_needs_a_lower_amount(appeal, gm_user, new_amount, message):
    with pytest.raises(ValidationError) as info:
        appeal_decide(
            appeal=appeal, reviewer=gm_user, outcome="reduced", new_amount=new_amount, reason="x"
        )
    assert info.value.message_dict["new_amount"] == [str(message) % {"amount": "¥200.00"}]
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILED


def test_the_reviewer_is_the_next_tier_up_or_hr(appeal, head_user, hr_user):
    other_head = make_user("department_head", heads=True)
    for user in (other_head, make_user("employee"), make_user("payroll_clerk")):
        with pytest.raises(ValidationError):
            appeal_decide(appeal=appeal, reviewer=user, outcome="upheld", reason="x")
    with pytest.raises(ValidationError) as info:
        appeal_decide(appeal=appeal, reviewer=head_user, outcome="upheld", reason="x")
    assert _messages(info) == [str(NOT_A_REVIEWER)]
    # HR logged the violation: another HR officer decides.
    with pytest.raises(ValidationError) as info:
        appeal_decide(appeal=appeal, reviewer=hr_user, outcome="upheld", reason="x")
    assert _messages(info) == [str(REVIEWER_INVOLVED)]


def test_a_gm_approval_is_reviewed_by_hr_only(employee_user, hr_user, gm_user, deputy_user):
    penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user, amount="6000")
    penalty_approve(penalty=penalty, approver=gm_user)
    appeal = _file(penalty, employee_user)
    assert appeal.review_tier == ""
    for user in (deputy_user, make_user("gm")):
        with pytest.raises(ValidationError) as info:
            appeal_decide(appeal=appeal, reviewer=user, outcome="upheld", reason="x")
        assert _messages(info) == [str(REVIEWER_TOO_LOW)]
    appeal_decide(appeal=appeal, reviewer=make_user("hr_officer"), outcome="upheld", reason="x")


def test_an_appeal_is_decided_once(appeal, deputy_user, gm_user):
    appeal_decide(appeal=appeal, reviewer=deputy_user, outcome="upheld", reason="x")
    stale = Appeal.objects.get(pk=appeal.pk)
    stale.status = AppealStatus.FILED
    with pytest.raises(ValidationError) as info:
        appeal_decide(appeal=stale, reviewer=gm_user, outcome="revoked", reason="y")
    assert _messages(info) == [str(APPEAL_DECIDED)]
