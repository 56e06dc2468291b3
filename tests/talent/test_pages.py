"""Pages of the talent records: flat query counts, the platform page, the picker, the profile sections."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau.records.urls import record_url
from bureau.registry import registry
from talent.models import Platform, PlatformEvaluation
from talent.profile import CooperationSection, PlatformsSection, TalentsSection
from tests.enterprises.factories import EnterpriseFactory
from tests.talent.factories import (
    CommissionerFactory,
    CooperationAgreementFactory,
    InstitutionFactory,
    PersonFactory,
    PlatformEvaluationFactory,
    PlatformFactory,
    SecondmentFactory,
    TalentSelectionFactory,
)

pytestmark = pytest.mark.django_db

LIST_FACTORIES = {
    "talent.person": PersonFactory,
    "talent.talentselection": TalentSelectionFactory,
    "talent.commissioner": CommissionerFactory,
    "talent.secondment": SecondmentFactory,
    "talent.platform": PlatformFactory,
    "talent.platformevaluation": PlatformEvaluationFactory,
    "talent.cooperationagreement": CooperationAgreementFactory,
    "talent.institution": InstitutionFactory,
}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_every_talent_record_type_is_in_the_talent_menu():
    labels = {label for label, r in registry["records"].items() if r.app_label() == "talent"}
    assert labels == set(LIST_FACTORIES)
    assert all(registry["records"][label].menu_group == "人才与平台" for label in labels)


@pytest.mark.parametrize("label", sorted(LIST_FACTORIES))
def test_list_query_count_does_not_grow_with_rows(staff_client, django_assert_num_queries, label):
    factory = LIST_FACTORIES[label]
    url = record_url(registry["records"][label].model, "list")
    factory.create_batch(5)
    queries_for(staff_client, url)  # warm the per-process caches (site settings)
    with_five = queries_for(staff_client, url)
    factory.create_batch(45)
    with django_assert_num_queries(with_five):
        response = staff_client.get(url)
    assert response.context["total"] == 50


def test_platform_page_lists_its_evaluations_with_a_flat_query_count(staff_client, django_assert_num_queries):
    platform = PlatformFactory(certified_on=datetime.date(1990, 5, 1), applied_on=None)
    for year in range(1991, 1996):
        PlatformEvaluationFactory(platform=platform, year=year)
    queries_for(staff_client, platform.get_absolute_url())
    with_five = queries_for(staff_client, platform.get_absolute_url())
    for year in range(1996, 2041):
        PlatformEvaluationFactory(platform=platform, year=year)
    with django_assert_num_queries(with_five):
        response = staff_client.get(platform.get_absolute_url())
    assert len(response.context["evaluations"]) == 50
    assert response.context["evaluations"][0].year == 2040  # newest first


def test_platform_page_offers_to_add_an_evaluation_for_that_platform(staff_client):
    platform = PlatformFactory()
    PlatformEvaluationFactory(platform=platform, year=2020, result=PlatformEvaluation.Result.EXCELLENT)
    page = staff_client.get(platform.get_absolute_url()).content.decode()
    add_url = record_url(PlatformEvaluation, "add", platform=platform.pk)
    assert add_url.replace("&", "&amp;") in page or add_url in page
    assert "优秀" in page
    form = staff_client.get(add_url).content.decode()
    assert f'<option value="{platform.pk}" selected>' in form


def test_platform_page_of_an_applied_platform_explains_why_it_cannot_be_evaluated(staff_client):
    platform = PlatformFactory(state=Platform.State.APPLIED, certified_on=None)
    page = staff_client.get(platform.get_absolute_url()).content.decode()
    assert "新增绩效评估" not in page
    assert "平台认定或备案后才能进行绩效评估" in page


def test_leader_sees_evaluations_but_no_add_button(leader_client):
    platform = PlatformFactory()
    PlatformEvaluationFactory(platform=platform)
    page = leader_client.get(platform.get_absolute_url()).content.decode()
    assert "良好" in page
    assert "新增绩效评估" not in page


def test_person_page_lists_what_the_person_does(staff_client):
    person = PersonFactory(name="皮付伟")
    TalentSelectionFactory(person=person, subcategory="创业类")
    CommissionerFactory(person=person)
    SecondmentFactory(person=person, post_text="悦庄镇科技副镇长")
    page = staff_client.get(person.get_absolute_url()).content.decode()
    assert "创业类" in page
    assert "科技特派员" in page
    assert "悦庄镇科技副镇长" in page


def test_person_picker_searches_by_name(staff_client):
    institution = InstitutionFactory(name="山东大学")
    PersonFactory(name="李旭来", employer_enterprise=None, employer_institution=institution)
    PersonFactory(name="王建国")
    results = staff_client.get("/talent/autocomplete/persons/", {"q": "旭来"}).json()["results"]
    assert [r["text"] for r in results] == ["李旭来（山东大学）"]


def test_person_picker_is_closed_to_users_without_view_permission(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/talent/autocomplete/persons/", {"q": "李"}).status_code == 403


def test_agreement_form_enhances_its_multi_selects(staff_client):
    page = staff_client.get(record_url(registry["records"]["talent.cooperationagreement"].model, "add"))
    html = page.content.decode()
    assert 'name="institutions"' in html and "data-enhance" in html
    assert 'name="enterprises"' in html and "data-autocomplete-url" in html


# 一企一档 sections ----------------------------------------------------------------------------------


def _section_rows(enterprise, n):
    for i in range(n):
        person = PersonFactory(employer_enterprise=enterprise)
        TalentSelectionFactory(person=person)
        CommissionerFactory(service_enterprise=enterprise)
        platform = PlatformFactory(host_enterprise=enterprise, name=f"平台{i}-{enterprise.pk}-{n}")
        PlatformEvaluationFactory(platform=platform)
        CooperationAgreementFactory(enterprises=[enterprise], institutions=[InstitutionFactory()])


@pytest.mark.parametrize(("section", "expected"), [(TalentsSection, 3), (PlatformsSection, 2), (CooperationSection, 2)])
def test_profile_sections_run_a_fixed_number_of_queries(django_assert_num_queries, section, expected):
    few, many = EnterpriseFactory(), EnterpriseFactory()
    _section_rows(few, 5)
    _section_rows(many, 50)
    for enterprise in (few, many):
        with django_assert_num_queries(expected):
            context = section().get_context(enterprise)
            # touch what the template touches
            for p in context.get("people", []):
                list(p.selections.all())
            for p in context.get("platforms", []):
                list(p.evaluations.all())
                str(p.type)
            for a in context.get("agreements", []):
                list(a.institutions.all())


def test_profile_sections_show_only_the_enterprise_records():
    mine, other = EnterpriseFactory(), EnterpriseFactory()
    PlatformFactory(host_enterprise=mine, name="我的院士工作站")
    PlatformFactory(host_enterprise=other, name="别家的院士工作站")
    CooperationAgreementFactory(enterprises=[mine, other], title="共同签约的协议")
    CooperationAgreementFactory(enterprises=[other], title="别家的协议")
    assert [p.name for p in PlatformsSection().get_context(mine)["platforms"]] == ["我的院士工作站"]
    assert [a.title for a in CooperationSection().get_context(mine)["agreements"]] == ["共同签约的协议"]


def test_profile_sections_offer_add_links_prefilled_with_the_enterprise(staff, leader):
    enterprise = EnterpriseFactory()
    url = PlatformsSection().add_url(enterprise, staff)
    assert url == record_url(Platform, "add", host_enterprise=enterprise.pk)
    assert PlatformsSection().add_url(enterprise, leader) is None
    assert PlatformsSection().can_view(leader)


def test_enterprise_profile_shows_its_talents_platforms_and_agreements(staff_client):
    enterprise = EnterpriseFactory()
    person = PersonFactory(name="皮付伟", employer_enterprise=enterprise)
    TalentSelectionFactory(person=person, subcategory="创业类")
    platform = PlatformFactory(host_enterprise=enterprise, name="山东沂源新材料院士工作站")
    PlatformEvaluationFactory(platform=platform, year=2020, result=PlatformEvaluation.Result.EXCELLENT)
    CooperationAgreementFactory(enterprises=[enterprise], institutions=[InstitutionFactory(name="山东理工大学")])
    page = staff_client.get(enterprise.get_absolute_url()).content.decode()
    for text in ("皮付伟", "创业类", "山东沂源新材料院士工作站", "优秀", "山东理工大学"):
        assert text in page
    assert record_url(Platform, "add", host_enterprise=enterprise.pk).replace("&", "&amp;") in page


def test_enterprise_profile_query_count_does_not_grow_with_talent_records(staff_client, django_assert_num_queries):
    few, many = EnterpriseFactory(), EnterpriseFactory()
    _section_rows(few, 5)
    _section_rows(many, 50)
    queries_for(staff_client, few.get_absolute_url())
    with_five = queries_for(staff_client, few.get_absolute_url())
    with django_assert_num_queries(with_five):
        staff_client.get(many.get_absolute_url())


def test_agreement_search_across_parties_lists_each_agreement_once(staff_client):
    CooperationAgreementFactory(
        title="县校合作协议",
        institutions=[InstitutionFactory(name="山东大学"), InstitutionFactory(name="山东理工大学")],
    )
    CooperationAgreementFactory(title="药物研发协议", institutions=[InstitutionFactory(name="江南大学")])
    model = registry["records"]["talent.cooperationagreement"].model
    response = staff_client.get(record_url(model, "list"), {"q": "山东"})
    assert response.context["total"] == 1
    assert [row.record.title for row in response.context["table"].page.object_list] == ["县校合作协议"]
