"""我的待办 of the reports app: a built report version not yet signed off (股室负责人; 局领导 see it too)."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from bureau.registry import register_reminders
from bureau.reminders import LIMIT, Reminder, is_leader_only

from .models import AnnualReport, ReportBuild
from .report_services import SIGNOFF_PERMISSION


@register_reminders
def report_signoff_reminders(*, user, today: datetime.date) -> list[Reminder]:
    if not (user.has_perm(SIGNOFF_PERMISSION) or is_leader_only(user)):
        return []
    latest = ReportBuild.objects.filter(report=OuterRef("pk"), state=ReportBuild.State.SUCCEEDED).order_by("-version")
    reports = (
        AnnualReport.objects.annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_version=Subquery(latest.values("version")[:1]),
            latest_at=Subquery(latest.values("finished_at")[:1]),
        )
        .filter(latest_id__isnull=False)
        .order_by("-year")[:LIMIT]
    )
    return [
        Reminder(
            kind="待签发",
            text="「%(r)s」第%(v)d版已生成，待签发" % {"r": r, "v": r.latest_version},
            url=r.get_absolute_url(),
            since=timezone.localdate(r.latest_at) if r.latest_at else None,
            leader=True,
        )
        for r in reports
        if r.signed_off_build_id != r.latest_id
    ]
