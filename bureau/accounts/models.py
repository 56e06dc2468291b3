from django.conf import settings
from django.db import models


class PasswordHistory(models.Model):
    """Every password a user has had (its hash), newest last: for "no reuse", expiry and forced change.

    ``temporary``: set by someone else (an admin creating or resetting the account); the user must
    change it at the next sign-in. A change through the user's own 修改密码 page is not temporary.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码摘要", max_length=128)
    temporary = models.BooleanField("初始/重置密码", default=True)
    created_at = models.DateTimeField("设置时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "密码历史"
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
