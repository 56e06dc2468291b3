"""Talent and platform indicators on hand-built records, including the edges of the year."""

import datetime
from decimal import Decimal

import pytest

from bureau.indicators import NAMES
from bureau.records.urls import record_url
from bureau.registry import registry
from talent.indicators import EXTRA_NAMES
from talent.models import Commissioner, CooperationAgreement, Level, Platform, PlatformEvaluation, Secondment
from talent.models import TalentSelection as TS
from tests.talent.factories import (
    CommissionerFactory,
    CooperationAgreementFactory,
    PlatformEvaluationFactory,
    PlatformFactory,
    PlatformTypeFactory,
    SecondmentFactory,
    TalentProgramFactory,
    TalentSelectionFactory,
)

pytestmark = pytest.mark.django_db
Y = 2019
D = datetime.date
CODES = [
    "talent_applications",
    "talent_selections",
    "commissioners",
    "secondments",
    "platforms_new",
    "platform_evaluations_excellent",
    "platform_evaluation_rewards",
    "cooperation_agreements",
]


def indicator(code):
    return registry["indicators"][code]


def test_indicators_carry_their_fixed_names():
    for code in CODES:
        name, unit = NAMES.get(code) or EXTRA_NAMES[code]
        assert (indicator(code).name, indicator(code).unit) == (name, unit)
    assert indicator("secondments").name == "挂职科技副职人数"
    assert indicator("platform_evaluations_excellent").name == "平台绩效评估优秀数"


@pytest.fixture
def talent_year():
    taishan = TalentProgramFactory(name="泰山产业领军人才", level="provincial")
    zibo = TalentProgramFactory(name="淄博英才计划", level="city")
    for _ in range(3):
        TalentSelectionFactory(program=taishan, subcategory="创新类", year=Y, state=TS.State.SELECTED)
    for _ in range(2):
        TalentSelectionFactory(program=taishan, subcategory="创业类", year=Y, state=TS.State.SELECTED)
    TalentSelectionFactory(program=zibo, subcategory="", year=Y, state=TS.State.SELECTED)
    TalentSelectionFactory(program=taishan, subcategory="创新类", year=Y, state=TS.State.APPLIED)
    TalentSelectionFactory(program=taishan, subcategory="创新类", year=Y, state=TS.State.NOT_SELECTED)
    TalentSelectionFactory(program=taishan, subcategory="创新类", year=Y - 1, state=TS.State.SELECTED)
    TalentSelectionFactory(program=taishan, subcategory="创新类", year=Y + 1, state=TS.State.APPLIED)


def test_talent_applications_count_every_application_of_the_year(talent_year):
    assert indicator("talent_applications").value(Y) == 8
    assert indicator("talent_applications").value(Y - 1) == 1


def test_talent_selections_count_only_the_selected_and_break_down_by_program_and_category(talent_year):
    ind = indicator("talent_selections")
    assert ind.value(Y) == 6
    parts = {b.label: b.value for b in ind.breakdown(Y)}
    assert parts == {"泰山产业领军人才创业类": 2, "泰山产业领军人才创新类": 3, "淄博英才计划": 1}
    for part in ind.breakdown(Y):
        assert part.records.count() == part.value
        assert all(s.state == TS.State.SELECTED for s in part.records)


def test_commissioners_serving_in_the_year():
    agri, industry = Commissioner.Kind.AGRICULTURE, Commissioner.Kind.INDUSTRY
    CommissionerFactory(kind=agri, start_year=Y, end_year=None)  # starts in Y, still serving
    CommissionerFactory(kind=agri, start_year=2015, end_year=None)  # long-serving
    CommissionerFactory(kind=industry, start_year=2017, end_year=Y)  # ends in Y: served in Y
    CommissionerFactory(kind=industry, start_year=2016, end_year=Y - 1)  # ended the year before
    CommissionerFactory(kind=agri, start_year=Y + 1, end_year=None)  # starts the year after
    ind = indicator("commissioners")
    assert ind.value(Y) == 3
    assert {b.label: b.value for b in ind.breakdown(Y)} == {"农业科技特派员": 2, "工业科技特派员": 1}
    assert ind.value(Y + 1) == 3  # the long-serving, the one starting in Y and the newcomer


def test_secondments_serving_in_the_year_by_post():
    county, town = Secondment.Post.VICE_COUNTY, Secondment.Post.VICE_TOWN
    SecondmentFactory(post=county, start=D(2018, 3, 1), end=None)
    SecondmentFactory(post=town, start=D(Y, 12, 31), end=None)  # starts on the last day
    SecondmentFactory(post=town, start=D(2017, 3, 1), end=D(Y, 1, 1))  # ends on the first day
    SecondmentFactory(post=town, start=D(2017, 3, 1), end=D(Y - 1, 12, 31))  # ended before
    SecondmentFactory(post=town, start=D(Y + 1, 1, 1), end=None)  # starts after
    ind = indicator("secondments")
    assert ind.value(Y) == 3
    assert [(b.label, b.value) for b in ind.breakdown(Y)] == [("科技副县长", 1), ("科技副镇长", 2)]


def test_new_platforms_are_those_certified_or_filed_in_the_year():
    academician = PlatformTypeFactory(code="academician_workstation")
    poverty = PlatformTypeFactory(code="poverty_team")
    state = Platform.State
    PlatformFactory(type=academician, level=Level.PROVINCIAL, certified_on=D(Y, 1, 1), applied_on=None)
    PlatformFactory(type=poverty, level=Level.PROVINCIAL, state=state.FILED, certified_on=D(Y, 12, 31))
    PlatformFactory(type=poverty, level=Level.PROVINCIAL, state=state.FILED, certified_on=D(Y, 5, 6))
    PlatformFactory(type=poverty, level=Level.CITY, state=state.FILED, certified_on=D(Y, 5, 6))
    PlatformFactory(type=academician, certified_on=D(Y - 1, 12, 31))  # the year before
    PlatformFactory(type=academician, certified_on=D(Y + 1, 1, 1))  # the year after
    PlatformFactory(type=academician, state=state.REVOKED, certified_on=D(Y, 6, 1))  # revoked since
    PlatformFactory(type=academician, state=state.APPLIED, certified_on=None)
    ind = indicator("platforms_new")
    assert ind.value(Y) == 4
    parts = [(b.label, b.value) for b in ind.breakdown(Y)]
    assert parts == [("省级院士工作站", 1), ("省级科技扶贫服务队", 2), ("市级科技扶贫服务队", 1)]
    assert sum(v for _, v in parts) == ind.value(Y)


def test_excellent_evaluations_and_rewards_of_the_year():
    result = PlatformEvaluation.Result
    academician = PlatformTypeFactory(code="academician_workstation")
    PlatformEvaluationFactory(year=Y, result=result.EXCELLENT, reward=Decimal("100"), platform__type=academician)
    PlatformEvaluationFactory(year=Y, result=result.GOOD, reward=Decimal("20.5"))
    PlatformEvaluationFactory(year=Y, result=result.PASS, reward=None)
    PlatformEvaluationFactory(year=Y + 1, result=result.EXCELLENT, reward=Decimal("80"))
    assert indicator("platform_evaluations_excellent").value(Y) == 1
    assert indicator("platform_evaluation_rewards").value(Y) == Decimal("120.5")
    parts = indicator("platform_evaluations_excellent").breakdown(Y)
    assert [(b.label, b.value) for b in parts] == [("省级院士工作站", 1)]


def test_rewards_are_zero_in_a_year_without_evaluations():
    assert indicator("platform_evaluation_rewards").value(Y) == 0


def test_cooperation_agreements_signed_in_the_year():
    CooperationAgreementFactory(signed_on=D(Y, 1, 1))
    CooperationAgreementFactory(signed_on=D(Y, 12, 31), county_government=True)
    CooperationAgreementFactory(signed_on=D(Y - 1, 12, 31))
    CooperationAgreementFactory(signed_on=D(Y + 1, 1, 1))
    CooperationAgreementFactory(state=CooperationAgreement.State.NEGOTIATING, signed_on=None)
    assert indicator("cooperation_agreements").value(Y) == 2


@pytest.mark.usefixtures("talent_year")
@pytest.mark.parametrize("code", CODES)
def test_drill_down_lists_exactly_the_records_counted(staff_client, code):
    CommissionerFactory(start_year=Y, end_year=None)
    CommissionerFactory(start_year=Y + 1, end_year=None)
    SecondmentFactory(start=D(Y, 3, 1))
    SecondmentFactory(start=D(Y + 1, 3, 1), end=None)
    PlatformEvaluationFactory(year=Y, result=PlatformEvaluation.Result.EXCELLENT)
    PlatformEvaluationFactory(year=Y, result=PlatformEvaluation.Result.GOOD)
    PlatformFactory(certified_on=D(Y, 3, 1), applied_on=None)
    PlatformFactory(certified_on=D(Y + 1, 3, 1), applied_on=None)
    CooperationAgreementFactory(signed_on=D(Y, 3, 1))
    CooperationAgreementFactory(signed_on=D(Y + 1, 3, 1))
    ind = indicator(code)
    response = staff_client.get(record_url(ind.model, "list"), {"indicator": code, "year": Y})
    assert response.status_code == 200
    counted = ind.records(Y)
    assert response.context["total"] == counted.count()
    assert counted.exists()
    if ind.aggregate is None:
        assert response.context["total"] == ind.value(Y)
    if ind.breakdown is not None:
        parts = ind.breakdown(Y)
        assert sum(b.value for b in parts) == ind.value(Y)
        for part in parts:
            assert part.records.count() == part.value


def test_drill_down_to_one_part_lists_that_part(staff_client, talent_year):
    ind = indicator("talent_selections")
    response = staff_client.get(
        record_url(ind.model, "list"), {"indicator": "talent_selections", "year": Y, "part": "泰山产业领军人才创新类"}
    )
    assert response.status_code == 200
    assert response.context["total"] == 3
    assert {row.record.subcategory for row in response.context["table"].page.object_list} == {"创新类"}
