"""The daily e-mail digest: 我的待办 and unread notifications of one user, in Chinese, plain text
and HTML, with absolute links (``SITE_URL``). Claimed per user and day before it is sent."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bureau.formatting import chinese_date
from bureau.registry import registry
from bureau.reminders import collect_work

from .models import DigestDelivery, EmailPreference, Notification

logger = logging.getLogger(__name__)

NOTIFICATION_LIMIT = 50


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


@dataclass
class Digest:
    user: object
    date: datetime.date
    work: list
    notifications: list

    @property
    def empty(self) -> bool:
        return not self.work and not self.notifications

    @property
    def subject(self) -> str:
        site = settings.DIGEST_SUBJECT_PREFIX
        return f"{site}每日待办摘要（{chinese_date(self.date)}）：待办{len(self.work)}项，未读通知{len(self.notifications)}条"


def digest_for(user, *, date: datetime.date) -> Digest:
    """What the digest of ``user`` on ``date`` lists: 我的待办 and the unread notifications whose
    kind the user gets by e-mail (immediately-mailed ones are listed too while unread)."""
    never = set(
        EmailPreference.objects.filter(user=user, mode=EmailPreference.Mode.NEVER).values_list("kind", flat=True)
    )
    never |= {
        code
        for code, k in registry["notification_kinds"].items()
        if k.default_mode == EmailPreference.Mode.NEVER
        and not EmailPreference.objects.filter(user=user, kind=code).exclude(mode="never").exists()
    }
    notes = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .exclude(kind__in=never)
        .order_by("-created_at", "-pk")[:NOTIFICATION_LIMIT]
    )
    return Digest(user=user, date=date, work=collect_work(user, today=date), notifications=notes)


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "work": [(item, absolute(item.url)) for item in digest.work],
        "notifications": [(n, absolute(n.url)) for n in digest.notifications],
        "home_url": absolute("/"),
        "inbox_url": absolute("/notifications/"),
        "settings_url": absolute("/notifications/settings/"),
    }
    from bureau.accounts.display import user_display

    context["name"] = user_display(digest.user)
    text = render_to_string("notifications/digest.txt", context)
    html = render_to_string("notifications/digest.html", context)
    msg = EmailMultiAlternatives(digest.subject, text, to=[digest.user.email])
    msg.attach_alternative(html, "text/html")
    return msg


def digest_recipients():
    User = get_user_model()
    return User.objects.filter(is_active=True).exclude(email="").order_by("pk")


def digest_claim(*, user_id: int, date: datetime.date) -> DigestDelivery | None:
    """Create the (user, date) row; None when it exists already (claimed by an earlier run)."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(user_id=user_id, date=date)
    except IntegrityError:
        return None


def digest_send(*, delivery_id: int) -> str:
    """Send one claimed digest unless it went out already; raises on an SMTP failure (the task retries)."""
    with transaction.atomic():
        delivery = DigestDelivery.objects.select_for_update().select_related("user").get(pk=delivery_id)
        if delivery.status != DigestDelivery.Status.PENDING:
            return delivery.status
        digest = digest_for(delivery.user, date=delivery.date)
        if digest.empty or not delivery.user.email:
            delivery.status = DigestDelivery.Status.EMPTY
            delivery.save(update_fields=["status"])
            return delivery.status
        digest_message(digest).send()
        # The mail is out: mark it at once (a crash after this point sends nothing twice).
        delivery.status = DigestDelivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["status", "sent_at"])
        Notification.objects.filter(pk__in=[n.pk for n in digest.notifications], emailed_at__isnull=True).update(
            emailed_at=delivery.sent_at
        )
    return delivery.status


def digest_failed(*, delivery_id: int, error: Exception) -> None:
    """Count a failed attempt (the row stays 待发送 and the task retries)."""
    from django.db.models import F

    DigestDelivery.objects.filter(pk=delivery_id).update(
        attempts=F("attempts") + 1, last_error=f"{error.__class__.__name__}: {error}"[:300]
    )


def digests_run(*, date: datetime.date, dry_run: bool = False, out=None) -> list:
    """Claim and queue the digest of every user with an e-mail address for ``date``.

    Returns the claimed deliveries (dry run: the users who would get a non-empty digest, nothing claimed).
    """
    from .tasks import send_digest

    done = []
    for user in digest_recipients():
        if dry_run:
            if DigestDelivery.objects.filter(user=user, date=date).exists():
                continue
            digest = digest_for(user, date=date)
            if not digest.empty:
                done.append(user)
                if out is not None:
                    out.write(f"{user.email}: {digest.subject}\n")
            continue
        delivery = digest_claim(user_id=user.pk, date=date)
        if delivery is None:
            continue
        done.append(delivery)
        try:
            send_digest.delay(delivery.pk)
        except Exception:  # noqa: BLE001 - broker down: the row stays 待发送 and the next run resends it
            logger.exception("digest %s not queued", delivery.pk)
    return done


def digests_pending(*, date: datetime.date) -> list[int]:
    """Claimed but not sent (a worker died or the broker was down): queued again by the next run."""
    return list(
        DigestDelivery.objects.filter(date=date, status=DigestDelivery.Status.PENDING).values_list("pk", flat=True)
    )
