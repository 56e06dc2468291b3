from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bureau.core"
    label = "core"
    verbose_name = "综合"

    def ready(self):
        # Importing them registers the record types, indicators, ledgers, notification kinds, 待办
        # providers, search providers and first-run checklist items.
        from . import indicators, ledgers, notifications, reminders, search, setup, views  # noqa: F401
