"""Admin: reading rewards, changing only the settings (through the service). Awards,
nominations and reward types change through the screens and the fixture loader only."""

from django.contrib import admin

from safeguards.admin import ReadOnlyAdmin

from .models import (
    Award,
    AwardTransition,
    RewardNotice,
    RewardSettings,
    RewardType,
    ServiceStarNomination,
)
from .services.settings import SETTINGS_FIELDS, reward_settings_update


@admin.register(RewardType)
class RewardTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "version", "is_active")
    list_filter = ("is_active", "version__rulebook")
    search_fields = ("code", "name")
    list_select_related = ("version__rulebook",)


class AwardTransitionInline(admin.TabularInline):
    model = AwardTransition
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_status", "to_status", "actor", "actor_tier", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = (
        "awarded_on",
        "employee",
        "department",
        "reward_type",
        "amount",
        "department_amount",
        "status",
        "required_tier",
    )
    list_filter = ("status", "source", "required_tier")
    search_fields = ("employee__employee_no", "employee__name", "department__name")
    list_select_related = ("employee", "department", "reward_type")
    date_hierarchy = "awarded_on"
    inlines = [AwardTransitionInline]


@admin.register(RewardNotice)
class RewardNoticeAdmin(ReadOnlyAdmin):
    list_display = ("number", "award", "issued_at", "issued_by")
    search_fields = ("number",)
    list_select_related = ("award__employee", "award__department", "award__reward_type")


@admin.register(ServiceStarNomination)
class ServiceStarNominationAdmin(ReadOnlyAdmin):
    list_display = ("month", "department", "employee", "status", "nominated_by")
    list_filter = ("status",)
    list_select_related = ("department", "employee", "nominated_by")


@admin.register(RewardSettings)
class RewardSettingsAdmin(admin.ModelAdmin):
    fields = SETTINGS_FIELDS

    def has_add_permission(self, request):
        return not RewardSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
        obj.pk = reward_settings_update(by=request.user, **data).pk
