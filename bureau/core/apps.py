from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bureau.core"
    label = "core"
    verbose_name = "综合"

    def ready(self):
        from . import indicators, ledgers, search, views  # noqa: F401  (registers the record types, indicators, ledgers)
