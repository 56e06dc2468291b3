"""Display helpers: rounding happens here, on display only; stored values stay exact."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)


def quantize(value: Decimal | int | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    exp = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(exp, rounding=ROUND_HALF_UP)


def plain(value: Decimal | int | None, places: int = 2) -> str:
    """A number without trailing zeros: 380 not 380.0000, 7012.5 not 7012.50."""
    if value is None:
        return "—"
    q = quantize(value, places)
    text = f"{q:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wan(value: Decimal | int | None) -> str:
    """An amount held in 万元, shown with up to 2 decimals and thousands separators."""
    return plain(value, 2)


def wan_to_yi(value: Decimal | int | None) -> Decimal | None:
    """万元 → 亿元, exactly (the one conversion helper)."""
    if value is None:
        return None
    return Decimal(value) / WAN_PER_YI


def yi_to_wan(value: Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value) * WAN_PER_YI


def percent(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "—"
    return plain(value, places) + "%"


def chinese_date(day: datetime.date, *, with_year: bool = True) -> str:
    """2020年6月30日 (or 6月30日): a date as Chinese text writes it, no leading zeros (GB/T 9704 7.3.5.3)."""
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"
