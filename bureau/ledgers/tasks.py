"""Celery: a large ledger import is validated and written here, with progress on its ImportJob."""

from celery import shared_task

from bureau.ledgers.jobs import import_job_run


# The name it had in bureau.records: tasks queued before a deploy still find it.
@shared_task(name="bureau.records.tasks.run_import_job", acks_late=True)
def run_import_job(job_id: str, commit: bool) -> None:
    import_job_run(job_id=job_id, commit=commit)
