"""The enterprise page (一企一档) and the list pages: content, prefilled links, flat query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau.registry import registry
from enterprises.models import Certification, Need
from tests.enterprises.factories import (
    CertificationFactory,
    EnterpriseFactory,
    NeedFactory,
    YearlyStatisticFactory,
    tech_sme_type,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_header_shows_badges_of_current_certificates_only(staff_client):
    enterprise = EnterpriseFactory(name="鲁中新材料科技有限公司")
    CertificationFactory(enterprise=enterprise, year=2024, issued_on=datetime.date(2024, 5, 20))  # to 2027-05-19
    CertificationFactory(
        enterprise=enterprise,
        type=tech_sme_type(),
        year=2025,
        issued_on=datetime.date(2025, 4, 1),
        expires_on=datetime.date(2026, 3, 31),
    )
    CertificationFactory(  # expired: no badge
        enterprise=enterprise,
        type=tech_sme_type(),
        year=2023,
        issued_on=datetime.date(2023, 4, 1),
        expires_on=datetime.date(2024, 3, 31),
    )
    page = staff_client.get(enterprise.get_absolute_url()).content.decode()
    assert "高企 至2027-05" in page
    assert "科小 2025" in page
    assert "科小 2023" not in page


def test_enterprise_without_certificates_says_so(staff_client):
    page = staff_client.get(EnterpriseFactory().get_absolute_url()).content.decode()
    assert "暂无有效资质" in page
    assert "暂无资质记录" in page and "暂无年度统计数据" in page and "暂无企业需求" in page


def test_sections_list_the_enterprise_records(staff_client):
    enterprise = EnterpriseFactory()
    CertificationFactory(enterprise=enterprise, certificate_no="GR202437000777", year=2024)
    YearlyStatisticFactory(enterprise=enterprise, year=2023, rd_expenditure=Decimal("1234.5"))
    YearlyStatisticFactory(enterprise=enterprise, year=2024, rd_expenditure=Decimal("1500"))
    NeedFactory(enterprise=enterprise, title="高性能聚乙烯改性工艺攻关")
    NeedFactory(title="别家企业的需求")
    response = staff_client.get(enterprise.get_absolute_url())
    page = response.content.decode()
    assert "GR202437000777" in page
    assert "1,234.5" in page and "1,500" in page
    assert "高性能聚乙烯改性工艺攻关" in page
    assert "别家企业的需求" not in page
    # the R&D chart gets the years in order and exact figures
    assert '"years": ["2023", "2024"]' in page and '"rd": ["1234.5", "1500"]' in page
    assert "vendor/echarts/echarts.min.js" in page


def test_sections_follow_the_registry_order(staff_client):
    page = staff_client.get(EnterpriseFactory().get_absolute_url()).content.decode()
    positions = [page.index(f'id="{s.anchor()}"') for s in registry["profile_sections"]]
    assert positions == sorted(positions)


def test_add_links_are_prefilled_with_the_enterprise(staff_client):
    enterprise = EnterpriseFactory()
    page = staff_client.get(enterprise.get_absolute_url()).content.decode()
    for name in ("certification", "yearlystatistic", "need"):
        assert f"{reverse(f'enterprises:{name}_add')}?enterprise={enterprise.pk}" in page
    form = staff_client.get(reverse("enterprises:certification_add"), {"enterprise": enterprise.pk})
    assert form.context["form"].initial["enterprise"] == str(enterprise.pk)
    # the picker renders the chosen enterprise as its selected option
    assert f'<option value="{enterprise.pk}" selected>{enterprise.name}</option>' in form.content.decode()


def test_leader_reads_the_profile_without_add_or_edit_links(leader_client):
    enterprise = EnterpriseFactory()
    page = leader_client.get(enterprise.get_absolute_url()).content.decode()
    assert enterprise.name in page
    assert "?enterprise=" not in page
    assert reverse("enterprises:enterprise_edit", args=[enterprise.pk]) not in page


def test_history_tab_shows_who_changed_what(staff_client, staff):
    enterprise = EnterpriseFactory(contact="张三")
    staff_client.post(
        reverse("enterprises:enterprise_edit", args=[enterprise.pk]),
        {"name": enterprise.name, "credit_code": enterprise.credit_code, "contact": "李四", "scale": "above"},
    )
    page = staff_client.get(enterprise.get_absolute_url()).content.decode()
    assert "变更记录" in page
    assert "李四" in page and "张三" in page and staff.first_name in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill_enterprise(enterprise, start: int, count: int, handler) -> None:
    for i in range(start, start + count):
        year = 1970 + i
        CertificationFactory(enterprise=enterprise, year=year, issued_on=datetime.date(year, 11, 1))
        YearlyStatisticFactory(enterprise=enterprise, year=year)
        NeedFactory(enterprise=enterprise, handler=handler)


def test_profile_query_count_is_the_same_for_5_and_50_records(staff_client):
    enterprise = EnterpriseFactory()
    handler = UserFactory(first_name="王科员")
    url = enterprise.get_absolute_url()
    _fill_enterprise(enterprise, 0, 5, handler)
    _queries(staff_client, url)  # warm-up (content types, session)
    five = _queries(staff_client, url)
    _fill_enterprise(enterprise, 5, 45, handler)
    assert _queries(staff_client, url) == five


LIST_FACTORIES = {
    "enterprises:enterprise_list": lambda: EnterpriseFactory(),
    "enterprises:certification_list": lambda: CertificationFactory(),
    "enterprises:yearlystatistic_list": lambda: YearlyStatisticFactory(),
    "enterprises:need_list": lambda: NeedFactory(handler=UserFactory()),
}


@pytest.mark.parametrize("url_name", LIST_FACTORIES)
def test_list_query_count_is_the_same_for_5_and_50_rows(staff_client, url_name):
    url = reverse(url_name)
    make = LIST_FACTORIES[url_name]
    for _ in range(5):
        make()
    _queries(staff_client, url)
    five = _queries(staff_client, url)
    for _ in range(45):
        make()
    response = staff_client.get(url)
    assert response.context["total"] >= 50
    assert _queries(staff_client, url) == five


def test_certification_list_filters_by_type_state_and_year(staff_client):
    wanted = CertificationFactory(year=2023, state=Certification.State.APPLIED, issued_on=None, certified_on=None)
    CertificationFactory(year=2022, state=Certification.State.APPLIED, issued_on=None, certified_on=None)
    CertificationFactory(year=2023)
    CertificationFactory(year=2023, type=tech_sme_type(), state=Certification.State.APPLIED, issued_on=None)
    response = staff_client.get(
        reverse("enterprises:certification_list"),
        {"type": wanted.type.pk, "state": "applied", "year": 2023},
    )
    assert response.context["total"] == 1
    assert wanted.enterprise.name in response.content.decode()


def test_need_list_filters_by_state_kind_and_year(staff_client):
    wanted = NeedFactory(kind=Need.Kind.TALENT, state=Need.State.PENDING, collected_on=datetime.date(2024, 3, 1))
    NeedFactory(kind=Need.Kind.TALENT, state=Need.State.PENDING, collected_on=datetime.date(2023, 3, 1))
    NeedFactory(kind=Need.Kind.TECHNOLOGY, state=Need.State.PENDING, collected_on=datetime.date(2024, 3, 1))
    response = staff_client.get(reverse("enterprises:need_list"), {"kind": "talent", "state": "pending", "year": 2024})
    assert response.context["total"] == 1
    assert wanted.title in response.content.decode()


def test_statistics_list_filters_by_year_and_town(staff_client):
    wanted = YearlyStatisticFactory(year=2024)
    YearlyStatisticFactory(year=2023, enterprise=wanted.enterprise)
    other_town = YearlyStatisticFactory(year=2024)
    other_town.enterprise.town = None
    other_town.enterprise.save()
    response = staff_client.get(
        reverse("enterprises:yearlystatistic_list"), {"year": 2024, "town": wanted.enterprise.town_id}
    )
    assert response.context["total"] == 1


def test_statistics_export_keeps_money_exact(staff_client):
    from io import BytesIO

    from openpyxl import load_workbook

    YearlyStatisticFactory(year=2024, rd_expenditure=Decimal("1234.5678"))
    response = staff_client.get(reverse("enterprises:yearlystatistic_list"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    headers = [c.value for c in sheet[1]]
    assert "研发经费支出(万元)" in headers
    assert Decimal(str(sheet.cell(2, headers.index("研发经费支出(万元)") + 1).value)) == Decimal("1234.5678")
