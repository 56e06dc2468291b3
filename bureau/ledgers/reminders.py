"""我的待办: the user's own uploads that passed the check and wait for 确认导入."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from bureau.registry import register_reminders
from bureau.reminders import LIMIT, Reminder


@register_reminders
def import_confirmation_reminders(*, user, today: datetime.date) -> list[Reminder]:
    from bureau.records.models import ImportJob

    jobs = ImportJob.objects.filter(user=user, status=ImportJob.Status.PREVIEW).order_by("created_at")[:LIMIT]
    return [
        Reminder(
            kind="待确认导入",
            text="「%(f)s」已校验通过，待确认导入" % {"f": job.filename},
            url=reverse("ledger_job", args=[job.pk]),
            since=timezone.localdate(job.created_at),
            level="info",
        )
        for job in jobs
    ]
