from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bureau.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from . import signals

        signals.connect()
