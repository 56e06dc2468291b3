from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业"

    def ready(self):
        from . import views  # noqa: F401  (importing it registers the record types)
