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
