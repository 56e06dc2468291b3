"""The leader's dashboard in Chromium, desktop and phone: cards, charts, drill-down by click."""

import datetime
import random
from decimal import Decimal

import pytest

from bureau.core.models import Activity
from enterprises.models import Need
from tests.browser.conftest import SCREENSHOTS
from tests.core.factories import ActivityFactory, AnnualTargetFactory, CountyYearFactory
from tests.enterprises.factories import (
    CertificationFactory,
    EnterpriseFactory,
    NeedFactory,
    YearlyStatisticFactory,
)
from tests.factories import load_all_factories
from tests.talent.factories import PlatformFactory, PlatformTypeFactory, TalentSelectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
YEAR = 2019
YEARS = range(2014, YEAR + 1)


def county_data():
    """A small county over six years, growing a little each year, with targets for the last one."""
    rng = random.Random(2019)
    enterprises = EnterpriseFactory.create_batch(24)
    types = [
        PlatformTypeFactory(code=code, name=name)
        for code, name in (
            ("academician_workstation", "院士工作站"),
            ("key_lab", "重点实验室"),
            ("engineering_center", "工程技术研究中心"),
        )
    ]
    for i, year in enumerate(YEARS):
        grow = 1 + i
        CountyYearFactory(year=year, gdp=Decimal(180 + 12 * i), population=Decimal("48.6"))
        for _ in range(2 + grow):
            ActivityFactory(kind=Activity.Kind.TRAINING, held_on=datetime.date(year, rng.randint(1, 12), 10))
        for e in enterprises[: 8 + 2 * grow]:
            YearlyStatisticFactory(enterprise=e, year=year)
        for e in rng.sample(enterprises, 2 + i):
            issued = datetime.date(year, 11, 28)
            CertificationFactory(enterprise=e, year=year, certified_on=issued, issued_on=issued)
        for n in range(4 + 2 * i):
            resolved = n % 3 != 0
            NeedFactory(
                enterprise=rng.choice(enterprises),
                collected_on=datetime.date(year, rng.randint(1, 6), 1),
                state=Need.State.RESOLVED if resolved else Need.State.IN_PROGRESS,
                resolved_on=datetime.date(year, rng.randint(7, 12), 1) if resolved else None,
            )
        for n in range(1 + i // 2):
            PlatformFactory(
                type=types[n % 3],
                level=("provincial", "city", "county")[(n + i) % 3],
                host_enterprise=rng.choice(enterprises),
                year=year,
                applied_on=datetime.date(year, 3, 1),
                certified_on=datetime.date(year, 9, 1),
            )
        TalentSelectionFactory.create_batch(1 + i // 2, year=year)
    for label, make in load_all_factories().items():
        if label.startswith("programs."):
            make.create_batch(6)
    CountyYearFactory._meta.model.objects.filter(year=YEAR).update(population=None)  # one ratio left 缺失
    for code, target in (
        ("trainings", 9),
        ("high_tech_enterprises", 30),
        ("needs_resolved", 12),
        ("rd_expenditure", 9000),
    ):
        AnnualTargetFactory(year=YEAR, indicator=code, target=Decimal(target))


def test_leader_reads_the_dashboard_on_desktop_and_clicks_through(page, live_server, login, shot):
    county_data()
    login(page, "leader")
    page.goto(f"{live_server.url}/?year={YEAR}")
    page.wait_for_selector("#chart-projects[data-ready], #chart-high_tech[data-ready]")
    page.wait_for_timeout(600)  # the charts' entry animation
    shot(page, "dashboard-desktop")
    assert page.locator(".kpi-card").count() >= 24
    missing = page.locator('.kpi-card[data-indicator="invention_patents_per_10k"]')
    assert "缺失" in missing.inner_text()
    # A card opens the records it counted.
    trainings = page.locator('.kpi-card[data-indicator="trainings"]')
    figure = trainings.locator(".kpi-value").inner_text()
    trainings.locator("a.kpi-value").click()
    page.wait_for_selector("text=按指标查看")
    assert f"{figure} 条" in page.locator("h1").inner_text()
    shot(page, "dashboard-drilldown")
    # A chart bar opens the records of its year.
    page.go_back()
    page.wait_for_selector("#chart-needs[data-ready]")
    page.locator("#chart-needs").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """() => {
          const el = document.getElementById('chart-needs');
          const chart = echarts.getInstanceByDom(el);
          const data = chart.getModel().getSeriesByIndex(0).getData();
          const bar = data.getItemLayout(data.count() - 1);  // the selected year's bar
          const box = el.getBoundingClientRect();
          return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_selector("text=按指标查看")
    assert f"{YEAR}年 征集企业需求数" in page.inner_text("main")


def test_leader_reads_the_dashboard_on_a_phone(phone_page, live_server, login, shot):
    county_data()
    login(phone_page, "leader")
    phone_page.goto(f"{live_server.url}/?year={YEAR}")
    phone_page.wait_for_selector("#chart-needs[data-ready]")
    phone_page.wait_for_timeout(600)
    shot(phone_page, "dashboard-phone")
    shot(phone_page, "dashboard-phone-top", full_page=False)
    phone_page.click(".dash-nav >> text=图表")
    phone_page.wait_for_timeout(400)
    phone_page.locator("section[aria-labelledby=dash-charts-title]").screenshot(
        path=str(SCREENSHOTS / "dashboard-phone-charts.png")
    )
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    cards = phone_page.locator(".kpi-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert second["x"] > first["x"] and first["width"] >= 150  # two readable cards a row
    chart = phone_page.locator("#chart-projects canvas, #chart-high_tech canvas").first.bounding_box()
    assert chart["width"] <= 390
