from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bureau.core"
    label = "core"
    verbose_name = "综合"

    def ready(self):
        from . import indicators, ledgers, notifications, reminders, views  # noqa: F401  (registers them)
