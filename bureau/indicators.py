"""Indicators (指标): one definition feeds the dashboard, the report and the indicator export.

Each app declares its own in ``<app>/indicators.py`` with ``register_indicator(Indicator(...))``.
An indicator's value is ``records(year).aggregate(...)`` and its drill-down is the list of
``records(year).model`` filtered with ``?indicator=<code>&year=Y``: figure and list share one
queryset, so they cannot disagree. A ratio names its inputs; a missing input gives ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Aggregate, Count, QuerySet

Value = Decimal | int | None


@dataclass(frozen=True)
class Breakdown:
    """One part of an indicator's breakdown (by program, platform type, town …)."""

    label: str
    value: Value
    records: QuerySet | None = None  # the records behind this part, for its link


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # fixed Chinese name from DOMAIN.md
    unit: str
    # The records counted for year Y. For ratio indicators, the numerator's records.
    records: Callable[[int], QuerySet]
    aggregate: Aggregate | None = None  # default Count("pk")
    # For ratios and other derived figures: compute(year) -> value or None when an input is missing.
    compute: Callable[[int], Value] | None = None
    # Names of the inputs a ratio needs that records cannot supply, per year: (label, present?, url).
    inputs: Callable[[int], list[tuple[str, bool, str]]] | None = None
    breakdown: Callable[[int], list[Breakdown]] | None = None
    section: str = ""  # report section / dashboard group
    order: int = 100
    decimals: int = 0
    help_text: str = ""
    tags: tuple[str, ...] = field(default=())

    def value(self, year: int) -> Value:
        """The figure for ``year``: 0 over no records, ``None`` only when an input is missing."""
        if self.compute is not None:
            return self.compute(year)
        aggregate = self.aggregate if self.aggregate is not None else Count("pk")
        result = self.records(year).aggregate(value=aggregate)["value"]
        return 0 if result is None else result

    def missing_inputs(self, year: int) -> list[tuple[str, str]]:
        """(label, url) of the inputs that must be entered before this figure exists."""
        if self.inputs is None:
            return []
        return [(label, url) for label, present, url in self.inputs(year) if not present]

    @property
    def model(self):
        return self.records(2000).model
