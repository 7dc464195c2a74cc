"""Admin of approvals, notices and appeals. The history, notices and appeals are read
only (they change through the services and screens); the approval settings are saved
through ``approval_settings_update`` so that pending penalties are re-tiered."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from penalties.models import (
    Appeal,
    AppealEvidence,
    ApprovalSettings,
    Notice,
    PenaltyTransition,
)
from penalties.services.approvals import SETTINGS_FIELDS, approval_settings_update
from safeguards.admin import ReadOnlyAdmin


@admin.register(ApprovalSettings)
class ApprovalSettingsAdmin(admin.ModelAdmin):
    fields = (*SETTINGS_FIELDS, "updated_by", "updated_at")
    readonly_fields = ("updated_by", "updated_at")
    list_display = ("__str__", *SETTINGS_FIELDS, "updated_at")

    def has_add_permission(self, request):
        return not ApprovalSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        obj.pk = ApprovalSettings.get().pk  # the one row exists before it is updated
        try:
            approval_settings_update(by=request.user, **changed)
        except ValidationError as exc:  # pragma: no cover - the form validated the same
            messages.error(request, " ".join(exc.messages))
        obj.refresh_from_db()


@admin.register(PenaltyTransition)
class PenaltyTransitionAdmin(ReadOnlyAdmin):
    list_display = ("penalty", "action", "from_status", "to_status", "actor", "actor_tier", "at")
    list_filter = ("action", "to_status", "actor_tier")
    list_select_related = ("penalty__employee", "penalty__department", "actor")
    date_hierarchy = "at"


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "penalty",
        "amount",
        "issued_at",
        "issued_by",
        "is_current",
        "appeal_until",
        "acknowledged_at",
    )
    list_filter = ("year", "is_current")
    search_fields = ("number", "penalty__employee__name", "penalty__employee__employee_no")
    list_select_related = ("penalty__employee", "penalty__department", "issued_by")
    date_hierarchy = "issued_at"
    exclude = ("snapshot",)


class AppealEvidenceInline(admin.TabularInline):
    model = AppealEvidence
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ("penalty", "employee", "filed_at", "status", "outcome", "decided_by")
    list_filter = ("status", "outcome", "review_tier")
    search_fields = ("employee__name", "employee__employee_no", "text")
    list_select_related = ("penalty__employee", "penalty__department", "employee", "decided_by")
    inlines = [AppealEvidenceInline]
