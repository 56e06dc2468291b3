"""The rows of a sheet: the header row found and matched to the ledger's Chinese headers, every
cell parsed by its column (no database access)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bureau.ledgers.columns import CellError, Ledger, normalise_header
from bureau.ledgers.safety import FileRejected, SheetInfo, max_rows, open_workbook

Progress = Callable[[str, int, int], None]

HEADER_SCAN_ROWS = 10
# Trailing rows that are only formatting end the sheet: stop after this many blank rows in a row.
BLANK_RUN_END = 1000


@dataclass(slots=True)
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
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel, self.from_iso8601 = from_excel, from_ISO8601
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
                    return self.from_excel(number, self.epoch, timedelta=int(style) in self.timedelta_formats)
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
            return self.from_iso8601(text)
        return text  # "str" (a formula's text) or "e" (an error such as #DIV/0!)


def read_sheet(path: str, ledger: type[Ledger], info: SheetInfo, progress: Progress | None = None) -> SheetData:
    if info.dtd:
        raise FileRejected("文件含有不安全的XML内容（实体声明等），已拒绝。")
    from openpyxl.cell.cell import ERROR_CODES  # openpyxl only where a workbook is read

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
    from openpyxl.utils.cell import range_boundaries

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
