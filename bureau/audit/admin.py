from django.contrib import admin

from .models import AuditEvent
from .roles import is_auditor


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and only for an auditor: no add, change or delete, whoever asks."""

    list_display = ("occurred_at", "kind", "actor_name", "username", "ip", "object_repr")
    list_filter = ("kind",)
    search_fields = ("actor_name", "username", "object_repr", "ip")
    actions = None

    def has_view_permission(self, request, obj=None):
        return is_auditor(request.user)

    def has_module_permission(self, request):
        return is_auditor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
