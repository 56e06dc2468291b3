"""Business rules of talent records, through the services and through the pages staff use."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bureau.records.urls import record_url
from talent.models import CooperationAgreement, Person, Platform, PlatformEvaluation, TalentSelection
from talent.services import (
    cooperation_agreement_create,
    cooperation_agreement_update,
    platform_evaluation_create,
    platform_evaluation_update,
    platform_update,
    talent_selection_create,
    talent_selection_update,
)
from tests.enterprises.factories import EnterpriseFactory
from tests.talent.factories import (
    InstitutionFactory,
    PersonFactory,
    PlatformEvaluationFactory,
    PlatformFactory,
    TalentCallFactory,
    TalentProgramFactory,
    TalentSelectionFactory,
)

pytestmark = pytest.mark.django_db

NOT_ESTABLISHED = [
    (Platform.State.PLANNED, None),
    (Platform.State.APPLIED, None),
    (Platform.State.REJECTED, None),
    (Platform.State.REVOKED, datetime.date(2018, 5, 1)),
]


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# 绩效评估 only on a certified or filed platform ------------------------------------------------


@pytest.mark.parametrize(("state", "certified_on"), NOT_ESTABLISHED)
def test_evaluation_is_refused_on_a_platform_not_certified_or_filed(state, certified_on):
    platform = PlatformFactory(state=state, certified_on=certified_on)
    with pytest.raises(ValidationError) as exc:
        platform_evaluation_create(actor=None, platform=platform, year=2020, result=PlatformEvaluation.Result.EXCELLENT)
    assert "只能对已认定或已备案的平台进行绩效评估" in messages_of(exc.value)
    assert not PlatformEvaluation.objects.exists()


@pytest.mark.parametrize("state", [Platform.State.CERTIFIED, Platform.State.FILED])
def test_evaluation_is_recorded_on_a_certified_or_filed_platform(state):
    platform = PlatformFactory(state=state, certified_on=datetime.date(2019, 11, 20))
    evaluation = platform_evaluation_create(
        actor=None, platform=platform, year=2020, result=PlatformEvaluation.Result.EXCELLENT, reward=Decimal("100")
    )
    assert list(platform.evaluations.all()) == [evaluation]
    assert evaluation.reward == Decimal("100")


def test_evaluation_cannot_be_moved_to_a_platform_that_is_not_certified():
    evaluation = PlatformEvaluationFactory()
    applied = PlatformFactory(state=Platform.State.APPLIED, certified_on=None)
    with pytest.raises(ValidationError) as exc:
        platform_evaluation_update(actor=None, evaluation=evaluation, platform=applied)
    assert "只能对已认定或已备案的平台" in messages_of(exc.value)
    evaluation.refresh_from_db()
    assert evaluation.platform != applied


def test_an_earlier_evaluation_stays_editable_after_the_platform_is_revoked():
    evaluation = PlatformEvaluationFactory(year=2020, reward=Decimal("50"))
    platform_update(actor=None, platform=evaluation.platform, state=Platform.State.REVOKED)
    platform_evaluation_update(actor=None, evaluation=evaluation, reward=Decimal("60"))
    evaluation.refresh_from_db()
    assert evaluation.reward == Decimal("60")


def test_evaluation_year_cannot_precede_the_year_of_certification():
    platform = PlatformFactory(certified_on=datetime.date(2019, 11, 20))
    with pytest.raises(ValidationError) as exc:
        platform_evaluation_create(actor=None, platform=platform, year=2018, result=PlatformEvaluation.Result.GOOD)
    assert "不能早于平台认定/备案的年度（2019年）" in messages_of(exc.value)


def test_a_platform_is_evaluated_once_a_year():
    evaluation = PlatformEvaluationFactory(year=2020)
    with pytest.raises(ValidationError) as exc:
        platform_evaluation_create(
            actor=None, platform=evaluation.platform, year=2020, result=PlatformEvaluation.Result.GOOD
        )
    assert "该平台本年度已有绩效评估记录" in messages_of(exc.value)


def test_staff_cannot_record_an_evaluation_for_an_applied_platform(staff_client):
    platform = PlatformFactory(state=Platform.State.APPLIED, certified_on=None)
    response = staff_client.post(
        record_url(PlatformEvaluation, "add"), {"platform": platform.pk, "year": "2020", "result": "excellent"}
    )
    assert response.status_code == 200
    assert "只能对已认定或已备案的平台进行绩效评估" in response.content.decode()
    assert not PlatformEvaluation.objects.exists()


def test_the_evaluation_form_offers_only_established_platforms(staff_client):
    certified = PlatformFactory(name="沂源县新材料院士工作站")
    PlatformFactory(name="规划中的众创空间", state=Platform.State.PLANNED, certified_on=None)
    page = staff_client.get(record_url(PlatformEvaluation, "add")).content.decode()
    assert certified.name in page
    assert "规划中的众创空间" not in page


def test_a_platform_with_evaluations_cannot_go_back_to_applied():
    evaluation = PlatformEvaluationFactory()
    with pytest.raises(ValidationError) as exc:
        platform_update(actor=None, platform=evaluation.platform, state=Platform.State.APPLIED, certified_on=None)
    assert "已有绩效评估记录" in messages_of(exc.value)
    evaluation.platform.refresh_from_db()
    assert evaluation.platform.state == Platform.State.CERTIFIED


# Platform states and dates -------------------------------------------------------------------


@pytest.mark.parametrize("state", [Platform.State.CERTIFIED, Platform.State.FILED, Platform.State.REVOKED])
def test_a_certified_filed_or_revoked_platform_needs_the_date(staff_client, state):
    platform = PlatformFactory()
    with pytest.raises(ValidationError) as exc:
        platform_update(actor=None, platform=platform, state=state, certified_on=None)
    assert "请填写认定/备案日期" in messages_of(exc.value)


def test_a_planned_platform_has_no_certification_date():
    platform = PlatformFactory(state=Platform.State.PLANNED, certified_on=None)
    with pytest.raises(ValidationError) as exc:
        platform_update(actor=None, platform=platform, certified_on=datetime.date(2019, 1, 1))
    assert "尚未认定或备案的平台不能有认定/备案日期" in messages_of(exc.value)


def test_certification_cannot_precede_the_application():
    platform = PlatformFactory(applied_on=datetime.date(2019, 4, 10))
    with pytest.raises(ValidationError) as exc:
        platform_update(actor=None, platform=platform, certified_on=datetime.date(2019, 3, 1))
    assert "认定/备案日期不能早于申报日期" in messages_of(exc.value)


def test_a_platform_has_one_host(staff_client):
    enterprise, institution = EnterpriseFactory(), InstitutionFactory()
    platform = PlatformFactory(host_enterprise=enterprise)
    with pytest.raises(ValidationError) as exc:
        platform_update(actor=None, platform=platform, host_institution=institution)
    assert "依托单位只能填写一个" in messages_of(exc.value)


# 人才工程 and its call --------------------------------------------------------------------------


def test_a_selection_with_a_call_takes_the_call_year():
    call = TalentCallFactory(year=2019)
    with pytest.raises(ValidationError) as exc:
        talent_selection_create(actor=None, person=PersonFactory(), program=call.program, call=call, year=2020)
    assert "年度应与申报批次的年度（2019年）一致" in messages_of(exc.value)
    assert not TalentSelection.objects.exists()


def test_a_selection_with_a_call_takes_the_call_program():
    call = TalentCallFactory(program=TalentProgramFactory(name="泰山产业领军人才"))
    other = TalentProgramFactory(name="淄博英才计划")
    with pytest.raises(ValidationError) as exc:
        talent_selection_create(actor=None, person=PersonFactory(), program=other, call=call, year=call.year)
    assert "不属于所选人才工程" in messages_of(exc.value)


def test_a_selection_matching_its_call_is_recorded():
    call = TalentCallFactory(year=2019)
    selection = talent_selection_create(
        actor=None, person=PersonFactory(), program=call.program, call=call, year=2019, subcategory="创新类"
    )
    assert selection.call == call
    assert selection.state == TalentSelection.State.APPLIED


def test_changing_the_year_away_from_the_call_is_refused():
    call = TalentCallFactory(year=2019)
    selection = TalentSelectionFactory(program=call.program, call=call, year=2019)
    with pytest.raises(ValidationError):
        talent_selection_update(actor=None, selection=selection, year=2018)
    selection.refresh_from_db()
    assert selection.year == 2019


def test_a_selection_without_a_call_may_have_any_year():
    selection = talent_selection_create(actor=None, person=PersonFactory(), program=TalentProgramFactory(), year=2017)
    assert selection.year == 2017


def test_only_talent_programs_can_be_selected():
    research = TalentProgramFactory(name="省重点研发计划(科技创新类)", category="research")
    with pytest.raises(ValidationError) as exc:
        talent_selection_create(actor=None, person=PersonFactory(), program=research, year=2019)
    assert "请选择人才类科技计划" in messages_of(exc.value)


def test_staff_see_the_call_year_rule_on_the_form(staff_client):
    call = TalentCallFactory(year=2019)
    person = PersonFactory()
    response = staff_client.post(
        record_url(TalentSelection, "add"),
        {"person": person.pk, "program": call.program.pk, "call": call.pk, "year": "2020", "state": "applied"},
    )
    assert response.status_code == 200
    assert "年度应与申报批次的年度（2019年）一致" in response.content.decode()
    assert not TalentSelection.objects.exists()


# People, commissioners, secondments ------------------------------------------------------------


def test_a_person_has_one_employer(staff_client):
    enterprise, institution = EnterpriseFactory(), InstitutionFactory()
    response = staff_client.post(
        record_url(Person, "add"),
        {"name": "李旭", "employer_enterprise": enterprise.pk, "employer_institution": institution.pk},
    )
    assert response.status_code == 200
    assert "工作单位只能填写一项" in response.content.decode()
    assert not Person.objects.exists()


def test_commissioner_service_cannot_end_before_it_starts(staff_client):
    from talent.models import Commissioner

    person = PersonFactory()
    response = staff_client.post(
        record_url(Commissioner, "add"),
        {"person": person.pk, "kind": "agriculture", "level": "provincial", "start_year": "2019", "end_year": "2018"},
    )
    assert response.status_code == 200
    assert "结束年份不能早于开始年份" in response.content.decode()


def test_a_secondment_to_another_post_names_it(staff_client):
    from talent.models import Secondment

    response = staff_client.post(
        record_url(Secondment, "add"),
        {
            "person": PersonFactory().pk,
            "post": "other",
            "origin_institution": InstitutionFactory().pk,
            "start": "2019-03-01",
        },
    )
    assert response.status_code == 200
    assert "请填写具体职务" in response.content.decode()


# 产学研合作 parties -----------------------------------------------------------------------------


def test_an_agreement_needs_an_institution():
    with pytest.raises(ValidationError) as exc:
        cooperation_agreement_create(
            actor=None,
            title="联合研发协议",
            enterprises=[EnterpriseFactory()],
            institutions=[],
            signed_on=datetime.date(2019, 6, 1),
        )
    assert "请至少选择一个合作高校院所" in messages_of(exc.value)
    assert not CooperationAgreement.objects.exists()


def test_an_agreement_needs_an_enterprise_or_the_county():
    with pytest.raises(ValidationError) as exc:
        cooperation_agreement_create(
            actor=None, title="联合研发协议", institutions=[InstitutionFactory()], signed_on=datetime.date(2019, 6, 1)
        )
    assert "请选择合作企业，或勾选“县政府签约”" in messages_of(exc.value)


def test_the_county_government_signs_without_an_enterprise(staff_client):
    shanda = InstitutionFactory(name="山东大学")
    jinshu = InstitutionFactory(name="中国科学院金属研究所")
    response = staff_client.post(
        record_url(CooperationAgreement, "add"),
        {
            "title": "县校全面战略合作框架协议",
            "county_government": "on",
            "institutions": [shanda.pk, jinshu.pk],
            "state": "signed",
            "signed_on": "2019-09-12",
            "funds": "300",
        },
    )
    assert response.status_code == 302
    agreement = CooperationAgreement.objects.get()
    assert agreement.county_government
    assert not agreement.enterprises.exists()
    assert set(agreement.institutions.all()) == {shanda, jinshu}
    assert agreement.funds == Decimal("300")


def test_staff_see_the_party_rule_on_the_form(staff_client):
    response = staff_client.post(
        record_url(CooperationAgreement, "add"),
        {
            "title": "技术合作协议",
            "institutions": [InstitutionFactory().pk],
            "state": "signed",
            "signed_on": "2019-09-12",
        },
    )
    assert response.status_code == 200
    assert "请选择合作企业，或勾选“县政府签约”" in response.content.decode()


def test_an_agreement_keeps_its_parties_when_only_its_state_changes():
    enterprise, institution = EnterpriseFactory(), InstitutionFactory()
    agreement = cooperation_agreement_create(
        actor=None,
        title="联合研发协议",
        enterprises=[enterprise],
        institutions=[institution],
        signed_on=datetime.date(2019, 6, 1),
    )
    cooperation_agreement_update(actor=None, agreement=agreement, state=CooperationAgreement.State.EXECUTING)
    agreement.refresh_from_db()
    assert agreement.state == CooperationAgreement.State.EXECUTING
    assert list(agreement.enterprises.all()) == [enterprise]
    assert list(agreement.institutions.all()) == [institution]


def test_a_signed_agreement_has_a_date():
    with pytest.raises(ValidationError) as exc:
        cooperation_agreement_create(
            actor=None,
            title="联合研发协议",
            enterprises=[EnterpriseFactory()],
            institutions=[InstitutionFactory()],
            signed_on=None,
        )
    assert "请填写签约日期" in messages_of(exc.value)
