"""The leaders' dashboard: figures with targets and change, missing inputs, drill-down, query count."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bureau.core.models import Activity, CountyYear
from bureau.records.urls import record_url
from bureau.registry import registry
from reports.selectors import indicator_table
from tests.core.factories import ActivityFactory, AnnualTargetFactory, CountyYearFactory
from tests.enterprises.factories import CertificationFactory, NeedFactory, YearlyStatisticFactory
from tests.factories import load_all_factories
from tests.talent.factories import PlatformFactory, PlatformTypeFactory

pytestmark = pytest.mark.django_db
DASHBOARD = "/reports/dashboard/"
TRAINING = Activity.Kind.TRAINING


def trainings(year: int, n: int, **kwargs):
    return [ActivityFactory(kind=TRAINING, held_on=datetime.date(year, 3 + i % 9, 10), **kwargs) for i in range(n)]


def row(year: int, code: str):
    return next(r for r in indicator_table(year=year) if r.code == code)


def card(page: str, code: str) -> str:
    """The HTML of one KPI card."""
    match = re.search(rf'data-indicator="{code}".*?(?=data-indicator="|<section|\Z)', page, re.S)
    assert match, f"no card for {code}"
    return match.group(0)


def chart(response, slug: str) -> dict:
    """A chart's data as the page hands it to ECharts."""
    data = re.search(r'id="dash-charts"[^>]*>(.*?)</script>', response.content.decode(), re.S).group(1)
    return next(c for c in json.loads(data) if c["slug"] == slug)


@pytest.mark.parametrize("url", ["/", DASHBOARD])
def test_leader_reads_every_indicator_on_the_dashboard(leader_client, url):
    response = leader_client.get(url, {"year": 2019})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2019年科技工作看板" in page
    for indicator in registry["indicators"].values():
        assert f'data-indicator="{indicator.code}"' in page
        assert str(indicator.name) in card(page, indicator.code)


def test_completion_is_the_actual_figure_over_the_target(leader_client):
    trainings(2019, 3)
    AnnualTargetFactory(year=2019, indicator="trainings", target=Decimal(4))
    r = row(2019, "trainings")
    assert (r.value, r.target, r.completion) == (3, Decimal(4), Decimal(75))
    html = card(leader_client.get(DASHBOARD, {"year": 2019}).content.decode(), "trainings")
    assert "目标 4" in html and "75%" in html


def test_a_figure_above_its_target_completes_over_100_percent(leader_client):
    trainings(2019, 5)
    AnnualTargetFactory(year=2019, indicator="trainings", target=Decimal(4))
    assert row(2019, "trainings").completion == Decimal(125)
    html = card(leader_client.get(DASHBOARD, {"year": 2019}).content.decode(), "trainings")
    assert "125%" in html and "bg-success" in html


def test_without_a_target_there_is_no_completion(leader_client):
    trainings(2019, 2)
    AnnualTargetFactory(year=2019, indicator="trainings", target=Decimal(0))
    assert row(2019, "trainings").completion is None
    assert row(2019, "needs_collected").target is None
    assert "未设年度目标" in card(leader_client.get(DASHBOARD, {"year": 2019}).content.decode(), "needs_collected")


def test_change_on_the_previous_year(leader_client):
    trainings(2018, 4)
    trainings(2019, 5)
    r = row(2019, "trainings")
    assert (r.previous, r.change, r.change_percent) == (4, Decimal(1), Decimal(25))
    assert "较上年 +1（+25%）" in card(leader_client.get(DASHBOARD, {"year": 2019}).content.decode(), "trainings")


def test_a_ratio_without_its_denominator_is_missing_not_zero(admin_client_):
    YearlyStatisticFactory(year=2019, rd_expenditure=Decimal(3000))
    r = row(2019, "rd_intensity")
    assert r.value is None and r.is_missing and r.missing
    page = admin_client_.get(DASHBOARD, {"year": 2019}).content.decode()
    html = card(page, "rd_intensity")
    assert "缺失" in html and "去录入" in html
    assert re.search(r'class="kpi-value[^"]*">0<', html) is None
    enter_url = r.missing[0][1]
    assert enter_url.startswith(record_url(CountyYear, "add")) or "/edit/" in enter_url
    assert admin_client_.get(enter_url).status_code == 200


def test_a_ratio_is_computed_once_its_denominator_is_entered():
    YearlyStatisticFactory(year=2019, rd_expenditure=Decimal(3000))
    CountyYearFactory(year=2019, gdp=Decimal(150), population=Decimal(50))
    r = row(2019, "rd_intensity")
    assert r.value == Decimal(3000) / Decimal(1_500_000) * 100 and not r.missing


def test_leader_sees_missing_data_without_an_entry_link(leader_client):
    page = leader_client.get(DASHBOARD, {"year": 2019}).content.decode()
    assert "缺失" in card(page, "rd_intensity")
    assert "去录入" not in page and "请管理员录入2019年县域基础数据" in page


def test_each_card_links_to_the_records_behind_its_figure(leader_client):
    trainings(2019, 3)
    trainings(2018, 2)
    page = leader_client.get(DASHBOARD, {"year": 2019}).content.decode()
    url = record_url(Activity, "list", indicator="trainings", year=2019)
    assert f'href="{url.replace("&", "&amp;")}"' in card(page, "trainings")
    assert leader_client.get(url).context["total"] == 3


def test_drilldown_list_counts_equal_the_counted_figures(leader_client):
    """Every counting indicator, over a data set of every record type: the list has as many rows."""
    factories = load_all_factories()
    for make in factories.values():
        make.create_batch(3)
    checked = 0
    for r in indicator_table(year=2019):
        indicator = registry["indicators"][r.code]
        if indicator.aggregate is not None or indicator.compute is not None or r.url is None:
            continue
        listing = leader_client.get(r.url)
        assert listing.status_code == 200, r.code
        assert listing.context["total"] == r.value, r.code
        checked += r.value > 0
    assert checked >= 5  # the data set really exercised several indicators


def test_chart_bars_link_to_the_records_of_their_year(leader_client):
    NeedFactory.create_batch(2, collected_on=datetime.date(2018, 5, 1))
    NeedFactory.create_batch(3, collected_on=datetime.date(2019, 5, 1))
    response = leader_client.get(DASHBOARD, {"year": 2019})
    needs = chart(response, "needs")
    collected = next(s for s in needs["series"] if s["code"] == "needs_collected")
    by_year = dict(zip(needs["categories"], zip(collected["values"], collected["urls"], strict=True), strict=True))
    for label, expected in (("2018年", 2), ("2019年", 3)):
        value, url = by_year[label]
        assert value == expected
        assert leader_client.get(url).context["total"] == expected


def test_a_breakdown_bar_links_to_the_records_of_that_part(leader_client):
    workstation, lab = (PlatformTypeFactory(code="academician_workstation"), PlatformTypeFactory(code="key_lab"))
    PlatformFactory.create_batch(2, type=workstation, level="provincial", certified_on=datetime.date(2019, 6, 1))
    PlatformFactory(type=lab, level="city", certified_on=datetime.date(2019, 8, 1))
    platforms = chart(leader_client.get(DASHBOARD, {"year": 2019}), "platforms")
    bars = platforms["series"][0]
    assert sum(bars["values"]) == 3
    for value, url in zip(bars["values"], bars["urls"], strict=True):
        listing = leader_client.get(url)
        assert listing.context["total"] == value
        assert listing.context["indicator_part"] in platforms["categories"]


def test_a_record_write_shows_on_the_next_dashboard_view(leader_client, staff_client):
    trainings(2019, 2)
    assert row(2019, "trainings").value == 2
    response = staff_client.post(
        record_url(Activity, "add"),
        {"title": "科技特派员培训班", "kind": TRAINING, "held_on": "2019-09-09", "participants": 40},
    )
    assert response.status_code == 302
    assert row(2019, "trainings").value == 3
    assert 'data-indicator="trainings"' in leader_client.get(DASHBOARD, {"year": 2019}).content.decode()
    assert re.search(r">3</a>", card(leader_client.get(DASHBOARD, {"year": 2019}).content.decode(), "trainings"))


def build_data(n: int):
    """n of each kind of record the charts and cards count, spread over two years."""
    for i in range(n):
        year = 2018 + i % 2
        ActivityFactory(kind=TRAINING, held_on=datetime.date(year, 5, 1))
        YearlyStatisticFactory(year=year)
        NeedFactory(collected_on=datetime.date(year, 4, 1))
        PlatformFactory(certified_on=datetime.date(year, 7, 1), level=("provincial", "city")[i % 2])
    for label, make in load_all_factories().items():
        if label not in ("core.countyyear", "core.annualtarget"):  # which inputs are missing stays fixed
            make.create_batch(n // 5)
    CountyYearFactory(year=2019)
    AnnualTargetFactory(year=2019, indicator="trainings", target=Decimal(10))


def test_dashboard_query_count_is_the_same_for_ten_times_the_data(leader_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 50):
        build_data(n)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert leader_client.get(DASHBOARD, {"year": 2019}).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert leader_client.get(DASHBOARD, {"year": 2019}).status_code == 200
        counts.append((len(cold), len(warm)))
    assert counts[0] == counts[1], counts
    cold, warm = counts[0]
    assert warm < cold  # a warm cache serves every figure without a query


def test_the_dashboard_opens_on_the_latest_year_with_targets_or_base_data(leader_client):
    this_year = timezone.localdate().year
    AnnualTargetFactory(year=this_year - 3, indicator="trainings", target=Decimal(5))
    CountyYearFactory(year=this_year - 2)
    AnnualTargetFactory(year=this_year + 1, indicator="trainings", target=Decimal(5))  # next year's plan
    response = leader_client.get(DASHBOARD)
    assert response.context["year"] == this_year - 2


def test_an_invalid_year_falls_back_to_the_default(leader_client):
    response = leader_client.get(DASHBOARD, {"year": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_reminders_show_on_the_home_page_soonest_first(staff_client):
    today = timezone.localdate()
    later = CertificationFactory(
        issued_on=today - datetime.timedelta(days=900), expires_on=today + datetime.timedelta(days=90)
    )
    sooner = CertificationFactory(
        issued_on=today - datetime.timedelta(days=1000), expires_on=today + datetime.timedelta(days=10)
    )
    page = staff_client.get(reverse("home")).content.decode()
    assert "我的待办" in page and "高企重新认定" in page
    assert page.index(str(sooner.enterprise)) < page.index(str(later.enterprise))


def test_a_record_write_recomputes_only_the_figures_over_its_table(leader_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_data(5)
    leader_client.get(DASHBOARD, {"year": 2019})  # every figure computed and cached
    ActivityFactory(kind=TRAINING, held_on=datetime.date(2019, 10, 1))
    with CaptureQueriesContext(connection) as after_write:
        page = leader_client.get(DASHBOARD, {"year": 2019}).content.decode()
    figures = [q["sql"] for q in after_write.captured_queries if 'AS "value"' in q["sql"]]  # indicator aggregates
    over_activities = [i for i in registry["indicators"].values() if i.compute is None and i.model is Activity]
    # Each indicator counted over activities (培训班期数 and any other), for 2019 and 2018; nothing else.
    assert len(figures) == 2 * len(over_activities) and all('FROM "core_activity"' in q for q in figures)
    held = Activity.objects.filter(kind=TRAINING, held_on__year=2019).count()
    assert re.search(rf">{held}</a>", card(page, "trainings"))  # this one included
