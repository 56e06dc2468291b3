from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """我的待办, in-app notifications and e-mail digests. Apps register their 待办 providers
    (``bureau.registry.register_reminders``) and notification kinds (``register_notification_kind``)
    and raise events through ``bureau.notifications.services.notify``; this package imports no app."""

    name = "bureau.notifications"
    label = "notifications"
    verbose_name = "通知与待办"

    def ready(self):
        from . import kinds  # noqa: F401  (registers the import and reminder kinds)
