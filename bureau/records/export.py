"""Streaming .xlsx export: openpyxl write_only, so memory stays flat however long the list is."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.db import models
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from bureau.accounts.display import object_display

# A cell that starts with one of these is read as a formula by Excel (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.0000"
DATE_FORMAT = "yyyy-mm-dd"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def neutralise(text: str) -> str:
    """Prefix a text that Excel would evaluate with an apostrophe-like guard (OWASP advice)."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


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


def write_workbook(fileobj, *, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet to ``fileobj``; returns the number of data rows written."""
    # openpyxl is imported where a workbook is written, not by every process that loads the views.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = header_font
        cell.fill = header_fill
        header_cells.append(cell)
    ws.append(header_cells)
    ws.freeze_panes = "A2"
    count = 0
    for row in rows:
        cells = []
        for raw in row:
            value = cell_value(raw)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        ws.append(cells)
        count += 1
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


def xlsx_response(*, filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]):
    """A download of the rows; spooled to a temp file so a 100k-row list never sits in memory."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_workbook(tmp, sheet_title=sheet_title, headers=headers, rows=rows)
    tmp.seek(0)
    return xlsx_download(tmp, filename)
