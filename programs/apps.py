from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "科技计划与项目"

    def ready(self):
        # Importing these registers the record types, indicators, enterprise-page sections and reminders.
        from . import indicators, ledgers, notifications, profile, reminders, report, review_views, search, views  # noqa: F401
