"""Payroll screens for the payroll clerk (close, download), the GM (reopen), HR and the
auditor (read). Thin: parse, call one selector or service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff.models import CompanySettings
from staff.pagination import PAGE_SIZES, paginate

from . import selectors, services
from .forms import LineFilterForm, ReopenForm
from .models import MoneyKind, PeriodStatus

VIEW = "payroll.view_payrollperiod"
VIEWS = ("summary", "carry", "departments", "history")


@login_required
@permission_required(VIEW, raise_exception=True)
def period_list(request):
    rows = selectors.period_list(user=request.user)
    return render(
        request,
        "payroll/payrollperiod_list.html",
        {"rows": rows, "next_month": selectors.next_month_to_close()},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def period_detail(request, month):
    period = selectors.period_get_for_user(user=request.user, month=month)
    closed = period is not None and period.status == PeriodStatus.CLOSED
    context = {
        "month": month,
        "period": period,
        "closed": closed,
        "company": CompanySettings.get(),
        "next_month": selectors.next_month_to_close(),
    }
    if not closed:
        context["preview"] = selectors.open_period_preview(month=month)
        if period is not None:
            context["reopenings"] = period.reopenings.select_related("reopened_by")
        return render(request, "payroll/payrollperiod_detail.html", context)

    view = request.GET.get("view", "summary")
    view = view if view in VIEWS else "summary"
    context.update(
        view=view,
        totals=services.period_totals(period=period),
        may_reopen=request.user.has_perm("payroll.reopen_payrollperiod")
        and selectors.latest_closed_month() == period.month,
        reopen_form=ReopenForm(),
    )
    if view == "summary":
        form = LineFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        lines = selectors.period_lines(
            period=period, search=filters.get("q", ""), capped_only=bool(filters.get("capped"))
        )
        context.update(form=form, page=paginate(request, lines), page_sizes=PAGE_SIZES)
    elif view == "carry":
        context.update(
            page=paginate(request, selectors.period_carry_items(period=period)),
            page_sizes=PAGE_SIZES,
        )
    elif view == "departments":
        labels = dict(MoneyKind.choices)
        context["departments"] = [
            {**row, "kind_label": labels.get(row["kind"], row["kind"])}
            for row in selectors.period_department_totals(period=period)
        ]
    else:
        context["adjustments"] = selectors.period_adjustments(period=period)
        context["reopenings"] = period.reopenings.select_related(
            "reopened_by", "previous_closed_by"
        )
    return render(request, "payroll/payrollperiod_detail.html", context)


@login_required
@permission_required("payroll.close_payrollperiod", raise_exception=True)
@require_http_methods(["GET", "POST"])
def period_close(request, month):
    period = selectors.period_get_for_user(user=request.user, month=month)
    if request.method == "POST":
        try:
            period = services.payroll_period_get_or_create(month=month)
            services.payroll_period_close(period=period, closed_by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("payroll:period_detail", month=month)
        messages.success(request, _("The payroll of %(month)s is closed.") % {"month": period})
        return redirect("payroll:period_detail", month=month)
    return render(
        request,
        "payroll/payrollperiod_close.html",
        {
            "month": month,
            "period": period,
            "preview": selectors.open_period_preview(month=month),
            "company": CompanySettings.get(),
        },
    )


@login_required
@permission_required("payroll.reopen_payrollperiod", raise_exception=True)
@require_http_methods(["GET", "POST"])
def period_reopen(request, month):
    period = selectors.period_get_for_user(user=request.user, month=month)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and period is not None:
        try:
            services.payroll_period_reopen(
                period=period, reopened_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, _("The payroll of %(month)s is open again.") % {"month": period}
            )
            return redirect("payroll:period_detail", month=month)
    elif request.method == "POST" and period is None:
        form.add_error(None, _("This month has never been closed."))
    return render(
        request,
        "payroll/payrollperiod_reopen.html",
        {"month": month, "period": period, "form": form},
    )


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _download(request, month, fmt: str):
    period = selectors.period_get_for_user(user=request.user, month=month)
    if period is None:
        messages.error(request, _("This month has never been closed."))
        return redirect("payroll:period_detail", month=month)
    try:
        data = services.payroll_export(period=period, by=request.user, fmt=fmt)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("payroll:period_detail", month=month)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"payroll-{period.label}.xlsx" if fmt == "xlsx" else f"payroll-{period.label}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required("payroll.export_payrollperiod", raise_exception=True)
def period_export_xlsx(request, month):
    return _download(request, month, "xlsx")


@login_required
@permission_required("payroll.export_payrollperiod", raise_exception=True)
def period_export_csv(request, month):
    return _download(request, month, "csv")
