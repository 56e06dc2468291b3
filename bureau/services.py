"""Building blocks every app's services share: the "leave as is" sentinel, save, generic delete.

A service is ``<entity>_<verb>(*, actor, …keyword arguments…)`` (STYLE §1). An update names only
the fields it changes; every other keyword defaults to ``UNSET`` and leaves the stored value alone.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import models, transaction

from bureau.permissions import Actor, has_permission, require_permission


class Unset(enum.Enum):
    """The type of ``UNSET``: "the caller did not name this field"."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = Unset.UNSET


def assign(obj: models.Model, **values: Any) -> dict[str, Any]:
    """Set every named field that is not ``UNSET``; return the many-to-many values to set after saving."""
    many = {}
    for name, value in values.items():
        if value is UNSET:
            continue
        if obj._meta.get_field(name).many_to_many:
            many[name] = list(value)
        else:
            setattr(obj, name, value)
    return many


def save(obj: models.Model, many: dict[str, Any] | None = None) -> models.Model:
    """``full_clean()`` (Chinese messages from the model), save, then set the many-to-many values."""
    obj.full_clean()
    obj.save()
    for name, value in (many or {}).items():
        getattr(obj, name).set(value)
    return obj


def record_save(obj: models.Model, **values: Any) -> models.Model:
    """Assign the named values and save: the body of a service without rules of its own."""
    return save(obj, assign(obj, **values))


@transaction.atomic
def record_delete(*, actor: Actor, instance: models.Model) -> None:
    """Delete a record of a type without deletion rules of its own (the generic delete service).

    Raises ``ProtectedError``/``RestrictedError`` when other records still refer to it.
    """
    require_permission(actor, instance, "delete")
    instance.delete()


def deleted_history(model: type[models.Model]):
    """The deletion entries (simple-history "-") of ``model``'s records that are still deleted, newest first."""
    return (
        model.history.filter(history_type="-")
        .exclude(id__in=model._default_manager.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def may_restore(actor: Actor, model: type[models.Model]) -> bool:
    """股室负责人 and 管理员 restore deleted records of a type they may also create."""
    from bureau.accounts.roles import RESTORE_ROLES, user_has_role

    return actor is None or (user_has_role(actor, RESTORE_ROLES) and has_permission(actor, model, "add"))


@transaction.atomic
def record_restore(*, actor: Actor, model: type[models.Model], history_id: int) -> models.Model:
    """Bring a deleted record back from its history: the same id and values it had when deleted,
    its many-to-many values as last recorded. Refused when it is not deleted, or when something it
    refers to is gone (restore that first) or its unique values are now taken."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from bureau.audit.models import AuditKind
    from bureau.audit.services import audit_log

    if not may_restore(actor, model):
        raise PermissionDenied(f"只有股室负责人、管理员可以恢复已删除的{model._meta.verbose_name}。")
    entry = deleted_history(model).filter(history_id=history_id).first()
    if entry is None:
        raise ValidationError("该记录不存在或已恢复。")
    obj = entry.instance
    for field in model._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if (
            field.is_relation
            and value is not None
            and not field.related_model._default_manager.filter(pk=value).exists()
        ):
            raise ValidationError(
                f"该记录引用的{field.related_model._meta.verbose_name}已被删除，请先恢复它（{field.verbose_name}）。"
            )
    obj.full_clean(validate_unique=True)
    obj.save(force_insert=True)
    for field in getattr(entry, "_history_m2m_fields", ()):
        # The deletion entry lists none (the links go first): take the last version that lists them.
        earlier = (
            model.history.filter(id=obj.pk, history_date__lte=entry.history_date)
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
            .first()
        )
        if earlier is not None:
            rows = getattr(earlier, field.name).all()
            target = f"{field.m2m_reverse_field_name()}_id"
            ids = [getattr(row, target) for row in rows]
            getattr(obj, field.name).set(field.related_model._default_manager.filter(pk__in=ids))
    audit_log(AuditKind.RESTORE, actor=actor, target=obj, detail=f"从删除前的历史恢复（历史编号 {history_id}）")
    return obj
