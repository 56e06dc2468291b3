"""科员 submits → the 股室负责人's bell shows 1 and 我的待办 lists it → the reviewer sends it back with a
comment → the 科员 sees the notification with the comment and the item in 我的待办."""

import pytest

from bureau.accounts.roles import REVIEWER, STAFF
from tests.browser.conftest import PASSWORD
from tests.browser.test_programs import log_in, take_step
from tests.conftest import make_user
from tests.programs.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TITLE = "盐碱地耐逆作物新品种选育与示范"


def new_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_submit_then_send_back_reaches_each_side(browser, live_server, shot):
    keyuan = make_user(STAFF, username="b_keyuan", first_name="王科员", password=PASSWORD)
    guzhang = make_user(REVIEWER, username="b_guzhang", first_name="赵股长", password=PASSWORD)
    app = ApplicationFactory(title=TITLE, handler=keyuan)

    # 1. 科员 submits
    staff_ctx, staff_page = new_page(browser)
    log_in(staff_page, live_server, keyuan)
    staff_page.goto(f"{live_server.url}{app.get_absolute_url()}")
    take_step(staff_page, "提交审核")

    # 2. the reviewer's bell shows 1 and 我的待办 lists the application
    rev_ctx, rev_page = new_page(browser)
    log_in(rev_page, live_server, guzhang)
    assert rev_page.locator("[data-bell-count]").inner_text() == "1"
    work = rev_page.locator("#my-work")
    assert work.locator("[data-work-item]", has_text=TITLE).count() == 1
    assert "待审核" in work.inner_text()
    shot(rev_page, "notifications-reviewer-home", full_page=False)

    # 3. the reviewer opens it from the bell's inbox and sends it back with a comment
    rev_page.click("[data-bell]")
    rev_page.wait_for_selector(f"[data-notification]:has-text('{TITLE}')")
    shot(rev_page, "notifications-reviewer-inbox", full_page=False)
    rev_page.locator("[data-notification]", has_text=TITLE).locator("button:has-text('查看')").click()
    rev_page.wait_for_url(f"**{app.get_absolute_url()}")
    take_step(rev_page, "退回修改", comment="请补充近三年的研发投入明细")
    assert rev_page.locator("[data-bell-count]").count() == 0  # read on opening

    # 4. the 科员 sees the notification with the comment, and the item in 我的待办
    staff_page.goto(f"{live_server.url}/")
    assert staff_page.locator("[data-bell-count]").inner_text() == "1"
    item = staff_page.locator("#my-work [data-work-item]", has_text=TITLE)
    assert "被退回" in item.inner_text() and "请补充近三年的研发投入明细" in item.inner_text()
    shot(staff_page, "notifications-staff-home", full_page=False)
    staff_page.click("[data-bell]")
    note = staff_page.locator("[data-notification]", has_text=TITLE)
    assert "被退回修改" in note.inner_text() and "意见：请补充近三年的研发投入明细" in note.inner_text()
    assert "赵股长" in note.inner_text()
    shot(staff_page, "notifications-staff-inbox", full_page=False)
    staff_ctx.close()
    rev_ctx.close()
