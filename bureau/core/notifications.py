from bureau.notifications.kinds import NotificationKind
from bureau.registry import register_notification_kind

register_notification_kind(NotificationKind("target_changed", "已签核的年度目标被修改", order=40))
