from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业"

    def ready(self):
        # Importing them registers the record types, indicators, profile sections, reminders, search
        # providers and checklist items.
        from . import indicators, ledgers, profile, reminders, report, search, setup, views  # noqa: F401
