from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报告"

    def ready(self):
        # checks: the font check at worker start; report_views: the annual report record type;
        # notifications and reminders: the build events and the sign-off 待办; ranking_views: 全市排名
        from . import checks, notifications, ranking_views, reminders, report_views  # noqa: F401
