"""The dashboard's charts: declared here as data over registered indicators, drawn by ECharts.

A chart names indicator codes, never models: its figures come from ``reports.selectors`` (cached
under the data version) and every bar or point links to the records behind it. A chart whose
indicators are not registered is left out, so the dashboard works with any set of apps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from bureau.indicators import Value
from bureau.records.versioning import DATA_CACHE_TIMEOUT, data_version
from bureau.registry import register_chart, registry

from .selectors import cache_prefix, drilldown_url, indicator_figures

YEARS_SHOWN = 8  # the selected year and the seven before it
MIN_YEARS_SHOWN = 3  # leading years without any figure are dropped, down to this many


@dataclass(frozen=True)
class Series:
    code: str
    label: str = ""  # short legend text for a phone; default the indicator's name
    kind: str = "bar"  # ECharts series type: bar or line
    axis: int = 0  # 0: left axis, 1: right axis (another unit)


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    order: int
    series: tuple[Series, ...] = ()
    # A breakdown chart shows the parts of the first of these indicators that has a breakdown.
    breakdown_of: tuple[str, ...] = ()
    icon: str = "bi-bar-chart"

    def available(self) -> bool:
        indicators = registry["indicators"]
        if self.breakdown_of:
            return any(indicators.get(c) is not None and indicators[c].breakdown for c in self.breakdown_of)
        return all(s.code in indicators for s in self.series)

    def build(self, *, year: int) -> dict | None:
        if not self.available():
            return None
        if self.breakdown_of:
            return self._build_breakdown(year)
        return self._build_years(year)

    def _build_years(self, year: int) -> dict:
        indicators = registry["indicators"]
        years = list(range(year - YEARS_SHOWN + 1, year + 1))
        figures = indicator_figures(codes=[s.code for s in self.series], years=years)
        while len(years) > MIN_YEARS_SHOWN and all(figures[(s.code, years[0])].value in (None, 0) for s in self.series):
            years.pop(0)
        units = ["", ""]
        series = []
        for s in self.series:
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
            "slug": self.slug,
            "title": self.title,
            "icon": self.icon,
            "kind": "years",
            "categories": [f"{y}年" for y in years],
            "units": [u for u in units if u],
            "series": series,
        }

    def _build_breakdown(self, year: int) -> dict:
        indicators = registry["indicators"]
        ind = next(indicators[c] for c in self.breakdown_of if c in indicators and indicators[c].breakdown)
        key = f"{cache_prefix()}:breakdown:{data_version()}:{ind.code}:{year}"
        parts = cache.get(key)
        if parts is None:
            parts = [
                (str(part.label), _number(part.value), drilldown_url(ind, year, part=str(part.label)))
                for part in ind.breakdown(year)
            ]
            cache.set(key, parts, timeout=DATA_CACHE_TIMEOUT)
        return {
            "slug": self.slug,
            "title": f"{year}年{self.title}",
            "icon": self.icon,
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


CHARTS = [
    Chart(
        "projects",
        "上级科技计划项目与资金",
        10,
        (
            Series("applications_recommended", "申报项目"),
            Series("applications_approved", "获批项目"),
            Series("funds_approved", "争取资金", kind="line", axis=1),
        ),
        icon="bi-folder-check",
    ),
    Chart(
        "high_tech",
        "国家高新技术企业",
        20,
        (Series("high_tech_enterprises", "高企总数"), Series("high_tech_new", "当年新认定", kind="line")),
        icon="bi-award",
    ),
    Chart(
        "rd",
        "研发经费与研发投入强度",
        30,
        (Series("rd_expenditure", "研发经费支出"), Series("rd_intensity", "研发投入强度", kind="line", axis=1)),
        icon="bi-graph-up-arrow",
    ),
    Chart(
        "needs",
        "企业技术需求征集与解决",
        40,
        (Series("needs_collected", "征集需求"), Series("needs_resolved", "解决难题")),
        icon="bi-chat-square-dots",
    ),
    Chart("platforms", "新建创新平台（按级别和类型）", 50, breakdown_of=("platforms_new",), icon="bi-diagram-3"),
]
for chart in CHARTS:
    register_chart(chart)


def dashboard_charts(*, year: int) -> list[dict]:
    """The JSON-ready data of every registered chart for ``year`` (its drill-down URLs included)."""
    charts = sorted(registry["dashboard_charts"], key=lambda c: c.order)
    return [spec for spec in (c.build(year=year) for c in charts) if spec is not None]
