"""Admin of penalties: read-only. Penalties are created, re-priced and voided by the
violation services and decided by the approval services, never edited here."""

from django.contrib import admin

from penalties.models import Penalty
from safeguards.admin import ReadOnlyAdmin


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = (
        "violation",
        "party",
        "employee",
        "department",
        "money_kind",
        "amount",
        "required_tier",
        "status",
        "needs_review",
    )
    list_filter = ("status", "party", "money_kind", "required_tier", "needs_review")
    search_fields = ("employee__employee_no", "employee__name", "violation__employee__name")
    list_select_related = ("violation__employee", "employee", "department")
