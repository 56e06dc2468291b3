"""Validating a whole file, writing nothing: lookups prefetched once for the file, natural keys
matched against the records in a few queries, each row checked by a row validator (the record's
form and model rules, see ``bureau.ledgers.validators``) and classified new / changed / unchanged /
error."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models

from bureau.ledgers.columns import ImportContext, Ledger, Ref
from bureau.ledgers.reader import Progress, read_sheet
from bureau.ledgers.safety import FileRejected, SheetInfo, inspect_file
from bureau.ledgers.validators import FastRowValidator

logger = logging.getLogger(__name__)

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATUS_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化", ERROR: "错误"}


class RowResult:
    """One row's outcome. A file's results stay alive until its rows are written, so a row holds no
    empty lists: ``errors``, ``changes`` and ``flags`` are made when first read or set (each object
    a row keeps is one more for every garbage collection during the import to scan)."""

    __slots__ = ("number", "status", "label", "instance", "_errors", "_changes", "_flags")

    def __init__(
        self,
        number: int,
        status: str,
        label: str = "",
        errors: list[tuple[str | None, str]] | None = None,  # (header or None, message)
        changes: list[tuple[str, str, str]] | None = None,  # (header, old, new)
        flags: list[str] | None = None,
        instance: models.Model | None = None,
    ):
        self.number = number
        self.status = status
        self.label = label
        self.instance = instance
        self._errors = errors or None
        self._changes = changes or None
        self._flags = flags or None

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        if self._errors is None:
            self._errors = []
        return self._errors

    @errors.setter
    def errors(self, value: list[tuple[str | None, str]]) -> None:
        self._errors = value

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        if self._changes is None:
            self._changes = []
        return self._changes

    @changes.setter
    def changes(self, value: list[tuple[str, str, str]]) -> None:
        self._changes = value

    @property
    def flags(self) -> list[str]:
        if self._flags is None:
            self._flags = []
        return self._flags

    @flags.setter
    def flags(self, value: list[str]) -> None:
        self._flags = value

    def __repr__(self):
        return f"<RowResult {self.number} {self.status}>"

    def messages(self) -> list[str]:
        return [row_message(self.number, header, message) for header, message in self._errors or ()]


def row_message(number: int, header: str | None, message: str) -> str:
    if header:
        return "第%(n)d行 %(h)s：%(m)s" % {"n": number, "h": header, "m": message}
    return "第%(n)d行：%(m)s" % {"n": number, "m": message}


@dataclass
class ImportResult:
    ledger: type[Ledger]
    file_errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    committed: bool = False
    present: list[str] = field(default_factory=list)
    context: ImportContext | None = None

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.status == ERROR for r in self.rows)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, CHANGED, UNCHANGED, ERROR), 0)
        for r in self.rows:
            counts[r.status] += 1
        return counts

    def messages(self) -> list[str]:
        """Every error, one per line: the file's first, then row by row."""
        out = list(self.file_errors)
        for r in self.rows:
            out.extend(r.messages())
        return out

    def as_json(self, *, limit: int = 5000) -> dict:
        """What the preview page shows (the rows are never read back as input)."""
        rows = []
        kept = 0
        for r in self.rows:
            if r.status != ERROR and kept >= limit:
                continue
            if r.status != ERROR:
                kept += 1
            rows.append(
                {
                    "n": r.number,
                    "s": r.status,
                    "label": r.label,
                    "errors": r.messages(),
                    "changes": [list(c) for c in r._changes or ()],
                    "flags": list(r._flags or ()),
                }
            )
        return {
            "ledger": self.ledger.slug,
            "ok": self.ok,
            "committed": self.committed,
            "counts": self.counts(),
            "file_errors": self.file_errors,
            "notices": self.notices,
            "rows": rows,
            "truncated": max(0, sum(1 for r in self.rows if r.status != ERROR) - limit),
        }


def _display(column, value) -> str:
    if column is None:
        return "" if value is None else str(value)
    return column.display(value)


def validate(
    path: str,
    ledger: type[Ledger],
    *,
    user=None,
    progress: Progress | None = None,
    info: SheetInfo | None = None,
    row_validator=FastRowValidator,
) -> ImportResult:
    """Read and check the whole file; write nothing. File-level problems end up in ``file_errors``.
    ``row_validator``: the class that checks each row (the reference ``ModelFormRowValidator`` in
    the tests that compare the two)."""
    result = ImportResult(ledger=ledger)
    try:
        if info is None:
            info = inspect_file(path, ledger)
        sheet = read_sheet(path, ledger, info, progress)
    except FileRejected as exc:
        result.file_errors = exc.messages
        return result
    except Exception as exc:  # noqa: BLE001 - a sheet that breaks the parser is a damaged file
        from defusedxml import DefusedXmlException

        if isinstance(exc, DefusedXmlException):
            result.file_errors = ["文件含有不安全的XML内容（实体声明等），已拒绝。"]
        else:
            logger.warning("ledger sheet unreadable: %r", exc)
            result.file_errors = ["文件内容已损坏，无法读取工作表，请在Excel中重新保存后再导入。"]
        return result
    result.notices = sheet.notices
    result.present = sheet.present
    ctx = ImportContext(ledger, user)
    result.context = ctx
    parsed_rows = sheet.rows
    del sheet
    total = len(parsed_rows)
    if progress:
        progress("查找关联记录", 0, total)
    ledger.prepare([r.values for r in parsed_rows], ctx)

    # Resolve relations and compute keys. Each row's resolved data, key and flags are kept in lists
    # beside the parsed rows (no tuple or empty list per row: see RowResult).
    datas: list[dict[str, Any]] = []
    keys: list[tuple | None] = []
    row_flags: list[list[str] | None] = []
    first_seen: dict[tuple, int] = {}
    key_headers = [ledger.column_for_field(f).header if ledger.column_for_field(f) else f for f in ledger.key]
    for parsed in parsed_rows:
        data, errors, flags = ledger.resolve_row(parsed.values, ctx)
        for header, message in errors.items():
            parsed.errors.setdefault(header, message)
        key = None
        if not any(h in parsed.errors for h in key_headers):
            key = ledger.key_of_data(data)
            if None in key:
                key = None
            elif key in first_seen:
                parsed.errors.setdefault(
                    key_headers[0],
                    "与第%(n)d行重复（%(cols)s相同），同一条记录只能出现一次"
                    % {"n": first_seen[key], "cols": "、".join(key_headers)},
                )
                key = None
            else:
                first_seen[key] = parsed.number
        datas.append(data)
        keys.append(key)
        row_flags.append(flags)  # the same list: Ledger.existing() may still add to it
    existing = ledger.existing(list(first_seen), ctx)
    del first_seen
    for notice in ctx.notices:
        result.notices.append(notice)

    present_fields = [c.field for c in ledger.columns if c.header in result.present and c.field]
    extra_fields = [f for f in ledger_extra_fields(ledger) if f not in present_fields]
    validator = row_validator(ledger, present_fields + extra_fields, user)
    import_fields = validator.import_fields
    concrete = {x.name for x in ledger.model._meta.concrete_fields}
    compare = [f for f in [*import_fields, *ledger.computed_fields] if f in concrete]
    compare = list(dict.fromkeys(compare))
    attnames = {f: ledger.model._meta.get_field(f).attname for f in compare}
    by_field = {c.field: c for c in ledger.columns if c.field}
    field_of_header = {c.header: c.field for c in ledger.columns}
    column_order = {c.header: i for i, c in enumerate(ledger.columns)}
    form_fields = [(f, ledger.model._meta.get_field(f)) for f in import_fields if f in concrete]
    rows = result.rows

    for index, parsed in enumerate(parsed_rows):
        if progress and index and index % 500 == 0:
            progress("校验数据", index, total)
        # The row's parsed values are needed for this row alone: release them as the loop goes.
        parsed_rows[index] = None
        data, key, flags = datas[index], keys[index], row_flags[index]
        datas[index] = row_flags[index] = None
        number, row_errors = parsed.number, parsed.errors
        instance = existing.get(key) if key is not None else None
        before = {f: getattr(instance, attnames[f]) for f in compare} if instance is not None else None
        if instance is not None:
            instance._ledger_data = data
        if (
            before is not None
            and not row_errors
            and _same_as_record(data, before, form_fields)
            and not ledger.extra_changes(instance, ctx)
        ):
            # The record already holds exactly these values (validated when they were written).
            rows.append(
                RowResult(number, UNCHANGED, ledger.row_label(data, parsed.values), flags=flags, instance=instance)
            )
            continue
        if instance is None:
            instance = ledger.model(**ledger.defaults(data, ctx))
            instance._ledger_data = data
        form_data = {name: data.get(name) for name in import_fields}
        for header in row_errors:
            name = field_of_header.get(header)
            if name is not None and name in form_data:
                form_data[name] = None
        ledger.before_validation(instance, data, ctx)
        form_errors, instance = validator.check(form_data, instance)
        for name, messages in form_errors.items():
            header = ledger.header_for_field(name) if name != NON_FIELD_ERRORS else None
            if header is not None and header in row_errors:
                continue
            for message in messages:
                row_errors.setdefault(header or f"__all__{message}", str(message))
        row = RowResult(number, ERROR, ledger.row_label(data, parsed.values), flags=flags)
        if not row_errors:
            ledger.complete(instance, ctx, before)
            for header, message in ledger.check_row(instance, ctx, before).items():
                row_errors.setdefault(header, message)
        if row_errors:
            errors = [(None if h.startswith("__all__") else h, m) for h, m in row_errors.items()]
            errors.sort(key=lambda e: column_order.get(e[0], len(column_order)))
            row.errors = errors
        else:
            obj = instance
            row.instance = obj
            changes = []
            if before is None:
                row.status = NEW
            else:
                for f in compare:
                    old, new = before[f], getattr(obj, attnames[f])
                    if old != new:
                        column = by_field.get(f)
                        header = column.header if column else str(ledger.model._meta.get_field(f).verbose_name)
                        new_value = getattr(obj, f) if isinstance(column, Ref) else new
                        old_value = _old_display(ledger, f, old)
                        changes.append((header, old_value, _display(column, new_value)))
                row.status = CHANGED if changes else UNCHANGED
            changes.extend(ledger.extra_changes(obj, ctx))
            if changes:
                row.changes = changes
                if row.status == UNCHANGED:
                    row.status = CHANGED
        rows.append(row)
    if progress:
        progress("校验数据", total, total)
    return result


def _same_as_record(data: dict[str, Any], before: dict[str, Any], fields) -> bool:
    for name, model_field in fields:
        new = data.get(name)
        if isinstance(new, models.Model):
            new = new.pk
            if new is None:
                return False
        elif new is None and model_field.empty_strings_allowed and not model_field.null:
            new = ""
        if new != before.get(name):
            return False
    return True


def ledger_extra_fields(ledger: type[Ledger]) -> list[str]:
    """Form fields a ledger fills from several columns (declared as ``derived_fields``)."""
    return list(getattr(ledger, "derived_fields", ()))


def _old_display(ledger: type[Ledger], field_name: str, value) -> str:
    column = ledger.column_for_field(field_name)
    model_field = ledger.model._meta.get_field(field_name)
    if value is None:
        return ""
    if model_field.is_relation:
        if column is not None and hasattr(column, "to_field"):
            obj = (
                model_field.related_model._default_manager.filter(pk=value)
                .values_list(column.to_field, flat=True)
                .first()
            )
            return str(obj) if obj is not None else str(value)
        return str(model_field.related_model._default_manager.filter(pk=value).first() or value)
    return _display(column, value)
