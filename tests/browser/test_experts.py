"""An expert signs in and sees only their assignment, declares no conflict and scores it; a reviewer
sees the ranking (five experts: the highest and the lowest dropped) and closes the round."""

from decimal import Decimal

import pytest

from bureau.accounts.roles import EXPERT, REVIEWER
from programs.review_services import assignment_declare, assignment_score, review_assign, score_criterion_add
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user
from tests.programs.factories import ApplicationFactory, ExpertFactory, ReviewRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, live_server, user, landing: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{landing}")


def test_an_expert_scores_their_assignment_and_a_reviewer_ranks_the_call(page, live_server, shot, browser):
    round_ = ReviewRoundFactory(call__title="2026年度县级科技计划项目申报")
    for name, maximum in (("技术先进性", 40), ("实施方案可行性", 30), ("经济社会效益", 30)):
        score_criterion_add(actor=None, round_id=round_.pk, name=name, maximum=Decimal(maximum))
    mine = ApplicationFactory(
        title="智能化果蔬分拣装备研发与示范",
        call=round_.call,
        program=round_.call.program,
        summary="基于机器视觉的分拣。",
    )
    other = ApplicationFactory(title="农村污水生态处理技术集成", call=round_.call, program=round_.call.program)
    user = make_user(EXPERT, username="zhuanjia_b", first_name="孙立华", password=PASSWORD)
    expert = ExpertFactory(name="孙立华", field="智能制造", user=user)
    review_assign(actor=None, round_id=round_.pk, application=mine, expert=expert)
    theirs = review_assign(actor=None, round_id=round_.pk, application=other, expert=ExpertFactory())
    criteria = list(round_.criteria.all())
    for totals in ((30, 20, 20), (38, 28, 28), (32, 24, 22), (20, 15, 15)):  # 70, 94, 78, 50
        a = review_assign(actor=None, round_id=round_.pk, application=mine, expert=ExpertFactory())
        assignment_declare(actor=None, assignment_id=a.pk, conflict=False)
        assignment_score(
            actor=None, assignment_id=a.pk, values={c.pk: Decimal(v) for c, v in zip(criteria, totals, strict=True)}
        )

    # The expert lands on 我的评审: their assignment only, no menu, no search box.
    log_in(page, live_server, user, "/programs/reviews/mine/")
    table = page.locator("[data-testid=my-reviews]")
    assert "智能化果蔬分拣装备研发与示范" in table.inner_text()
    assert "农村污水生态处理技术集成" not in page.content()
    assert page.locator("#sidebar .portal-sidebar-heading").count() == 0
    assert page.locator("input[name=q]").count() == 0
    shot(page, "experts-1-my-reviews")

    page.click("text=智能化果蔬分拣装备研发与示范")
    page.wait_for_selector("[data-testid=declare-form]")
    assert page.locator("[data-testid=score-form]").count() == 0  # scoring comes after the declaration
    shot(page, "experts-2-declare")
    page.check("input[name=conflict][value=no]")
    with page.expect_navigation():
        page.click("button:has-text('提交声明')")
    form = page.locator("[data-testid=score-form]")
    form.wait_for()
    inputs = form.locator("input[type=number]")
    for i, value in enumerate(("36", "26", "24")):  # 86
        inputs.nth(i).fill(value)
    form.locator("textarea").fill("技术路线清晰，示范效果好。")
    with page.expect_navigation():
        form.locator("button:has-text('保存评分')").click()
    page.wait_for_selector(".alert-success:has-text('评分已保存')")
    assert page.locator("[data-testid=assignment-total]").inner_text() == "86.00"
    shot(page, "experts-3-scored")

    # Any other page is refused.
    response = page.goto(f"{live_server.url}/enterprises/enterprises/")
    assert response.status == 403
    shot(page, "experts-4-refused")

    # The other expert's paper sheet is typed in, so that no assignment is left open.
    assignment_declare(actor=None, assignment_id=theirs.pk, conflict=False)
    assignment_score(actor=None, assignment_id=theirs.pk, values={c.pk: Decimal(20) for c in criteria})

    # A reviewer sees the ranking: five experts, 94 and 50 dropped → (70 + 78 + 86) / 3 = 78.00.
    reviewer = make_user(REVIEWER, username="guzhang_b", password=PASSWORD)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    staff_page = context.new_page()
    log_in(staff_page, live_server, reviewer, "/")
    staff_page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    ranking = staff_page.locator("[data-testid=ranking] tbody tr").first
    assert "智能化果蔬分拣装备研发与示范" in ranking.inner_text()
    assert "78.00" in ranking.inner_text()
    assert "建议立项" in ranking.inner_text()
    staff_page.on("dialog", lambda dialog: dialog.accept())
    with staff_page.expect_navigation():
        staff_page.click("[data-testid=close-round]")
    staff_page.wait_for_selector(".alert-success:has-text('评审已结束')")
    shot(staff_page, "experts-5-ranking-closed")
    with staff_page.expect_download() as download:
        staff_page.click("[data-testid=ranking-export]")
    assert download.value.suggested_filename.endswith("排名表.xlsx")
    context.close()
