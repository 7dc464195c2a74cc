"""Filing an appeal (the employee), the review queue and the review page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from penalties.forms import AppealDecisionForm, AppealForm
from penalties.models import AppealEvidence
from penalties.selectors import approvals as selectors
from penalties.services import appeals as services
from penalties.services.notices import person_name
from staff.pagination import PAGE_SIZES, paginate


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def appeal_create(request, pk: int):
    penalty = selectors.my_penalty_get(user=request.user, penalty_id=pk)
    notice = next((n for n in penalty.notices.all() if n.is_current), None)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_file(
                penalty=penalty,
                employee_user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(
                request, _("Your appeal was filed. You will be told the outcome here.")
            )
            return redirect("penalties:my_record")
    return render(
        request, "penalties/appeal_form.html", {"form": form, "penalty": penalty, "notice": notice}
    )


def _may_read_appeals(user) -> bool:
    return user.has_perm("penalties.review_appeal") or user.has_perm("penalties.view_appeal")


@login_required
def appeal_list(request):
    if not _may_read_appeals(request.user):
        raise PermissionDenied
    waiting = list(
        selectors._appeal_details(selectors.appeal_queue(user=request.user)).order_by(
            "filed_at", "pk"
        )
    )
    return render(
        request,
        "penalties/appeal_list.html",
        {
            "waiting": waiting,
            "page": paginate(request, selectors.appeal_list(user=request.user)),
            "page_sizes": PAGE_SIZES,
        },
    )


@login_required
def appeal_review(request, pk: int):
    appeal = selectors.appeal_get_for_user(user=request.user, appeal_id=pk)
    error = services.appeal_reviewer_error(appeal=appeal, user=request.user)
    can_decide = appeal.is_open and error is None
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.appeal_decide(
                    appeal=appeal,
                    reviewer=request.user,
                    outcome=form.cleaned_data["outcome"],
                    new_amount=form.cleaned_data["new_amount"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("The appeal was decided."))
                return redirect("penalties:appeal_review", pk=appeal.pk)
    return render(
        request,
        "penalties/appeal_review.html",
        {
            "appeal": appeal,
            "penalty": appeal.penalty,
            "form": form,
            "can_decide": can_decide,
            "blocker": (
                " ".join(error.messages)
                if error is not None
                and appeal.is_open
                and request.user.has_perm("penalties.review_appeal")
                else None
            ),
            "approver_name": person_name(appeal.penalty.decided_by),
            "decided_by_name": person_name(appeal.decided_by),
        },
    )


@login_required
def appeal_evidence(request, pk: int):
    """An appeal's evidence file, for whoever may read the appeal (404 otherwise)."""
    evidence = get_object_or_404(AppealEvidence, pk=pk)
    selectors.appeal_get_for_user(user=request.user, appeal_id=evidence.appeal_id)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    # Only JPG, PNG and PDF are ever stored (checked by content), so they open inline.
    response = FileResponse(
        handle, content_type=evidence.content_type, filename=evidence.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
