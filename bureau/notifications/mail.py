"""One notification mailed at once (the kinds a user asked to get immediately)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from .digest import absolute
from .kinds import kind_label
from .models import Notification


def notification_email_send(*, notification_id: int) -> bool:
    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None or not n.recipient.email:
        return False
    context = {"n": n, "kind": kind_label(n.kind), "url": absolute(n.url), "inbox_url": absolute("/notifications/")}
    msg = EmailMultiAlternatives(
        f"【{kind_label(n.kind)}】{n.title}",
        render_to_string("notifications/notification_email.txt", context),
        to=[n.recipient.email],
    )
    msg.attach_alternative(render_to_string("notifications/notification_email.html", context), "text/html")
    msg.send()
    Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True
