"""The indicator table: every registered indicator for a year with its target, completion and change.

One selector feeds the dashboard, the indicator export and the annual report's 附表, so the same
figure appears everywhere. ``reports`` reads only ``bureau.registry`` (and the bureau's own targets
and base data), never another app's models.

Figures are cached per (indicator, year) with the versions of the tables of the models they
declare in ``depends_on`` (``bureau.records.versioning``): a record write makes stale only the figures over its table, and a
page needs a fixed number of queries however many records there are: one aggregate per indicator
and year to compute, none for a figure still valid.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.urls import NoReverseMatch
from django.utils import timezone

from bureau.core.selectors import annual_targets, latest_planned_year
from bureau.indicators import GROUP_OTHER, Indicator, Value
from bureau.records.urls import record_url
from bureau.records.versioning import DATA_CACHE_TIMEOUT, data_version, generation, model_tables, table_versions
from bureau.registry import registry

MISSING = "缺失"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figure:
    """One indicator's value for one year; ``missing`` names the inputs to enter when it is None."""

    value: Value
    missing: tuple[tuple[str, str], ...] = ()
    # The tables it depends on, with their versions then: valid while none has changed.
    versions: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    group: str  # group title, e.g. "项目与资金"
    decimals: int
    year: int
    value: Value  # None: an input is missing (show 缺失)
    missing: tuple[tuple[str, str], ...]  # (label, url) of the inputs to enter
    target: Decimal | None
    target_signed_off: bool
    completion: Decimal | None  # percent: value ÷ target × 100
    previous: Value
    change: Decimal | None  # value − previous
    change_percent: Decimal | None  # (value − previous) ÷ previous × 100
    url: str | None  # the drill-down list of the records counted

    @property
    def is_missing(self) -> bool:
        return self.value is None


@dataclass
class IndicatorGroup:
    slug: str
    title: str
    rows: list[IndicatorRow] = field(default_factory=list)


def ordered_indicators() -> list[Indicator]:
    """Registered indicators in dashboard order: by their group, then by ``order``."""
    return sorted(registry["indicators"].values(), key=lambda ind: (ind.group.order, ind.order, ind.code))


def group_of(code: str) -> tuple[str, str]:
    indicator = registry["indicators"].get(code)
    group = indicator.group if indicator is not None else GROUP_OTHER
    return group.slug, group.title


CACHE_SCHEMA = 1  # bump when what is cached changes shape (Figure, the body template's context)


@functools.cache
def cache_prefix() -> str:
    """Keys of one code version: a deploy that changes the indicators never reads older entries."""
    codes = ",".join(sorted(registry["indicators"]))
    return f"dash{CACHE_SCHEMA}-{hashlib.sha1(codes.encode()).hexdigest()[:8]}"  # a cache key, not security


def _cache_key(generation: int, code: str, year: int) -> str:
    return f"{cache_prefix()}:indicator:{generation}:{code}:{year}"


def indicator_tables(indicator: Indicator) -> list[str]:
    """The tables of the models the indicator declares it depends on (their m2m tables included)."""
    return model_tables(indicator.dependencies)


def _compute(indicator: Indicator, year: int) -> Figure:
    """The figure, with the versions (taken before it is computed) of the tables it depends on."""
    versions = tuple(sorted(table_versions(indicator_tables(indicator)).items()))
    value = indicator.value(year)
    missing = () if value is not None else tuple((str(a), str(b)) for a, b in indicator.missing_inputs(year))
    return Figure(value, missing, versions)


def indicator_figures(*, codes: Iterable[str], years: Iterable[int]) -> dict[tuple[str, int], Figure]:
    """The figures of some indicators for some years, by (code, year); cached.

    A cached figure stays valid while the tables of the models it depends on (``depends_on``) are
    unchanged (``bureau.records.versioning``), so a record write recomputes only the figures over
    its table.
    Queries: one aggregate (or a ratio's few) per figure to compute, none per valid cached figure;
    the count depends on how many figures are asked for, never on how many records there are.
    """
    indicators = registry["indicators"]
    wanted = [(code, year) for code in codes if code in indicators for year in years]
    gen = generation()
    keys = {pair: _cache_key(gen, *pair) for pair in wanted}
    cached = cache.get_many(keys.values())
    read = {t for f in cached.values() for t, _ in f.versions}
    current = table_versions(read) if read else {}
    figures: dict[tuple[str, int], Figure] = {}
    stale = []
    for pair, key in keys.items():
        figure = cached.get(key)
        if figure is not None and all(current.get(t) == v for t, v in figure.versions):
            figures[pair] = figure
        else:
            stale.append(pair)
    if stale:
        fresh = {}
        for pair in stale:
            figures[pair] = fresh[keys[pair]] = _compute(indicators[pair[0]], pair[1])
        cache.set_many(fresh, timeout=DATA_CACHE_TIMEOUT)
    return figures


_MODELS: dict[str, type] = {}


def indicator_model(indicator: Indicator):
    """The model an indicator counts (its drill-down list); remembered, as records() may query."""
    if indicator.code not in _MODELS:
        _MODELS[indicator.code] = indicator.model
    return _MODELS[indicator.code]


def drilldown_url(indicator: Indicator, year: int, **query) -> str | None:
    """The list of exactly the records behind a figure (``?indicator=<code>&year=Y``)."""
    try:
        return record_url(indicator_model(indicator), "list", indicator=indicator.code, year=year, **query)
    except NoReverseMatch:  # a model without a list page: the figure is shown without a link
        return None


def _percent(part: Value, whole: Value) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def indicator_table(*, year: int, codes: Iterable[str] | None = None) -> list[IndicatorRow]:
    """Every registered indicator (or ``codes``) for ``year``: value, unit, target, completion %,
    previous year's value and the change. The one source of the dashboard, the export and the report.

    Queries: targets (1) + figures of ``year`` and ``year - 1`` (none when cached).
    """
    indicators = ordered_indicators()
    if codes is not None:
        wanted = set(codes)
        indicators = [i for i in indicators if i.code in wanted]
    figures = indicator_figures(codes=[i.code for i in indicators], years=(year, year - 1))
    targets = annual_targets(years=[year])
    rows = []
    for ind in indicators:
        figure, previous = figures[(ind.code, year)], figures[(ind.code, year - 1)].value
        target = targets.get((ind.code, year))
        value = figure.value
        change = None if value is None or previous is None else Decimal(value) - Decimal(previous)
        rows.append(
            IndicatorRow(
                code=ind.code,
                name=str(ind.name),
                unit=str(ind.unit),
                group=group_of(ind.code)[1],
                decimals=ind.decimals,
                year=year,
                value=value,
                missing=figure.missing,
                target=target.target if target else None,
                target_signed_off=bool(target and target.signed_off_at),
                completion=_percent(value, target.target if target else None),
                previous=previous,
                change=change,
                change_percent=_percent(change, previous),
                url=drilldown_url(ind, year),
            )
        )
    return rows


def indicator_groups(rows: list[IndicatorRow]) -> list[IndicatorGroup]:
    """The rows grouped as on the dashboard (empty groups left out)."""
    groups: dict[str, IndicatorGroup] = {}
    for row in rows:
        slug, title = group_of(row.code)
        groups.setdefault(slug, IndicatorGroup(slug, title)).rows.append(row)
    return list(groups.values())


def default_year() -> int:
    """The year the dashboard opens on: the latest with targets or base data, else this year."""
    today = timezone.localdate()
    key = f"{cache_prefix()}:default-year:{data_version()}:{today.year}"
    year = cache.get(key)
    if year is None:
        year = latest_planned_year(today=today) or today.year
        cache.set(key, year, timeout=DATA_CACHE_TIMEOUT)
    return year
