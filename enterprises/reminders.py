"""我的待办 of this app: certificates expiring within 90 days, and 高企 due for re-certification
(a 国家高新技术企业 certificate expiring within 180 days: the re-certification takes months)."""

from __future__ import annotations

import datetime

from bureau.records.urls import record_url
from bureau.registry import register_reminders
from bureau.reminders import Reminder

from .models import Certification, CertificationType
from .selectors import EXPIRY_WARNING_DAYS, certifications_expiring

MAX_LISTED = 30  # beyond this, one line links to the filtered list instead
URGENT_DAYS = 30
EXPIRY_DAYS = 90  # any certificate; 高企 from EXPIRY_WARNING_DAYS (180) on


@register_reminders
def certification_expiry_reminders(*, user, today: datetime.date) -> list[Reminder]:
    if not user.has_perm("enterprises.view_certification"):
        return []
    expiring = list(certifications_expiring(today=today)[: MAX_LISTED + 1])
    reminders = []
    for cert in expiring[:MAX_LISTED]:
        days = (cert.expires_on - today).days
        high_tech = cert.type.code == CertificationType.HIGH_TECH
        if not high_tech and days > EXPIRY_DAYS:
            continue
        reminders.append(
            Reminder(
                kind="高企重新认定" if high_tech else "资质到期",
                text="%(enterprise)s的%(type)s将于%(date)s到期（还剩%(days)d天），请提醒企业重新认定。"
                % {
                    "enterprise": cert.enterprise,
                    "type": cert.type,
                    "date": f"{cert.expires_on:%Y-%m-%d}",
                    "days": days,
                },
                url=cert.enterprise.get_absolute_url(),
                due=cert.expires_on,
                level="danger" if days <= URGENT_DAYS else "warning",
            )
        )
    if len(expiring) > MAX_LISTED:
        reminders.append(
            Reminder(
                kind="资质到期",
                text="还有更多%(days)d天内到期的资质，点击查看全部。" % {"days": EXPIRY_WARNING_DAYS},
                url=record_url(Certification, "list", expiring_within=EXPIRY_WARNING_DAYS),
                level="info",
            )
        )
    return reminders
