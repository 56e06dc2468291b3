"""The dashboard's charts: declared by the apps as data over their indicators
(``bureau.indicators.Chart``, ``register_chart``), built here and drawn by ECharts.

A chart names indicator codes, never models: its figures come from ``reports.selectors`` (cached
under the data version) and every bar or point links to the records behind it. A chart whose
indicators are not registered is left out, so the dashboard works with any set of apps.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache

from bureau.indicators import Chart, Value
from bureau.records.versioning import DATA_CACHE_TIMEOUT, data_version
from bureau.registry import registry

from .selectors import cache_prefix, drilldown_url, indicator_figures

YEARS_SHOWN = 8  # the selected year and the seven before it
MIN_YEARS_SHOWN = 3  # leading years without any figure are dropped, down to this many


def chart_available(chart: Chart) -> bool:
    indicators = registry["indicators"]
    if chart.breakdown_of:
        return any(indicators.get(c) is not None and indicators[c].breakdown for c in chart.breakdown_of)
    return all(s.code in indicators for s in chart.series)


def build_chart(chart: Chart, *, year: int) -> dict | None:
    if not chart_available(chart):
        return None
    if chart.breakdown_of:
        return _build_breakdown(chart, year)
    return _build_years(chart, year)


def _build_years(chart: Chart, year: int) -> dict:
    indicators = registry["indicators"]
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    figures = indicator_figures(codes=[s.code for s in chart.series], years=years)
    while len(years) > MIN_YEARS_SHOWN and all(figures[(s.code, years[0])].value in (None, 0) for s in chart.series):
        years.pop(0)
    units = ["", ""]
    series = []
    for s in chart.series:
        ind = indicators[s.code]
        units[s.axis] = units[s.axis] or str(ind.unit)
        series.append(
            {
                "code": s.code,
                "name": s.label or str(ind.name),
                "unit": str(ind.unit),
                "decimals": ind.decimals,
                "type": s.kind,
                "axis": s.axis,
                "values": [_number(figures[(s.code, y)].value) for y in years],
                "urls": [drilldown_url(ind, y) for y in years],
            }
        )
    return {
        "slug": chart.slug,
        "title": chart.title,
        "icon": chart.icon,
        "kind": "years",
        "categories": [f"{y}年" for y in years],
        "units": [u for u in units if u],
        "series": series,
    }


def _build_breakdown(chart: Chart, year: int) -> dict:
    indicators = registry["indicators"]
    ind = next(indicators[c] for c in chart.breakdown_of if c in indicators and indicators[c].breakdown)
    key = f"{cache_prefix()}:breakdown:{data_version()}:{ind.code}:{year}"
    parts = cache.get(key)
    if parts is None:
        parts = [
            (str(part.label), _number(part.value), drilldown_url(ind, year, part=str(part.label)))
            for part in ind.breakdown(year)
        ]
        cache.set(key, parts, timeout=DATA_CACHE_TIMEOUT)
    return {
        "slug": chart.slug,
        "title": f"{year}年{chart.title}",
        "icon": chart.icon,
        "kind": "breakdown",
        "categories": [label for label, _, _ in parts],
        "units": [str(ind.unit)],
        "series": [
            {
                "code": ind.code,
                "name": str(ind.name),
                "unit": str(ind.unit),
                "decimals": ind.decimals,
                "type": "bar",
                "axis": 0,
                "values": [value for _, value, _ in parts],
                "urls": [url for _, _, url in parts],
            }
        ],
        "total_url": drilldown_url(ind, year),
    }


def _number(value: Value) -> float | int | None:
    """For the chart only (JSON has no Decimal); the pages and exports show exact figures."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(round(value, 4))
    return value


def dashboard_charts(*, year: int) -> list[dict]:
    """The JSON-ready data of every registered chart for ``year`` (its drill-down URLs included)."""
    charts = sorted(registry["dashboard_charts"], key=lambda c: c.order)
    return [spec for spec in (build_chart(c, year=year) for c in charts) if spec is not None]
