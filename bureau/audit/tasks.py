from celery import shared_task

from .services import audit_purge


@shared_task(name="audit.purge")
def audit_purge_task() -> int:
    """Beat: drop audit events older than the retention period (AUDIT_RETENTION_DAYS, ≥ 180)."""
    return audit_purge()
