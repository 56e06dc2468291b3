import pytest

from bureau.core.models import Policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_creates_a_policy_and_sees_it_in_the_list(page, live_server, login, shot):
    login(page, "staff")
    shot(page, "foundation-home")
    page.click("text=政策文件")
    page.click("text=新建政策文件")
    page.fill("input[name=title]", "示例县关于加强人才和科技创新工作的若干政策意见")
    page.fill("input[name=document_number]", "示政发〔2019〕8号")
    page.fill("input[name=issuer]", "示例县人民政府")
    page.fill("input[name=issued_on]", "2019-03-15")
    shot(page, "foundation-policy-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建政策文件")
    shot(page, "foundation-policy-detail")
    assert Policy.objects.get().document_number == "示政发〔2019〕8号"
    page.click("nav[aria-label=breadcrumb] >> text=政策文件")
    row = page.locator("table tbody tr", has_text="若干政策意见")
    assert row.count() == 1
    assert "示政发〔2019〕8号" in row.inner_text()
    shot(page, "foundation-policy-list")


def test_login_page_on_a_phone(phone_page, live_server, shot):
    phone_page.goto(f"{live_server.url}/accounts/login/")
    assert phone_page.locator("button[type=submit]").is_visible()
    shot(phone_page, "foundation-login-phone")
