"""Notification kinds: each app declares the events it raises (``register_notification_kind``), with
the e-mail mode a user gets until they choose one (通知设置)."""

from __future__ import annotations

from dataclasses import dataclass

from bureau.registry import register_notification_kind, registry


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str  # shown in the inbox and 通知设置, e.g. "申报被退回"
    default_mode: str = "digest"  # immediate, digest or never (EmailPreference.Mode)
    order: int = 100


def kinds() -> list[NotificationKind]:
    return sorted(registry["notification_kinds"].values(), key=lambda k: (k.order, k.code))


def kind_label(code: str) -> str:
    kind = registry["notification_kinds"].get(code)
    return kind.label if kind else code


register_notification_kind(NotificationKind("import_finished", "台账导入完成", order=60))
register_notification_kind(NotificationKind("import_failed", "台账导入失败", default_mode="immediate", order=61))
register_notification_kind(NotificationKind("reminder", "待办到期提醒", order=90))
