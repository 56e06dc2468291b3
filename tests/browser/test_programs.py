"""Staff create an application, a reviewer recommends it, staff record 已立项; the timeline shows each step."""

import pytest

from bureau.accounts.roles import REVIEWER
from programs.models import Application, Level
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user
from tests.enterprises.factories import EnterpriseFactory
from tests.programs.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TITLE = "高性能镁质耐火材料关键技术研究与产业化"


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def take_step(page, button: str, fields: dict | None = None, comment: str = ""):
    """Open the step's form from the 办理 card, fill it and confirm."""
    if not page.locator(f"form:has(button:has-text('确认{button}'))").is_visible():
        # (a refused step comes back with its form open: a click would close it)
        page.click(f".workflow-card button[data-bs-toggle=collapse]:has-text('{button}')")
    # Bootstrap's collapse has finished opening (.collapsing → .collapse.show): a click during the
    # animation can be lost.
    form = page.locator(f".workflow-card .collapse.show form:has(button:has-text('确认{button}'))")
    form.wait_for(state="visible")
    for name, value in (fields or {}).items():
        form.locator(f"[name$='-{name}']").fill(value)
    if comment:
        form.locator("textarea[name$='-comment']").fill(comment)
    with page.expect_navigation():
        form.locator(f"button:has-text('确认{button}')").click()
    page.wait_for_selector(f".alert-success:has-text('已执行「{button}」')")


def test_application_goes_from_draft_to_approved_with_a_timeline(browser, page, phone_page, live_server, login, shot):
    enterprise = EnterpriseFactory(name="山东鲁阳节能材料股份有限公司")
    ProgramFactory(name="省重点研发计划(科技创新类)", level=Level.PROVINCIAL)
    login(page, "staff")

    # 1. staff create the application from the list
    page.click("nav#sidebar >> text=项目申报")
    page.click("text=新建项目申报")
    page.fill("input[name=title]", TITLE)
    page.click(".ts-control")
    page.keyboard.type("鲁阳", delay=40)
    page.locator(".ts-dropdown .option", has_text="山东鲁阳节能材料股份有限公司").click()
    page.select_option("select[name=program]", label="省重点研发计划(科技创新类)（省级）")
    page.fill("input[name=year]", "2019")
    page.fill("input[name=amount_requested]", "150")
    shot(page, "programs-application-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已新建项目申报")
    take_step(page, "提交审核", comment="材料已齐全，请审核")

    # 2. a reviewer recommends it
    reviewer_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    reviewer_page = reviewer_context.new_page()
    reviewer_page.set_default_timeout(15_000)
    log_in(reviewer_page, live_server, make_user(REVIEWER, username="b_reviewer", password=PASSWORD))
    reviewer_page.goto(f"{live_server.url}/programs/applications/?status=county_review")
    reviewer_page.click(f"text={TITLE}")
    assert reviewer_page.locator(".workflow-card button[data-bs-toggle=collapse]:has-text('退回修改')").is_visible()
    take_step(reviewer_page, "推荐上报", comment="符合申报条件，同意推荐")
    shot(reviewer_page, "programs-application-recommended")
    reviewer_context.close()

    # 3. staff record the upper level's decision
    page.reload()
    assert page.locator(".workflow-card button[data-bs-toggle=collapse]:has-text('登记立项')").is_visible()
    page.click(".workflow-card button[data-bs-toggle=collapse]:has-text('登记立项')")
    approve = page.locator(".workflow-card .collapse.show form:has(button:has-text('确认登记立项'))")
    approve.wait_for(state="visible")  # the collapse has opened (a click mid-animation could be lost)
    with page.expect_navigation():
        approve.locator("button:has-text('确认登记立项')").click()
    page.wait_for_selector("text=请填写获批资金(万元)")  # refused without the amount, form kept open
    shot(page, "programs-application-approve-error")
    take_step(page, "登记立项", {"approved_amount": "120", "approved_on": "2019-09-20"}, "省科技厅立项批复")

    app = Application.objects.get()
    assert app.status == Application.Status.APPROVED
    timeline = page.locator("[data-testid=timeline] li[data-action]")
    assert timeline.count() == 3
    steps = timeline.all_inner_texts()
    assert "提交审核" in steps[0] and "推荐上报" in steps[1] and "登记立项" in steps[2]
    assert "符合申报条件，同意推荐" in steps[1]
    assert page.locator("[data-figure=approved]").inner_text() == "120"
    shot(page, "programs-application-approved")

    # the same page on a phone
    login(phone_page, "staff", username="b_staff_phone")
    phone_page.goto(f"{live_server.url}{app.get_absolute_url()}")
    assert phone_page.locator("[data-testid=timeline] li[data-action]").count() == 3
    shot(phone_page, "programs-application-phone")
    phone_page.goto(f"{live_server.url}/programs/applications/")
    shot(phone_page, "programs-application-list-phone")
    page.goto(f"{live_server.url}/programs/applications/")
    shot(page, "programs-application-list")

    # and on the enterprise's page (一企一档)
    page.goto(f"{live_server.url}{enterprise.get_absolute_url()}")
    section = page.locator("section#applications")
    assert TITLE in section.inner_text() and "已立项" in section.inner_text()
    section.scroll_into_view_if_needed()
    shot(page, "programs-enterprise-profile", full_page=False)
