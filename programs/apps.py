from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "科技计划与项目"

    def ready(self):
        # Importing these registers the record types, indicators, enterprise-page sections and reminders.
        from . import (  # noqa: F401
            indicators,
            ledgers,
            notifications,
            profile,
            reminders,
            report,
            review_ledgers,
            review_search,
            review_views,
            search,
            views,
        )
