"""Writing a validated file: one transaction, ``bulk_create``/``bulk_update`` in batches, the
history rows copied by the database, all or nothing."""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from bureau.ledgers.columns import Ledger
from bureau.ledgers.reader import Progress
from bureau.ledgers.validation import CHANGED, NEW, ImportResult, ledger_extra_fields, validate
from bureau.records.versioning import bump_data_version

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def ledger_import(
    *, ledger: type[Ledger], path: str, user=None, commit: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Validate the file and, with ``commit`` and no error anywhere, write every row in one
    transaction (or none of them). Returns the result either way."""
    result = validate(path, ledger, user=user, progress=progress)
    if not commit or not result.ok:
        return result
    try:
        with transaction.atomic():
            _write(result, user=user, progress=progress)
    except (IntegrityError, DatabaseError) as exc:
        logger.warning("ledger %s import failed at write: %s", ledger.slug, exc)
        result.file_errors.append(
            "写入数据库时被拒绝（%(error)s），全部回退，未导入任何数据。可能有人同时修改了这些记录，请重新上传预览。"
            % {"error": exc.__class__.__name__}
        )
        for row in result.rows:
            if row.instance is not None and row.status == NEW:
                row.instance.pk = None
        return result
    result.committed = True
    return result


def _write(result: ImportResult, *, user, progress: Progress | None) -> None:
    ledger = result.ledger
    # bulk writes send no signals: the cached figures learn of the import here.
    transaction.on_commit(bump_data_version)
    ledger.before_commit(result.context, user)
    model = ledger.model
    manager = model._default_manager
    reason = "Excel导入：%(name)s" % {"name": ledger.name}
    history_user = user if getattr(user, "pk", None) else None
    new = [r.instance for r in result.rows if r.status == NEW]
    changed = [r.instance for r in result.rows if r.status == CHANGED]
    total = len(new) + len(changed)
    done = 0
    fields = [f.name for f in model._meta.concrete_fields if f.name in _compared_fields(result)]
    now = timezone.now()
    if changed and any(f.name == "updated_at" for f in model._meta.concrete_fields):
        for obj in changed:
            obj.updated_at = now
        fields.append("updated_at")
    for kind, objs in (("+", new), ("~", changed)):
        for start in range(0, len(objs), BATCH_SIZE):
            batch = objs[start : start + BATCH_SIZE]
            for obj in batch:
                _sync_relations(obj)
            if kind == "+":
                manager.bulk_create(batch, batch_size=BATCH_SIZE)
            else:
                manager.bulk_update(batch, fields, batch_size=BATCH_SIZE)
            _history(model, batch, kind=kind, user=history_user, reason=reason, when=now)
            done += len(batch)
            if progress:
                progress("写入数据", done, total)
    ledger.after_write(result, user)


def _history(model, objs: list[models.Model], *, kind: str, user, reason: str, when) -> None:
    """The records' history rows (django-simple-history), copied by the database from the rows just
    written: one INSERT … SELECT per batch instead of building a second set of objects."""
    if not objs or not hasattr(model, "history"):
        return
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    extra = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": getattr(user, "pk", None),
    }
    columns = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    if any(c not in own and c not in extra for c in columns) or any(o.pk is None for o in objs):
        # A history table with columns of its own: let simple-history fill it.
        model.history.bulk_history_create(
            objs, update=kind == "~", default_user=user, default_change_reason=reason, default_date=when
        )
        return
    from django.db import connection

    qn = connection.ops.quote_name
    select, params = [], []
    for column in columns:
        if column in own:
            select.append(qn(column))
        else:
            select.append("%s")
            params.append(extra[column])
    pk = model._meta.pk.column
    sql = (
        f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT {', '.join(select)} FROM {qn(model._meta.db_table)} "
        f"WHERE {qn(pk)} IN ({', '.join(['%s'] * len(objs))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(o.pk for o in objs)])


def _compared_fields(result: ImportResult) -> set[str]:
    ledger = result.ledger
    fields = {c.field for c in ledger.columns if c.header in result.present and c.field}
    return fields | set(ledger_extra_fields(ledger)) | set(ledger.computed_fields)


def _sync_relations(obj: models.Model) -> None:
    """A relation to an object created by ``before_commit`` gets its new primary key."""
    for f in obj._meta.concrete_fields:
        if f.is_relation and getattr(obj, f.attname) is None:
            # With no key, the descriptor gives the object assigned to it, or None: no query.
            related = getattr(obj, f.name, None)
            if related is not None and related.pk is not None:
                setattr(obj, f.name, related)
