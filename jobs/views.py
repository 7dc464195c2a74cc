"""Background jobs: start one (the "run in background" buttons post here), watch its
progress (htmx polls a partial), download the result, retry a failure. Each person sees
only their own jobs; anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from staff.pagination import PAGE_SIZES, paginate

from . import selectors, services
from .forms import JobForm
from .models import JobStatus


@login_required
@require_GET
def job_list(request):
    return render(
        request,
        "jobs/job_list.html",
        {"page": paginate(request, selectors.jobs_of(user=request.user)), "page_sizes": PAGE_SIZES},
    )


@login_required
@require_POST
def job_create(request):
    form = JobForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("jobs:job_list")
    try:
        job = services.job_enqueue(
            kind=form.cleaned_data["kind"], args=form.args(), owner=request.user
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("jobs:job_list")
    return redirect("jobs:job_detail", pk=job.pk)


@login_required
@require_GET
def job_detail(request, pk: int):
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
@require_GET
def job_progress_view(request, pk: int):
    """The progress bar alone (htmx swaps it in every second until the job finishes)."""
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    return render(request, "jobs/job_progress.html", {"job": job})


@login_required
@require_GET
def job_download(request, pk: int):
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=job.result_name, content_type=job.result_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def job_retry_view(request, pk: int):
    job = selectors.job_get_for_user(user=request.user, job_id=pk)
    try:
        services.job_retry(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("jobs:job_detail", pk=job.pk)
