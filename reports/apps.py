from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报告"

    def ready(self):
        from . import dashboard  # noqa: F401  (registers the dashboard charts)
