"""Celery: e-mail (with retries and backoff: SMTP down delays mail, never loses it), the daily
digest run by beat, and the retention clean-up. Load by id, call one service."""

from __future__ import annotations

import datetime
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# SMTP down, refused, timed out: retried with exponential backoff (jittered), about a day in all.
MAIL_ERRORS = (OSError, smtplib.SMTPException)
MAIL_RETRY = {
    "autoretry_for": MAIL_ERRORS,
    "retry_backoff": getattr(settings, "MAIL_RETRY_BACKOFF", 30),
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 30,
    "acks_late": True,
}


@shared_task(name="notifications.send_notification_email", **MAIL_RETRY)
def send_notification_email(notification_id: int) -> bool:
    from .mail import notification_email_send

    return notification_email_send(notification_id=notification_id)


@shared_task(name="notifications.send_digest", **MAIL_RETRY)
def send_digest(delivery_id: int) -> str:
    from .digest import digest_failed, digest_send

    try:
        return digest_send(delivery_id=delivery_id)
    except MAIL_ERRORS as exc:
        digest_failed(delivery_id=delivery_id, error=exc)
        raise  # autoretry: again after the backoff


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests(date: str | None = None) -> int:
    """Beat, 08:00 Asia/Shanghai: claim every user's digest of the day and queue its sending; also
    queue again the ones claimed earlier that day but never sent."""
    from .digest import digests_pending, digests_run

    day = datetime.date.fromisoformat(date) if date else timezone.localdate()
    claimed = digests_run(date=day)
    claimed_ids = {d.pk for d in claimed}
    for pk in digests_pending(date=day):
        if pk not in claimed_ids:
            send_digest.delay(pk)
    return len(claimed)


@shared_task(name="notifications.purge_notifications")
def purge_notifications() -> int:
    """Beat, daily: notifications are kept 180 days."""
    from .services import notifications_purge

    return notifications_purge()


@shared_task(name="notifications.scan_reminders")
def scan_reminders() -> int:
    """Beat, daily before the digest: notify each user of 我的待办 items falling due today or overdue since yesterday."""
    from .scan import reminders_scan

    return reminders_scan(today=timezone.localdate())
