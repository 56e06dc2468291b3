"""管理员 maintenance only; staff work in the portal's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Achievement, Application, ApplicationLog, Award, Call, Disbursement, Program, Reward


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "category", "authority", "active")
    list_filter = ("level", "category", "active")
    search_fields = ("name", "authority")


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "program", "year", "opens_on", "closes_on")
    list_filter = ("year", "program__level")
    list_select_related = ("program",)


class ApplicationLogInline(admin.TabularInline):
    model = ApplicationLog
    extra = 0
    can_delete = False
    readonly_fields = ("action", "source", "target", "by", "at", "comment")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "program", "year", "status", "approved_amount")
    list_filter = ("status", "year", "program__level")
    search_fields = ("title", "institution", "enterprise__name")
    list_select_related = ("program",)
    raw_id_fields = ("enterprise", "call", "handler")
    inlines = [ApplicationLogInline]


for model in (Disbursement, Reward, Award, Achievement):
    admin.site.register(model, SimpleHistoryAdmin)
