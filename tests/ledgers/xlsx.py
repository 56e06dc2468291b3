"""Build small .xlsx files for the ledger tests (openpyxl, in memory or on disk)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook


def workbook(headers: Sequence[str], rows: Sequence[Sequence[Any]] = (), *, title: str = "Sheet1") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    return wb


def xlsx_bytes(headers, rows=(), **kwargs) -> bytes:
    buffer = io.BytesIO()
    workbook(headers, rows, **kwargs).save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, headers, rows=(), **kwargs) -> Path:
    workbook(headers, rows, **kwargs).save(path)
    return path


def code(i: int) -> str:
    """A valid credit code that depends only on ``i`` (the factories' codes are random)."""
    from enterprises.validators import make_credit_code

    return make_credit_code(f"91370323MA3E{i:05d}")
