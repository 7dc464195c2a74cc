"""Reads of background jobs: each person sees only their own (404 for anyone else's)."""

from django.db.models import QuerySet
from django.http import Http404

from .kinds import KINDS
from .models import Job


def jobs_of(*, user) -> QuerySet[Job]:
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user).order_by("-created_at", "-pk")


def job_get_for_user(*, user, job_id: int) -> Job:
    """The user's own job, or 404 (missing, someone else's, or a kind they may no longer
    run: the result is only for those who could make it)."""
    job = jobs_of(user=user).filter(pk=job_id).first()
    if job is None or not user.has_perm(KINDS[job.kind].permission):
        raise Http404
    return job
