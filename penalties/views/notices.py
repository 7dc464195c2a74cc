"""Notices: the PDF (one or a month's), acknowledgement, and the employee's own record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from penalties.forms import MonthForm
from penalties.models import PenaltyStatus
from penalties.notices_pdf import penalty_notice_pdf, penalty_notices_pdf
from penalties.selectors import approvals as selectors
from penalties.services.notices import notice_acknowledge
from staff.pagination import PAGE_SIZES, paginate
from staff.selectors import employee_for_user


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def notice_pdf(request, pk: int):
    notice = selectors.notice_get_for_user(user=request.user, notice_id=pk)
    return _pdf_response(penalty_notice_pdf(notice=notice), f"{notice.number}.pdf")


@login_required
@require_POST
def notice_acknowledge_view(request, pk: int):
    notice = selectors.notice_get_for_user(user=request.user, notice_id=pk)
    try:
        notice_acknowledge(
            notice=notice, employee_user=request.user, ip=request.META.get("REMOTE_ADDR")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You acknowledged notice %(number)s.") % {"number": notice.number}
        )
    return redirect("penalties:my_record")


def _month(request):
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["month"] if form.is_valid() else timezone.localdate().replace(day=1)
    return form, month


@login_required
@permission_required("penalties.print_notice", raise_exception=True)
def notice_list(request):
    """HR: the notices issued in a month, each to print, or all of them as one PDF."""
    form, month = _month(request)
    notices = selectors.notices_for_print(user=request.user, year=month.year, month=month.month)
    return render(
        request,
        "penalties/notice_list.html",
        {
            "form": form,
            "month": month,
            "page": paginate(request, notices),
            "page_sizes": PAGE_SIZES,
        },
    )


@login_required
@permission_required("penalties.print_notice", raise_exception=True)
def notice_print_month(request):
    _form, month = _month(request)
    notices = list(
        selectors.notices_for_print(
            user=request.user, year=month.year, month=month.month
        ).select_related("penalty", "acknowledged_by__employee")
    )
    if not notices:
        messages.info(
            request, _("No notice was issued in %(month)s.") % {"month": f"{month:%Y-%m}"}
        )
        return redirect(f"{reverse('penalties:notice_list')}?month={month:%Y-%m}")
    return _pdf_response(penalty_notices_pdf(notices=notices), f"notices-{month:%Y-%m}.pdf")


@login_required
def my_record(request):
    """The employee's own penalties and notices: open, acknowledge, appeal, outcomes."""
    today = timezone.localdate()
    rows = []
    for penalty in selectors.my_record(user=request.user):
        notices = list(penalty.notices.all())
        current = next((n for n in notices if n.is_current), None)
        appeal = selectors.penalty_appeal_or_none(penalty)
        rows.append(
            {
                "penalty": penalty,
                "notice": current,
                "older": [n for n in notices if not n.is_current],
                "appeal": appeal,
                "can_acknowledge": current is not None
                and current.acknowledged_at is None
                and penalty.status in (PenaltyStatus.APPROVED, PenaltyStatus.UNDER_APPEAL),
                "can_appeal": current is not None
                and appeal is None
                and penalty.status == PenaltyStatus.APPROVED
                and today <= current.appeal_until,
            }
        )
    return render(
        request,
        "penalties/my_record.html",
        {"rows": rows, "me": employee_for_user(request.user)},
    )
