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
from bureau.ledgers.reader import ParsedRow, Progress, read_sheet
from bureau.ledgers.safety import FileRejected, SheetInfo, inspect_file
from bureau.ledgers.validators import FastRowValidator

logger = logging.getLogger(__name__)

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATUS_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化", ERROR: "错误"}


@dataclass
class RowResult:
    number: int
    status: str
    label: str = ""
    errors: list[tuple[str | None, str]] = field(default_factory=list)  # (header or None, message)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (header, old, new)
    flags: list[str] = field(default_factory=list)
    instance: models.Model | None = None

    def messages(self) -> list[str]:
        return [row_message(self.number, header, message) for header, message in self.errors]


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
                    "changes": [list(c) for c in r.changes],
                    "flags": r.flags,
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
    total = len(parsed_rows)
    if progress:
        progress("查找关联记录", 0, total)
    ledger.prepare([r.values for r in parsed_rows], ctx)

    # Resolve relations and compute keys.
    resolved: list[tuple[ParsedRow, dict, list[str]]] = []
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
        resolved.append((parsed, data, flags))
        data["__key__"] = key
    existing = ledger.existing(list(first_seen), ctx)
    for notice in ctx.notices:
        result.notices.append(notice)

    present_fields = [c.field for c in ledger.columns if c.header in sheet.present and c.field]
    extra_fields = [f for f in ledger_extra_fields(ledger) if f not in present_fields]
    validator = row_validator(ledger, present_fields + extra_fields, user)
    import_fields = validator.import_fields
    concrete = {x.name for x in ledger.model._meta.concrete_fields}
    compare = [f for f in [*import_fields, *ledger.computed_fields] if f in concrete]
    compare = list(dict.fromkeys(compare))
    attnames = {f: ledger.model._meta.get_field(f).attname for f in compare}
    by_field = {c.field: c for c in ledger.columns if c.field}
    form_fields = [(f, ledger.model._meta.get_field(f)) for f in import_fields if f in concrete]

    for done, (parsed, data, flags) in enumerate(resolved):
        if progress and done and done % 500 == 0:
            progress("校验数据", done, total)
        key = data.pop("__key__")
        instance = existing.get(key) if key is not None else None
        before = {f: getattr(instance, attnames[f]) for f in compare} if instance is not None else None
        if instance is not None:
            instance._ledger_data = data
        if (
            before is not None
            and not parsed.errors
            and _same_as_record(data, before, form_fields)
            and not ledger.extra_changes(instance, ctx)
        ):
            # The record already holds exactly these values (validated when they were written).
            row = RowResult(number=parsed.number, status=UNCHANGED, flags=flags, instance=instance)
            row.label = ledger.row_label(data, parsed.values)
            result.rows.append(row)
            continue
        if instance is None:
            instance = ledger.model(**ledger.defaults(data, ctx))
            instance._ledger_data = data
        form_data = {name: data.get(name) for name in import_fields}
        for header in parsed.errors:
            column = next((c for c in ledger.columns if c.header == header), None)
            if column is not None and column.field in form_data:
                form_data[column.field] = None
        ledger.before_validation(instance, data, ctx)
        form_errors, instance = validator.check(form_data, instance)
        for name, messages in form_errors.items():
            header = ledger.header_for_field(name) if name != NON_FIELD_ERRORS else None
            if header is not None and header in parsed.errors:
                continue
            for message in messages:
                parsed.errors.setdefault(header or f"__all__{message}", str(message))
        row = RowResult(number=parsed.number, status=ERROR, flags=flags)
        row.label = ledger.row_label(data, parsed.values)
        if not parsed.errors:
            ledger.complete(instance, ctx, before)
            for header, message in ledger.check_row(instance, ctx, before).items():
                parsed.errors.setdefault(header, message)
        if parsed.errors:
            row.errors = [(None if h.startswith("__all__") else h, m) for h, m in parsed.errors.items()]
            order = {c.header: i for i, c in enumerate(ledger.columns)}
            row.errors.sort(key=lambda e: order.get(e[0], len(order)))
        else:
            obj = instance
            row.instance = obj
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
                        row.changes.append((header, old_value, _display(column, new_value)))
                row.status = CHANGED if row.changes else UNCHANGED
            extra = ledger.extra_changes(obj, ctx)
            if extra:
                row.changes.extend(extra)
                if row.status == UNCHANGED:
                    row.status = CHANGED
        result.rows.append(row)
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
