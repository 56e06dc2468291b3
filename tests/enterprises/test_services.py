import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enterprises.models import Certification, Enterprise, Need, YearlyStatistic
from enterprises.services import (
    certification_create,
    certification_update,
    enterprise_create,
    enterprise_update,
    need_create,
    need_update,
    yearly_statistic_create,
)
from enterprises.validators import make_credit_code
from tests.enterprises.factories import (
    CertificationTypeFactory,
    EnterpriseFactory,
    NeedFactory,
    TownFactory,
    YearlyStatisticFactory,
    high_tech_type,
    tech_sme_type,
)

pytestmark = pytest.mark.django_db


# --- enterprises ------------------------------------------------------------------------------


def test_created_enterprise_gets_pinyin_initials_and_a_normalised_code():
    code = make_credit_code("91370323MA3C4X5Y6")
    enterprise = enterprise_create(
        actor=None, name="鲁中重工科技有限公司", credit_code=f" {code[:8]} {code[8:].lower()}", town=TownFactory()
    )
    assert enterprise.name_initials == "lzzgkjyxgs"
    assert enterprise.credit_code == code


def test_renaming_an_enterprise_updates_its_initials():
    enterprise = enterprise_create(
        actor=None, name="沂源县华康药业有限公司", credit_code=make_credit_code("91370323MA3C4X5Y6")
    )
    enterprise_update(actor=None, enterprise=enterprise, name="沂源瑞丰新材料有限公司")
    enterprise.refresh_from_db()
    assert enterprise.name_initials == "yyrfxclyxgs"


def test_enterprise_with_a_wrong_check_character_is_refused_in_chinese():
    code = make_credit_code("91370323MA3C4X5Y6")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        enterprise_create(actor=None, name="沂源县测试有限公司", credit_code=wrong)
    assert f"校验位应为 {code[17]}" in str(info.value)
    assert not Enterprise.objects.exists()


def test_duplicate_credit_code_is_refused():
    existing = EnterpriseFactory()
    with pytest.raises(ValidationError) as info:
        enterprise_create(actor=None, name="另一家公司", credit_code=existing.credit_code.lower())
    assert "统一社会信用代码" in str(info.value)


# --- certifications ---------------------------------------------------------------------------


def test_high_tech_certificate_expires_three_years_less_a_day_after_issue():
    cert = certification_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        type=high_tech_type(),
        year=2021,
        state=Certification.State.CERTIFIED,
        certified_on=datetime.date(2021, 12, 15),
    )
    assert cert.issued_on == datetime.date(2021, 12, 15)
    assert cert.expires_on == datetime.date(2024, 12, 14)


def test_tech_sme_registration_is_valid_one_year():
    cert = certification_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        type=tech_sme_type(),
        year=2024,
        state=Certification.State.CERTIFIED,
        certified_on=datetime.date(2024, 5, 10),
    )
    assert cert.expires_on == datetime.date(2025, 5, 9)


def test_certificate_issued_on_29_february_ends_on_27_february():
    cert = certification_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        type=high_tech_type(),
        year=2024,
        state=Certification.State.CERTIFIED,
        certified_on=datetime.date(2024, 2, 29),
    )
    assert cert.expires_on == datetime.date(2027, 2, 27)


def test_an_entered_expiry_date_is_kept():
    cert = certification_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        type=high_tech_type(),
        year=2021,
        state=Certification.State.CERTIFIED,
        certified_on=datetime.date(2021, 12, 1),
        issued_on=datetime.date(2021, 12, 15),
        expires_on=datetime.date(2024, 12, 31),
    )
    assert (cert.issued_on, cert.expires_on) == (datetime.date(2021, 12, 15), datetime.date(2024, 12, 31))


def test_type_without_fixed_validity_leaves_expiry_open():
    gazelle = CertificationTypeFactory(code="gazelle_test", name="瞪羚企业（测试）", validity_years=None)
    cert = certification_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        type=gazelle,
        year=2022,
        state=Certification.State.CERTIFIED,
        certified_on=datetime.date(2022, 8, 1),
    )
    assert cert.expires_on is None


def test_certified_without_a_date_is_refused():
    with pytest.raises(ValidationError) as info:
        certification_create(
            actor=None,
            enterprise=EnterpriseFactory(),
            type=high_tech_type(),
            year=2023,
            state=Certification.State.CERTIFIED,
        )
    assert "请填写认定日期" in str(info.value)


def test_moving_an_application_to_certified_fills_the_certificate_dates():
    cert = certification_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        type=high_tech_type(),
        year=2023,
        state=Certification.State.APPLIED,
        applied_on=datetime.date(2023, 6, 1),
    )
    assert cert.expires_on is None
    certification_update(
        actor=None, certification=cert, state=Certification.State.CERTIFIED, certified_on=datetime.date(2023, 11, 30)
    )
    cert.refresh_from_db()
    assert cert.expires_on == datetime.date(2026, 11, 29)


def test_expiry_before_issue_is_refused():
    with pytest.raises(ValidationError) as info:
        certification_create(
            actor=None,
            enterprise=EnterpriseFactory(),
            type=high_tech_type(),
            year=2023,
            state=Certification.State.CERTIFIED,
            certified_on=datetime.date(2023, 11, 30),
            expires_on=datetime.date(2023, 1, 1),
        )
    assert "有效期至不能早于发证日期" in str(info.value)


def test_same_type_twice_in_a_year_is_refused_in_chinese():
    enterprise = EnterpriseFactory()
    kwargs = {"enterprise": enterprise, "type": high_tech_type(), "year": 2023, "state": Certification.State.APPLIED}
    certification_create(actor=None, **kwargs)
    with pytest.raises(ValidationError) as info:
        certification_create(actor=None, **kwargs)
    assert "该企业2023年的国家高新技术企业记录已存在" in str(info.value)


# --- yearly statistics: one row per enterprise and year -------------------------------------


def test_second_statistic_for_the_same_year_is_refused_by_the_service():
    existing = YearlyStatisticFactory(year=2019)
    with pytest.raises(ValidationError) as info:
        yearly_statistic_create(actor=None, enterprise=existing.enterprise, year=2019, rd_expenditure=Decimal("12.5"))
    assert info.value.messages == ["该企业2019年的统计数据已存在"]
    assert YearlyStatistic.objects.count() == 1


def test_second_statistic_for_the_same_year_is_refused_by_the_form(staff_client):
    existing = YearlyStatisticFactory(year=2019)
    response = staff_client.post(
        reverse("enterprises:yearlystatistic_add"),
        {"enterprise": existing.enterprise.pk, "year": "2019", "rd_expenditure": "88"},
    )
    assert response.status_code == 200
    assert "该企业2019年的统计数据已存在" in response.content.decode()
    assert YearlyStatistic.objects.count() == 1


def test_the_same_enterprise_may_report_another_year():
    existing = YearlyStatisticFactory(year=2019)
    yearly_statistic_create(actor=None, enterprise=existing.enterprise, year=2020, rd_expenditure=Decimal("300.1234"))
    assert existing.enterprise.yearly_statistics.get(year=2020).rd_expenditure == Decimal("300.1234")


def test_statistic_money_is_kept_exact_to_the_yuan():
    stat = yearly_statistic_create(
        actor=None, enterprise=EnterpriseFactory(), year=2020, rd_expenditure=Decimal("1234.5678")
    )
    stat.refresh_from_db()
    assert stat.rd_expenditure == Decimal("1234.5678")


def test_invention_patents_cannot_exceed_all_patents_granted():
    with pytest.raises(ValidationError) as info:
        yearly_statistic_create(
            actor=None, enterprise=EnterpriseFactory(), year=2020, patents_granted=3, invention_patents_granted=5
        )
    assert "发明专利授权量不能大于专利授权量" in str(info.value)


# --- needs ------------------------------------------------------------------------------------


def test_resolved_need_requires_a_resolution_date():
    need = NeedFactory(state=Need.State.IN_PROGRESS)
    with pytest.raises(ValidationError) as info:
        need_update(actor=None, need=need, state=Need.State.RESOLVED, result="与山东理工大学合作完成工艺改进")
    assert "请填写解决日期" in str(info.value)
    need.refresh_from_db()
    assert need.state == Need.State.IN_PROGRESS


def test_need_is_resolved_with_a_date_and_result():
    need = need_create(
        actor=None,
        enterprise=EnterpriseFactory(),
        title="生物发酵工艺优化",
        collected_on=datetime.date(2023, 3, 2),
        kind=Need.Kind.TECHNOLOGY,
    )
    need_update(
        actor=None, need=need, state=Need.State.RESOLVED, resolved_on=datetime.date(2023, 9, 1), result="已对接解决"
    )
    need.refresh_from_db()
    assert (need.state, need.resolved_on) == (Need.State.RESOLVED, datetime.date(2023, 9, 1))


def test_need_cannot_be_resolved_before_it_was_collected():
    with pytest.raises(ValidationError) as info:
        need_create(
            actor=None,
            enterprise=EnterpriseFactory(),
            title="人才引进",
            collected_on=datetime.date(2023, 3, 2),
            state=Need.State.RESOLVED,
            resolved_on=datetime.date(2023, 1, 2),
        )
    assert "解决日期不能早于征集日期" in str(info.value)


def test_form_with_only_the_certification_date_saves_the_computed_expiry(staff_client):
    enterprise = EnterpriseFactory()
    response = staff_client.post(
        reverse("enterprises:certification_add"),
        {
            "enterprise": enterprise.pk,
            "type": high_tech_type().pk,
            "year": "2024",
            "state": "certified",
            "certified_on": "2024-12-05",
            "first_time": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    cert = enterprise.certifications.get()
    assert (cert.issued_on, cert.expires_on) == (datetime.date(2024, 12, 5), datetime.date(2027, 12, 4))


def test_form_refuses_certified_without_a_date_in_chinese(staff_client):
    response = staff_client.post(
        reverse("enterprises:certification_add"),
        {"enterprise": EnterpriseFactory().pk, "type": high_tech_type().pk, "year": "2024", "state": "certified"},
    )
    assert response.status_code == 200
    assert "已认定的资质请填写认定日期" in response.content.decode()
    assert "约束" not in response.content.decode()


def test_migration_seeds_the_types_the_indicators_rely_on():
    from enterprises.models import CertificationType

    seeded = {t.code: (t.name, t.validity_years) for t in CertificationType.objects.all()}
    assert seeded["high_tech"] == ("国家高新技术企业", 3)
    assert seeded["tech_sme"] == ("科技型中小企业", 1)
    assert {"省科技型中小企业", "知识产权优势企业", "省科技创新型企业"} <= {name for name, _ in seeded.values()}


def test_enterprise_with_certifications_cannot_be_deleted(staff_client):
    from tests.enterprises.factories import CertificationFactory

    cert = CertificationFactory()
    response = staff_client.post(reverse("enterprises:enterprise_delete", args=[cert.enterprise.pk]), follow=True)
    assert "仍有关联的企业资质" in response.content.decode()
    assert Enterprise.objects.filter(pk=cert.enterprise.pk).exists()
