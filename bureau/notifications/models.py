from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One in-app notification for one user, raised by a service on commit (``services.notify``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's one count per page: unread rows of one user.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return self.title


class EmailPreference(models.Model):
    """How a user wants one kind of notification by e-mail; without a row the kind's default applies."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "立即发送"
        DIGEST = "digest", "每日摘要"
        NEVER = "never", "不发送"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField("类别", max_length=40)
    mode = models.CharField("方式", max_length=20, choices=Mode.choices, default=Mode.DIGEST)

    class Meta:
        verbose_name = verbose_name_plural = "邮件通知设置"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique_kind"),
            models.CheckConstraint(
                condition=Q(mode__in=["immediate", "digest", "never"]), name="email_pref_mode_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.get_mode_display()}"


class DigestDelivery(models.Model):
    """The claim on one user's digest of one day: created before sending, so a digest goes out at
    most once per user and day even when beat fires twice or a worker dies mid-run."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        EMPTY = "empty", "无内容"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    date = models.DateField("日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "每日摘要发送记录"
        ordering = ["-date", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="digest_delivery_unique_user_date"),
            models.CheckConstraint(condition=Q(status__in=["pending", "sent", "empty"]), name="digest_status_valid"),
        ]

    def __str__(self):
        return f"{self.user} {self.date:%Y-%m-%d} {self.get_status_display()}"
