"""Every write of a background job: enqueue, start, progress, finish, fail, retry.

``job_enqueue`` and ``job_retry`` hand the job to the task queue once the transaction
commits (``transaction.on_commit``), so a worker never sees a job that was rolled back,
whatever the backend. The rest are called by the task (``jobs.tasks.run_job``) while it
runs outside any transaction, so that the page sees each step at once.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record

from .kinds import KINDS, Result
from .models import Job, JobStatus

UNKNOWN_KIND = _("Unknown kind of job.")
NOT_ALLOWED = _("You may not run this job.")
NOT_FAILED = _("Only a failed job can be retried.")
NOT_YOURS = _("Only the person who started a job can retry it.")
MAX_ERROR = 4000


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def _hand_over(job: Job) -> None:
    job.task_id = ""
    transaction.on_commit(lambda: _enqueue(job.pk))


@transaction.atomic
def job_enqueue(*, kind: str, args: dict, owner) -> Job:
    """Record a job for ``owner`` and queue it. Raises ``PermissionDenied`` when the owner
    lacks the kind's permission and ``ValidationError`` for bad arguments."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError({"kind": UNKNOWN_KIND})
    if not owner.has_perm(spec.permission):
        raise PermissionDenied(NOT_ALLOWED)
    job = Job.objects.create(kind=kind, args=spec.clean(args or {}), owner=owner)
    audit_record(
        actor=owner, obj=job, action=AuditAction.CREATE, changes={"args": [None, job.args]}
    )
    _hand_over(job)
    return job


@transaction.atomic
def job_retry(*, job: Job, by) -> Job:
    """Queue a failed job again (same arguments); its error is kept in the audit trail."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.owner_id != by.pk:
        raise ValidationError(NOT_YOURS)
    if locked.status != JobStatus.FAILED:
        raise ValidationError(NOT_FAILED)
    audit_record(
        actor=by,
        obj=locked,
        action=AuditAction.TRANSITION,
        changes={"status": [JobStatus.FAILED, JobStatus.QUEUED]},
        comment=locked.error[:500],
    )
    locked.status = JobStatus.QUEUED
    locked.progress = 0
    locked.message = ""
    locked.error = ""
    locked.started_at = None
    locked.finished_at = None
    locked.save(
        update_fields=["status", "progress", "message", "error", "started_at", "finished_at"]
    )
    _hand_over(locked)
    locked.save(update_fields=["task_id"])
    return locked


def job_start(*, job: Job) -> bool:
    """Mark a queued job running (one attempt more); False when it is not queued (a
    second delivery of the same task)."""
    from django.db.models import F

    started = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=1,
    )
    job.refresh_from_db()
    return bool(started)


def job_progress(*, job: Job, percent: int, message: str = "") -> None:
    percent = max(1, min(99, int(percent)))
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        progress=percent, message=message[:300]
    )


def job_finish(*, job: Job, result: Result) -> Job:
    """Store the result under MEDIA_ROOT (``jobs/…``, served only through the
    permission-checked download) and mark the job done."""
    job.result_file.save(
        f"{secrets.token_hex(8)}-{result.name}", ContentFile(result.content), save=False
    )
    job.result_name = result.name[:200]
    job.result_type = result.content_type[:100]
    job.status = JobStatus.DONE
    job.progress = 100
    job.message = result.summary[:300]
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "result_file",
            "result_name",
            "result_type",
            "status",
            "progress",
            "message",
            "finished_at",
        ]
    )
    return job


def job_fail(*, job: Job, error: str) -> Job:
    job.status = JobStatus.FAILED
    job.error = (error or "?")[:MAX_ERROR]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job
