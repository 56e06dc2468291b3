"""Factories and a hand-built data set for the annual report.

``fake_indicators`` swaps the registry's indicators, for one test, for indicators with the real
codes computed over core ``Activity`` rows (title ``<code>:…``, breakdown by ``location``, money in
``funds``) and ``CountyYear`` (the GDP input of 研发投入强度), so every figure of a test is built
by hand and the sentences can be checked against it whatever the other apps define.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
import pytest
from django.db.models import Count, Sum

from bureau.core.models import Activity, AnnualTarget, CountyYear
from bureau.indicators import NAMES, Breakdown, Indicator
from bureau.records.urls import record_url
from bureau.registry import registry
from reports.models import AnnualReport, CityRanking
from tests.factories import register_factory

YEAR = 2019


@register_factory
class AnnualReportFactory(factory.django.DjangoModelFactory):
    kind = "annual"
    year = factory.Sequence(lambda n: 2000 + n % 100)  # stays a valid year (≤ 2100) however many tests ran
    opening = "近年来，县科技局在县委、县政府正确领导下，深入实施创新驱动发展战略，全县科技工作取得了较好成绩。"
    problems = "（一）企业创新意识不强\n个别企业研发投入不足，创新能力不够。\n（二）高层次人才引进乏力\n引人难、留人难现象比较突出。"
    plan_intro = "坚定实施创新驱动发展战略，着力培育企业创新主体。"
    plan_talent = "进一步密切与高校、科研院所的合作关系。"
    closing = "我们将以更加务实的作风，为全县高质量发展提供科技支撑。"

    class Meta:
        model = AnnualReport
        django_get_or_create = ("kind", "year")


@register_factory
class CityRankingFactory(factory.django.DjangoModelFactory):
    indicator = "funds_approved"  # a code of the real registry
    year = factory.Sequence(lambda n: 2000 + n % 100)
    rank = 1
    out_of = 8
    subject = factory.Sequence(lambda n: f"争取资金{n}")
    source = "市科技局年度考核通报"

    class Meta:
        model = CityRanking


def _records(code: str):
    def records(year: int):
        return Activity.objects.filter(title__startswith=f"{code}:", held_on__year=year)

    return records


def _by_location(code: str, money: bool):
    def breakdown(year: int) -> list[Breakdown]:
        qs = _records(code)(year)
        rows = qs.values("location").annotate(v=Sum("funds") if money else Count("pk")).order_by("location")
        return [
            Breakdown(label=r["location"], value=r["v"] or 0, records=qs.filter(location=r["location"]))
            for r in rows
            if r["location"]
        ]

    return breakdown


def _rd_intensity(year: int):
    row = CountyYear.objects.filter(year=year).first()
    if row is None or row.gdp is None:
        return None
    rd = _records("rd_expenditure")(year).aggregate(v=Sum("funds"))["v"] or Decimal(0)
    return rd / (row.gdp * 10000) * 100


def _gdp_input(year: int):
    row = CountyYear.objects.filter(year=year).first()
    present = row is not None and row.gdp is not None
    return [("地区生产总值", present, record_url(CountyYear, "add", year=year))]


MONEY = {"funds_approved", "county_funds_paid", "rd_expenditure"}
BROKEN_DOWN = {"applications_recommended", "applications_approved", "funds_approved", "platforms_new", "awards"}


REAL: dict[str, Indicator] = {}  # the apps' indicators, while a test swaps them for stand-ins


def _placed(code: str) -> dict:
    """Where the app's real indicator sits (dashboard group, report section, order, plan phrase)."""
    real = REAL.get(code) or registry["indicators"].get(code)
    if real is None:
        return {}
    return {
        "group": real.group,
        "section": real.section,
        "order": real.order,
        "plan_phrase": real.plan_phrase,
        "tags": real.tags,
    }


def make_fake_indicators() -> dict[str, Indicator]:
    fakes = {}
    for code, (name, unit) in NAMES.items():
        if code == "rd_intensity":
            fakes[code] = Indicator(
                code=code,
                name=name,
                unit=unit,
                records=_records("rd_expenditure"),
                compute=_rd_intensity,
                inputs=_gdp_input,
                decimals=2,
                depends_on=(Activity, CountyYear),
                **_placed(code),
            )
            continue
        money = code in MONEY
        fakes[code] = Indicator(
            code=code,
            name=name,
            unit=unit,
            records=_records(code),
            aggregate=Sum("funds") if money else None,
            breakdown=_by_location(code, money) if code in BROKEN_DOWN else None,
            decimals=2 if money else 0,
            **_placed(code),
        )
    return fakes


@pytest.fixture
def fake_indicators():
    store = registry["indicators"]
    saved = dict(store)
    REAL.update(saved)
    store.clear()
    store.update(make_fake_indicators())
    yield store
    store.clear()
    store.update(saved)


def add(code: str, n: int = 1, *, year: int = YEAR, location: str = "", funds=None, title: str = "") -> list[Activity]:
    """``n`` records counted by the fake indicator ``code`` in ``year``."""
    return [
        Activity.objects.create(
            title=f"{code}:{title or f'第{i + 1}项'}",
            kind=Activity.Kind.EVENT,
            held_on=datetime.date(year, 6, 1),
            location=location,
            funds=None if funds is None else Decimal(str(funds)),
        )
        for i in range(n)
    ]


def target(code: str, value, year: int = YEAR) -> AnnualTarget:
    return AnnualTarget.objects.create(year=year, indicator=code, target=Decimal(str(value)))


def complete_inputs(year: int = YEAR, gdp="125.5") -> None:
    """What records cannot supply: GDP of the year and the one before, and next year's targets."""
    for y in (year - 1, year):
        CountyYear.objects.update_or_create(year=y, defaults={"gdp": Decimal(gdp), "population": Decimal("55.2")})
    target("platforms_new", 3, year + 1)
    target("applications_approved", 10, year + 1)
