"""The indicator table as an .xlsx sheet (指标, 单位, 目标值, 完成值, 完成率, 上年值, 同比)."""

from __future__ import annotations

from decimal import Decimal

from bureau.indicators import Value
from bureau.records.export import percent_cell, write_workbook

from .selectors import MISSING, IndicatorRow, indicator_table

# The fixed column headers of the export (DOMAIN.md: 附表 主要指标完成情况).
EXPORT_HEADERS = ("指标", "单位", "目标值", "完成值", "完成率", "上年值", "同比")
EXACT = Decimal("0.0001")


def _number(value: Value, *, missing: str | None = None):
    """A figure as a cell: whole numbers as integers, others exact to 4 places; None as ``missing``."""
    if value is None:
        return missing
    if isinstance(value, int):
        return value
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(EXACT)


def export_row(row: IndicatorRow) -> list:
    return [
        row.name,
        row.unit,
        _number(row.target),
        _number(row.value, missing=MISSING),
        percent_cell(row.completion),  # a number Excel shows as 75.0%, not the text "75%"
        _number(row.previous, missing=MISSING),
        percent_cell(row.change_percent),  # 50.0% / -3.0%: a number, so never read as a formula
    ]


def write_indicator_table(fileobj, *, year: int) -> int:
    """Write the year's indicator table to ``fileobj``; returns the number of indicators written."""
    rows = indicator_table(year=year)
    return write_workbook(
        fileobj,
        sheet_title=f"{year}年主要指标完成情况",
        headers=EXPORT_HEADERS,
        rows=(export_row(r) for r in rows),
    )
