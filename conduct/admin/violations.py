"""Admin of violations and evidence: read-only. Violations are logged and voided through
the services (the logging form and its void button), never edited here."""

from django.contrib import admin

from conduct.models import Evidence, Violation
from safeguards.admin import ReadOnlyAdmin


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "employee",
        "rulebook",
        "rule_number",
        "occurrence",
        "source",
        "status",
        "needs_review",
    )
    list_filter = ("status", "source", "needs_review", "rulebook")
    search_fields = ("employee__employee_no", "employee__name", "rule_number", "description")
    date_hierarchy = "occurred_at"
    list_select_related = ("employee", "rulebook")
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "violation", "content_type", "size", "uploaded_at")
    list_select_related = ("violation__employee",)
    search_fields = ("original_name", "sha256")
