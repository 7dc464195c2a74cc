from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through their services and the worker."""

    list_display = ("pk", "kind", "owner", "status", "progress", "attempts", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("owner__username",)
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
