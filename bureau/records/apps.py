from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "bureau.records"
    label = "records"
    verbose_name = "记录"
