from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "人才与平台"

    def ready(self):
        from . import indicators, ledgers, profile, report, search, views  # noqa: F401  (importing them registers them)
