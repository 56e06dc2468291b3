"""A 县级立项 application from 申报 to 验收 通过, in the browser: 形式审查 (returned, 补正, passed) → 公示 →
立项 → 任务书 with the first payment (a larger one refused with the amount allowed) → 中期检查 合格 → second
payment → 验收 通过. The page shows the track's stages and a timeline of every step."""

import datetime

import pytest
from django.utils import timezone

from bureau.accounts.roles import REVIEWER, STAFF
from programs.models import Application, Level, Track
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user
from tests.enterprises.factories import EnterpriseFactory
from tests.programs.factories import ApplicationFactory, CallFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TITLE = "设施蔬菜水肥一体化智能控制技术集成与示范"
S = Application.Status


def signed_in(browser, live_server, user):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def take_step(page, button: str, fields: dict | None = None, comment: str = "", ticks: list[str] = ()):
    """Open the step's form from the 办理 card, fill it (selects, checkboxes, inputs) and confirm."""
    page.click(f".workflow-card button[data-bs-toggle=collapse]:has-text('{button}')")
    form = page.locator(f".workflow-card .collapse.show form:has(button:has-text('确认{button}'))")
    form.wait_for(state="visible")  # the collapse has finished opening: a click mid-animation is lost
    for label in ticks:
        form.get_by_label(label, exact=True).check()
    for name, value in (fields or {}).items():
        field = form.locator(f"[name$='-{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    if comment:
        form.locator("textarea[name$='-comment']").fill(comment)
    with page.expect_navigation():
        form.locator(f"button:has-text('确认{button}')").click()
    page.wait_for_selector(f".alert-success:has-text('已执行「{button}」')")


def pay(page, live_server, app, amount: str):
    page.goto(f"{live_server.url}/programs/disbursements/add/?application={app.pk}")
    page.fill("input[name=amount]", amount)
    page.fill("input[name=paid_on]", timezone.localdate().isoformat())
    page.click("button:has-text('保存')")


def test_county_application_runs_from_formal_review_to_acceptance(browser, live_server, shot):
    today = timezone.localdate()
    day = lambda n: (today - datetime.timedelta(days=n)).isoformat()  # noqa: E731
    staff = make_user(STAFF, username="b_keyuan", password=PASSWORD, first_name="王科员")
    reviewer = make_user(REVIEWER, username="b_guzhang", password=PASSWORD, first_name="赵股长")
    program = ProgramFactory(name="县级科技计划项目", level=Level.COUNTY, track=Track.COUNTY, authority="县科学技术局")
    call = CallFactory(program=program, year=today.year, title=f"{today.year}年度县级科技计划项目申报")
    app = ApplicationFactory(
        title=TITLE,
        enterprise=EnterpriseFactory(name="示例县绿源蔬菜专业合作社"),
        program=program,
        call=call,
        year=today.year,
        amount_requested=50,
        handler=staff,
    )
    url = f"{live_server.url}{app.get_absolute_url()}"

    # 1. 科员: 提交申报, 形式审查 returns it for 补正 naming the item, 补正提交, 形式审查通过
    page = signed_in(browser, live_server, staff)
    page.goto(url)
    assert "县级立项流程" in page.locator("[data-testid=stages]").inner_text()
    take_step(page, "提交申报", comment="申报材料已收齐")
    take_step(page, "退回补正", ticks=["承诺书"], comment="承诺书未盖公章")
    assert "不合格项：承诺书" in page.locator("[data-testid=timeline]").inner_text()
    assert "退回补正" in page.locator("[data-testid=formal-reviews]").inner_text()
    shot(page, "county-correction")
    take_step(page, "补正提交", comment="已补交盖章承诺书")
    take_step(page, "形式审查通过", ticks=["材料齐全", "单位资格", "承诺书"])
    assert page.locator("[data-testid=stages] [aria-current=step]").inner_text().strip() == "专家评审"

    # 2. 股室负责人: 公示 on the call's page (5 working days from two weeks ago: already over), then 立项
    reviewer_page = signed_in(browser, live_server, reviewer)
    reviewer_page.goto(url)
    reviewer_page.click("text=批次公示页")
    reviewer_page.fill("input[name=starts_on]", day(14))
    reviewer_page.get_by_label(TITLE).check()
    reviewer_page.click("button:has-text('确认公示')")
    reviewer_page.wait_for_selector("text=1个项目列入公示")
    assert TITLE in reviewer_page.locator("[data-testid=publicity-list]").inner_text()
    shot(reviewer_page, "county-publicity")
    reviewer_page.goto(url)
    take_step(
        reviewer_page,
        "立项",
        {"approved_amount": "50", "approved_on": day(3), "approval_number": "示科发〔2026〕8号"},
        "公示期满无异议，同意立项",
    )

    # 3. 科员: 任务书 (60 % on signing), a payment above the plan refused, the first payment
    page.goto(url)
    take_step(
        page,
        "签订任务书",
        {
            "contract_number": "XJKJ-2026-008",
            "contract_signed_on": day(2),
            "midterm_due_on": (today + datetime.timedelta(days=180)).isoformat(),
            "acceptance_due_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert "累计最多可拨付 30 万元" in page.locator("[data-testid=payment-plan]").inner_text()
    pay(page, live_server, app, "35")
    page.wait_for_selector("text=本次最多可拨付30万元")
    shot(page, "county-payment-refused")
    pay(page, live_server, app, "30")
    page.wait_for_selector("text=已新建资金拨付")

    # 4. 中期检查 合格 → the second payment
    page.goto(url)
    take_step(page, "登记中期检查", {"midterm_checked_on": day(1), "midterm_result": "合格"}, "进度符合任务书")
    pay(page, live_server, app, "15")
    page.wait_for_selector("text=已新建资金拨付")

    # 5. 股室负责人: 验收 通过
    reviewer_page.goto(url)
    take_step(
        reviewer_page,
        "验收",
        {"accepted_on": today.isoformat(), "acceptance_result": "通过"},
        "完成任务书约定的各项指标",
    )
    app.refresh_from_db()
    assert (app.status, app.acceptance_result) == (S.ACCEPTED, "passed")
    steps = reviewer_page.locator("[data-testid=timeline] li[data-action]").all_inner_texts()
    labels = [
        "提交申报",
        "退回补正",
        "补正提交",
        "形式审查通过",
        "拟立项，列入公示",
        "立项",
        "签订任务书",
        "登记中期检查",
        "验收",
    ]
    assert [step.split("\n")[1].split(" ")[0] for step in steps] == labels  # every step, in order
    assert reviewer_page.locator("[data-figure=disbursed]").inner_text() == "45"
    shot(reviewer_page, "county-accepted")
