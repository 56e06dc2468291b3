from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "档案导出"

    def ready(self):
        # profile: the enterprise page's list of every document of the enterprise and its records.
        from . import profile  # noqa: F401
