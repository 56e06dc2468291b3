from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification


def unread_count(*, user) -> int:
    """The bell: one count over the partial index of unread rows."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    return qs.filter(read_at__isnull=True) if unread_only else qs
