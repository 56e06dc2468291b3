"""The daily reminder scan (beat): items of 我的待办 whose deadline is today, or that became
overdue yesterday, become a notification, so the digest and the bell say so once."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from bureau.reminders import collect_work

from .models import Notification
from .services import notify


def reminders_scan(*, today: datetime.date) -> int:
    User = get_user_model()
    count = 0
    for user in User.objects.filter(is_active=True).order_by("pk"):
        for item in collect_work(user, today=today):
            if item.due is None or item.due not in (today, today - datetime.timedelta(days=1)):
                continue
            title = f"{item.kind}：{item.text}"[:200]
            if Notification.objects.filter(recipient=user, kind="reminder", title=title).exists():
                continue
            notify(recipients=[user], kind="reminder", title=title, url=item.url)
            count += 1
    return count
