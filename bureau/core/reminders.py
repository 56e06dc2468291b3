"""我的待办: annual targets waiting for a 股室负责人's sign-off (shown to 局领导 too)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Min
from django.utils import timezone

from bureau.records.urls import record_url
from bureau.registry import register_reminders
from bureau.reminders import LIMIT, Reminder, is_leader_only

from .models import AnnualTarget


@register_reminders
def target_signoff_reminders(*, user, today: datetime.date) -> list[Reminder]:
    if not (user.has_perm("core.signoff_annualtarget") or is_leader_only(user)):
        return []
    rows = (
        # Last year's (the annual report's) and later: an old year's unsigned target is history.
        AnnualTarget.objects.filter(signed_off_at__isnull=True, year__gte=today.year - 1)
        .values("year")
        .annotate(n=Count("pk"), since=Min("updated_at"))
        .order_by("year")[:LIMIT]
    )
    return [
        Reminder(
            kind="待签核",
            text="%(year)d年有%(n)d项年度目标待签核" % {"year": row["year"], "n": row["n"]},
            url=record_url(AnnualTarget, "list", year=row["year"]),
            since=timezone.localdate(row["since"]),
            leader=True,
        )
        for row in rows
    ]
