"""Write many historical records at once, each with the change history it would have had.

The services validate one row at a time with ``full_clean()``, which runs a query per check
constraint and foreign key: right for a clerk's form, minutes for four years of a county. The
story's past is written here instead: each row is checked in memory with the same field
validators and the model's own ``clean()`` (the database enforces the constraints and keys), then
the rows, their timestamps and one simple-history row per step (who, when, what it looked like)
are inserted in bulk.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone


def moment(day: datetime.date | datetime.datetime, hour: int = 10) -> datetime.datetime:
    if isinstance(day, datetime.datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def check(obj: models.Model) -> None:
    """The in-memory part of ``full_clean``: field values and validators, then ``clean()``.

    Relations are left to the database (they are objects this seeder just wrote)."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.clean_fields(exclude=relations)
    obj.clean()


@dataclass
class Entry:
    obj: models.Model
    steps: list[tuple[datetime.datetime, object, str, dict]] = field(default_factory=list)


class Journal:
    """Rows of one model and their steps: ``add`` a row, ``change`` it, then ``write`` them all."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.history = model.history.model
        self.tracked = [f.attname for f in self.history.tracked_fields if not f.primary_key]
        self.entries: dict[int, Entry] = {}

    def _snapshot(self, obj) -> dict:
        return {name: getattr(obj, name) for name in self.tracked}

    def add(self, obj: models.Model, day, user, *, hour: int = 10) -> models.Model:
        check(obj)
        entry = Entry(obj)
        entry.steps.append((moment(day, hour), user, "+", self._snapshot(obj)))
        self.entries[id(obj)] = entry
        return obj

    def change(self, obj: models.Model, day, user, *, hour: int = 10, **changes) -> models.Model:
        for name, value in changes.items():
            setattr(obj, name, value)
        check(obj)
        self.entries[id(obj)].steps.append((moment(day, hour), user, "~", self._snapshot(obj)))
        return obj

    def write(self) -> list[models.Model]:
        """Insert the rows (keys back from the database), their timestamps, and their history."""
        entries = list(self.entries.values())
        objs = [e.obj for e in entries]
        self.model.objects.bulk_create(objs, batch_size=500)
        # Rows added before the rows they point to were written: take the keys they have now.
        relations = [f.attname for f in self.model._meta.concrete_fields if f.is_relation]
        for e in entries:
            for _when, _user, _kind, values in e.steps:
                for name in relations:
                    if name in values and values[name] is None:
                        values[name] = getattr(e.obj, name)
        # auto_now/auto_now_add stamp the insert time; set the story's times afterwards
        # (bulk_update leaves those fields as given).
        stamps = [f for f in ("created_at", "updated_at") if any(x.name == f for x in self.model._meta.fields)]
        for e in entries:
            if "created_at" in stamps:
                e.obj.created_at = e.steps[0][0]
            if "updated_at" in stamps:
                e.obj.updated_at = e.steps[-1][0]
        if stamps:
            self.model.objects.bulk_update(objs, stamps, batch_size=500)
        pk = self.model._meta.pk.attname
        rows = []
        for e in entries:
            for when, user, kind, values in e.steps:
                values = dict(values)
                if "created_at" in values:
                    values["created_at"] = e.steps[0][0]
                if "updated_at" in values:
                    values["updated_at"] = when
                rows.append(
                    self.history(
                        **{pk: getattr(e.obj, pk)},
                        **values,
                        history_date=when,
                        history_user=user,
                        history_type=kind,
                        history_change_reason=None,
                    )
                )
        self.history.objects.bulk_create(rows, batch_size=500)
        self.entries.clear()
        return objs
