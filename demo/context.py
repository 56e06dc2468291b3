"""Who does what, and when, while the demo county is written.

The services stamp "now" themselves (``auto_now`` timestamps, history dates, workflow logs, the
sign-off time, the recommendation date) and simple-history takes the acting user from the request.
The demo tells a story that happened in 2017–2020 by several people, so each step runs in
``as_of(day, user)``: the services run at the real time, and when the block ends every row it
saved gets the story's moment and user written onto it (the row itself, its history rows, the
in-memory object); audit events excepted, which keep the time they were written. Nothing process-wide is replaced: ``timezone.now`` stays Django's, and only
saves made by this thread during the block are restamped.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from bureau.audit.models import AuditEvent

from .journal import moment as moment_of

# Date (not datetime) fields a service fills from "today": (model label, field name).
STAMPED_DATES = {("programs.application", "recommended_on")}


class _Block:
    """The saves and history rows one thread made inside one ``as_of`` block."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.saved: dict[int, models.Model] = {}
        self.history: list[models.Model] = []

    def on_save(self, sender, instance, raw=False, **kwargs) -> None:
        if threading.get_ident() == self.thread and not raw:
            self.saved[id(instance)] = instance

    def on_history(self, sender, history_instance, **kwargs) -> None:
        if threading.get_ident() == self.thread:
            self.history.append(history_instance)


def _restamp(obj: models.Model, started: datetime.datetime, ended: datetime.datetime, moment: datetime.datetime):
    """Set every time the block stamped on ``obj`` to ``moment``; returns {attname: new value}."""
    changed = {}
    today = timezone.localdate(started)
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.DateTimeField):
            if value is not None and started <= value <= ended:
                changed[field.attname] = moment
        elif (obj._meta.label_lower, field.name) in STAMPED_DATES and value == today:
            changed[field.attname] = timezone.localdate(moment)
    for name, value in changed.items():
        setattr(obj, name, value)
    return changed


@contextmanager
def as_of(day: datetime.date | datetime.datetime, user=None, *, hour: int = 10) -> Iterator[None]:
    """Run the block's writes as if on ``day`` (local time) by ``user`` (the history's author)."""
    moment = moment_of(day, hour)
    block = _Block()
    uid = f"demo-as-of-{id(block)}"
    post_save.connect(block.on_save, weak=False, dispatch_uid=uid)
    post_create_historical_record.connect(block.on_history, weak=False, dispatch_uid=uid)
    started = timezone.now()
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid=uid)
        post_create_historical_record.disconnect(dispatch_uid=uid)
    ended = timezone.now()
    history_ids = {id(h) for h in block.history}
    for obj in block.saved.values():
        # The audit log is append-only (on PostgreSQL the database refuses): its events keep the real
        # time the seed wrote them, which is also the truth.
        if id(obj) in history_ids or isinstance(obj, AuditEvent):
            continue
        changed = _restamp(obj, started, ended, moment)
        if changed:
            type(obj)._base_manager.filter(pk=obj.pk).update(**changed)
    for row in block.history:
        changed = _restamp(row, started, ended, moment)
        changed["history_date"] = row.history_date = moment
        if user is not None:
            changed["history_user_id"] = row.history_user_id = user.pk
        type(row)._base_manager.filter(pk=row.pk).update(**changed)
