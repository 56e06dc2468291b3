"""A 县级立项 application from 申报 to 验收 通过, in the browser: 形式审查 (returned, 补正, passed) → an
expert round with five experts (a sixth refused for 回避; the expert signed in sees only their assignment)
→ ranking → 公示 → 立项 → 任务书 with the first payment (a larger one refused with the amount allowed) →
中期检查 合格 → second payment → 验收 通过. The page shows the track's stages and a timeline of every step."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from bureau.accounts.roles import EXPERT, REVIEWER, STAFF
from programs.models import Application, Level, Track
from programs.review_forms import expert_label
from programs.review_services import assignment_declare, assignment_score, score_criterion_add
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user
from tests.enterprises.factories import EnterpriseFactory
from tests.programs.factories import (
    ApplicationFactory,
    CallFactory,
    ExpertFactory,
    ProgramFactory,
    ReviewRoundFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
TITLE = "设施蔬菜水肥一体化智能控制技术集成与示范"
S = Application.Status


def signed_in(browser, live_server, user, landing: str = "/"):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{landing}")
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
    applicant = EnterpriseFactory(name="示例县绿源蔬菜专业合作社")
    app = ApplicationFactory(
        title=TITLE,
        enterprise=applicant,
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

    # 2. 专家评审: a round with a score sheet; five experts assigned, a sixth (employed by the applicant) refused
    review_round = ReviewRoundFactory(call=call, recommend_score=Decimal(70))
    criteria = [
        score_criterion_add(actor=None, round_id=review_round.pk, name=name, maximum=Decimal(maximum))
        for name, maximum in (("技术先进性", 40), ("实施方案可行性", 30), ("经济社会效益", 30))
    ]
    expert_user = make_user(EXPERT, username="b_zhuanjia", password=PASSWORD, first_name="孙立华")
    experts = [ExpertFactory(name="孙立华", field="现代农业", user=expert_user)]
    experts += [ExpertFactory(field="现代农业") for _ in range(4)]
    insider = ExpertFactory(name="钱有才", employer="示例县绿源蔬菜专业合作社", employer_enterprise=applicant)
    other = ApplicationFactory(title="农产品冷链物流保鲜技术示范", program=program, call=call, year=today.year)
    reviewer_page = signed_in(browser, live_server, reviewer)
    reviewer_page.goto(f"{live_server.url}{review_round.get_absolute_url()}")
    for expert in [*experts, insider]:
        form = reviewer_page.locator("[data-testid=assign-form]")
        form.locator("select[name=application]").select_option(value=str(app.pk))
        # The pool is searched, not listed: type the name, pick the expert with field and employer.
        form.locator("#id_expert-ts-control").fill(expert.name)
        reviewer_page.locator(".ts-dropdown .option", has_text=expert_label(expert)).click()
        with reviewer_page.expect_navigation():
            form.locator("button:has-text('指派')").click()
    reviewer_page.wait_for_selector(".alert-danger:has-text('专家钱有才任职于申报单位')")
    assert "应当回避" in reviewer_page.locator(".alert-danger").inner_text()
    assert reviewer_page.locator("[data-testid=assignments] tbody tr").count() == 5
    shot(reviewer_page, "county-experts-assigned")

    # the expert signs in and sees only their assignment; declares no conflict and scores it
    expert_page = signed_in(browser, live_server, expert_user, landing="/programs/reviews/mine/")
    assert TITLE in expert_page.locator("[data-testid=my-reviews]").inner_text()
    assert other.title not in expert_page.content()
    expert_page.click(f"text={TITLE}")
    expert_page.check("input[name=conflict][value=no]")
    with expert_page.expect_navigation():
        expert_page.click("button:has-text('提交声明')")
    inputs = expert_page.locator("[data-testid=score-form] input[type=number]")
    for i, value in enumerate(("34", "26", "24")):  # 84
        inputs.nth(i).fill(value)
    with expert_page.expect_navigation():
        expert_page.click("[data-testid=score-form] button:has-text('保存评分')")
    expert_page.wait_for_selector(".alert-success:has-text('评分已保存')")
    shot(expert_page, "county-expert-scored")
    assert expert_page.goto(f"{live_server.url}{app.get_absolute_url()}").status == 403
    expert_page.context.close()
    # the other four experts' paper sheets (totals 90, 80, 76, 60): 90 and 60 dropped → (84 + 80 + 76) / 3
    assignments = {a.expert_id: a for a in review_round.assignments.all()}
    for expert, values in zip(experts[1:], ((36, 28, 26), (32, 24, 24), (30, 24, 22), (24, 18, 18)), strict=True):
        assignment = assignments[expert.pk]
        assignment_declare(actor=reviewer, assignment_id=assignment.pk, conflict=False)
        assignment_score(
            actor=reviewer,
            assignment_id=assignment.pk,
            values={c.pk: Decimal(v) for c, v in zip(criteria, values, strict=True)},
        )
    reviewer_page.reload()
    ranking = reviewer_page.locator("[data-testid=ranking] tbody tr").first
    assert TITLE in ranking.inner_text() and "80.00" in ranking.inner_text() and "建议立项" in ranking.inner_text()
    reviewer_page.on("dialog", lambda dialog: dialog.accept())
    with reviewer_page.expect_navigation():
        reviewer_page.click("[data-testid=close-round]")
    reviewer_page.wait_for_selector(".alert-success:has-text('评审已结束')")
    shot(reviewer_page, "county-ranking")

    # 3. 股室负责人: 公示 on the call's page (5 working days from two weeks ago: already over), then 立项
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

    # 4. 科员: 任务书 (60 % on signing), a payment above the plan refused, the first payment
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

    # 5. 中期检查 合格 → the second payment
    page.goto(url)
    take_step(page, "登记中期检查", {"midterm_checked_on": day(1), "midterm_result": "合格"}, "进度符合任务书")
    pay(page, live_server, app, "15")
    page.wait_for_selector("text=已新建资金拨付")

    # 6. 股室负责人: 验收 通过
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
