"""Indicators on hand-built data: year boundaries, levels, states; drill-down and breakdown agree."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bureau.indicators import NAMES
from bureau.registry import registry
from programs.models import Achievement, Application, Level
from tests.programs.factories import (
    AchievementFactory,
    ApplicationFactory,
    AwardFactory,
    ProgramFactory,
    RewardFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status
CODES = [
    "applications_recommended",
    "applications_approved",
    "funds_approved",
    "county_funds_paid",
    "achievements_transformed",
    "awards",
]


def indicator(code):
    return registry["indicators"][code]


@pytest.mark.parametrize("code", CODES)
def test_programs_declare_the_standard_indicators_with_their_fixed_names(code):
    assert (indicator(code).name, indicator(code).unit) == NAMES[code]


@pytest.fixture
def county_2019():
    """Two upper-level programs, one county program; applications around the 2019/2020 boundary."""
    provincial = ProgramFactory(name="省重点研发计划(科技创新类)", level=Level.PROVINCIAL)
    city = ProgramFactory(name='市"双十"计划', level=Level.CITY)
    county = ProgramFactory(name="县科技计划", level=Level.COUNTY)

    def app(program, status, recommended_on=None, approved_on=None, amount=None, year=2019):
        return ApplicationFactory(
            program=program,
            status=status,
            recommended_on=recommended_on,
            approved_on=approved_on,
            approved_amount=amount,
            year=year,
        )

    d = datetime.date
    # recommended in 2019: three provincial (one approved 2019, one rejected, one approved on 1 Jan 2020), one city
    app(provincial, S.APPROVED, d(2019, 4, 1), d(2019, 12, 31), Decimal("80"))
    app(provincial, S.REJECTED, d(2019, 4, 1))
    app(provincial, S.IN_PROGRESS, d(2019, 12, 31), d(2020, 1, 1), Decimal("55.5"))
    app(city, S.ACCEPTED, d(2019, 1, 1), d(2019, 6, 1), Decimal("20.25"))
    # recommended 1 Jan 2020: counts for 2020 only
    app(city, S.RECOMMENDED, d(2020, 1, 1))
    # a county program is not 上级: never counted
    app(county, S.APPROVED, d(2019, 5, 1), d(2019, 8, 1), Decimal("10"))
    # still at the county: not recommended
    app(provincial, S.COUNTY_REVIEW)
    app(provincial, S.DRAFT)
    # imported from a ledger without dates: counted in its 年度
    app(city, S.APPROVED, None, None, Decimal("5"), year=2019)
    return {"provincial": provincial, "city": city}


def test_applications_recommended_counts_upper_levels_by_recommendation_date(county_2019):
    assert indicator("applications_recommended").value(2019) == 5
    assert indicator("applications_recommended").value(2020) == 1


def test_applications_approved_counts_by_approval_date(county_2019):
    assert indicator("applications_approved").value(2019) == 3
    assert indicator("applications_approved").value(2020) == 1


def test_funds_approved_sums_the_approved_amounts_exactly(county_2019):
    assert indicator("funds_approved").value(2019) == Decimal("105.25")
    assert indicator("funds_approved").value(2020) == Decimal("55.5")
    assert indicator("funds_approved").value(2018) == 0


def test_breakdown_by_program_adds_up_and_each_part_lists_its_records(county_2019):
    for code in ("applications_recommended", "applications_approved", "funds_approved"):
        ind = indicator(code)
        parts = ind.breakdown(2019)
        assert sum(p.value for p in parts) == ind.value(2019)
        for part in parts:
            counted = part.records.aggregate(v=ind.aggregate)["v"] if ind.aggregate else part.records.count()
            assert counted == part.value
    labels = {p.label: p.value for p in indicator("applications_recommended").breakdown(2019)}
    assert labels == {"省重点研发计划(科技创新类)（省级）": 3, '市"双十"计划（市级）': 2}


@pytest.mark.parametrize("code", ["applications_recommended", "applications_approved", "funds_approved"])
def test_drill_down_list_shows_exactly_the_counted_applications(staff_client, county_2019, code):
    ind = indicator(code)
    response = staff_client.get(reverse("programs:application_list"), {"indicator": code, "year": 2019})
    listed = response.context["table"].data.data
    assert response.context["total"] == ind.records(2019).count()
    assert sorted(a.pk for a in listed) == sorted(ind.records(2019).values_list("pk", flat=True))


def test_county_funds_paid_sums_rewards_paid_in_the_year():
    RewardFactory(amount=Decimal("40"), paid_on=datetime.date(2019, 12, 31))
    RewardFactory(amount=Decimal("12.3456"), paid_on=datetime.date(2019, 1, 1), kind="rd_subsidy")
    RewardFactory(amount=Decimal("99"), paid_on=datetime.date(2020, 1, 1))
    ind = indicator("county_funds_paid")
    assert ind.value(2019) == Decimal("52.3456")
    assert ind.value(2020) == Decimal("99")
    assert {p.label: p.value for p in ind.breakdown(2019)} == {
        "研发补贴": Decimal("12.3456"),
        "高企奖励": Decimal("40"),
    }


def test_achievements_transformed_counts_by_transformation_date():
    AchievementFactory(transformed_on=datetime.date(2019, 12, 31), transform_mode=Achievement.Mode.TRANSFER)
    AchievementFactory(transformed_on=datetime.date(2020, 1, 1))
    AchievementFactory(transformed_on=None, transform_mode="")
    ind = indicator("achievements_transformed")
    assert (ind.value(2019), ind.value(2020)) == (1, 1)
    assert [(p.label, p.value) for p in ind.breakdown(2019)] == [("转让", 1)]


def test_awards_count_by_year_with_a_breakdown_by_award_name_and_level(staff_client):
    AwardFactory.create_batch(2, year=2019, name="市科学技术进步奖", level=Level.CITY)
    AwardFactory(year=2019, name="省科学技术进步奖", level=Level.PROVINCIAL)
    AwardFactory(year=2019, name="科学技术进步奖", level=Level.PROVINCIAL)  # the level names it
    AwardFactory(year=2020, name="国家科学技术进步奖", level=Level.NATIONAL)
    ind = indicator("awards")
    assert ind.value(2019) == 4
    parts = [(p.label, p.value, p.records.count()) for p in ind.breakdown(2019)]
    assert parts == [("省科学技术进步奖", 1, 1), ("省级科学技术进步奖", 1, 1), ("市科学技术进步奖", 2, 2)]
    response = staff_client.get(reverse("programs:award_list"), {"indicator": "awards", "year": 2019})
    assert response.context["total"] == 4
