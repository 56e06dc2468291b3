"""Streaming .xlsx export: openpyxl write_only, so memory stays flat however long the list is."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

from django.db import models
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from bureau.accounts.display import object_display

# A cell that starts with one of these is read as a formula by Excel (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# 万元 shown with two decimals; the cell holds the exact stored value (to the yuan).
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
# Column widths are fitted to the header and the first rows (the sheet is streamed).
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
DATE_FORMAT = "yyyy-mm-dd"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def neutralise(text: str) -> str:
    """Prefix a text that Excel would evaluate with an apostrophe-like guard (OWASP advice)."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass(frozen=True)
class Formatted:
    """A number with its own Excel format, e.g. a rate: ``Formatted(Decimal("1.055"), PERCENT_FORMAT)``."""

    value: Decimal | int | None
    number_format: str


def percent_cell(value: Decimal | None) -> Formatted | None:
    """A rate held in per cent (105.5) as a number Excel shows as 105.5%."""
    return None if value is None else Formatted(Decimal(value) / 100, PERCENT_FORMAT)


def text_width(value: Any) -> int:
    """Display width in Excel's character units: a Chinese character counts two."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        text = f"{value:,.2f}"
    elif isinstance(value, datetime.datetime):
        text = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        text = "yyyy-mm-dd"
    else:
        text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def cell_value(value: Any) -> Any:
    """Turn a Python value into what an .xlsx cell should hold (text is never a formula)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (int, Decimal, datetime.date)):
        return value
    if isinstance(value, float):  # pragma: no cover - the models hold no floats
        return Decimal(str(value))
    if isinstance(value, models.Model):
        return neutralise(object_display(value))
    return neutralise(str(value))


def write_workbook(
    fileobj,
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total_columns: Sequence[int] = (),
) -> int:
    """Write one sheet to ``fileobj``: bold frozen header, widths fitted to the content, numbers as
    numbers with their formats and, for ``total_columns`` (money), a 合计 row under the data.
    Returns the number of data rows written."""
    # openpyxl is imported where a workbook is written, not by every process that loads the views.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    widths = [text_width(h) for h in headers]
    for row in sample:
        for i, raw in enumerate(row):
            value = raw.value if isinstance(raw, Formatted) else cell_value(raw)
            if i < len(widths):
                widths[i] = max(widths[i], text_width(value))
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = header_font
        cell.fill = header_fill
        header_cells.append(cell)
    ws.freeze_panes = "A2"  # write-only: the sheet view must be set before the first row is written
    ws.append(header_cells)
    totals = dict.fromkeys(total_columns, Decimal(0))
    count = 0
    for row in chain(sample, rows):
        cells = []
        for i, raw in enumerate(row):
            fmt = None
            if isinstance(raw, Formatted):
                value, fmt = raw.value, raw.number_format
            else:
                value = cell_value(raw)
            cell = WriteOnlyCell(ws, value=value)
            if fmt is not None:
                cell.number_format = fmt
            elif isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            if i in totals and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                totals[i] += value
            cells.append(cell)
        ws.append(cells)
        count += 1
    if totals:
        label_at = next((i for i in range(len(headers)) if i not in totals), None)
        total_cells = []
        for i in range(len(headers)):
            if i in totals:
                cell = WriteOnlyCell(ws, value=totals[i])
                cell.number_format = MONEY_FORMAT
            else:
                cell = WriteOnlyCell(ws, value="合计" if i == label_at else None)
            cell.font = header_font
            total_cells.append(cell)
        ws.append(total_cells)
    wb.save(fileobj)
    return count


def xlsx_download(content: bytes | IO[bytes], filename: str) -> FileResponse:
    """Every .xlsx download of the portal (lists, ledger templates, the indicator table):
    ``content`` is the workbook's bytes or a file positioned at its start (closed after streaming)."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    else:
        response = FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    # RFC 5987 name so that Chinese file names survive every browser.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def xlsx_response(
    *,
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total_columns: Sequence[int] = (),
):
    """A download of the rows; spooled to a temp file so a 100k-row list never sits in memory."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_workbook(tmp, sheet_title=sheet_title, headers=headers, rows=rows, total_columns=total_columns)
    tmp.seek(0)
    return xlsx_download(tmp, filename)
