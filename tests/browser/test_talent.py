import re

import pytest

from bureau.records.urls import record_url
from talent.models import CooperationAgreement, Platform, PlatformEvaluation
from tests.enterprises.factories import EnterpriseFactory
from tests.talent.factories import InstitutionFactory, PlatformTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_add_a_platform_and_its_evaluation_and_see_both_on_the_enterprise_page(page, live_server, login, shot):
    enterprise = EnterpriseFactory(name="山东沂源新材料科技有限公司")
    # A transactional test may follow one that flushed the seeded types: make sure this one exists.
    PlatformTypeFactory(code="academician_workstation", name="院士工作站")
    login(page, "staff")
    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    section = page.locator("section#platforms")
    assert "暂无创新平台记录" in section.inner_text()
    section.get_by_role("link", name="新增").click()

    page.wait_for_selector("text=新建创新平台")
    assert "山东沂源新材料科技有限公司" in page.locator(".field-host_enterprise, #div_id_host_enterprise").inner_text()
    page.fill("input[name=name]", "山东沂源新材料院士工作站")
    page.select_option("select[name=type]", label="院士工作站")
    page.select_option("select[name=level]", label="省级")
    page.select_option("select[name=state]", label="已认定")
    page.fill("input[name=year]", "2019")
    page.fill("input[name=applied_on]", "2019-04-10")
    page.fill("input[name=certified_on]", "2019-11-20")
    shot(page, "talent-platform-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建创新平台")
    platform = Platform.objects.get()
    assert platform.host_enterprise == enterprise

    page.click("text=新增绩效评估")
    page.wait_for_selector("text=新建平台绩效评估")
    page.fill("input[name=year]", "2020")
    page.select_option("select[name=result]", label="优秀")
    page.fill("input[name=reward]", "100")
    shot(page, "talent-evaluation-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建平台绩效评估")
    evaluation = PlatformEvaluation.objects.get()
    assert evaluation.platform == platform
    assert str(evaluation.reward) == "100.0000"

    page.goto(f"{live_server.url}{platform.get_absolute_url()}")
    evaluations = page.locator("section#evaluations")
    assert "2020年" in evaluations.inner_text()
    assert "优秀" in evaluations.inner_text()
    shot(page, "talent-platform-detail")

    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    row = page.locator("section#platforms tbody tr", has_text="山东沂源新材料院士工作站")
    assert row.count() == 1
    text = row.inner_text()
    assert "省级院士工作站" in text
    assert "已认定" in text
    assert re.search(r"2020年\s*优秀\s*奖励 100 万元", text)
    page.locator("section#platforms").scroll_into_view_if_needed()
    shot(page, "talent-enterprise-profile-section", full_page=False)
    shot(page, "talent-enterprise-profile")


def test_staff_record_an_agreement_with_two_enterprises_and_a_university(page, live_server, login, shot):
    first = EnterpriseFactory(name="沂源县瑞丰新材料有限公司")
    second = EnterpriseFactory(name="淄博鲁源药业有限公司")
    InstitutionFactory(name="山东理工大学")
    InstitutionFactory(name="山东大学")
    login(page, "staff")
    page.goto(f"{live_server.url}{record_url(CooperationAgreement, 'add')}?enterprises={first.pk}")
    page.fill("input[name=title]", "新型复合材料联合研发协议")
    # The enterprise picker searches the server; the institutions list is enhanced in place.
    enterprises = page.locator("#id_enterprises-ts-control")
    enterprises.fill("鲁源")
    page.locator(".ts-dropdown .option", has_text="淄博鲁源药业有限公司").click()
    institutions = page.locator("#id_institutions-ts-control")
    institutions.fill("理工")
    page.locator(".ts-dropdown .option", has_text="山东理工大学").click()
    page.fill("input[name=signed_on]", "2019-09-12")
    page.fill("input[name=funds]", "150")
    page.keyboard.press("Escape")
    shot(page, "talent-agreement-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建产学研合作")
    agreement = CooperationAgreement.objects.get()
    assert set(agreement.enterprises.all()) == {first, second}
    assert [i.name for i in agreement.institutions.all()] == ["山东理工大学"]
    shot(page, "talent-agreement-detail")
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    assert "新型复合材料联合研发协议" in page.locator("section#cooperation").inner_text()
