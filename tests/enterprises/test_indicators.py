"""Enterprise indicators on a hand-built county: year boundaries, expiry, missing denominators,
and the drill-down list agreeing with the figure."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bureau.core.models import CountyYear
from bureau.indicators import NAMES
from bureau.records.urls import record_url
from bureau.registry import registry
from enterprises.indicators import EXTRA_NAMES
from enterprises.models import Certification, Need
from tests.enterprises.factories import (
    CertificationFactory,
    EnterpriseFactory,
    NeedFactory,
    TownFactory,
    YearlyStatisticFactory,
    tech_sme_type,
)

pytestmark = pytest.mark.django_db
D = datetime.date
S = Certification.State


def ind(code):
    return registry["indicators"][code]


@pytest.fixture
def county():
    """Five enterprises in two towns, with certificates around the 2023 year end."""
    nanma, lishan = TownFactory(name="南麻街道"), TownFactory(name="历山街道")
    e = {i: EnterpriseFactory(town=nanma if i in (1, 2, 5) else lishan) for i in range(1, 7)}
    e[6].town = None
    e[6].save()
    cert = CertificationFactory
    # 1: valid across 31 Dec 2023
    cert(enterprise=e[1], year=2021, issued_on=D(2021, 12, 15), expires_on=D(2024, 12, 14))
    # 2: expires 30 Dec 2023 -> not a high-tech enterprise at the end of 2023
    cert(enterprise=e[2], year=2020, issued_on=D(2020, 12, 31), expires_on=D(2023, 12, 30))
    # 3: issued on 31 Dec 2023 -> counts for 2023, and is new in 2023
    cert(enterprise=e[3], year=2023, issued_on=D(2023, 12, 31), expires_on=D(2026, 12, 30), applied_on=D(2023, 6, 1))
    # 4: applied in 2023, not yet certified; 5: rejected in 2023; 6: in the cultivation pool
    cert(enterprise=e[4], year=2023, state=S.APPLIED, certified_on=None, issued_on=None, expires_on=None)
    cert(enterprise=e[5], year=2023, state=S.REJECTED, certified_on=None, issued_on=None, expires_on=None)
    cert(enterprise=e[6], year=2023, state=S.CULTIVATING, certified_on=None, issued_on=None, expires_on=None)
    # 5 renewed in 2023 over an old certificate still valid: one enterprise, counted once
    cert(enterprise=e[5], year=2020, issued_on=D(2021, 1, 10), expires_on=D(2024, 1, 9))
    cert(enterprise=e[5], year=2022, issued_on=D(2023, 1, 5), expires_on=D(2026, 1, 4))
    # 2 renewed in January 2024: new in 2024, not in 2023
    cert(enterprise=e[2], year=2023, issued_on=D(2024, 1, 3), expires_on=D(2027, 1, 2))
    # tech-based SMEs: registered 2023 (1 and 4), 2022 (2), applied but not registered 2023 (3)
    sme = tech_sme_type()
    for enterprise, year, state in ((e[1], 2023, S.CERTIFIED), (e[4], 2023, S.CERTIFIED), (e[2], 2022, S.CERTIFIED)):
        cert(
            enterprise=enterprise,
            type=sme,
            year=year,
            state=state,
            issued_on=D(year, 5, 1),
            expires_on=D(year + 1, 4, 30),
        )
    cert(enterprise=e[3], type=sme, year=2023, state=S.APPLIED, certified_on=None, issued_on=None, expires_on=None)
    # statistics
    stat = YearlyStatisticFactory
    stat(
        enterprise=e[1],
        year=2023,
        rd_expenditure=Decimal("1800.5"),
        high_tech_output=Decimal("30000"),
        industrial_output=Decimal("50000"),
        patents_applied=12,
        patents_granted=8,
        invention_patents_granted=3,
        valid_invention_patents=10,
    )
    stat(
        enterprise=e[2],
        year=2023,
        rd_expenditure=Decimal("1199.5"),
        high_tech_output=Decimal("15000"),
        industrial_output=Decimal("20000"),
        patents_applied=5,
        patents_granted=2,
        invention_patents_granted=1,
        valid_invention_patents=15,
    )
    stat(
        enterprise=e[3],
        year=2023,
        rd_expenditure=None,
        high_tech_output=None,
        industrial_output=None,
        patents_applied=None,
        patents_granted=None,
        invention_patents_granted=None,
        valid_invention_patents=None,
    )
    stat(
        enterprise=e[4],
        year=2023,
        rd_expenditure=Decimal("0"),
        high_tech_output=Decimal("0"),
        industrial_output=Decimal("100"),
        patents_applied=1,
        patents_granted=0,
        invention_patents_granted=0,
        valid_invention_patents=0,
    )
    stat(
        enterprise=e[1],
        year=2022,
        rd_expenditure=Decimal("999"),
        patents_applied=40,
        patents_granted=30,
        invention_patents_granted=9,
        valid_invention_patents=7,
    )
    # needs
    NeedFactory(enterprise=e[1], collected_on=D(2023, 1, 1))
    NeedFactory(enterprise=e[2], collected_on=D(2023, 12, 31), state=Need.State.RESOLVED, resolved_on=D(2024, 1, 2))
    NeedFactory(enterprise=e[3], collected_on=D(2022, 12, 31), state=Need.State.RESOLVED, resolved_on=D(2023, 1, 5))
    NeedFactory(enterprise=e[4], collected_on=D(2023, 5, 5), state=Need.State.UNRESOLVED)
    # county base data: 2023 complete, 2022 without GDP or population, 2021 not entered
    CountyYear.objects.create(
        year=2023, gdp=Decimal("150"), population=Decimal("50"), industrial_output_above_scale=Decimal("90000")
    )
    CountyYear.objects.create(year=2022)
    return e


def test_names_and_units_are_the_fixed_ones():
    for code in ("high_tech_enterprises", "rd_intensity", "needs_resolved", "invention_patents_per_10k"):
        assert (ind(code).name, ind(code).unit) == NAMES[code]
    for code, (name, unit) in EXTRA_NAMES.items():
        assert (ind(code).name, ind(code).unit) == (name, unit)


def test_high_tech_enterprises_are_those_valid_on_31_december(county):
    e = county
    assert set(ind("high_tech_enterprises").records(2023)) == {e[1], e[3], e[5]}
    assert ind("high_tech_enterprises").value(2023) == 3
    # at the end of 2022: 1, 2 and 5 (old certificate); 3 not yet issued
    assert set(ind("high_tech_enterprises").records(2022)) == {e[1], e[2], e[5]}
    # at the end of 2024: 1 expired on 14 Dec; 2 (renewed), 3 and 5 (renewal) remain
    assert set(ind("high_tech_enterprises").records(2024)) == {e[2], e[3], e[5]}


def test_high_tech_applications_count_filed_applications_of_the_year(county):
    e = county
    assert {c.enterprise for c in ind("high_tech_applications").records(2023)} == {e[2], e[3], e[4], e[5]}
    assert ind("high_tech_applications").value(2023) == 4


def test_high_tech_new_counts_certificates_issued_in_the_year(county):
    e = county
    assert {c.enterprise for c in ind("high_tech_new").records(2023)} == {e[3], e[5]}
    assert {c.enterprise for c in ind("high_tech_new").records(2024)} == {e[2]}


def test_tech_smes_count_registrations_of_the_year(county):
    e = county
    assert {c.enterprise for c in ind("tech_smes").records(2023)} == {e[1], e[4]}
    assert ind("tech_smes").value(2022) == 1


def test_breakdown_by_town_adds_up(county):
    parts = {p.label: p.value for p in ind("high_tech_enterprises").breakdown(2023)}
    assert parts == {"南麻街道": 2, "历山街道": 1}
    parts_2024 = ind("high_tech_new").breakdown(2024)
    assert [(p.label, p.value, p.records.count()) for p in parts_2024] == [("南麻街道", 1, 1)]


def test_statistic_sums_cover_only_the_year(county):
    assert ind("rd_expenditure").value(2023) == Decimal("3000")
    assert ind("patents_applied").value(2023) == 18
    assert ind("patents_granted").value(2023) == 10
    assert ind("invention_patents_granted").value(2023) == 4
    assert ind("rd_enterprises").value(2023) == 2  # blank and zero R&D are not counted
    assert ind("rd_expenditure").value(2021) == 0


def test_rd_intensity_divides_by_gdp_in_wan(county):
    # 3000 万元 ÷ (150 亿元 = 1,500,000 万元) = 0.2 %
    assert ind("rd_intensity").value(2023) == Decimal("0.2")
    assert ind("rd_intensity").missing_inputs(2023) == []


def test_rd_intensity_is_missing_without_gdp(county):
    assert ind("rd_intensity").value(2022) is None
    assert ind("rd_intensity").value(2021) is None
    [(label, url)] = ind("rd_intensity").missing_inputs(2022)
    assert label == "2022年地区生产总值(亿元)"
    assert url == record_url(CountyYear.objects.get(year=2022), "edit")
    [(label, url)] = ind("rd_intensity").missing_inputs(2021)
    assert label == "2021年地区生产总值(亿元)"
    assert url == record_url(CountyYear, "add", year=2021)


def test_invention_patents_per_10k_people(county):
    # (10 + 15 + 0) valid invention patents ÷ 50 万人
    assert ind("invention_patents_per_10k").value(2023) == Decimal("0.5")
    assert ind("invention_patents_per_10k").value(2022) is None
    assert [label for label, _ in ind("invention_patents_per_10k").missing_inputs(2022)] == ["2022年常住人口(万人)"]


def test_high_tech_output_share(county):
    # (30000 + 15000 + 0) ÷ 90000 × 100
    assert ind("high_tech_output_share").value(2023) == Decimal("50")
    assert ind("high_tech_output_share").value(2021) is None


def test_needs_collected_and_resolved_by_their_own_dates(county):
    assert ind("needs_collected").value(2023) == 3
    assert ind("needs_resolved").value(2023) == 1
    assert ind("needs_resolved").value(2024) == 1


COUNTED = [
    "high_tech_enterprises",
    "high_tech_applications",
    "high_tech_new",
    "tech_smes",
    "rd_enterprises",
    "needs_collected",
    "needs_resolved",
]


@pytest.mark.parametrize("code", COUNTED)
def test_drill_down_list_count_equals_the_figure(staff_client, county, code):
    indicator = ind(code)
    url = record_url(indicator.model, "list")
    for year in (2022, 2023, 2024):
        response = staff_client.get(url, {"indicator": code, "year": year})
        assert response.context["total"] == indicator.value(year), (code, year)
    assert indicator.value(2023) > 0


@pytest.mark.parametrize("code", ["rd_expenditure", "patents_applied", "rd_intensity"])
def test_drill_down_of_a_sum_lists_the_summed_rows(staff_client, county, code):
    ind(code)
    response = staff_client.get(reverse("enterprises:yearlystatistic_list"), {"indicator": code, "year": 2023})
    assert response.context["total"] == 4
    assert {row.record.year for row in response.context["table"].rows} == {2023}


def test_drill_down_filter_form_keeps_the_indicator_year(staff_client, county):
    """The list's own 年度 filter is hidden in a drill-down, so 查询 keeps the indicator's year."""
    url = reverse("enterprises:need_list")
    page = staff_client.get(url, {"indicator": "needs_resolved", "year": 2023}).content.decode()
    assert page.count('name="year"') == 1
    assert '<input type="hidden" name="year" value="2023">' in page
    narrowed = staff_client.get(url, {"indicator": "needs_resolved", "year": 2023, "state": "resolved", "q": ""})
    assert narrowed.context["total"] == ind("needs_resolved").value(2023) == 1
