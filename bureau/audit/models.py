"""The audit log of security events (issue 22, 等保 level 3): append-only.

Rows are written by ``bureau.audit.services.audit_log`` only. Nothing in the app updates or deletes
them: ``save()`` refuses an existing row, ``delete()`` and the queryset's ``update()``/``delete()``
refuse; the one exception is the retention job (``audit_purge``), which removes rows older than
``AUDIT_RETENTION_DAYS`` (≥ 180) and nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit record."""


class AuditKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    LOCKOUT = "lockout", "账号锁定"
    PERMISSION_DENIED = "permission_denied", "越权访问被拒绝"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    PASSWORD_SET = "password_set", "设置/重置密码"
    TWO_FACTOR = "two_factor", "双因素认证变更"
    ROLE_CHANGED = "role_changed", "角色变更"
    EXPORT = "export", "导出数据"
    IMPORT = "import", "导入台账"
    DELETE = "delete", "删除记录"
    RESTORE = "restore", "恢复记录"
    EXCLUDE = "exclude", "不写入报告"
    SIGNOFF = "signoff", "签核/签发"
    CONFLICT = "conflict", "并发修改被拒绝"
    OVERRIDE = "override", "失信限制例外放行"
    UPLOAD = "upload", "上传附件"
    DOWNLOAD = "download", "查看/下载附件"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计日志不可修改。")

    def delete(self):
        raise AppendOnlyError("审计日志不可删除。")

    def _purge(self) -> int:
        """Delete these rows: for ``audit_purge`` alone, which filters them by age first."""
        return models.QuerySet.delete(self)[0]


class AuditEvent(models.Model):
    Kind = AuditKind

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("事件", max_length=30, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # the record outlives the account
    )
    # As it was at the time: the account may later be renamed or removed.
    actor_name = models.CharField("用户姓名", max_length=150, blank=True)
    username = models.CharField("登录名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    path = models.CharField("请求地址", max_length=300, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    detail = models.TextField("说明", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-occurred_at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AuditKind.values),
                name="audit_event_kind_valid",
            )
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.actor_name or self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志不可删除。")
