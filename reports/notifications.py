from bureau.notifications.kinds import NotificationKind
from bureau.registry import register_notification_kind

register_notification_kind(NotificationKind("report_built", "报告生成完成", order=50))
register_notification_kind(NotificationKind("report_failed", "报告生成失败", default_mode="immediate", order=51))
