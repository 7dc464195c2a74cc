"""What the admin may not do: records that change only through their services (violations,
penalties, notices, awards, payroll, jobs, the audit trail) are shown read-only."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page to look at, never to add, change or delete through."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
