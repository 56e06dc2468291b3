"""The header search: finds a record by what a person remembers of it, links to it, says what matched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.factories import PolicyFactory
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import UserFactory
from tests.programs.factories import ApplicationFactory
from tests.talent.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _search(client, q, name="search"):
    response = client.get(reverse(name), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_enterprise_is_found_by_a_fragment_of_its_credit_code(staff_client):
    enterprise = EnterpriseFactory(name="沂源新材料科技有限公司")
    fragment = enterprise.credit_code[8:14].lower()
    page = _search(staff_client, fragment)
    assert enterprise.get_absolute_url() in page
    assert f"统一社会信用代码：{enterprise.credit_code}" in page


def test_enterprise_is_found_by_the_pinyin_initials_of_its_name(staff_client):
    enterprise = EnterpriseFactory(name="沂源新材料科技有限公司")
    EnterpriseFactory(name="鲁中精密机械有限公司")
    page = _search(staff_client, "YYXCL")
    assert enterprise.get_absolute_url() in page
    assert "拼音首字母" in page
    assert "鲁中精密机械有限公司" not in page


def test_application_is_found_by_its_title(staff_client):
    application = ApplicationFactory(title="高性能碳纤维复合材料研发")
    page = _search(staff_client, "碳纤维")
    assert application.get_absolute_url() in page
    assert "项目名称：高性能碳纤维复合材料研发" in page


def test_person_is_found_by_name(staff_client):
    person = PersonFactory(name="欧阳晓明")
    page = _search(staff_client, "欧阳晓")
    assert person.get_absolute_url() in page
    assert "姓名：欧阳晓明" in page


def test_policy_is_found_by_its_document_number(staff_client):
    policy = PolicyFactory(title="关于加快科技创新的若干措施", document_number="沂政发〔2021〕7号")
    page = _search(staff_client, "2021〕7")
    assert policy.get_absolute_url() in page


def test_results_are_grouped_by_type_with_the_type_as_heading(staff_client):
    EnterpriseFactory(name="华辰碳纤维有限公司")
    ApplicationFactory(title="碳纤维预浸料中试")
    page = _search(staff_client, "碳纤维")
    assert page.index("企业") < page.index("华辰碳纤维有限公司")
    assert "项目申报" in page or "碳纤维预浸料中试" in page


def test_suggestions_under_the_header_box_link_to_the_record_and_the_full_page(staff_client):
    enterprise = EnterpriseFactory(name="沂源新材料科技有限公司")
    page = _search(staff_client, "新材料", name="search_suggest")
    assert enterprise.get_absolute_url() in page
    assert reverse("search") + "?q=" in page
    assert "<html" not in page  # a fragment for htmx, not a whole page


def test_every_page_has_the_search_box_in_its_header(staff_client):
    page = staff_client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert "data-global-search" in page
    assert f'hx-get="{reverse("search_suggest")}"' in page


def test_anonymous_search_is_sent_to_login(client):
    EnterpriseFactory(name="沂源新材料科技有限公司")
    for name in ("search", "search_suggest"):
        response = client.get(reverse(name), {"q": "新材料"})
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_a_user_without_view_rights_finds_nothing(client):
    EnterpriseFactory(name="沂源新材料科技有限公司")
    client.force_login(UserFactory())  # no role: may not view any record type
    page = _search(client, "新材料")
    assert "沂源新材料科技有限公司" not in page


def test_a_one_character_query_asks_for_more(staff_client):
    EnterpriseFactory(name="沂源新材料科技有限公司")
    page = _search(staff_client, "沂")
    assert "请至少输入2个字符" in page


def _queries(client, q):
    with CaptureQueriesContext(connection) as ctx:
        _search(client, q)
    return len(ctx.captured_queries)


def test_search_query_count_is_flat_in_the_data_size(staff_client):
    EnterpriseFactory.create_batch(2, name="碳纤维甲有限公司")
    ApplicationFactory.create_batch(2, title="碳纤维项目")
    PersonFactory(field="碳纤维")  # every type finds something in both runs (none found: no second query)
    _search(staff_client, "碳纤维")  # the first request of a session caches the site settings
    few = _queries(staff_client, "碳纤维")
    EnterpriseFactory.create_batch(30, name="碳纤维乙有限公司")
    ApplicationFactory.create_batch(30, title="碳纤维项目")
    PersonFactory.create_batch(10, field="碳纤维")
    assert _queries(staff_client, "碳纤维") == few


def test_application_is_found_by_the_name_of_its_enterprise_newest_first(staff_client):
    enterprise = EnterpriseFactory(name="沂源华辰光电有限公司")
    older = ApplicationFactory(enterprise=enterprise, title="甲项目")
    newer = ApplicationFactory(enterprise=enterprise, title="乙项目")
    ApplicationFactory(title="无关项目")
    page = _search(staff_client, "华辰光电")
    assert "承担企业：沂源华辰光电有限公司" in page
    assert page.index(newer.get_absolute_url()) < page.index(older.get_absolute_url())
