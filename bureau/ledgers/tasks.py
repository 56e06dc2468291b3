"""Celery finds the ledger engine's task here (``autodiscover_tasks``); it is defined with the
job services it runs."""

from bureau.ledgers.jobs import expire_stale_import_jobs, run_import_job

__all__ = ["expire_stale_import_jobs", "run_import_job"]
