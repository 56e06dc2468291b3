"""The events of the application workflow (raised by programs.services)."""

from bureau.notifications.kinds import NotificationKind
from bureau.registry import register_notification_kind

for kind in (
    NotificationKind("application_submitted", "申报提交审核", default_mode="digest", order=10),
    NotificationKind("application_returned", "申报被退回修改", default_mode="immediate", order=11),
    NotificationKind("application_recommended", "申报已推荐上报", order=12),
    NotificationKind("application_approved", "申报已立项", order=13),
    NotificationKind("application_rejected", "申报未立项", order=14),
    NotificationKind("application_assigned", "成为申报经办人", order=15),
):
    register_notification_kind(kind)

register_notification_kind(NotificationKind("review_assigned", "被指派评审项目", default_mode="immediate", order=20))
