"""Indicators of the enterprise records (names and units from ``bureau.indicators.NAMES``).

Each figure is ``records(year)`` aggregated, and the drill-down lists exactly ``records(year)``;
ratios name their county denominators (``CountyYear``) and are ``None`` while one is missing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.urls import NoReverseMatch, reverse

from bureau.core.models import CountyYear
from bureau.core.report import ENTERPRISE, IP, SERVICES
from bureau.formatting import yi_to_wan
from bureau.indicators import GROUP_ENTERPRISES, GROUP_IP, GROUP_SERVICES, Breakdown, Chart, Indicator, Series, Value
from bureau.records.urls import record_url
from bureau.registry import register_chart, register_indicator

from .models import Certification, CertificationType, Enterprise, Need, YearlyStatistic

# Indicators this app adds beyond DOMAIN.md's table, for the annual report: code -> (name, unit).
EXTRA_NAMES: dict[str, tuple[str, str]] = {
    "rd_enterprises": ("研发经费统计企业数", "家"),
    "high_tech_output_share": ("高新技术产业产值占比", "%"),
}


CERTIFIED = Certification.State.CERTIFIED
FILED_STATES = (Certification.State.APPLIED, Certification.State.CERTIFIED, Certification.State.REJECTED)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


# --- records ----------------------------------------------------------------------------------


def high_tech_certificates_valid(year: int, end: datetime.date | None = None) -> QuerySet[Certification]:
    """High-tech certificates in force on 31 Dec (or on ``end``): issued_on <= that day <= expires_on,
    certified.

    A certificate that expires on 30 Dec of Y does not count for Y.
    """
    end = end or year_end(year)
    return Certification.objects.filter(
        type__code=CertificationType.HIGH_TECH, state=CERTIFIED, issued_on__lte=end, expires_on__gte=end
    )


def high_tech_enterprises(year: int, end: datetime.date | None = None) -> QuerySet[Enterprise]:
    """Enterprises holding a valid high-tech certificate on 31 Dec of ``year`` (or on ``end``),
    each counted once."""
    return Enterprise.objects.filter(pk__in=high_tech_certificates_valid(year, end).values("enterprise"))


def high_tech_applications(year: int) -> QuerySet[Certification]:
    """High-tech applications of batch ``year``: certifications of 年度 Y that were filed, i.e. whose
    state is 已申报, 已认定 or 未通过 (培育库 entries were never filed).

    The 年度 field, not applied_on, decides the year: every ledger row has a 年度 while the
    application date is often blank. One row per enterprise, type and year, so this counts 家.
    """
    return Certification.objects.filter(type__code=CertificationType.HIGH_TECH, year=year, state__in=FILED_STATES)


def _in_year(field: str, year: int, end: datetime.date | None) -> dict:
    """``field`` from 1 Jan of ``year`` up to ``end`` (default 31 Dec)."""
    return {f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lte": end or year_end(year)}


def high_tech_new(year: int, end: datetime.date | None = None) -> QuerySet[Certification]:
    """High-tech certificates (first-time or renewed) issued in ``year`` (up to ``end``)."""
    return Certification.objects.filter(
        type__code=CertificationType.HIGH_TECH, state=CERTIFIED, **_in_year("issued_on", year, end)
    )


def tech_smes(year: int) -> QuerySet[Certification]:
    """Tech-based SMEs registered (评价入库, state 已认定) for ``year``: registration is yearly, so the
    年度 field is the year; one row per enterprise and year."""
    return Certification.objects.filter(type__code=CertificationType.TECH_SME, year=year, state=CERTIFIED)


def statistics(year: int) -> QuerySet[YearlyStatistic]:
    return YearlyStatistic.objects.filter(year=year)


def rd_enterprises(year: int) -> QuerySet[YearlyStatistic]:
    """Enterprises whose statistics of ``year`` report R&D expenditure above zero."""
    return YearlyStatistic.objects.filter(year=year, rd_expenditure__gt=0)


def needs_collected(year: int, end: datetime.date | None = None) -> QuerySet[Need]:
    return Need.objects.filter(**_in_year("collected_on", year, end))


def needs_resolved(year: int, end: datetime.date | None = None) -> QuerySet[Need]:
    return Need.objects.filter(state=Need.State.RESOLVED, **_in_year("resolved_on", year, end))


# --- county denominators ----------------------------------------------------------------------


def county_year(year: int) -> CountyYear | None:
    return CountyYear.objects.filter(year=year).first()


def county_year_url(year: int, row: CountyYear | None = None) -> str:
    """Where to enter the county's base data for ``year``: its edit page, else the add page."""
    try:
        if row is not None:
            return record_url(row, "edit")
        return record_url(CountyYear, "add", year=year)
    except NoReverseMatch:
        pass
    try:  # the record pages are not there yet: Django admin
        if row is not None:
            return reverse("admin:core_countyyear_change", args=[row.pk])
        return reverse("admin:core_countyyear_add") + f"?year={year}"
    except NoReverseMatch:
        return reverse("admin:index")


def _input(year: int, field: str) -> list[tuple]:
    row = county_year(year)
    label = "%(year)s年%(field)s" % {"year": year, "field": CountyYear._meta.get_field(field).verbose_name}
    present = row is not None and getattr(row, field) not in (None, 0)
    return [(label, present, county_year_url(year, row), (CountyYear, field))]


def _ratio(numerator: Decimal | int | None, denominator: Decimal | None, scale: Decimal) -> Value:
    if denominator in (None, 0):
        return None
    return Decimal(numerator or 0) / denominator * scale


def rd_intensity(year: int) -> Value:
    """研发经费支出 (万元) ÷ (GDP 亿元 × 10000) × 100, in %; None while GDP is missing."""
    row = county_year(year)
    gdp = yi_to_wan(row.gdp) if row is not None else None
    rd = statistics(year).aggregate(v=Sum("rd_expenditure"))["v"]
    return _ratio(rd, gdp, Decimal(100))


def invention_patents_per_10k(year: int) -> Value:
    """Valid invention patents of the enterprises ÷ resident population (万人); None while missing."""
    row = county_year(year)
    population = row.population if row is not None else None
    patents = statistics(year).aggregate(v=Sum("valid_invention_patents"))["v"]
    return _ratio(patents, population, Decimal(1))


def high_tech_output_share(year: int) -> Value:
    """高新技术产业产值 ÷ 规上工业总产值 × 100 (both 万元); None while the county figure is missing."""
    row = county_year(year)
    output = row.industrial_output_above_scale if row is not None else None
    high_tech = statistics(year).aggregate(v=Sum("high_tech_output"))["v"]
    return _ratio(high_tech, output, Decimal(100))


# --- breakdowns -------------------------------------------------------------------------------

NO_TOWN = "未填乡镇"


def _by_town(qs: QuerySet, town_path: str) -> list[Breakdown]:
    rows = (
        qs.order_by()
        .values(f"{town_path}_id", f"{town_path}__name", f"{town_path}__order")
        .annotate(n=Count("pk"))
        .order_by(f"{town_path}__order", f"{town_path}__name")
    )
    parts = []
    for row in rows:
        town_id = row[f"{town_path}_id"]
        part = qs.filter(**{f"{town_path}__isnull": True} if town_id is None else {f"{town_path}_id": town_id})
        parts.append(Breakdown(label=row[f"{town_path}__name"] or NO_TOWN, value=row["n"], records=part))
    return parts


def high_tech_enterprises_by_town(year: int, end: datetime.date | None = None) -> list[Breakdown]:
    return _by_town(high_tech_enterprises(year, end), "town")


def high_tech_new_by_town(year: int, end: datetime.date | None = None) -> list[Breakdown]:
    return _by_town(high_tech_new(year, end), "enterprise__town")


# --- registration -----------------------------------------------------------------------------

register_indicator(
    Indicator(
        code="high_tech_enterprises",
        dated=True,
        records=high_tech_enterprises,
        breakdown=high_tech_enterprises_by_town,
        depends_on=(Enterprise, Certification),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=10,
        plan_phrase="国家高新技术企业总数达到",
        help_text="截至当年12月31日持有有效国家高新技术企业证书的企业（发证日期≤12月31日≤有效期至）。",
    )
)
register_indicator(
    Indicator(
        code="high_tech_applications",
        records=high_tech_applications,
        depends_on=(Certification,),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=11,
        plan_phrase="申报高新技术企业",
        help_text="年度为当年、状态为已申报/已认定/未通过的国家高新技术企业资质记录（培育库不计）。",
    )
)
register_indicator(
    Indicator(
        code="high_tech_new",
        dated=True,
        records=high_tech_new,
        breakdown=high_tech_new_by_town,
        depends_on=(Certification, Enterprise),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=12,
        plan_phrase="新认定高新技术企业",
        help_text="发证日期在当年的已认定国家高新技术企业证书（首次认定和重新认定）。",
    )
)
register_indicator(
    Indicator(
        code="tech_smes",
        records=tech_smes,
        depends_on=(Certification,),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=13,
        plan_phrase="科技型中小企业评价入库",
        help_text="年度为当年、状态为已认定的科技型中小企业评价入库记录。",
    )
)
register_indicator(
    Indicator(
        code="rd_expenditure",
        records=statistics,
        aggregate=Sum("rd_expenditure"),
        depends_on=(YearlyStatistic,),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=21,
        plan_phrase="全社会研发经费支出达到",
        decimals=2,
        help_text="当年企业年度统计中研发经费支出之和。",
    )
)
register_indicator(
    Indicator(
        code="rd_enterprises",
        name=EXTRA_NAMES["rd_enterprises"][0],
        unit=EXTRA_NAMES["rd_enterprises"][1],
        records=rd_enterprises,
        depends_on=(YearlyStatistic,),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=20,
        plan_phrase="研发经费统计企业达到",
        help_text="当年年度统计中研发经费支出大于0的企业数。",
    )
)
register_indicator(
    Indicator(
        code="rd_intensity",
        records=statistics,
        compute=rd_intensity,
        inputs=lambda year: _input(year, "gdp"),
        depends_on=(YearlyStatistic, CountyYear),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=22,
        plan_phrase="研发投入强度达到",
        decimals=2,
        help_text="研发经费支出 ÷ 地区生产总值（亿元折合万元）× 100%。",
    )
)
register_indicator(
    Indicator(
        code="high_tech_output_share",
        name=EXTRA_NAMES["high_tech_output_share"][0],
        unit=EXTRA_NAMES["high_tech_output_share"][1],
        records=statistics,
        compute=high_tech_output_share,
        inputs=lambda year: _input(year, "industrial_output_above_scale"),
        depends_on=(YearlyStatistic, CountyYear),
        group=GROUP_ENTERPRISES,
        section=ENTERPRISE,
        order=23,
        plan_phrase="高新技术产业产值占比达到",
        decimals=2,
        help_text="企业高新技术产业产值之和 ÷ 规上工业总产值 × 100%。",
    )
)
register_indicator(
    Indicator(
        code="patents_applied",
        records=statistics,
        aggregate=Sum("patents_applied"),
        depends_on=(YearlyStatistic,),
        group=GROUP_IP,
        section=IP,
        order=30,
        plan_phrase="专利申请量达到",
        help_text="当年企业年度统计中专利申请量之和。",
    )
)
register_indicator(
    Indicator(
        code="patents_granted",
        records=statistics,
        aggregate=Sum("patents_granted"),
        depends_on=(YearlyStatistic,),
        group=GROUP_IP,
        section=IP,
        order=31,
        plan_phrase="专利授权量达到",
        help_text="当年企业年度统计中专利授权量之和。",
    )
)
register_indicator(
    Indicator(
        code="invention_patents_granted",
        records=statistics,
        aggregate=Sum("invention_patents_granted"),
        depends_on=(YearlyStatistic,),
        group=GROUP_IP,
        section=IP,
        order=32,
        plan_phrase="发明专利授权",
        help_text="当年企业年度统计中发明专利授权量之和。",
    )
)
register_indicator(
    Indicator(
        code="invention_patents_per_10k",
        records=statistics,
        compute=invention_patents_per_10k,
        inputs=lambda year: _input(year, "population"),
        depends_on=(YearlyStatistic, CountyYear),
        group=GROUP_IP,
        section=IP,
        order=33,
        plan_phrase="每万人有效发明专利拥有量达到",
        decimals=2,
        help_text="企业有效发明专利数之和 ÷ 常住人口（万人）。",
    )
)
register_indicator(
    Indicator(
        code="needs_collected",
        dated=True,
        records=needs_collected,
        depends_on=(Need,),
        group=GROUP_SERVICES,
        section=SERVICES,
        order=40,
        plan_phrase="征集企业技术和人才需求",
        help_text="征集日期在当年的企业需求。",
    )
)
register_indicator(
    Indicator(
        code="needs_resolved",
        dated=True,
        records=needs_resolved,
        depends_on=(Need,),
        group=GROUP_SERVICES,
        section=SERVICES,
        order=41,
        plan_phrase="解决企业技术难题",
        help_text="状态为已解决且解决日期在当年的企业需求。",
    )
)

register_chart(
    Chart(
        "high_tech",
        "国家高新技术企业",
        20,
        (Series("high_tech_enterprises", "高企总数"), Series("high_tech_new", "当年新认定", kind="line")),
        icon="bi-award",
    )
)
register_chart(
    Chart(
        "rd",
        "研发经费与研发投入强度",
        30,
        (Series("rd_expenditure", "研发经费支出"), Series("rd_intensity", "研发投入强度", kind="line", axis=1)),
        icon="bi-graph-up-arrow",
    )
)
register_chart(
    Chart(
        "needs",
        "企业技术需求征集与解决",
        40,
        (Series("needs_collected", "征集需求"), Series("needs_resolved", "解决难题")),
        icon="bi-chat-square-dots",
    )
)
