"""One data version for every record write, so computed figures can be cached safely.

Any save or delete of a ``RecordModel`` (every record type, in every app) bumps the version
after its transaction commits; caches of derived figures (the dashboard's indicator values) put
the version in their keys, so a write makes them stale at once without knowing which figure it
touches. Queryset ``update()``/``bulk_create()`` send no signals: code that uses them for records
calls ``bump_data_version()`` itself. The cache entries also expire (``DATA_CACHE_TIMEOUT``), which
bounds staleness where the cache is per process (LocMemCache without Redis).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

DATA_VERSION_KEY = "records:data-version"
DATA_CACHE_TIMEOUT = 15 * 60


def data_version() -> int:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # A fresh cache: start anywhere new, so entries of an older generation never match.
        import time

        version = time.time_ns()
        cache.add(DATA_VERSION_KEY, version, timeout=None)
        version = cache.get(DATA_VERSION_KEY, version)
    return version


def bump_data_version() -> None:
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # not set yet (a fresh cache): the next read starts a new generation
        data_version()


def _bump_on_commit() -> None:
    bump_data_version()


def _record_written(sender, instance, using=None, **kwargs) -> None:
    from bureau.records.models import RecordModel

    if not isinstance(instance, RecordModel):
        return
    # Now, so that the writer's own next page shows the change (tests run inside one transaction)…
    bump_data_version()
    # …and after the commit, so that a figure a concurrent reader computed from the data before the
    # commit, under the version bumped above, is not served afterwards. Once per transaction.
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(entry[1] is _bump_on_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump_on_commit, using=using)


def connect() -> None:
    post_save.connect(_record_written, dispatch_uid="records-data-version-save")
    post_delete.connect(_record_written, dispatch_uid="records-data-version-delete")
