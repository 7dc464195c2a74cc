from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.selectors import audit_history, user_may_read_audit
from rewards.selectors import awards_for_employee

from . import selectors, services
from .forms import EmployeeFilterForm, EmployeeForm
from .models import Employee
from .pagination import PAGE_SIZES, paginate


@login_required
@permission_required("staff.view_employee", raise_exception=True)
def employee_list(request):
    departments = selectors.departments_visible_to(request.user).order_by("code")
    form = EmployeeFilterForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    employees = selectors.employee_list(
        user=request.user,
        search=filters.get("q", ""),
        department=filters.get("department"),
        status=filters.get("status", ""),
    )
    return render(
        request,
        "staff/employee_list.html",
        {"form": form, "page": paginate(request, employees), "page_sizes": PAGE_SIZES},
    )


@login_required
def employee_detail(request, pk: int):
    employee = selectors.employee_get_for_user(user=request.user, employee_id=pk)
    context = {
        "employee": employee,
        "awards": awards_for_employee(user=request.user, employee=employee),
    }
    if user_may_read_audit(request.user):
        context["audit_entries"] = audit_history(obj=employee)
    return render(request, "staff/employee_detail.html", context)


def _save_employee(request, form: EmployeeForm, employee: Employee | None):
    if not form.is_valid():
        return None
    try:
        if employee is None:
            return services.employee_create(by=request.user, **form.cleaned_data)
        return services.employee_update(employee=employee, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


@login_required
@permission_required("staff.add_employee", raise_exception=True)
def employee_create(request):
    form = EmployeeForm(request.POST or None)
    if request.method == "POST" and (employee := _save_employee(request, form, None)):
        messages.success(request, _("Employee %(name)s created.") % {"name": employee.name})
        return redirect("staff:employee_detail", pk=employee.pk)
    return render(request, "staff/employee_form.html", {"form": form})


@login_required
@permission_required("staff.change_employee", raise_exception=True)
def employee_update(request, pk: int):
    employee = selectors.employee_get_for_user(user=request.user, employee_id=pk)
    form = EmployeeForm(request.POST or None, instance=Employee.objects.get(pk=employee.pk))
    if request.method == "POST" and _save_employee(request, form, employee):
        messages.success(request, _("Changes saved."))
        return redirect("staff:employee_detail", pk=employee.pk)
    return render(request, "staff/employee_form.html", {"form": form, "employee": employee})


@login_required
@permission_required("staff.view_department", raise_exception=True)
def department_list(request):
    departments = selectors.departments_visible_to(request.user).order_by("code")
    return render(request, "staff/department_list.html", {"departments": departments})


@login_required
def home(request):
    """The dashboard of the user's role (``reports.dashboards``)."""
    from reports.dashboards import dashboard_for  # reports reads every app, staff included

    dashboard = dashboard_for(user=request.user)
    context = {"me": selectors.employee_for_user(request.user), "dashboard": dashboard}
    return render(request, "home.html", {**(dashboard.context if dashboard else {}), **context})
