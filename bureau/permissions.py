"""Who may do what: the one permission-name builder and the one check every service makes.

Views check the same names for their 403 page, but the service is the rule: what a role may not do
on a page it may not do through an Excel import, a command or a background job either.
``actor=None`` is the system (a command run without ``--user``, a scheduled job, the demo seed).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models

from bureau.accounts.roles import ROLES

# The user a write is done by; None is the system, which may do anything.
Actor: TypeAlias = AbstractBaseUser | None

ACTION_VERBS = {
    "view": "查看",
    "add": "新增",
    "change": "修改",
    "delete": "删除",
    "review": "审核",
    "signoff": "签核",
}


def permission_name(model: type[models.Model] | models.Model, action: str) -> str:
    """``<app_label>.<action>_<model>``, as NetBox's get_permission_for_model; the only builder."""
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def roles_with_permission(perm: str) -> list[str]:
    """The names of the roles (roles.py) that hold ``perm``, e.g. ``["股室负责人", "管理员"]``."""
    return [role.name for role in ROLES.values() if role.grants(perm)]


def has_permission(actor: Actor, model: type[models.Model] | models.Model, action: str) -> bool:
    return actor is None or actor.has_perm(permission_name(model, action))


def permission_message(model: type[models.Model] | models.Model, action: str, *, doing: str = "") -> str:
    """「只有股室负责人、管理员可以修改年度目标。」: who may, so the user knows whom to ask.
    ``doing`` names the act when the verb and model say it badly (「确认不写入报告」)."""
    perm = permission_name(model, action)
    roles = roles_with_permission(perm)
    doing = doing or f"{ACTION_VERBS.get(action, action)}{model._meta.verbose_name}"
    if not roles:
        return f"没有角色可以{doing}。"
    return f"只有{'、'.join(roles)}可以{doing}。"


def require_permission(actor: Actor, model: type[models.Model] | models.Model, action: str, *, doing: str = "") -> None:
    """Raise ``PermissionDenied`` (naming the roles that may) unless ``actor`` may ``action`` ``model``."""
    if not has_permission(actor, model, action):
        raise PermissionDenied(permission_message(model, action, doing=doing))
