"""Celery: a large ledger import is validated and written here, with progress on its ImportJob."""

from celery import shared_task

from bureau.records.importer import import_job_run


@shared_task(acks_late=True)
def run_import_job(job_id: str, commit: bool) -> None:
    import_job_run(job_id=job_id, commit=commit)
