"""Versions of the record data, so that figures computed from it can be cached safely.

Every save or delete of a ``RecordModel`` (every record type, in every app) bumps, now and again
after its transaction commits:

- the version of the record's table (``table_versions``): a cached figure remembers the versions
  of the tables its queries read and is recomputed only when one of them has changed;
- the data version (``data_version``): pages cached as a whole (the dashboard's body, reminders)
  put it in their keys, so any write makes them stale at once.

Bulk writes send no signals (``bulk_create``, ``update()``): their code calls
``bump_data_version()``, which also starts a new generation (``generation``) so that every cached
figure is recomputed. Cache entries also expire (``DATA_CACHE_TIMEOUT``), which bounds staleness
where the cache is per process (LocMemCache without Redis).

Bumping again after the commit matters: a figure a concurrent reader computed from the data as
it was before the commit, under the version bumped at save time, is not served afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

DATA_VERSION_KEY = "records:data-version"
GENERATION_KEY = "records:generation"
TABLE_KEY_PREFIX = "records:table:"
DATA_CACHE_TIMEOUT = 15 * 60


def _current(key: str) -> int:
    value = cache.get(key)
    if value is None:
        # A fresh cache: start anywhere new, so that entries of an older generation never match.
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, 0)
    return value


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set (a fresh or evicted cache): start a new sequence
        cache.set(key, time.time_ns(), timeout=None)


def data_version() -> int:
    """Changes with every record write."""
    return _current(DATA_VERSION_KEY)


def generation() -> int:
    """Changes only when a write did not say which tables it touched (``bump_data_version``)."""
    return _current(GENERATION_KEY)


def table_versions(tables: Iterable[str]) -> dict[str, int | None]:
    """The current version of each table (None: never written since the cache started)."""
    tables = list(tables)
    found = cache.get_many([TABLE_KEY_PREFIX + t for t in tables])
    return {t: found.get(TABLE_KEY_PREFIX + t) for t in tables}


def bump_tables(tables: Iterable[str]) -> None:
    for table in tables:
        _bump(TABLE_KEY_PREFIX + table)
    _bump(DATA_VERSION_KEY)


def bump_data_version() -> None:
    """After writes that sent no signals: every cached figure and page is stale."""
    _bump(GENERATION_KEY)
    _bump(DATA_VERSION_KEY)


def _written(tables: set[str], using: str | None) -> None:
    bump_tables(tables)  # now: the writer's own next page shows the change (tests run in one transaction)
    # and again once the transaction commits (at once in autocommit): see the module's docstring.
    transaction.on_commit(lambda: bump_tables(tables), using=using)


def _is_record(model) -> bool:
    from bureau.records.models import RecordModel

    return isinstance(model, type) and issubclass(model, RecordModel)


def _record_written(sender, instance, using=None, **kwargs) -> None:
    if _is_record(sender):
        _written({sender._meta.db_table}, using)


def _relation_changed(sender, instance, action, model, using=None, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and (_is_record(type(instance)) or _is_record(model)):
        _written({sender._meta.db_table, type(instance)._meta.db_table}, using)


def model_tables(models: Iterable[type]) -> list[str]:
    """The tables of ``models`` and of their many-to-many relations (what a figure over them reads)."""
    tables = set()
    for model in models:
        tables.add(model._meta.db_table)
        tables.update(f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many)
    return sorted(tables)


def connect() -> None:
    post_save.connect(_record_written, dispatch_uid="records-version-save")
    post_delete.connect(_record_written, dispatch_uid="records-version-delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="records-version-m2m")
