"""First-run checklist items of the ledger engine: each registered ledger, with the rows it holds per
year (bureau.setup). One query per ledger, a count or a GROUP BY year: flat in the number of rows."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import reverse

from bureau.registry import register_setup_checks, registry
from bureau.setup import SetupCheck

from .columns import LEDGER_NAMES

MAX_YEARS_SHOWN = 4  # the latest years; older ones are summed up


def rows_per_year(model) -> tuple[int, list[tuple[int, int]]]:
    """(all rows, [(year, rows)] newest first); the list is empty for a ledger without a year."""
    if not any(f.name == "year" for f in model._meta.concrete_fields):
        return model._default_manager.count(), []
    years = list(model._default_manager.order_by().values_list("year").annotate(n=Count("pk")).values_list("year", "n"))
    years.sort(reverse=True)
    return sum(n for _y, n in years), years


def rows_text(total: int, years: list[tuple[int, int]]) -> str:
    if not total:
        return "尚未导入"
    if not years:
        return f"共 {total} 条"
    shown = "、".join(f"{y}年 {n} 条" for y, n in years[:MAX_YEARS_SHOWN])
    older = sum(n for _y, n in years[MAX_YEARS_SHOWN:])
    return f"{shown}{f'、更早 {older} 条' if older else ''}（共 {total} 条）"


@register_setup_checks
def ledger_checks(*, today: datetime.date) -> list[SetupCheck]:
    rank = {name: i for i, name in enumerate(LEDGER_NAMES)}
    ledgers = sorted(registry["ledgers"].values(), key=lambda lg: rank.get(lg.name, len(LEDGER_NAMES)))
    checks = []
    for order, ledger in enumerate(ledgers):
        total, years = rows_per_year(ledger.model)
        checks.append(
            SetupCheck(
                group="台账",
                title=ledger.name,
                done=total > 0,
                detail=rows_text(total, years),
                url=reverse("ledger_import", args=[ledger.slug]),
                action="导入",
                order=order,
            )
        )
    return checks
