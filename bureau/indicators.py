"""Indicators (指标): one definition feeds the dashboard, the report and the indicator export.

Each app declares its own in ``<app>/indicators.py``, one way: ``register_indicator(Indicator(...))``
at module level (a DOMAIN.md indicator leaves out ``name`` and ``unit``: they come from ``NAMES``).
The declaration says where the figure goes and what it reads, so nothing downstream keeps a list of
codes: its dashboard ``group``, its report ``section`` (a ``bureau.report_text.ReportSection``) and
``order`` there, its ``plan_phrase`` for the plan's 力争… sentence, and ``depends_on``, the models
whose writes make its cached figure stale.
An indicator's value is ``records(year).aggregate(...)`` and its drill-down is the list of
``records(year).model`` filtered with ``?indicator=<code>&year=Y``: figure and list share one
queryset, so they cannot disagree. A ratio names its inputs; a missing input gives ``None``.

Part of a year (the 上半年工作总结: figures as of 30 June): an indicator declared ``dated=True``
takes a period end, ``records(year, end=date)`` (and ``compute``/``breakdown`` likewise): what
happened from 1 Jan of ``year`` up to ``end``, or the state on ``end``. The default end is 31 Dec,
and every indicator answers for it without ``end``. Figures kept per year (企业年度统计, 年度 fields)
cannot be cut at a date: they are not ``dated``, and asking them for another end raises
``PeriodNotSupported`` (a report of that kind leaves them out), never a wrong or blank figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Aggregate, Count, Model, QuerySet

if TYPE_CHECKING:
    from bureau.report_text import ReportSection

Value = Decimal | int | None

# The standard indicators of DOMAIN.md: code -> (fixed Chinese name, unit). Apps declare each one
# with these names, and tests import them rather than retype them.
NAMES: dict[str, tuple[str, str]] = {
    "applications_recommended": ("申报上级科技计划项目数", "项"),
    "applications_approved": ("获批上级科技计划项目数", "项"),
    "funds_approved": ("争取上级科技资金", "万元"),
    "county_funds_paid": ("县级科技资金兑现", "万元"),
    "high_tech_enterprises": ("国家高新技术企业数", "家"),
    "high_tech_applications": ("高新技术企业申报数", "家"),
    "high_tech_new": ("新认定高新技术企业数", "家"),
    "tech_smes": ("科技型中小企业入库数", "家"),
    "rd_expenditure": ("研发经费支出", "万元"),
    "rd_intensity": ("研发投入强度", "%"),
    "patents_applied": ("专利申请量", "件"),
    "patents_granted": ("专利授权量", "件"),
    "invention_patents_granted": ("发明专利授权量", "件"),
    "invention_patents_per_10k": ("每万人有效发明专利拥有量", "件"),
    "talent_applications": ("人才工程申报人数", "人"),
    "talent_selections": ("人才工程入选人数", "人"),
    "commissioners": ("科技特派员人数", "人"),
    "platforms_new": ("新建创新平台数", "个"),
    "cooperation_agreements": ("产学研合作协议数", "项"),
    "needs_collected": ("征集企业需求数", "条"),
    "needs_resolved": ("解决企业技术难题数", "项"),
    "achievements_transformed": ("科技成果转化数", "项"),
    "awards": ("科技奖励数", "项"),
    "trainings": ("培训班期数", "期"),
}


@dataclass(frozen=True)
class Group:
    """A group of figures on the dashboard (项目与资金 …), in ``order``."""

    slug: str
    title: str
    order: int


# Tag of the indicator whose records the report lists in its appendix (获批项目清单).
APPROVED_PROJECTS = "approved_projects"

GROUP_PROJECTS = Group("projects", "项目与资金", 10)
GROUP_ENTERPRISES = Group("enterprises", "企业创新", 20)
GROUP_IP = Group("ip", "知识产权", 30)
GROUP_TALENT = Group("talent", "人才与平台", 40)
GROUP_SERVICES = Group("services", "合作与服务", 50)
GROUP_OTHER = Group("other", "其他指标", 1000)  # an indicator that names no group


class PeriodNotSupported(ValueError):
    """The indicator is kept per year and cannot be stated as of another day than 31 Dec."""


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def period_start(end: datetime.date) -> datetime.date:
    """The first day of the period ending on ``end``: 1 Jan of its year."""
    return datetime.date(end.year, 1, 1)


@dataclass(frozen=True)
class Breakdown:
    """One part of an indicator's breakdown (by program, platform type, town …)."""

    label: str
    value: Value
    records: QuerySet | None = None  # the records behind this part, for its link


@dataclass(frozen=True)
class Indicator:
    code: str
    # The records counted for year Y. For ratio indicators, the numerator's records.
    records: Callable[[int], QuerySet]
    name: str = ""  # fixed Chinese name; default from NAMES (DOMAIN.md)
    unit: str = ""
    aggregate: Aggregate | None = None  # default Count("pk")
    # For ratios and other derived figures: compute(year) -> value or None when an input is missing.
    compute: Callable[[int], Value] | None = None
    # Names of the inputs a ratio needs that records cannot supply, per year: (label, present?, url)
    # or (label, present?, url, (Model, field)), the field being where the input is entered (so the
    # report can name the Excel ledger column that supplies it).
    inputs: Callable[[int], list[tuple[str, bool, str]]] | None = None
    breakdown: Callable[[int], list[Breakdown]] | None = None
    # Models whose writes change the figure (records, breakdown labels, county inputs): its cached
    # value is recomputed when one of their tables is written. Default: the model of ``records``.
    depends_on: tuple[type[Model], ...] = ()
    group: Group = GROUP_OTHER  # dashboard group
    section: ReportSection | None = None  # report area that states it (None: the appendix only)
    order: int = 100  # place in its group and in its report section
    plan_phrase: str = ""  # 三、Y+1年工作计划: 力争 + phrase + target (default: name + 达到)
    decimals: int = 0
    help_text: str = ""
    tags: tuple[str, ...] = field(default=())
    # ``records``/``compute``/``breakdown`` accept ``end=`` (a day of the year): the figure can be
    # stated for part of a year (1 Jan – end). False for figures kept per year.
    dated: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            name, unit = NAMES[self.code]
            object.__setattr__(self, "name", name)
            object.__setattr__(self, "unit", self.unit or unit)

    @property
    def plan_wording(self) -> str:
        return self.plan_phrase or f"{self.name}达到"

    @property
    def dependencies(self) -> tuple[type[Model], ...]:
        return self.depends_on or (self.model,)

    def supports(self, end: datetime.date | None) -> bool:
        """Whether the figure can be stated for the period of its year ending on ``end``."""
        return end is None or self.dated or end == year_end(end.year)

    def _period(self, year: int, end: datetime.date | None) -> dict:
        """The keyword the declaration's callables take: none for a whole year (every indicator
        answers that), ``end=`` for part of one (only ``dated`` ones do)."""
        if end is None or end == year_end(year):
            return {}
        if end.year != year:
            raise ValueError(f"period end {end} is not in {year}")
        if not self.dated:
            raise PeriodNotSupported(f"{self.code} is kept per year; it cannot be stated as of {end}")
        return {"end": end}

    def records_for(self, year: int, end: datetime.date | None = None) -> QuerySet:
        """The records counted for ``year`` up to ``end`` (default 31 Dec)."""
        return self.records(year, **self._period(year, end))

    def breakdown_for(self, year: int, end: datetime.date | None = None) -> list[Breakdown]:
        if self.breakdown is None:
            return []
        return self.breakdown(year, **self._period(year, end))

    def value(self, year: int, end: datetime.date | None = None) -> Value:
        """The figure for ``year`` (up to ``end``, default 31 Dec): 0 over no records, ``None``
        only when an input is missing."""
        period = self._period(year, end)
        if self.compute is not None:
            return self.compute(year, **period)
        aggregate = self.aggregate if self.aggregate is not None else Count("pk")
        result = self.records(year, **period).aggregate(value=aggregate)["value"]
        return 0 if result is None else result

    def missing_inputs(self, year: int) -> list[tuple[str, str]]:
        """(label, url) of the inputs that must be entered before this figure exists."""
        if self.inputs is None:
            return []
        return [(label, url) for label, url, _ in self.missing_input_sources(year)]

    def missing_input_sources(self, year: int) -> list[tuple[str, str, tuple[type[Model], str] | None]]:
        """(label, url, (Model, field) or None) of the inputs that must be entered first."""
        if self.inputs is None:
            return []
        return [(i[0], i[2], i[3] if len(i) > 3 else None) for i in self.inputs(year) if not i[1]]

    @property
    def model(self):
        return self.records(2000).model


@dataclass(frozen=True)
class Series:
    """One indicator drawn in a dashboard chart."""

    code: str
    label: str = ""  # short legend text for a phone; default the indicator's name
    kind: str = "bar"  # ECharts series type: bar or line
    axis: int = 0  # 0: left axis, 1: right axis (another unit)


@dataclass(frozen=True)
class Chart:
    """A dashboard chart over an app's own indicators (``register_chart``), drawn by ``reports``:
    figures of several years (``series``), or the parts of one indicator's breakdown for the year
    (the first of ``breakdown_of`` that is registered with a breakdown)."""

    slug: str
    title: str
    order: int
    series: tuple[Series, ...] = ()
    breakdown_of: tuple[str, ...] = ()
    icon: str = "bi-bar-chart"
