"""Background jobs: enqueue, progress, download (permission-checked), failure and retry,
404 for anyone else's job, and the database backend's worker run in-process."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from jobs import kinds
from jobs.kinds import Kind, Result
from jobs.models import Job, JobKind, JobStatus
from jobs.services import NOT_FAILED, job_enqueue, job_retry
from jobs.tasks import execute
from penalties.services.approvals import penalty_approve
from penalties.tests.approval_helpers import make_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_kind(monkeypatch):
    """Replace the notices kind's work with one the test steers."""
    calls = {"fail": False, "progress": []}

    def run(*, owner, args, progress):
        progress(40, "half way")
        calls["progress"].append(Job.objects.get(kind=JobKind.NOTICES_PDF).progress)
        if calls["fail"]:
            raise ValidationError("打印机没纸了")
        return Result("out.txt", "text/plain", b"hello " + args["month"].encode(), "done!")

    spec = kinds.KINDS[JobKind.NOTICES_PDF]
    monkeypatch.setitem(kinds.KINDS, JobKind.NOTICES_PDF, Kind(spec.permission, spec.clean, run))
    return calls


def _start(client, month="2026-10", kind=JobKind.NOTICES_PDF, **extra):
    return client.post(reverse("jobs:job_create"), {"kind": kind, "month": month, **extra})


def test_enqueue_runs_the_job_and_the_owner_downloads_the_result(
    client, hr_user, fake_kind, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.status, job.progress, job.attempts, job.message) == (
        JobStatus.DONE,
        100,
        1,
        "done!",
    )
    assert job.args == {"month": "2026-10"}
    assert job.task_id
    assert fake_kind["progress"] == [40]  # the page sees progress while it runs
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"hello 2026-10"
    assert 'attachment; filename="out.txt"' in download["Content-Disposition"]
    assert job.result_file.name.startswith("jobs/")


def test_the_progress_partial_polls_until_the_job_has_finished(
    client, hr_user, fake_kind, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    _start(client)  # on_commit not run: the job stays queued
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "vendor/htmx/htmx.min.js" in page
    partial = client.get(reverse("jobs:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'data-status="queued"' in partial
    execute(job.pk)
    partial = client.get(reverse("jobs:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in partial
    assert (
        'data-status="done"' in partial and reverse("jobs:job_download", args=[job.pk]) in partial
    )


def test_a_failed_job_shows_its_error_and_a_retry_runs_it_again(
    client, hr_user, fake_kind, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    fake_kind["fail"] = True
    with django_capture_on_commit_callbacks(execute=True):
        _start(client)
    job = Job.objects.get()
    assert (job.status, job.error, job.attempts) == (JobStatus.FAILED, "打印机没纸了", 1)
    partial = client.get(reverse("jobs:job_progress", args=[job.pk])).content.decode()
    assert "打印机没纸了" in partial and reverse("jobs:job_retry", args=[job.pk]) in partial
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404

    fake_kind["fail"] = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts, job.progress) == (JobStatus.DONE, "", 2, 100)
    with pytest.raises(ValidationError) as exc:
        job_retry(job=job, by=hr_user)
    assert exc.value.messages == [str(NOT_FAILED)]


def test_an_unexpected_error_is_recorded_not_raised(hr_user, monkeypatch):
    def boom(*, owner, args, progress):
        raise ZeroDivisionError("division by zero")

    spec = kinds.KINDS[JobKind.NOTICES_PDF]
    monkeypatch.setitem(kinds.KINDS, JobKind.NOTICES_PDF, Kind(spec.permission, spec.clean, boom))
    job = job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": "2026-10"}, owner=hr_user)
    assert execute(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "ZeroDivisionError: division by zero" in job.error


def test_someone_elses_job_is_a_404_everywhere(client, hr_user, fake_kind, gm_user):
    job = job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": "2026-10"}, owner=hr_user)
    execute(job.pk)
    other = _another_hr()
    client.force_login(other)
    for name in ("jobs:job_detail", "jobs:job_progress", "jobs:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert client.post(reverse("jobs:job_retry", args=[job.pk])).status_code == 404
    assert job.pk not in [j.pk for j in client.get(reverse("jobs:job_list")).context["page"]]
    client.logout()
    response = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_result_is_only_for_those_who_may_still_run_the_kind(client, hr_user, fake_kind):
    job = job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": "2026-10"}, owner=hr_user)
    execute(job.pk)
    hr_user.groups.clear()
    hr_user = type(hr_user).objects.get(pk=hr_user.pk)  # no cached permissions
    client.force_login(hr_user)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_starting_a_job_needs_the_kinds_permission(client, employee_user):
    client.force_login(employee_user)
    assert _start(client).status_code == 403
    with pytest.raises(PermissionDenied):
        job_enqueue(kind=JobKind.PAYROLL_EXPORT, args={"month": "2026-10"}, owner=employee_user)
    assert not Job.objects.exists()


def test_bad_arguments_are_refused_with_a_message(client, hr_user):
    client.force_login(hr_user)
    response = _start(client, month="2026-13")
    assert response.status_code == 302
    assert not Job.objects.exists()
    with pytest.raises(ValidationError) as exc:
        job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": "soon"}, owner=hr_user)
    assert exc.value.message_dict == {"month": ["请按 YYYY-MM 格式填写月份。"]}


def test_the_notices_job_joins_a_month_of_notices_into_one_pdf(
    hr_user, head_user, employee_user, monkeypatch
):
    monkeypatch.setattr(kinds, "NOTICES_PER_CHUNK", 2)  # three renders, then joined
    for _ in range(5):
        penalty = make_penalty(employee=employee_user.employee, logged_by=hr_user)
        penalty_approve(penalty=penalty, approver=head_user, comment="情况属实")
    from django.utils import timezone

    month = timezone.localdate().strftime("%Y-%m")
    job = job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": month}, owner=hr_user)
    assert execute(job.pk) == "done"
    job.refresh_from_db()
    reader = PdfReader(io.BytesIO(job.result_file.read()))
    text = "".join(page.extract_text() for page in reader.pages)
    numbers = [f"JC-{month[:4]}-{n:06d}" for n in range(1, 6)]
    assert all(number in text for number in numbers)
    assert text.replace(" ", "").count("处罚通知书") == 5
    assert job.message == f"{month}的 5 份通知书已合并为一个 PDF。"


def test_the_notices_job_fails_with_a_message_for_an_empty_month(hr_user):
    job = job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": "2020-01"}, owner=hr_user)
    execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "2020-01没有签发通知书。")


def test_the_payroll_job_refuses_a_month_never_closed(payroll_user):
    job = job_enqueue(kind=JobKind.PAYROLL_EXPORT, args={"month": "2020-01"}, owner=payroll_user)
    execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "2020-01的工资尚未结账。")
    assert job.args == {"month": "2020-01", "fmt": "xlsx"}


@pytest.mark.django_db(transaction=True)
def test_the_database_backends_worker_runs_a_queued_job(hr_user, fake_kind):
    from django_tasks_db.models import DBTaskResult

    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=backend):
        job = job_enqueue(kind=JobKind.NOTICES_PDF, args={"month": "2026-10"}, owner=hr_user)
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED
        assert DBTaskResult.objects.filter(id=job.task_id).exists()
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1")
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == (JobStatus.DONE, 100, "done!")
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def _another_hr():
    from conftest import make_user

    return make_user("hr_officer", name="人事小李")
