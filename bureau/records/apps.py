from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "bureau.records"
    label = "records"
    verbose_name = "记录"

    def ready(self):
        from .versioning import connect

        connect()  # record writes bump the data version that cached figures depend on
