"""Writing the audit log: one function every event goes through, and the retention job's purge."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from bureau.accounts.client_ip import client_ip
from bureau.accounts.display import user_display

from .models import AuditEvent

logger = logging.getLogger(__name__)

MIN_RETENTION_DAYS = 180


def current_request():
    """The request being served, if any (simple-history's middleware keeps it for signals)."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def audit_log(
    kind: str,
    *,
    actor=None,
    request=None,
    target: models.Model | None = None,
    username: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event. ``request`` (default: the current one) gives the client address and path;
    ``actor`` defaults to its signed-in user."""
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        kind=kind,
        actor=actor,
        actor_name=user_display(actor) if actor is not None else "",
        username=(username or (actor.get_username() if actor is not None else ""))[:150],
        ip=(client_ip(request) or None) if request is not None else None,
        path=request.get_full_path()[:300] if request is not None else "",
        detail=detail,
    )
    if target is not None:
        event.object_type = str(target._meta.verbose_name)[:100]
        event.object_id = str(target.pk)[:64]
        event.object_repr = str(target)[:300]
    event.save()
    return event


def retention_days() -> int:
    return max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)


def audit_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the events older than the retention period (never fewer than 180 days); return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the trigger of migration 0004 lets this transaction delete
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL bureau.audit_purge = 'on'")
        deleted = AuditEvent.objects.filter(occurred_at__lt=cutoff)._purge()
    logger.info("audit log: %d events older than %s deleted", deleted, cutoff.date())
    return deleted
