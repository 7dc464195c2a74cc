from django.contrib import admin

from safeguards.admin import ReadOnlyAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Read-only: jobs change only through their services and the worker."""

    list_display = ("pk", "kind", "owner", "status", "progress", "attempts", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("owner__username",)
    readonly_fields = [f.name for f in Job._meta.fields]
