"""A staff user builds an enterprise's file in the browser and reads it back on the profile."""

import datetime

import pytest

from enterprises.models import Certification, Enterprise, YearlyStatistic
from enterprises.validators import make_credit_code
from tests.enterprises.factories import TownFactory, high_tech_type, tech_sme_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CODE = make_credit_code("91370323MA3C4X5Y6")


def pick_enterprise(page, initials: str, name: str):
    """Type pinyin initials into the enterprise picker and choose the match."""
    page.click(".ts-control")
    page.keyboard.type(initials, delay=40)
    page.locator(".ts-dropdown .option", has_text=name).click()


def test_staff_builds_an_enterprise_profile(page, phone_page, live_server, login, shot):
    TownFactory(name="南麻街道")
    high_tech_type()
    tech_sme_type()  # the seeded rows do not survive a transactional test's flush
    login(page, "staff")

    # 1. the enterprise
    page.goto(f"{live_server.url}/enterprises/enterprises/add/")
    page.fill("input[name=name]", "鲁中新材料科技有限公司")
    page.fill("input[name=credit_code]", CODE[:-1] + ("0" if CODE[-1] != "0" else "1"))
    page.select_option("select[name=town]", label="南麻街道")
    page.select_option("select[name=scale]", label="规上")
    page.fill("input[name=contact]", "李明")
    page.fill("input[name=phone]", "0533-3221188")
    page.fill("input[name=address]", "沂源县经济开发区瑞阳路16号")
    page.click("button:has-text('保存')")
    page.wait_for_selector(f"text=校验位应为 {CODE[-1]}")
    shot(page, "enterprises-form-check-digit-error")
    page.fill("input[name=credit_code]", CODE.lower())
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建企业")
    enterprise = Enterprise.objects.get()
    assert enterprise.credit_code == CODE and enterprise.name_initials == "lzxclkjyxgs"

    # 2. a high-tech certificate, from the profile's prefilled "新增" link
    page.click("#certifications >> text=新增")
    assert page.locator("select[name=enterprise] option[selected]").inner_text() == "鲁中新材料科技有限公司"
    page.select_option("select[name=type]", label="国家高新技术企业")
    page.fill("input[name=year]", "2024")
    page.select_option("select[name=state]", label="已认定")
    page.fill("input[name=applied_on]", "2024-06-15")
    page.fill("input[name=certified_on]", "2024-12-05")
    page.fill("input[name=certificate_no]", "GR202437001234")
    page.check("input[name=first_time]")
    shot(page, "enterprises-certification-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建企业资质")
    cert = Certification.objects.get()
    assert (cert.issued_on, cert.expires_on) == (datetime.date(2024, 12, 5), datetime.date(2027, 12, 4))

    # 3. two years of statistics through the statistics list, choosing the enterprise by initials
    for year, rd in (("2023", "860.5"), ("2024", "1234.5678")):
        page.goto(f"{live_server.url}/enterprises/statistics/add/")
        pick_enterprise(page, "lzxcl", "鲁中新材料科技有限公司")
        page.fill("input[name=year]", year)
        page.fill("input[name=rd_expenditure]", rd)
        page.fill("input[name=revenue]", "52000")
        page.fill("input[name=industrial_output]", "48000")
        page.fill("input[name=high_tech_output]", "31000")
        page.fill("input[name=patents_applied]", "14")
        page.fill("input[name=patents_granted]", "9")
        page.fill("input[name=invention_patents_granted]", "3")
        page.fill("input[name=valid_invention_patents]", "11")
        if year == "2024":
            shot(page, "enterprises-statistic-form")
        page.click("button:has-text('保存')")
        page.wait_for_selector("text=已新建企业年度统计")
    assert YearlyStatistic.objects.filter(enterprise=enterprise).count() == 2

    # a second 2024 row is refused with a Chinese message
    page.goto(f"{live_server.url}/enterprises/statistics/add/?enterprise={enterprise.pk}")
    page.fill("input[name=year]", "2024")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=该企业2024年的统计数据已存在")

    # 4. the profile shows all of it
    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    header = page.locator(".profile-header").inner_text()
    assert "鲁中新材料科技有限公司" in header and CODE in header and "南麻街道" in header
    assert "高企 至2027-12" in header
    certs = page.locator("#certifications").inner_text()
    assert "国家高新技术企业" in certs and "2024-12-05 至 2027-12-04" in certs and "首次认定" in certs
    stats = page.locator("#statistics").inner_text()
    assert "1,234.57" in stats and "860.5" in stats
    page.wait_for_selector("#rd-chart svg")
    shot(page, "enterprises-profile-desktop")
    page.click("text=变更记录")
    page.wait_for_selector("#tab-history.show")
    assert "创建" in page.locator("#tab-history").inner_text()

    # the certification list, filtered to certificates expiring within N days
    page.goto(f"{live_server.url}/enterprises/certifications/?expiring_within=3650")
    assert page.locator("table tbody tr", has_text="鲁中新材料科技有限公司").count() == 1
    shot(page, "enterprises-certification-list")

    # 5. on a phone
    phone_page.context.add_cookies(page.context.cookies())
    phone_page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    phone_page.wait_for_selector("#rd-chart svg")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the profile scrolls sideways on a phone ({width}px)"
    assert phone_page.locator("text=高企 至2027-12").is_visible()
    shot(phone_page, "enterprises-profile-phone")
