"""Admin: reading payroll; the one setting changes through its service. Months are
closed and reopened on the payroll screens (and by ``payroll_close``) only."""

from django.contrib import admin

from safeguards.admin import ReadOnlyAdmin

from .models import (
    PayrollAdjustment,
    PayrollItem,
    PayrollLine,
    PayrollPeriod,
    PayrollReopening,
    PayrollSettings,
)
from .services import payroll_settings_update


@admin.register(PayrollPeriod)
class PayrollPeriodAdmin(ReadOnlyAdmin):
    list_display = ("month", "status", "closed_by", "closed_at", "minimum_wage", "times_closed")
    list_filter = ("status",)
    list_select_related = ("closed_by",)


@admin.register(PayrollReopening)
class PayrollReopeningAdmin(ReadOnlyAdmin):
    list_display = ("period", "reopened_by", "reopened_at", "reason")
    list_select_related = ("period", "reopened_by")


@admin.register(PayrollLine)
class PayrollLineAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "employee_no",
        "name",
        "withheld",
        "carried_out",
        "net_change",
        "is_capped",
    )
    list_filter = ("period", "is_capped")
    search_fields = ("employee_no", "name")
    list_select_related = ("period",)


@admin.register(PayrollItem)
class PayrollItemAdmin(ReadOnlyAdmin):
    list_display = ("period", "employee", "source", "kind", "dated", "amount", "applied", "carried")
    list_filter = ("period", "source", "kind")
    search_fields = ("employee__employee_no", "employee__name", "notice_number")
    list_select_related = ("period", "employee")
    raw_id_fields = ("penalty", "award", "adjustment", "carried_from", "employee", "department")


@admin.register(PayrollAdjustment)
class PayrollAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "employee", "department", "kind", "delta", "month", "status")
    list_filter = ("status", "kind")
    list_select_related = ("employee", "department")


@admin.register(PayrollSettings)
class PayrollSettingsAdmin(admin.ModelAdmin):
    fields = ("net_rewards_against_cap",)

    def has_add_permission(self, request):
        return not PayrollSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        row = payroll_settings_update(
            by=request.user,
            net_rewards_against_cap=form.cleaned_data["net_rewards_against_cap"],
        )
        obj.pk = row.pk
