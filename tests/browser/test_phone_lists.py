"""On a 390×844 phone: lists as cards with full names, a money drill-down with its amounts and total,
and the header search finding an enterprise by pinyin initials."""

from decimal import Decimal

import pytest

from tests.enterprises.factories import EnterpriseFactory
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_NAME = "山东沂源鲁中新材料科技股份有限公司"


def test_enterprise_list_on_a_phone_is_cards_with_full_names(phone_page, live_server, login, shot):
    EnterpriseFactory(name=LONG_NAME)
    EnterpriseFactory(name="淄博沂河精密机械制造有限公司")
    login(phone_page, "staff")
    phone_page.goto(f"{live_server.url}/enterprises/enterprises/")
    title = phone_page.locator("td.cell-title", has_text=LONG_NAME)
    box = title.bounding_box()
    # A card, not a squeezed column: the name cell spans most of the 390 px screen.
    assert box["width"] > 300
    assert phone_page.locator("thead").first.is_hidden()
    assert phone_page.locator("td.cell-key[data-label='统一社会信用代码']").first.is_visible()
    shot(phone_page, "phone-enterprise-list-cards")


def test_money_drill_down_on_a_phone_shows_records_amounts_and_total(phone_page, live_server, login, shot):
    ApplicationFactory(approved=True, approved_amount=Decimal("100"), title="高性能碳纤维复合材料研发")
    ApplicationFactory(approved=True, approved_amount=Decimal("60.5"), title="智能农机装备关键部件攻关")
    login(phone_page, "leader")
    phone_page.goto(f"{live_server.url}/programs/applications/?indicator=funds_approved&year=2019")
    assert phone_page.locator("details.filter-card").get_attribute("open") is None
    total = phone_page.locator("[data-list-total]")
    assert "160.5" in total.inner_text()
    assert total.is_visible()
    amount = phone_page.locator("td.cell-key[data-label='获批资金(万元)']", has_text="60.5")
    assert amount.is_visible()
    assert phone_page.locator("td.cell-title", has_text="智能农机装备关键部件攻关").is_visible()
    shot(phone_page, "phone-money-drill-down")


def test_header_search_on_a_phone_finds_an_enterprise_by_pinyin_initials(phone_page, live_server, login, shot):
    enterprise = EnterpriseFactory(name="沂源新材料科技有限公司")
    EnterpriseFactory(name="鲁中精密机械有限公司")
    login(phone_page, "staff")
    box = phone_page.locator("input[data-global-search]")
    box.click()
    box.type("yyxcl", delay=60)
    hit = phone_page.locator("#search-suggest a[data-search-hit]", has_text="沂源新材料科技有限公司")
    hit.wait_for()
    assert "拼音首字母" in phone_page.locator("#search-suggest").inner_text()
    shot(phone_page, "phone-header-search-suggestions", full_page=False)
    hit.click()
    phone_page.wait_for_url(f"{live_server.url}{enterprise.get_absolute_url()}")
    assert phone_page.locator("h1", has_text="沂源新材料科技有限公司").is_visible()


def test_slash_key_focuses_the_header_search_and_enter_opens_the_full_page(page, live_server, login, shot):
    EnterpriseFactory(name="沂源新材料科技有限公司")
    login(page, "staff")
    page.keyboard.press("/")
    page.keyboard.type("新材料")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("section", has_text="企业").locator("a", has_text="沂源新材料科技有限公司").is_visible()
    shot(page, "search-full-page")
