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
    # 县级立项
    NotificationKind("application_correction", "申报退回补正", default_mode="immediate", order=16),
    NotificationKind("application_expert_review", "申报待专家评审", default_mode="digest", order=17),
    NotificationKind("application_publicized", "申报列入公示", order=18),
    NotificationKind("application_objection", "公示异议待处理", default_mode="immediate", order=19),
    NotificationKind("application_midterm", "中期检查已登记", order=20),
    NotificationKind("application_midterm_failed", "中期检查不合格（建议终止）", default_mode="immediate", order=21),
    NotificationKind("application_change_requested", "变更申请待审批", default_mode="digest", order=22),
    NotificationKind("application_change_decided", "变更申请已审批", order=23),
    NotificationKind("application_reconsider", "验收需要复议", order=24),
    NotificationKind("application_accepted", "项目已验收", order=25),
    NotificationKind("application_terminated", "项目已终止或撤销", order=26),
):
    register_notification_kind(kind)

register_notification_kind(NotificationKind("review_assigned", "被指派评审项目", default_mode="immediate", order=20))
