"""Notifications: raised by the services of the apps (one place per write), written on commit.

``notify`` is called inside the service's transaction: nothing is written or mailed when the write
rolls back, and a failing mail queue never fails the write (mail is retried by Celery; the digest
lists what is unread anyway).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from collections.abc import Iterable, Iterator

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bureau.accounts.display import user_display
from bureau.accounts.roles import ROLES
from bureau.permissions import Actor
from bureau.registry import registry
from bureau.reminders import bump_work_version

from .models import EmailPreference, Notification

logger = logging.getLogger(__name__)

RETENTION_DAYS = 180

# Set while past work is replayed (the demo county's seed): what it raises is history, not news.
_replaying = contextvars.ContextVar("notifications_replaying", default=False)


@contextlib.contextmanager
def replaying_history() -> Iterator[None]:
    """Notifications raised inside are written as already read and mailed: nobody is told today
    about work a seed records as done years ago (no e-mail, no unread count, no digest)."""
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


def users_with_role(role: str) -> list[int]:
    """Ids of the active users holding ``role`` (a code of roles.py), e.g. every 股室负责人."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, groups__name=ROLES[role].name).values_list("pk", flat=True).distinct()
    )


def _ids(recipients: Iterable) -> set[int]:
    ids = set()
    for r in recipients:
        if r is None:
            continue
        ids.add(r if isinstance(r, int) else r.pk)
    return ids


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", actor: Actor = None) -> None:
    """Notify ``recipients`` (users or ids; the actor is left out) when the current transaction commits."""
    if kind not in registry["notification_kinds"]:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = _ids(recipients) - ({actor.pk} if actor is not None else set())
    if not ids:
        return
    actor_name = user_display(actor) if actor is not None else ""
    history = _replaying.get()  # read now: the rows are written when the outermost transaction commits

    def write():
        done = timezone.now() if history else None
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url,
                    actor_name=actor_name,
                    read_at=done,
                    emailed_at=done,
                )
                for pk in sorted(ids)
            ]
        )
        for pk in ids:
            bump_work_version(pk)
        if not history:
            _queue_immediate_mail(rows, kind)

    transaction.on_commit(write)


def email_mode(*, user_id: int, kind: str) -> str:
    pref = EmailPreference.objects.filter(user_id=user_id, kind=kind).values_list("mode", flat=True).first()
    if pref:
        return pref
    k = registry["notification_kinds"].get(kind)
    return k.default_mode if k else EmailPreference.Mode.DIGEST


def _queue_immediate_mail(rows: list[Notification], kind: str) -> None:
    from .tasks import send_notification_email

    User = get_user_model()
    ids = [r.recipient_id for r in rows]
    emails = dict(User.objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email"))
    prefs = dict(EmailPreference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "mode"))
    k = registry["notification_kinds"][kind]
    for row in rows:
        if row.recipient_id in emails and prefs.get(row.recipient_id, k.default_mode) == EmailPreference.Mode.IMMEDIATE:
            try:
                send_notification_email.delay(row.pk)
            except Exception:  # noqa: BLE001 - the broker is down: the digest still lists it unread
                logger.exception("notification %s: e-mail not queued", row.pk)


@transaction.atomic
def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (someone else's is not found)."""
    try:
        n = Notification.objects.select_for_update().get(pk=notification_id, recipient=actor)
    except Notification.DoesNotExist as exc:
        raise ValidationError("没有这条通知。") from exc
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def email_preferences_update(*, actor, email: str, modes: dict[str, str]) -> None:
    """The actor's own e-mail address and the e-mail mode of each notification kind."""
    from django.core.validators import validate_email

    email = (email or "").strip()
    if email:
        validate_email(email)
    valid = set(EmailPreference.Mode.values)
    for kind, mode in modes.items():
        if kind not in registry["notification_kinds"] or mode not in valid:
            raise ValidationError("无效的通知设置。")
    User = get_user_model()
    User.objects.filter(pk=actor.pk).update(email=email)
    actor.email = email
    for kind, mode in modes.items():
        EmailPreference.objects.update_or_create(user=actor, kind=kind, defaults={"mode": mode})


def notifications_purge(*, now: datetime.datetime | None = None, days: int = RETENTION_DAYS) -> int:
    """Delete notifications older than ``days`` (kept 180 days); returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
