"""The county ledgers (DOMAIN.md "Excel ledgers"): 县域基础数据, 年度目标."""

from __future__ import annotations

from bureau.indicators import NAMES
from bureau.ledgers.columns import Choice, Ledger, Number, Year
from bureau.registry import register_ledger, registry

from .models import AnnualTarget, CountyYear
from .services import annual_target_reset_signoff


@register_ledger
class CountyYearLedger(Ledger):
    slug = "county-years"
    name = "县域基础数据"
    model = CountyYear
    columns = (
        Year("年度", "year", required=True, example=2019),
        Number("地区生产总值(亿元)", "gdp", units=("亿元", "亿"), example=152.36),
        Number("常住人口(万人)", "population", units=("万人", "万"), example=52.8),
        Number("规上工业总产值(万元)", "industrial_output_above_scale", units=("万元",), example=1865000),
    )
    key = ("year",)
    notes = ("每年一行；地区生产总值以亿元、常住人口以万人、规上工业总产值以万元为单位。",)


class IndicatorChoice(Choice):
    """指标 by its fixed Chinese name (bureau.indicators.NAMES); the record keeps the code."""

    def choices(self):
        registered = registry["indicators"]
        if registered:
            ordered = sorted(registered.values(), key=lambda i: (i.order, i.code))
            return [(i.code, str(NAMES.get(i.code, (i.name,))[0])) for i in ordered]
        return [(code, name) for code, (name, _unit) in NAMES.items()]


@register_ledger
class AnnualTargetLedger(Ledger):
    slug = "targets"
    name = "年度目标"
    model = AnnualTarget
    columns = (
        Year("年度", "year", required=True, example=2020),
        IndicatorChoice("指标", "indicator", required=True, example="新认定高新技术企业数"),
        Number("目标值", "target", required=True, example=10),
    )
    key = ("year", "indicator")
    computed_fields = ("signed_off_by", "signed_off_at")
    notes = ("每个年度、每个指标一行；指标名称须与系统中的指标名称一致（见下拉列表）。修改过的目标需重新签核。",)

    @classmethod
    def complete(cls, obj, ctx, before):
        # The same rule as annual_target_update: a changed figure needs a new sign-off.
        annual_target_reset_signoff(obj, before=before)
