"""Building blocks every app's services share: the "leave as is" sentinel, save, generic delete.

A service is ``<entity>_<verb>(*, actor, …keyword arguments…)`` (STYLE §1). An update names only
the fields it changes; every other keyword defaults to ``UNSET`` and leaves the stored value alone.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import models, transaction

from bureau.permissions import Actor, require_permission


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
