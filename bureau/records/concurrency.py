"""Optimistic concurrency for the edit forms: a stale save is refused, never silently merged.

The edit form carries the version of the record its user saw (``updated_at``, which every save
stamps). Saving locks the row and compares: if someone saved in between, nothing is written and
the user is told who changed it and when (「该记录已被 王科员 于 14:05 修改」), with a table of the
fields as they saw them, as the other user left them and as they typed them. Their form keeps what
they typed and now carries the current version, so saving again is a deliberate overwrite.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bureau.accounts.display import object_display, user_display

VERSION_FIELD = "record_version"


def record_version(obj: models.Model) -> str:
    """The version token of a stored record ("" for a model without ``updated_at``)."""
    stamp = getattr(obj, "updated_at", None)
    return stamp.isoformat() if isinstance(stamp, datetime.datetime) else ""


class StaleEdit(ValidationError):
    """Raised instead of saving over a change the user did not see."""

    def __init__(self, message: str, *, current_version: str, changes: list[dict[str, Any]]):
        super().__init__(message, code="stale")
        self.current_version = current_version
        self.changes = changes


def _parse(version: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(version)
    except (TypeError, ValueError):
        return None


def _value(model: type[models.Model], obj: models.Model | None, name: str) -> Any:
    if obj is None:
        return None
    f = model._meta.get_field(name)
    if f.many_to_many:
        if not isinstance(obj, model):  # a historical row: its many-to-many values are not kept here
            return None
        return sorted(object_display(v) for v in getattr(obj, name).all())
    if f.is_relation:
        return getattr(obj, f.attname)
    return getattr(obj, name)


def _shown(model: type[models.Model], name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    f = model._meta.get_field(name)
    if f.many_to_many:
        return "、".join(value) if isinstance(value, list) else "、".join(object_display(v) for v in value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        if isinstance(value, models.Model):
            return object_display(value)
        target = f.related_model._default_manager.filter(pk=value).first()
        return object_display(target) if target is not None else "（已删除）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _comparable(model: type[models.Model], name: str, value: Any) -> Any:
    f = model._meta.get_field(name)
    if f.many_to_many:
        if value is None:
            return None
        return sorted(object_display(v) if isinstance(v, models.Model) else str(v) for v in value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def check_version(*, obj: models.Model, seen: str | None, fields: list[str], submitted: dict[str, Any]) -> None:
    """Lock ``obj``'s row and raise ``StaleEdit`` unless it is still the version ``seen``.

    ``seen`` None (a form without the version: a script, an import) is not checked. Call inside
    the transaction that saves, so that nobody can save between the check and the write.
    """
    if seen is None:
        return
    model = type(obj)
    current = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if current is None:
        raise ValidationError("该记录已被删除，不能保存。")
    now = record_version(current)
    if not now or _parse(seen) == current.updated_at:
        return
    history = getattr(current, "history", None)
    latest = before = None
    if history is not None:
        latest = history.select_related("history_user").order_by("-history_date", "-history_id").first()
        seen_at = _parse(seen)
        if seen_at is not None:
            before = history.filter(updated_at=seen_at).order_by("-history_date", "-history_id").first()
    who = user_display(latest.history_user) if latest is not None and latest.history_user else "其他用户"
    when = timezone.localtime(current.updated_at).strftime("%H:%M")
    changes = []
    for name in fields:
        theirs = _comparable(model, name, _value(model, current, name))
        yours = _comparable(model, name, submitted.get(name))
        known = before is not None and not model._meta.get_field(name).many_to_many
        then = _comparable(model, name, _value(model, before, name)) if known else None
        changed_by_them = known and then != theirs
        if changed_by_them or yours != theirs:
            changes.append(
                {
                    "field": str(model._meta.get_field(name).verbose_name),
                    "seen": _shown(model, name, then) if known else "（未知）",
                    "theirs": _shown(model, name, theirs),
                    "yours": _shown(model, name, yours),
                    "changed_by_them": changed_by_them,
                }
            )
    raise StaleEdit(
        f"该记录已被 {who} 于 {when} 修改，您的修改未保存。请核对下表后重新保存。",
        current_version=now,
        changes=changes,
    )
