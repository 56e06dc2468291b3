"""The enterprise picker: by name, pinyin initials or credit code."""

import pytest
from django.urls import reverse

from enterprises.services import enterprise_create
from enterprises.validators import make_credit_code

pytestmark = pytest.mark.django_db
URL = reverse("enterprises:enterprise_autocomplete")


@pytest.fixture
def companies():
    return {
        "luzhong": enterprise_create(
            actor=None, name="鲁中新材料科技有限公司", credit_code=make_credit_code("91370323MA3C4X5Y6")
        ),
        "ruifeng": enterprise_create(
            actor=None, name="瑞丰药业股份有限公司", credit_code=make_credit_code("91370323MA3D1K2L3")
        ),
        "huakang": enterprise_create(
            actor=None, name="华康食品有限公司", credit_code=make_credit_code("91370300163076441")
        ),
    }


def names(response):
    return [r["text"].split("（")[0] for r in response.json()["results"]]


def test_pinyin_initials_find_the_enterprise(staff_client, companies):
    assert names(staff_client.get(URL, {"q": "lzxcl"})) == ["鲁中新材料科技有限公司"]


def test_initials_match_inside_the_name_and_ignore_case(staff_client, companies):
    assert names(staff_client.get(URL, {"q": "YYGF"})) == ["瑞丰药业股份有限公司"]


def test_chinese_name_fragment_finds_the_enterprise(staff_client, companies):
    assert names(staff_client.get(URL, {"q": "华康"})) == ["华康食品有限公司"]


def test_credit_code_prefix_finds_the_enterprise(staff_client, companies):
    code = companies["ruifeng"].credit_code
    response = staff_client.get(URL, {"q": code[:12].lower()})
    assert names(response) == ["瑞丰药业股份有限公司"]
    assert code in response.json()["results"][0]["text"]


def test_renamed_enterprise_is_found_by_its_new_initials(staff_client, companies):
    from enterprises.services import enterprise_update

    enterprise_update(actor=None, enterprise=companies["huakang"], name="沂河食品有限公司")
    assert names(staff_client.get(URL, {"q": "yhsp"})) == ["沂河食品有限公司"]
    assert names(staff_client.get(URL, {"q": "hksp"})) == []


def test_enterprise_list_search_accepts_initials(staff_client, companies):
    response = staff_client.get(reverse("enterprises:enterprise_list"), {"q": "rfyy"})
    assert response.context["total"] == 1
    assert "瑞丰药业股份有限公司" in response.content.decode()


def test_picker_refuses_users_without_view_permission(client, companies):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="no_role"))
    response = client.get(URL, {"q": "lz"})
    assert response.status_code == 403
    assert response.json()["results"] == []
