from django.apps import AppConfig


class LedgersConfig(AppConfig):
    """The Excel ledger engine: declarations, file checks, reading, validation, writing, the
    template, import jobs and their pages. It uses ``bureau.records`` (the ImportJob row, the
    record forms, the data version); nothing in ``bureau.records`` imports it."""

    name = "bureau.ledgers"
    label = "ledgers"
    verbose_name = "Excel台账"

    def ready(self):
        from . import reminders, setup  # noqa: F401  (registers the 待确认导入 provider and checklist items)
