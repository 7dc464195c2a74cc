"""Report pages: the employee conduct file, the charts, the monthly summary per department,
the year to date per employee, and the Excel exports of every list. Thin: parse, call a
selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from staff.pagination import PAGE_SIZES, page_size, paginate
from staff.selectors import departments_visible_to, employee_for_user

from . import figures
from .excel import CONTENT_TYPE, Column, rows_to_workbook
from .exports import EXPORTS
from .forms import ChartFilterForm, MonthSummaryForm, YearToDateForm
from .selectors import charts as chart_data
from .selectors.employee_file import DEFAULT_PAGE_SIZE as FILE_PAGE_SIZE
from .selectors.employee_file import employee_file as select_employee_file
from .selectors.periods import Window
from .selectors.summaries import department_month_summary, employee_year_to_date


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the employee conduct file --------------------------------------------------------------


@login_required
@require_GET
def employee_file(request, pk: int):
    """One employee's record; 404 unless the user may read it. The summary is complete;
    the history comes a page at a time, newest first, and ``?all=1`` gives the whole
    file in time order, for printing."""
    whole = request.GET.get("all") == "1"
    file = select_employee_file(
        user=request.user,
        employee_id=pk,
        page=request.GET.get("page"),
        per_page=None if whole else page_size(request, FILE_PAGE_SIZE),
    )
    return render(
        request,
        "reports/employee_file.html",
        {"file": file, "whole": whole, "page": file.page, "page_sizes": PAGE_SIZES},
    )


@login_required
def my_file(request):
    """The signed-in person's own file (a login without an employee file has none)."""
    me = employee_for_user(request.user)
    if me is None:
        messages.info(request, _("Your login has no employee file."))
        return redirect("home")
    return redirect("reports:employee_file", pk=me.pk)


# ---- charts ---------------------------------------------------------------------------------


@login_required
@permission_required("reports.view_reports", raise_exception=True)
def chart_list(request):
    form = ChartFilterForm(request.GET or None)
    window = Window.last(today=timezone.localdate(), count=form.chosen_months())
    user = request.user
    context = {
        "form": form,
        "window": window,
        "category_chart": figures.category_month_chart(
            chart_data.violations_by_category_month(user=user, window=window)
        ),
        "department_chart": figures.department_chart(
            chart_data.violations_by_department(user=user, window=window), window
        ),
        "rules_chart": figures.top_rules_chart(
            chart_data.top_rules(user=user, window=window), window
        ),
        "offenders_chart": figures.offenders_chart(
            chart_data.repeat_offenders(user=user, window=window), window
        ),
        "money_chart": figures.money_chart(chart_data.money_by_month(user=user, window=window)),
    }
    return render(request, "reports/chart_list.html", context)


# ---- reports --------------------------------------------------------------------------------


@login_required
@permission_required("reports.view_reports", raise_exception=True)
def report_index(request):
    return render(request, "reports/report_index.html")


def _month_summary(request):
    departments = departments_visible_to(request.user).order_by("code")
    form = MonthSummaryForm(request.GET or None, departments=departments)
    filters = form.filters(today=timezone.localdate())
    return form, department_month_summary(user=request.user, **filters)


@login_required
@permission_required("reports.view_reports", raise_exception=True)
def month_summary(request):
    form, summary = _month_summary(request)
    return render(
        request,
        "reports/month_summary.html",
        {"form": form, "summary": summary, "export_query": request.GET.urlencode()},
    )


@login_required
@permission_required("reports.view_reports", raise_exception=True)
def month_summary_export(request):
    _form, summary = _month_summary(request)
    columns = [
        Column(_("Department code"), width=12),
        Column(_("Department"), width=18),
        Column(_("Category"), width=28),
        Column(_("Violations"), "int", 10),
        Column(_("Penalties in effect"), "money", 16),
        Column(_("Penalties pending"), "money", 16),
        Column(_("Rewards approved"), "int", 10),
        Column(_("Rewards amount"), "money", 16),
    ]

    def rows():
        for dept in summary.departments:
            for line in dept.lines:
                yield (
                    dept.code,
                    dept.name,
                    line.category,
                    line.violations,
                    line.fines,
                    line.pending,
                    None,
                    None,
                )
            yield (
                dept.code,
                dept.name,
                _("Department total"),
                dept.total.violations,
                dept.total.fines,
                dept.total.pending,
                dept.rewards_count,
                dept.rewards,
            )
        total = summary.total
        yield (
            "",
            _("Total"),
            "",
            total.violations,
            total.fines,
            total.pending,
            summary.rewards_count,
            summary.rewards,
        )

    title = _("Monthly summary %(month)s") % {"month": f"{summary.month:%Y-%m}"}
    content = rows_to_workbook(title=title, columns=columns, rows=rows())
    return xlsx_response(content, f"monthly-summary-{summary.month:%Y-%m}.xlsx")


def _year_to_date(request):
    departments = departments_visible_to(request.user).order_by("code")
    form = YearToDateForm(request.GET or None, departments=departments)
    today = timezone.localdate()
    filters = form.filters(today=today)
    return form, filters, employee_year_to_date(user=request.user, today=today, **filters)


@login_required
@permission_required("reports.view_reports", raise_exception=True)
def year_to_date(request):
    form, filters, employees = _year_to_date(request)
    return render(
        request,
        "reports/year_to_date.html",
        {
            "form": form,
            "year": filters["year"],
            "page": paginate(request, employees),
            "page_sizes": PAGE_SIZES,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
@permission_required("reports.view_reports", raise_exception=True)
def year_to_date_export(request):
    _form, filters, employees = _year_to_date(request)
    columns = [
        Column(_("Employee number"), width=12),
        Column(_("Name"), width=12),
        Column(_("Department"), width=16),
        Column(_("Violations"), "int", 10),
        Column(_("Penalties in effect"), "money", 16),
        Column(_("Penalties pending"), "money", 16),
        Column(_("Rewards approved"), "money", 16),
        Column(_("Rewards − penalties"), "money", 16),
    ]
    rows = (
        (
            e.employee_no,
            e.name,
            e.department.name,
            e.ytd_violations,
            e.ytd_fines,
            e.ytd_pending,
            e.ytd_rewards,
            e.ytd_net,
        )
        for e in employees.iterator(chunk_size=2000)
    )
    title = _("Year to date %(year)s") % {"year": filters["year"]}
    content = rows_to_workbook(title=title, columns=columns, rows=rows)
    return xlsx_response(content, f"year-to-date-{filters['year']}.xlsx")


# ---- list exports ---------------------------------------------------------------------------


@login_required
@require_GET
def list_export(request, name: str):
    """A list as the list page filters it (same GET parameters), as .xlsx. Checked by the
    list page's own permission (403 without it); the rows are scoped by its selector."""
    export = EXPORTS.get(name)
    if export is None:
        raise Http404
    if not export.may_export(request.user):
        raise PermissionDenied
    content = rows_to_workbook(
        title=str(export.title), columns=export.columns(), rows=export.rows(request)
    )
    return xlsx_response(content, f"{export.name}-{timezone.localdate():%Y%m%d}.xlsx")
