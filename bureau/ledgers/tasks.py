"""Celery finds the ledger engine's task here (``autodiscover_tasks``); it is defined with the
job services it runs."""

from bureau.ledgers.jobs import run_import_job

__all__ = ["run_import_job"]
