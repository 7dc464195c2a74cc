"""Attendance pages: the month sheet (and its Excel export), processing a month, importing
clock records, leave, and the set-up overview. Thin: parse, call a selector or service,
render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.models import CompanySettings
from staff.pagination import PAGE_SIZES, paginate
from staff.selectors import employee_for_user, employees_visible_to

from . import selectors, services
from .exports import month_sheet_workbook
from .forms import (
    CancelForm,
    ClockUploadForm,
    ColumnMappingForm,
    DecisionForm,
    LeaveFilterForm,
    LeaveForm,
    MonthSheetFilterForm,
    ProcessMonthForm,
)
from .importing import FIELDS
from .marks import legend
from .models import ImportStatus

PREVIEW_ERRORS_SHOWN = 200
PREVIEW_ROWS_SHOWN = 20


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- the month sheet ------------------------------------------------------------------------


def _sheet_filters(request):
    departments = selectors.sheet_departments(user=request.user)
    form = MonthSheetFilterForm(request.GET or None, departments=departments)
    month = form.chosen_month()
    department = form.cleaned_data.get("department") if form.is_bound and form.is_valid() else None
    return form, month, department


@login_required
@permission_required("attendance.view_attendanceday", raise_exception=True)
def month_sheet(request):
    form, month, department = _sheet_filters(request)
    employees = selectors.sheet_employees(user=request.user, month=month, department=department)
    page = paginate(request, employees)
    context = {
        "form": form,
        "month": month,
        "page": page,
        "page_sizes": PAGE_SIZES,
        "days": selectors.sheet_days(month),
        "rows": selectors.sheet_rows(employees=list(page), month=month),
        "processed": selectors.attendance_month_get(month),
        "legend": legend(),
        "process_form": ProcessMonthForm(initial={"month": month.strftime("%Y-%m")}),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "attendance/attendanceday_month.html", context)


@login_required
@permission_required("attendance.view_attendanceday", raise_exception=True)
def month_sheet_export(request):
    _form, month, department = _sheet_filters(request)
    employees = list(
        selectors.sheet_employees(user=request.user, month=month, department=department)
    )
    content = month_sheet_workbook(
        month=month,
        days=selectors.sheet_days(month),
        rows=selectors.sheet_rows(employees=employees, month=month),
        company=CompanySettings.get().name,
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="attendance-{month:%Y-%m}.xlsx"'
    return response


@login_required
@permission_required("attendance.process_attendance", raise_exception=True)
@require_POST
def month_process(request):
    form = ProcessMonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("attendance:month_sheet")
    month = form.cleaned_data["month"]
    try:
        result = services.attendance_month_process(month=month, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%(month)s processed: %(days)s employee-days, %(created)s violations created, "
                "%(voided)s voided, %(kept)s unchanged, %(flagged)s flagged for review."
            )
            % {
                "month": month.strftime("%Y-%m"),
                "days": result.days,
                "created": result.violations_created,
                "voided": result.violations_voided,
                "kept": result.violations_kept,
                "flagged": result.flagged,
            },
        )
    return redirect(f"{reverse('attendance:month_sheet')}?month={month:%Y-%m}")


# --- imports ----------------------------------------------------------------------------------


@login_required
@permission_required("attendance.import_clock_records", raise_exception=True)
def import_list(request):
    form = ClockUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft = services.clock_import_start(
                file_name=upload.name,
                content=upload.read(services.imports.MAX_FILE_BYTES + 1),
                by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("attendance:import_detail", pk=draft.pk)
    imports = selectors.clock_imports_for_user(user=request.user)
    return render(
        request,
        "attendance/clockimport_list.html",
        {"form": form, "page": paginate(request, imports), "page_sizes": PAGE_SIZES},
    )


@login_required
@permission_required("attendance.import_clock_records", raise_exception=True)
def import_detail(request, pk: int):
    clock_import = selectors.clock_import_get_for_user(user=request.user, import_id=pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    mapping_form = ColumnMappingForm(data, headers=clock_import.headers)
    mapping = mapping_form.mapping(clock_import.mapping)
    if request.method == "POST" and clock_import.status == ImportStatus.DRAFT:
        action = request.POST.get("action")
        try:
            if action == "discard":
                services.clock_import_discard(clock_import=clock_import, by=request.user)
                messages.info(request, _("The upload was discarded; nothing was imported."))
                return redirect("attendance:import_list")
            if action == "confirm":
                done = services.clock_import_confirm(
                    clock_import=clock_import, mapping=mapping, by=request.user
                )
                messages.success(
                    request,
                    _(
                        "Imported: %(created)s new records, %(updated)s corrected, "
                        "%(unchanged)s already present."
                    )
                    % {
                        "created": done.rows_created,
                        "updated": done.rows_updated,
                        "unchanged": done.rows_unchanged,
                    },
                )
                return redirect("attendance:import_detail", pk=done.pk)
        except ValidationError as exc:
            mapping_form.add_error(None, exc)
    if mapping_form.is_bound:
        mapping_form.is_valid()
    else:
        mapping_form = ColumnMappingForm(initial=mapping, headers=clock_import.headers)
    preview = None
    if clock_import.status == ImportStatus.DRAFT:
        preview = selectors.clock_import_preview(clock_import=clock_import, mapping=mapping)
    result = preview.result if preview is not None else None
    context = {
        "clock_import": clock_import,
        "mapping_form": mapping_form,
        "mapping": mapping,
        "columns": [mapping.get(name) or "—" for name in FIELDS],
        "preview": preview,
        "errors": result.errors[:PREVIEW_ERRORS_SHOWN] if result else [],
        "sample": result.rows[:PREVIEW_ROWS_SHOWN] if result else [],
    }
    return render(request, "attendance/clockimport_preview.html", context)


# --- leave --------------------------------------------------------------------------------------


@login_required
def leave_list(request):
    form = LeaveFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    leaves = selectors.leave_list(
        user=request.user,
        status=filters.get("status", ""),
        search=filters.get("q", ""),
        to_decide=filters.get("to_decide", False),
    )
    return render(
        request,
        "attendance/leave_list.html",
        {
            "form": form,
            "page": paginate(request, leaves),
            "page_sizes": PAGE_SIZES,
            "can_decide": bool(selectors.approvable_department_ids(request.user)),
        },
    )


@login_required
def leave_create(request):
    me = employee_for_user(request.user)
    for_others = request.user.has_perm("attendance.enter_leave_for_others")
    if me is None and not for_others:
        raise Http404
    employees = employees_visible_to(request.user) if for_others else None
    form = LeaveForm(request.POST or None, employees=employees)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.leave_request(
                employee=data.get("employee") or me,
                kind=data["kind"],
                start_date=data["start_date"],
                start_half=data["start_half"],
                end_date=data["end_date"],
                end_half=data["end_half"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Leave requested: %(days)s working days.") % {"days": leave.days}
            )
            return redirect("attendance:leave_detail", pk=leave.pk)
    return render(request, "attendance/leave_form.html", {"form": form, "me": me})


@login_required
def leave_detail(request, pk: int):
    leave = selectors.leave_get_for_user(user=request.user, leave_id=pk)
    return render(
        request,
        "attendance/leave_detail.html",
        {
            "leave": leave,
            "can_decide": leave.status == "pending"
            and selectors.can_decide_leave(request.user, leave),
            "can_cancel": selectors.can_cancel_leave(request.user, leave),
            "decision_form": DecisionForm(),
            "cancel_form": CancelForm(),
        },
    )


@login_required
@require_POST
def leave_decide(request, pk: int, decision: str):
    if decision not in ("approve", "reject", "cancel"):
        raise Http404
    leave = selectors.leave_get_for_user(user=request.user, leave_id=pk)
    if decision == "cancel":
        form = CancelForm(request.POST)
        action = services.leave_cancel
        field = "reason"
        done = _("Leave cancelled.")
    else:
        form = DecisionForm(request.POST)
        action = services.leave_approve if decision == "approve" else services.leave_reject
        field = "comment"
        done = _("Leave approved.") if decision == "approve" else _("Leave rejected.")
    if form.is_valid():
        try:
            action(leave=leave, by=request.user, **{field: form.cleaned_data[field]})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("attendance:leave_detail", pk=leave.pk)


# --- set-up ------------------------------------------------------------------------------------


@login_required
@permission_required("attendance.view_shift", raise_exception=True)
def setup_overview(request):
    return render(
        request,
        "attendance/attendancepolicy_list.html",
        selectors.setup_overview(today=timezone.localdate()),
    )
