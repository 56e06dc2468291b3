"""Excel ledger import: safe file checks, a preview that writes nothing, an all-or-nothing commit.

The pipeline for one file:

1. ``inspect_file``: size, signature (xlsx / old xls / password-protected OLE), zip directory
   (uncompressed size checked before anything is inflated: zip bombs), integrity, the sheet's raw
   XML for merged cells and formulas. openpyxl parses with defusedxml (installed).
2. ``read_sheet``: openpyxl ``read_only`` + ``values_only``; the header row found and matched to
   the ledger's Chinese headers; every cell parsed by its column (no database access).
3. ``validate``: lookups prefetched once for the whole file, natural keys matched against the
   records in a few queries, each row bound to the record's form (no query per row), classified
   new / changed / unchanged / error.
4. ``ledger_import``: with ``commit=True`` and no error anywhere, everything is written in one
   transaction with ``bulk_create``/``bulk_update`` (and their history rows), or nothing is.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import gc
import io
import logging
import os
import re
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models.expressions import DatabaseDefault
from django.forms.models import BaseModelForm, InlineForeignKeyField, modelform_factory
from django.utils import timezone
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601

from bureau.records.ledgers import CellError, ImportContext, Ledger, normalise_header

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
STATUS_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化", ERROR: "错误"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04",)
HEADER_SCAN_ROWS = 10
# Trailing rows that are only formatting end the sheet: stop after this many blank rows in a row.
BLANK_RUN_END = 1000
BATCH_SIZE = 500


def max_bytes() -> int:
    return settings.LEDGER_MAX_BYTES


def max_rows() -> int:
    return settings.LEDGER_MAX_ROWS


def max_uncompressed() -> int:
    # A sheet's XML is ~10-20x its zipped size; 100x the byte limit is generous for real files
    # and still refuses a bomb before a single byte of it is inflated.
    return getattr(settings, "LEDGER_MAX_UNCOMPRESSED", max_bytes() * 20)


def async_rows() -> int:
    """Files with more data rows than this are validated and written by a Celery task."""
    return getattr(settings, "LEDGER_ASYNC_ROWS", 2000)


def _mb(n: int) -> str:
    if n < 1024 * 1024:
        return f"{-(-n // 1024)} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class FileRejected(Exception):
    """The file as a whole cannot be imported; ``messages`` are Chinese, nothing was changed."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


# 1. the file ---------------------------------------------------------------------------------


@dataclass
class SheetInfo:
    title: str
    member: str  # the sheet's path inside the zip
    rows: int  # <row> elements in the sheet XML (an upper bound of the data rows + 1)
    formulas: int
    merges: list[str]
    dtd: bool = False


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def check_container(path: str) -> None:
    """Refuse what is not a sane .xlsx before openpyxl sees it: size, signature, zip bombs."""
    size = os.path.getsize(path)
    if size == 0:
        raise FileRejected("文件是空的（0字节），请选择填写好的 .xlsx 文件。")
    if size > max_bytes():
        raise FileRejected(
            "文件大小 %(size)s 超过上限 %(max)s，请拆分成几个文件分别导入。"
            % {"size": _mb(size), "max": _mb(max_bytes())}
        )
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == OLE_SIGNATURE:
            fh.seek(0)
            body = fh.read()
            if "EncryptedPackage".encode("utf-16-le") in body or "EncryptionInfo".encode("utf-16-le") in body:
                raise FileRejected(
                    "文件设置了打开密码（已加密），无法读取。请在Excel中取消密码（文件→信息→保护工作簿）后另存再导入。"
                )
            raise FileRejected(
                "这是旧版 Excel 97-2003（.xls）文件，请在Excel或WPS中“另存为”Excel工作簿（.xlsx）后再导入。"
            )
    if not head.startswith(ZIP_SIGNATURES):
        raise FileRejected(
            "文件不是 Excel 工作簿（.xlsx）。CSV、网页或文本文件请在Excel中打开后“另存为”Excel工作簿（.xlsx）再导入。"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > 10_000:
                raise FileRejected("文件内部条目过多（%(n)d 个），不像正常的Excel文件，已拒绝。" % {"n": len(infos)})
            # The zip directory states each member's inflated size: check it before inflating anything.
            total = sum(i.file_size for i in infos)
            if total > max_uncompressed():
                raise FileRejected(
                    "文件解压后大小 %(size)s 超过上限 %(max)s（可能是“压缩炸弹”），已拒绝，未读取内容。"
                    % {"size": _mb(total), "max": _mb(max_uncompressed())}
                )
            if "xl/workbook.bin" in names:
                raise FileRejected("这是二进制工作簿（.xlsb），请另存为Excel工作簿（.xlsx）后再导入。")
            if "xl/workbook.xml" not in names:
                raise FileRejected("文件不是 Excel 工作簿（缺少工作簿内容，可能是 Word 或其他压缩文件）。")
            bad = zf.testzip()
            if bad is not None:
                raise FileRejected("文件已损坏（%(member)s 校验失败），请重新保存后再导入。" % {"member": bad})
    except FileRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
        logger.info("ledger file rejected as corrupt: %s", exc)
        raise FileRejected("文件已损坏，无法作为 .xlsx 打开（可能下载不完整），请重新保存后再导入。") from None


def open_workbook(path: str, *, data_only: bool = True):
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unreadable workbook
        cause = exc
        while cause is not None:  # openpyxl wraps the parser's exception in a ValueError
            if isinstance(cause, DefusedXmlException):
                raise FileRejected("文件含有不安全的XML内容（实体声明等），已拒绝。") from None
            cause = cause.__cause__ or cause.__context__
        logger.info("ledger workbook unreadable: %r", exc)
        raise FileRejected("文件结构不完整或已损坏，无法读取工作簿，请在Excel中重新保存后再导入。") from None


def _worksheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(title, zip member) of the workbook's worksheets in order, read with defusedxml."""
    import posixpath

    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "")
        for r in rels.iter(f"{ns_pkg}Relationship")
        if r.get("Type", "").endswith("/worksheet")
    }
    sheets = []
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"))
        if target is None:
            continue  # a chart sheet or a dialog sheet
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        sheets.append((sheet.get("name", ""), member))
    return sheets


def inspect_file(path: str, ledger: type[Ledger]) -> SheetInfo:
    """Every check that does not need the rows (no openpyxl yet); raises FileRejected."""
    from defusedxml import DefusedXmlException

    check_container(path)
    try:
        with zipfile.ZipFile(path) as zf:
            sheets = _worksheets(zf)
            if not sheets:
                raise FileRejected("工作簿中没有工作表。")
            # The sheet named like the ledger (as the template has it), else the first worksheet.
            wanted = normalise_header(ledger.name)
            title, member = next(((t, m) for t, m in sheets if normalise_header(t) == wanted), sheets[0])
            raw = zf.read(member)  # bounded by the uncompressed-size check
    except FileRejected:
        raise
    except DefusedXmlException:
        raise FileRejected("文件含有不安全的XML内容（实体声明等），已拒绝。") from None
    except Exception as exc:  # noqa: BLE001 - a workbook whose parts cannot be read is damaged
        logger.info("ledger workbook parts unreadable: %r", exc)
        raise FileRejected("文件结构不完整或已损坏，无法读取工作簿，请在Excel中重新保存后再导入。") from None
    info = SheetInfo(
        title=title,
        member=member,
        rows=len(_ROW_TAG.findall(raw)),
        formulas=len(_FORMULA_TAG.findall(raw)),
        merges=[m.decode() for m in _MERGE.findall(raw)],
        dtd=bool(_DTD.search(raw, 0, 4096)),
    )
    if info.rows == 0:
        raise FileRejected("工作表「%(sheet)s」是空的，没有表头也没有数据。" % {"sheet": info.title})
    if info.rows - 1 > max_rows():
        raise FileRejected(
            "工作表「%(sheet)s」约有 %(n)d 行，超过每次导入 %(max)d 行的上限，请拆分后分别导入。"
            % {"sheet": info.title, "n": info.rows - 1, "max": max_rows()}
        )
    return info


# 2. the rows ---------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int  # the Excel row number, as the clerk sees it
    values: dict[str, Any]  # header -> parsed value (columns with an error are absent)
    errors: dict[str, str] = field(default_factory=dict)  # header -> message


@dataclass
class SheetData:
    rows: list[ParsedRow]
    present: list[str]  # the ledger headers found in the file
    notices: list[str]


def _find_header(buffer: list[tuple], ledger: type[Ledger]) -> tuple[int, dict[int, str]]:
    """(index in buffer, {column index: ledger header}) of the row that matches the most headers."""
    wanted = {normalise_header(c.header): c.header for c in ledger.columns}
    best_index, best = 0, {}
    for index, row in enumerate(buffer):
        found = {i: wanted[normalise_header(v)] for i, v in enumerate(row) if normalise_header(v) in wanted}
        if len(set(found.values())) > len(set(best.values())):
            best_index, best = index, found
    return best_index, best


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_V = f"{_NS}v"
_F = f"{_NS}f"
_IS = f"{_NS}is"
_T = f"{_NS}t"


class SheetRows:
    """The rows of one worksheet as tuples of cell values, as openpyxl's read-only ``values_only``
    gives them (cached values of formulas, dates from date-formatted numbers, gaps filled), parsed by
    lxml's C iterparse instead of a Python-level ElementTree builder: the sheet is read ~3× faster.

    The workbook's shared strings and date styles come from openpyxl (parsed with defusedxml); the
    sheet itself is refused if it declares a DTD, and lxml never resolves entities or the network.
    Formula cells with no saved value are collected in ``missing_values`` as (row, column).
    """

    def __init__(self, path: str, info: SheetInfo, wb):
        self.path = path
        self.info = info
        self.shared = wb.shared_strings
        self.date_formats = wb._date_formats  # noqa: SLF001 - openpyxl's own style lookup
        self.timedelta_formats = wb._timedelta_formats  # noqa: SLF001
        self.epoch = wb.epoch
        self.missing_values: set[tuple[int, int]] = set()

    def __iter__(self):
        from lxml import etree
        from openpyxl.utils.cell import column_index_from_string

        row_tag, cell_tag = f"{_NS}row", f"{_NS}c"
        expected = 1
        columns: dict[str, int] = {}  # "AB" -> 28
        value_of = self._value
        with zipfile.ZipFile(self.path) as zf, zf.open(self.info.member) as source:
            parser = etree.iterparse(
                source, events=("end",), tag=row_tag, resolve_entities=False, no_network=True, load_dtd=False
            )
            for _event, row in parser:
                number = int(row.get("r") or expected)
                while expected < number:
                    yield ()
                    expected += 1
                values: list[Any] = []
                for cell in row.iterchildren(cell_tag):
                    ref = cell.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        column = columns.get(letters)
                        if column is None:
                            column = columns[letters] = column_index_from_string(letters)
                    else:
                        column = len(values) + 1
                    while len(values) < column - 1:
                        values.append(None)
                    values.append(value_of(cell, number, column))
                yield tuple(values)
                expected = number + 1
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]

    def _value(self, cell, row: int, column: int) -> Any:
        # One pass over the cell's children (<f>, <v>, <is>) instead of a findtext() per child:
        # lxml compiles the path of every find call, which cost more than the parse itself.
        text = formula = inline = None
        seen_value = False
        for child in cell:
            tag = child.tag
            if tag == _V:
                if not seen_value:
                    text, seen_value = child.text, True
            elif tag == _F:
                formula = child
            elif tag == _IS:
                inline = child
        kind = cell.get("t", "n")
        if kind == "n" and text:
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = cell.get("s")
            if style and int(style) in self.date_formats:
                try:
                    return from_excel(number, self.epoch, timedelta=int(style) in self.timedelta_formats)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "inlineStr":
            if inline is None:
                return None
            parts = [t.text or "" for t in inline.iterchildren(_T)]
            parts += [t.text or "" for r in inline.iterchildren(f"{_NS}r") for t in r.iterchildren(_T)]
            return "".join(parts)
        if not text:
            if formula is not None:
                self.missing_values.add((row, column))
            return None
        if kind == "s":
            return str(self.shared[int(text)])
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text) or "e" (an error such as #DIV/0!)


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def read_sheet(path: str, ledger: type[Ledger], info: SheetInfo, progress: Progress | None = None) -> SheetData:
    if info.dtd:
        raise FileRejected("文件含有不安全的XML内容（实体声明等），已拒绝。")
    wb = open_workbook(path)
    try:
        ws = wb[info.title]
        rows_iter = iter(sheet_rows := SheetRows(path, info, wb))
        buffer = []
        for row in rows_iter:
            buffer.append(row)
            if len(buffer) >= HEADER_SCAN_ROWS:
                break
        if not any(any(v not in (None, "") for v in row) for row in buffer):
            raise FileRejected("工作表「%(sheet)s」是空的，没有表头也没有数据。" % {"sheet": ws.title})
        header_index, header_map = _find_header(buffer, ledger)
        header_row = header_index + 1
        _check_header(buffer[header_index], header_row, header_map, ledger, info)
        notices = []
        if header_row > 1:
            notices.append("表头在第%(n)d行，上方的%(m)d行（标题等）已跳过。" % {"n": header_row, "m": header_row - 1})
        unknown = [
            str(v).strip() for i, v in enumerate(buffer[header_index]) if v not in (None, "") and i not in header_map
        ]
        if unknown:
            notices.append("以下列不属于本台账，已忽略：%(cols)s。" % {"cols": "、".join(unknown)})
        present = [c.header for c in ledger.columns if c.header in header_map.values()]
        absent = [c.header for c in ledger.columns if c.header not in header_map.values()]
        if absent:
            notices.append("文件中没有这些列，已有记录的这些项保持不变：%(cols)s。" % {"cols": "、".join(absent)})
        _check_merges(info, header_row)
        missing_formula_values = sheet_rows.missing_values  # filled as the rows are read
        if info.formulas:
            notices.append(
                "文件含有 %(n)d 个公式单元格：导入的是Excel保存时的计算结果；没有保存计算结果的公式格按错误处理。"
                % {"n": info.formulas}
            )
        columns = [(i, next(c for c in ledger.columns if c.header == h)) for i, h in sorted(header_map.items())]
        rows: list[ParsedRow] = []
        blank_run = 0
        number = header_row
        estimate = max(info.rows - header_row, 1)

        def data_rows():
            yield from buffer[header_index + 1 :]
            yield from rows_iter

        for row in data_rows():
            number += 1
            if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                blank_run += 1
                if blank_run >= BLANK_RUN_END:
                    break
                continue
            blank_run = 0
            if len(rows) >= max_rows():
                raise FileRejected("数据超过每次导入 %(max)d 行的上限，请拆分后分别导入。" % {"max": max_rows()})
            parsed = ParsedRow(number=number, values={})
            width = len(row)
            for index, column in columns:
                raw = row[index] if index < width else None
                if raw is None and (number, index + 1) in missing_formula_values:
                    parsed.errors[column.header] = "公式没有保存计算结果，请在Excel中打开并保存，或把公式改为数值"
                    continue
                if isinstance(raw, str) and raw in ERROR_CODES:
                    parsed.errors[column.header] = "单元格是错误值 %(v)s（多为公式出错），请改为正确的值" % {"v": raw}
                    continue
                try:
                    value = column.parse(raw)
                except CellError as exc:
                    parsed.errors[column.header] = exc.message
                    continue
                if value is None and column.required:
                    parsed.errors[column.header] = "必填，不能为空"
                    continue
                parsed.values[column.header] = value
            rows.append(parsed)
            if progress and len(rows) % 1000 == 0:
                progress("读取数据", len(rows), estimate)
        if not rows:
            raise FileRejected("工作表「%(sheet)s」只有表头，没有数据行。" % {"sheet": ws.title})
        return SheetData(rows=rows, present=present, notices=notices)
    finally:
        wb.close()


def _check_header(
    row: tuple, header_row: int, header_map: dict[int, str], ledger: type[Ledger], info: SheetInfo
) -> None:
    from openpyxl.utils import get_column_letter

    seen: dict[str, int] = {}
    for index, header in sorted(header_map.items()):
        if header in seen:
            raise FileRejected(
                "表头「%(h)s」出现了两次（第%(a)s列和第%(b)s列），请删除重复的列。"
                % {"h": header, "a": get_column_letter(seen[header] + 1), "b": get_column_letter(index + 1)}
            )
        seen[header] = index
    missing = [h for h in ledger.required_headers() if h not in seen]
    if missing:
        merged = [m for m in info.merges if _merge_rows(m)[0] <= header_row <= _merge_rows(m)[1]]
        hint = "（表头有合并单元格 %(m)s，请取消合并）" % {"m": "、".join(merged)} if merged else ""
        raise FileRejected(
            "表头不对：缺少必填列 %(missing)s%(hint)s。「%(name)s」的表头应为：%(all)s。"
            % {
                "missing": "、".join(missing),
                "hint": hint,
                "name": ledger.name,
                "all": "、".join(c.title for c in ledger.columns),
            }
        )


def _merge_rows(ref: str) -> tuple[int, int]:
    _min_col, min_row, _max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return min_row, max_row


def _check_merges(info: SheetInfo, header_row: int) -> None:
    header = [m for m in info.merges if _merge_rows(m)[0] <= header_row <= _merge_rows(m)[1]]
    if header:
        raise FileRejected(
            "表头有合并单元格（%(m)s），无法确定每列的含义。请取消合并，每列只保留一个表头后再导入。"
            % {"m": "、".join(header)}
        )
    data = [m for m in info.merges if _merge_rows(m)[1] > header_row]
    if data:
        shown = "、".join(data[:10]) + ("等" if len(data) > 10 else "")
        raise FileRejected(
            "数据区有合并单元格（%(m)s）：合并后只有第一格有值。请取消合并并把每一行填写完整后再导入。" % {"m": shown}
        )


# 3. validation -------------------------------------------------------------------------------


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


class ResolvedField(forms.Field):
    """Stands in for a relation's choice field: the ledger already found the object in its lookup,
    so the form neither queries for it again nor lists every choice."""

    queryset = None

    def to_python(self, value):
        return None if value in self.empty_values else value

    def clean(self, value):
        if isinstance(value, models.Model) and not self.validators:
            # A record found in the lookup is never empty (Django's required and empty tests would
            # compare it five times over), and there is nothing else to check.
            return value
        return super().clean(value)


class ImportDecimalField(forms.DecimalField):
    """``forms.DecimalField`` for the import, where the sheet's column has made the cell a Decimal
    already: the same checks (finite, then every validator: digits, decimal places, minimum) with
    the same messages, without Django's four "is it empty?" tests, which a Decimal never passes
    and which cost more than the checks themselves (a Decimal compares itself with '', None, [],
    () and {} through the ``numbers`` ABCs). Anything but a Decimal is cleaned by Django's code."""

    def clean(self, value):
        if type(value) is not Decimal:
            return super().clean(value)
        # DecimalField.to_python gives Decimal(str(value)): an equal Decimal with the same digits.
        if not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        errors = []
        for validator in self.validators:  # Field.run_validators
            try:
                validator(value)
            except ValidationError as e:
                if hasattr(e, "code") and e.code in self.error_messages:
                    e.message = self.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise ValidationError(errors)
        return value


# Form fields of Django's own whose clean() returns what the model field's to_python() keeps as
# it is, and which ModelForm makes from the model field with its limits (max_length, max_digits
# and decimal_places, min_value).
_PLAIN_FORM_FIELDS = (forms.CharField, forms.IntegerField, forms.DecimalField, ImportDecimalField)
_PLAIN_MODEL_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.DecimalField)


def _model_check_repeats_form(model_field: models.Field, form_field: forms.Field, form_class) -> bool:
    """Whether the model's clean of this field would only repeat what the form field just checked,
    on the very value the form field returned: a plain field (no choices, Django's own
    to_python/validate/clean), a form field ModelForm made from it with every one of the model
    field's validators, no clean_<field>() and no form clean() that could change the value between
    the two. Such a field is validated once, by the form field, with the form's messages."""
    name = model_field.name
    cls = type(model_field)
    return (
        isinstance(model_field, _PLAIN_MODEL_FIELDS)
        and not model_field.is_relation
        and not model_field.choices
        and cls.clean is models.Field.clean
        and cls.validate is models.Field.validate
        and cls.run_validators is models.Field.run_validators
        and any(cls.to_python is plain.to_python for plain in _PLAIN_MODEL_FIELDS)
        and type(form_field) in _PLAIN_FORM_FIELDS
        and name not in form_class.declared_fields
        and not hasattr(form_class, f"clean_{name}")
        and form_class.clean is BaseModelForm.clean
        and all(v in form_field.validators for v in model_field.validators)
    )


# Types whose equal values are the same value, so that cleaning one gives what cleaning the other
# would. Not Decimal: Decimal("1.5") == Decimal("1.50000") and only the second has too many
# decimal places; not float (0.0 == -0.0); not model instances (cheap to clean anyway).
MEMO_TYPES = frozenset({str, int, bool, type(None), datetime.date, datetime.datetime})
_MISS = object()


class CleanMemo:
    """What cleaning a value gave, for a clean() that depends on the value alone (a year, a town, a
    state, a patent count repeat from row to row): the cleaned value, or the ValidationError raised
    again. A column whose values rarely repeat (names, codes) stops being remembered after a few
    hundred rows, so it costs no more than cleaning every value."""

    __slots__ = ("clean", "outcomes", "hits", "misses", "active")

    def __init__(self, clean):
        self.clean = clean
        self.outcomes: dict = {}
        self.hits = self.misses = 0
        self.active = True

    def __call__(self, value, *args):
        if not self.active or type(value) not in MEMO_TYPES:
            return self.clean(value, *args)
        key = (type(value), value)
        outcome = self.outcomes.get(key, _MISS)
        if outcome is _MISS:
            self.misses += 1
            if self.misses > 256 and self.hits < self.misses:
                self.active = False
                self.outcomes.clear()
                return self.clean(value, *args)
            try:
                outcome = self.clean(value, *args)
            except ValidationError as e:
                self.outcomes[key] = e
                raise
            self.outcomes[key] = outcome
            return outcome
        self.hits += 1
        if isinstance(outcome, ValidationError):
            # The same error again, with a fresh traceback (re-raising would chain the old ones).
            raise outcome.with_traceback(None)
        return outcome


def _value_only_clean(model_field: models.Field) -> bool:
    """A model field whose clean() reads the value alone: Django's own to_python/validate (no
    relation: those query the database), whatever its validators (they are given the value only)."""
    cls = type(model_field)
    return (
        not model_field.is_relation
        and cls.clean is models.Field.clean
        and cls.validate is models.Field.validate
        and cls.run_validators is models.Field.run_validators
    )


class SharedFields(dict):
    """The import form's fields, shared by every row's form instead of deep-copied per row (a form
    copies its fields so that a page can change them; an import form is never rendered, and its
    fields keep no state while cleaning)."""

    def __deepcopy__(self, memo):
        return self


def _skip_constraints(exclude=None):
    """Database constraints are checked once, by the database, when the import is written."""


def import_form_class(ledger: type[Ledger], fields: list[str]) -> type[forms.ModelForm]:
    """The record's form, cleaning only the sheet's fields, with relations taken from the lookups
    and uniqueness left to the natural-key match: no query per row.

    The form keeps all its own fields (its ``__init__`` may adjust them), but only ``fields`` are
    cleaned, validated on the model and written: what the sheet lacks stays as the record has it.

    One form instance validates every row (``rebind``). The steps are Django's ModelForm steps —
    form fields cleaned, ``clean_<field>()``, the form's ``clean()``, the instance built from the
    cleaned data, the model's field validation and ``clean()`` — with savings that change no
    outcome: a value already cleaned in an earlier row is not cleaned again (``CleanMemo``, form
    and model fields alike); a Decimal is checked without Django's "is it empty?" comparisons
    (``ImportDecimalField``); a model field whose checks the form field has just made on the same
    value is not checked a second time (``_model_check_repeats_form``); the instance is built from a
    plan made once per file; and the uniqueness and constraint checks (a query per row and
    constraint) are left to the natural-key match and duplicate check of the whole file and to the
    database when the rows are written.
    """
    base = ledger.get_form()
    model = ledger.model
    model_fields = {f.name for f in model._meta.get_fields()}
    own = list(getattr(base._meta, "fields", None) or [])
    all_fields = [*(f for f in own if f in model_fields), *(f for f in fields if f in model_fields and f not in own)]
    form_class = modelform_factory(model, form=base, fields=all_fields)
    import_fields = [f for f in fields if f in form_class.base_fields]
    resolved = set()
    base_fields = {}
    for name, form_field in form_class.base_fields.items():
        if name in import_fields and isinstance(form_field, forms.ModelChoiceField):
            form_field = ResolvedField(required=form_field.required, label=form_field.label)
            resolved.add(name)
        elif name in import_fields and type(form_field) is forms.DecimalField and not form_field.localize:
            form_field = copy.copy(form_field)  # the form class's own field stays as it is
            form_field.__class__ = ImportDecimalField
        base_fields[name] = form_field
    untouched = set(base_fields) - set(import_fields)
    # What construct_instance() does for each field, decided once: the model fields the form
    # writes, in the model's order (file fields last), and whether a default may be kept.
    meta = form_class._meta
    construct_plan = [
        (f, f.has_default(), isinstance(f, models.FileField))
        for f in model._meta.fields
        if f.editable
        and not isinstance(f, models.AutoField)
        and (meta.fields is None or f.name in meta.fields)
        and not (meta.exclude and f.name in meta.exclude)
    ]
    construct_plan.sort(key=lambda step: step[2])  # file fields after the others (stable)
    model_clean_plan = [f for f in model._meta.fields if not f.generated]

    class ImportForm(form_class):
        def rebind(self, data: dict[str, Any], instance: models.Model) -> None:
            """Validate the next row with this form: its ``__init__`` ran once for the whole file."""
            self.data = data
            self.instance = instance
            self.is_bound = True
            self._errors = None
            if not hasattr(self, "_field_memos"):
                self._field_memos = {n: CleanMemo(self.fields[n].clean) for n in self.import_fields}
                self._model_memos = {
                    f.name: CleanMemo(f.clean) if _value_only_clean(f) else f.clean for f in model_clean_plan
                }
                # Decided on the fields as the form's __init__ left them (it may change them).
                self._checked_by_form = set()
                for name in self.import_fields:
                    with contextlib.suppress(FieldDoesNotExist):
                        model_field = model._meta.get_field(name)
                        if name not in resolved and _model_check_repeats_form(
                            model_field, self.fields[name], form_class
                        ):
                            self._checked_by_form.add(name)

        def _clean_fields(self):
            # A row's values are Python values already: no widgets or bound fields to go through.
            memos = self._field_memos
            for name in self.import_fields:
                form_field = self.fields[name]
                value = getattr(self.instance, name, None) if form_field.disabled else self.data.get(name)
                try:
                    self.cleaned_data[name] = memos[name](value)
                    clean = getattr(self, f"clean_{name}", None)
                    if clean is not None:
                        self.cleaned_data[name] = clean()
                except ValidationError as e:
                    self.add_error(name, e)

        def validate_unique(self):
            pass

        def _get_validation_exclusions(self):
            # ModelForm's exclusions, with the part that is the same for every row worked out once:
            # fields not on the form or not in its Meta, relations taken from the lookups, and the
            # form's fields the sheet does not fill.
            if self._static_exclude is None:
                self._static_exclude = (
                    {
                        f.name
                        for f in self.instance._meta.fields
                        if f.name not in self.fields
                        or (meta.fields and f.name not in meta.fields)
                        or (meta.exclude and f.name in meta.exclude)
                    }
                    | resolved
                    | untouched
                )
                self._row_dependent = [
                    (f.name, f.blank, self.fields[f.name])
                    for f in self.instance._meta.fields
                    if f.name not in self._static_exclude
                ]
            exclude = set(self._static_exclude)
            # Fields that failed form validation, and empty fields the form does not require.
            for name, blank, form_field in self._row_dependent:
                if name in self._errors or (
                    not blank and not form_field.required and self.cleaned_data.get(name) in form_field.empty_values
                ):
                    exclude.add(name)
            return exclude

        _static_exclude = None

        def _post_clean(self):
            # ModelForm._post_clean (Django 5.2) with the instance built from the plan and the
            # model's field validation remembered; never validate_unique/validate_constraints.
            exclude = self._get_validation_exclusions()
            for name, form_field in self.fields.items():
                if isinstance(form_field, InlineForeignKeyField):
                    exclude.add(name)
            try:
                self._construct_instance()
            except ValidationError as e:
                self._update_errors(e)
            instance = self.instance
            instance.validate_constraints = _skip_constraints
            instance.clean_fields = self._clean_model_fields
            try:
                instance.full_clean(exclude=exclude, validate_unique=False)
            except ValidationError as e:
                self._update_errors(e)
            finally:
                del instance.validate_constraints
                del instance.clean_fields

        def _construct_instance(self):
            """django.forms.models.construct_instance for this form's fields."""
            cleaned_data = self.cleaned_data
            instance = self.instance
            for f, has_default, _is_file in construct_plan:
                name = f.name
                if name not in cleaned_data:
                    continue
                # Leave defaults for fields that aren't in the data (checkboxes excepted).
                if (
                    has_default
                    and self[name].field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
                    and cleaned_data.get(name) in self[name].field.empty_values
                ):
                    continue
                f.save_form_data(instance, cleaned_data[name])

        def _clean_model_fields(self, exclude=None):
            """Model.clean_fields (Django 5.2), each field's clean() through its memo."""
            instance = self.instance
            exclude = exclude or set()
            memos = self._model_memos
            errors = {}
            checked_by_form = self._checked_by_form
            for f in model_clean_plan:
                if f.name in exclude or f.name in checked_by_form:
                    continue
                raw_value = getattr(instance, f.attname)
                if f.blank and raw_value in f.empty_values:
                    continue
                if isinstance(raw_value, DatabaseDefault):
                    continue
                try:
                    setattr(instance, f.attname, memos[f.name](raw_value, instance))
                except ValidationError as e:
                    errors[f.name] = e.error_list
            if errors:
                raise ValidationError(errors)

    ImportForm.base_fields = SharedFields(base_fields)
    ImportForm.import_fields = import_fields
    ImportForm.__name__ = f"Import{base.__name__}"
    return ImportForm


def _display(column, value) -> str:
    if column is None:
        return "" if value is None else str(value)
    return column.display(value)


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector paused while a file is validated and written: an import holds
    ~10^5 live objects (rows, values, records), which the collector would scan again and again while
    more are allocated (~10% of an import's time); it runs as usual afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@gc_paused()
def validate(
    path: str, ledger: type[Ledger], *, user=None, progress: Progress | None = None, info: SheetInfo | None = None
) -> ImportResult:
    """Read and check the whole file; write nothing. File-level problems end up in ``file_errors``."""
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
    form_class = import_form_class(ledger, present_fields + extra_fields)
    form_kwargs = {"user": user} if getattr(form_class, "accepts_user", False) else {}
    form = form_class(data={}, instance=ledger.model(), **form_kwargs)
    concrete = {x.name for x in ledger.model._meta.concrete_fields}
    compare = [f for f in [*form_class.import_fields, *ledger.computed_fields] if f in concrete]
    compare = list(dict.fromkeys(compare))
    attnames = {f: ledger.model._meta.get_field(f).attname for f in compare}
    by_field = {c.field: c for c in ledger.columns if c.field}
    form_fields = [(f, ledger.model._meta.get_field(f)) for f in form_class.import_fields if f in concrete]

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
        form_data = {name: data.get(name) for name in form_class.import_fields}
        for header in parsed.errors:
            column = next((c for c in ledger.columns if c.header == header), None)
            if column is not None and column.field in form_data:
                form_data[column.field] = None
        ledger.before_validation(instance, data, ctx)
        form.rebind(form_data, instance)
        form.is_valid()
        for name, messages in form.errors.items():
            header = ledger.header_for_field(name) if name != NON_FIELD_ERRORS else None
            if header is not None and header in parsed.errors:
                continue
            for message in messages:
                parsed.errors.setdefault(header or f"__all__{message}", str(message))
        row = RowResult(number=parsed.number, status=ERROR, flags=flags)
        row.label = ledger.row_label(data, parsed.values)
        if not parsed.errors:
            ledger.complete(form.instance, ctx, before)
            for header, message in ledger.check_row(form.instance, ctx, before).items():
                parsed.errors.setdefault(header, message)
        if parsed.errors:
            row.errors = [(None if h.startswith("__all__") else h, m) for h, m in parsed.errors.items()]
            order = {c.header: i for i, c in enumerate(ledger.columns)}
            row.errors.sort(key=lambda e: order.get(e[0], len(order)))
        else:
            obj = form.instance
            row.instance = obj
            if before is None:
                row.status = NEW
            else:
                for f in compare:
                    old, new = before[f], getattr(obj, attnames[f])
                    if old != new:
                        column = by_field.get(f)
                        header = column.header if column else str(ledger.model._meta.get_field(f).verbose_name)
                        new_value = getattr(obj, f) if column and column.kind in ("ref", "enterprise") else new
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


# 4. writing ----------------------------------------------------------------------------------


@gc_paused()
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
    from bureau.records.versioning import bump_data_version

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
        if f.is_relation and f.name in obj._state.fields_cache:
            related = obj._state.fields_cache[f.name]
            if related is not None and getattr(obj, f.attname) is None and related.pk is not None:
                setattr(obj, f.attname, related.pk)


# 5. the template -----------------------------------------------------------------------------


def ledger_template(ledger: type[Ledger]) -> bytes:
    """An .xlsx to fill in: the headers (required marked *), drop-downs for enumerated columns,
    formats for dates and amounts, a filled-in example on the second sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = ledger.name[:31]
    example = wb.create_sheet("填写示例")
    options = wb.create_sheet("选项")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    required_font = Font(bold=True, color="C00000")
    plain_font = Font(bold=True)
    option_col = 0
    for index, column in enumerate(ledger.columns, start=1):
        letter = get_column_letter(index)
        for sheet in (ws, example):
            cell = sheet.cell(row=1, column=index, value=column.title)
            cell.font = required_font if column.required else plain_font
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
            sheet.column_dimensions[letter].width = max(column.width, len(column.title) * 2 + 2)
        hint = _column_hint(column)
        if hint:
            ws.cell(row=1, column=index).comment = Comment(hint, "科技局工作平台", width=260, height=90)
        value = column.example
        example.cell(row=2, column=index, value=value)
        if column.number_format:
            example.cell(row=2, column=index).number_format = column.number_format
            for row in range(2, 1002):
                ws.cell(row=row, column=index).number_format = column.number_format
        labels = column.labels()
        if labels:
            option_col += 1
            option_letter = get_column_letter(option_col)
            options.cell(row=1, column=option_col, value=column.header)
            for r, label in enumerate(labels, start=2):
                options.cell(row=r, column=option_col, value=label)
            ref = f"{quote_sheetname(options.title)}!${option_letter}$2:${option_letter}${len(labels) + 1}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=not column.required)
            dv.error = ("请从下拉列表中选择：%(labels)s" % {"labels": "、".join(labels[:30])})[:250]
            dv.errorTitle = "不是可选值"
            dv.prompt = "请从下拉列表中选择"
            dv.promptTitle = column.header
            dv.showErrorMessage = True
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}1001")
    ws.freeze_panes = "A2"
    example.freeze_panes = "A2"
    notes = [
        "说明：带 * 的列必须填写；请在第一个工作表「%(name)s」中填写，每行一条记录，不要合并单元格。"
        % {"name": ledger.name},
        "日期可写 2019-05-01、2019年5月1日、2019/5/1 或 2019.5.1；金额以万元为单位，可带千分位或“万元”字样。",
        *ledger.notes,
    ]
    for offset, text in enumerate(notes, start=4):
        example.cell(row=offset, column=1, value=text).font = Font(color="555555")
    options.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_hint(column) -> str:
    kind_hints = {
        "date": "日期，如 2019-05-01 或 2019年5月1日",
        "money": "金额（万元），如 12.5",
        "decimal": "数值",
        "int": "整数",
        "year": "年份，如 2019",
        "credit_code": "18位统一社会信用代码",
        "enterprise": "企业的18位统一社会信用代码（企业须已在企业名录中）",
        "choice": "从下拉列表中选择",
        "ref": "从下拉列表中选择",
    }
    parts = ["必填" if column.required else "选填"]
    if column.kind in kind_hints:
        parts.append(kind_hints[column.kind])
    if column.help_text:
        parts.append(column.help_text)
    return "；".join(parts)


# 6. jobs: upload, preview, confirm -----------------------------------------------------------

UPLOAD_DIR = "ledger-uploads"


def upload_path(job_id: uuid.UUID | str) -> str:
    return os.path.join(settings.MEDIA_ROOT, UPLOAD_DIR, f"{job_id}.xlsx")


def _store_upload(upload, dest: str) -> None:
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    written = 0
    with open(dest, "wb") as out:
        for chunk in upload.chunks():
            written += len(chunk)
            if written > max_bytes():
                break
            out.write(chunk)
    if written > max_bytes():
        os.remove(dest)
        raise FileRejected(
            "文件大小 %(size)s 超过上限 %(max)s，请拆分成几个文件分别导入。"
            % {"size": _mb(getattr(upload, "size", written) or written), "max": _mb(max_bytes())}
        )


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def import_job_start(*, ledger: type[Ledger], upload, user):
    """Store the upload server-side and preview it (a Celery task for a large file).

    A file rejected as a whole raises FileRejected and leaves nothing behind (no job, no file).
    """
    from bureau.records.models import ImportJob

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise FileRejected(
            "文件大小 %(size)s 超过上限 %(max)s，请拆分成几个文件分别导入。"
            % {"size": _mb(size), "max": _mb(max_bytes())}
        )
    job_id = uuid.uuid4()
    path = upload_path(job_id)
    _store_upload(upload, path)
    try:
        info = inspect_file(path, ledger)
    except FileRejected:
        _remove(path)
        raise
    import_jobs_cleanup()
    job = ImportJob(
        id=job_id,
        ledger=ledger.slug,
        user=user,
        filename=os.path.basename(getattr(upload, "name", "") or "upload.xlsx")[:200],
        stored_file=os.path.relpath(path, settings.MEDIA_ROOT),
        size=os.path.getsize(path),
        rows_estimate=max(info.rows - 1, 0),
    )
    if info.rows - 1 > async_rows():
        from bureau.records.tasks import run_import_job
        from bureau.tasks import TaskQueueUnavailable, enqueue

        job.status = ImportJob.Status.QUEUED
        try:
            with transaction.atomic():
                job.save()
                enqueue(run_import_job, str(job.pk), False)
        except TaskQueueUnavailable as exc:
            _remove(path)
            raise FileRejected(*exc.messages) from exc
        return job
    result = validate(path, ledger, user=user, info=info)
    if result.file_errors:
        _remove(path)
        raise FileRejected(*result.file_errors)
    job.status = ImportJob.Status.PREVIEW if result.ok else ImportJob.Status.INVALID
    job.result = result.as_json()
    job.progress_done = job.progress_total = len(result.rows)
    job.finished_at = timezone.now()
    job.save()
    return job


def import_job_confirm(*, job, user):
    """Write a previewed job: the stored file is validated again (never the preview shown in the
    browser) and written all-or-nothing; a large one by a Celery task."""
    from bureau.records.models import ImportJob

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.user_id != user.pk:
            raise PermissionError
        if job.status != ImportJob.Status.PREVIEW:
            return job, False
        job.status = ImportJob.Status.COMMITTING
        job.phase = "排队等待写入"
        job.progress_done = 0
        job.save(update_fields=["status", "phase", "progress_done", "updated_at"])
        if job.rows_estimate > async_rows():
            from bureau.records.tasks import run_import_job
            from bureau.tasks import enqueue

            enqueue(run_import_job, str(job.pk), True)  # TaskQueueUnavailable: the job stays 待确认
    if job.rows_estimate > async_rows():
        return job, True
    import_job_run(job_id=job.pk, commit=True)
    job.refresh_from_db()
    return job, True


def import_job_run(*, job_id, commit: bool) -> None:
    """Validate (and with ``commit`` write) a stored upload, keeping progress on the job row.
    Ends in a final state with a Chinese message whatever happens."""
    from bureau.records.models import ImportJob
    from bureau.registry import registry

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return  # at-least-once delivery: a redelivered task finds its work done
    ledger = registry["ledgers"].get(job.ledger)
    path = os.path.join(settings.MEDIA_ROOT, job.stored_file)
    if not commit:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, phase="开始校验")

    def progress(phase: str, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(phase=phase, progress_done=done, progress_total=total)

    try:
        if ledger is None or not os.path.exists(path):
            raise FileRejected("上传的文件已不在服务器上，请重新上传。")
        result = ledger_import(ledger=ledger, path=path, user=job.user, commit=commit, progress=progress)
    except Exception as exc:  # noqa: BLE001 - the job must end in a readable state, never stuck
        messages = (
            exc.messages if isinstance(exc, FileRejected) else ["导入过程中出错，未导入任何数据：%(e)s" % {"e": exc}]
        )
        if not isinstance(exc, FileRejected):
            logger.exception("ledger import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message="\n".join(messages), finished_at=timezone.now()
        )
        _remove(path)
        return
    if result.file_errors and not result.rows:
        status = ImportJob.Status.FAILED
    elif commit and result.committed:
        status = ImportJob.Status.DONE
    elif result.ok:
        status = ImportJob.Status.PREVIEW
    else:
        status = ImportJob.Status.INVALID
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        result=result.as_json(),
        message="\n".join(result.file_errors),
        progress_done=len(result.rows),
        progress_total=len(result.rows),
        phase="",
        finished_at=timezone.now(),
    )
    if status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        _remove(path)


def import_job_discard(*, job) -> None:
    from bureau.records.models import ImportJob

    _remove(os.path.join(settings.MEDIA_ROOT, job.stored_file))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DISCARDED, finished_at=timezone.now())


def import_jobs_cleanup(*, hours: int = 24) -> int:
    """Remove the files of previews nobody confirmed within ``hours``."""
    from bureau.records.models import ImportJob

    cutoff = timezone.now() - datetime.timedelta(hours=hours)
    stale = ImportJob.objects.filter(
        created_at__lt=cutoff, status__in=[ImportJob.Status.PREVIEW, ImportJob.Status.INVALID]
    )
    count = 0
    for job in stale.only("pk", "stored_file"):
        _remove(os.path.join(settings.MEDIA_ROOT, job.stored_file))
        count += 1
    stale.update(status=ImportJob.Status.DISCARDED)
    return count
