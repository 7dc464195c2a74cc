from django.contrib import admin

from . import services
from .models import CompanySettings, Department, Employee, Grade, Position


@admin.register(CompanySettings)
class CompanySettingsAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "local_minimum_wage", "daily_wage_divisor")

    def has_add_permission(self, request):
        return not CompanySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceSavedAdmin(admin.ModelAdmin):
    """Admin whose saves go through the app's services (model ``clean()`` already ran
    in the form, so the service's ``full_clean()`` only repeats the checks)."""

    service_fields: tuple[str, ...] = ()

    def create(self, *, by, **fields):
        raise NotImplementedError

    def update(self, obj, *, by, **fields):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        data = {n: v for n, v in form.cleaned_data.items() if n in self.service_fields}
        if change:
            changed = {n: data[n] for n in form.changed_data if n in data}
            self.update(type(obj).objects.get(pk=obj.pk), by=request.user, **changed)
        else:
            obj.pk = self.create(by=request.user, **data).pk

    def has_delete_permission(self, request, obj=None):
        # Records are kept: people leave (status), departments close (inactive).
        return False


@admin.register(Department)
class DepartmentAdmin(ServiceSavedAdmin):
    service_fields = services.DEPARTMENT_FIELDS
    list_display = ("code", "name", "parent", "head", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "head")

    def create(self, *, by, **fields):
        return services.department_create(by=by, **fields)

    def update(self, obj, *, by, **fields):
        return services.department_update(department=obj, by=by, **fields)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "base_pay", "rank")


@admin.register(Employee)
class EmployeeAdmin(ServiceSavedAdmin):
    service_fields = services.EMPLOYEE_FIELDS
    list_display = ("employee_no", "name", "department", "position", "grade", "status")
    list_filter = ("status", "department")
    search_fields = ("employee_no", "name")
    autocomplete_fields = ("department", "supervisor", "user")
    list_select_related = ("department", "position", "grade")

    def create(self, *, by, **fields):
        return services.employee_create(by=by, **fields)

    def update(self, obj, *, by, **fields):
        return services.employee_update(employee=obj, by=by, **fields)
