"""Security events raised by Django's and axes' auth signals and by deletions of records.

Events with a service of their own (sign-offs, 不写入报告, exports, imports, restores) are logged
by that service; what Django itself does (sign-in, failed sign-in, group membership, password
change, deletion) is caught here so that no path around a service escapes the log.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import AuditKind
from .services import audit_log


def _logged_in(sender, request, user, **kwargs):
    audit_log(AuditKind.LOGIN, actor=user, request=request, target=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(AuditKind.LOGOUT, actor=user, request=request, target=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    audit_log(AuditKind.LOGIN_FAILED, actor=None, request=request, username=username, detail="用户名或密码错误")


def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_log(
        AuditKind.LOCKOUT,
        actor=None,
        request=request,
        username=str(username or "")[:150],
        detail="连续登录失败，已锁定该用户名（及该地址+用户名）",
    )


def _password_recorded(sender, instance, created, **kwargs):
    if not created:
        return
    kind = AuditKind.PASSWORD_SET if instance.temporary else AuditKind.PASSWORD_CHANGED
    audit_log(kind, target=instance.user, detail=f"账号：{instance.user}")


def _groups_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    User = get_user_model()
    verb = {"post_add": "加入角色", "post_remove": "移出角色", "post_clear": "清空角色"}[action]
    if reverse:  # group.user_set.add(...): instance is the group
        for user in User.objects.filter(pk__in=pk_set or ()):
            audit_log(AuditKind.ROLE_CHANGED, target=user, detail=f"{verb}：{instance.name}")
        return
    names = "、".join(model.objects.filter(pk__in=pk_set).values_list("name", flat=True)) if pk_set else ""
    audit_log(AuditKind.ROLE_CHANGED, target=instance, detail=f"{verb}：{names}" if names else verb)


def _superuser_changed(sender, instance, created, update_fields=None, **kwargs):
    before = getattr(instance, "_audit_superuser", None)
    if created or before is None or before == instance.is_superuser:
        return
    detail = "授予超级管理员权限" if instance.is_superuser else "撤销超级管理员权限"
    audit_log(AuditKind.ROLE_CHANGED, target=instance, detail=detail)


def _remember_superuser(sender, instance, **kwargs):
    instance._audit_superuser = instance.is_superuser


def _is_audited_record(model) -> bool:
    from bureau.registry import registry

    return any(record.model is model for record in registry["records"].values())


def _record_deleted(sender, instance, **kwargs):
    if _is_audited_record(sender):
        audit_log(AuditKind.DELETE, target=instance)


def connect() -> None:
    from django.db.models.signals import post_init

    from bureau.accounts.models import PasswordHistory

    User = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover - axes is a dependency
        pass
    else:
        user_locked_out.connect(_locked_out, dispatch_uid="audit-lockout")
    post_save.connect(_password_recorded, sender=PasswordHistory, dispatch_uid="audit-password")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="audit-groups")
    post_init.connect(_remember_superuser, sender=User, dispatch_uid="audit-superuser-init")
    post_save.connect(_superuser_changed, sender=User, dispatch_uid="audit-superuser")
    post_delete.connect(_record_deleted, dispatch_uid="audit-delete")
