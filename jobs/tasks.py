"""The one task the queue runs: do a job's work and record how it went.

Runs in the worker (``python manage.py db_worker``) with the database backend, or at
once with the immediate backend (tests). Failures are recorded on the job (the error
shown with a retry button) rather than raised: the job, not the queue row, is what the
user sees.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

try:  # Django 6 has the framework built in; 5.2 takes it from django-tasks
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from .kinds import KINDS
from .models import Job
from .services import job_fail, job_finish, job_progress, job_start

logger = logging.getLogger(__name__)


UNEXPECTED = gettext_lazy(
    "The job stopped with an unexpected error (%(error)s). Retry it; if it fails again, "
    "tell the administrator."
)


def describe_error(exc: BaseException) -> str:
    """What the user reads: a service's own messages, or the kind of failure."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(UNEXPECTED) % {"error": f"{type(exc).__name__}: {exc}"[:500]}


def execute(job_id: int) -> str:
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not job_start(job=job):
        return "skipped"
    spec = KINDS[job.kind]
    with translation.override(translation.get_language() or "zh-hans"):
        try:
            result = spec.run(
                owner=job.owner,
                args=job.args,
                progress=lambda percent, message="": job_progress(
                    job=job, percent=percent, message=message
                ),
            )
        except Exception as exc:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_fail(job=job, error=describe_error(exc))
            return "failed"
    job_finish(job=job, result=result)
    return "done"


@task()
def run_job(job_id: int) -> str:
    return execute(job_id)
