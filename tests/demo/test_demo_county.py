"""The demo county: its 2019 figures are the seed report's, its texture fills the portal, and the
2019 report built from it states those figures.

The county is loaded once for this module (``seed_demo`` takes a few seconds) inside a transaction
that is rolled back after the module; each test runs in its own savepoint within it.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from bureau.core.models import Activity, AnnualTarget, Policy, SiteSettings
from bureau.indicators import NAMES
from bureau.registry import registry
from demo import figures as F
from demo.seed import YEARS, row_counts
from enterprises.models import Enterprise, Need
from programs.models import Application, ApplicationLog, Award, Reward
from talent.models import Person, Platform, PlatformEvaluation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``manage.py seed_demo`` on the test database; its output."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("create_demo_users", stdout=StringIO())
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def indicator(code: str):
    return registry["indicators"][code]


# --- the seed report's figures ---------------------------------------------------------------


def test_the_command_says_what_it_loaded(demo):
    assert f"已载入演示数据“{F.COUNTY_NAME}”" in demo
    assert SiteSettings.objects.get().county_name == F.COUNTY_NAME


@pytest.mark.parametrize("code", sorted(F.FIGURES))
def test_2019_indicator_equals_the_seed_reports_figure(demo, code):
    assert indicator(code).value(F.YEAR) == F.FIGURES[code]


@pytest.mark.parametrize("code", sorted(F.BREAKDOWNS))
def test_2019_breakdown_equals_the_seed_reports_parts(demo, code):
    parts = {b.label: b.value for b in indicator(code).breakdown(F.YEAR)}
    assert parts == F.BREAKDOWNS[code]
    assert sum(parts.values()) == F.FIGURES[code]  # the parts add up to the figure


def test_seed_report_figures_that_are_records_not_indicators(demo):
    year = F.YEAR
    assert Policy.objects.filter(issued_on__year=year, level=Policy.Level.COUNTY).count() == F.POLICIES_ISSUED
    rd_trainings = Activity.objects.filter(
        kind=Activity.Kind.TRAINING, held_on__year=year, title__contains=F.RD_STATISTICS_TRAINING_TITLE
    )
    assert rd_trainings.count() == F.RD_STATISTICS_TRAININGS
    assert all(t.held_on.month <= 6 for t in rd_trainings)  # 上半年举办
    progress = Award.objects.filter(year=year, name=F.PROVINCIAL_PROGRESS_AWARD_NAME, level="provincial")
    assert progress.count() == F.PROVINCIAL_PROGRESS_AWARDS
    talent_funds = Reward.objects.filter(paid_on__year=year, kind=Reward.Kind.TALENT).aggregate(s=Sum("amount"))["s"]
    assert talent_funds == F.TALENT_POLICY_FUNDS
    excellent = PlatformEvaluation.objects.get(year=year, result=PlatformEvaluation.Result.EXCELLENT)
    assert (excellent.platform.type.name, excellent.platform.level) == ("工程技术研究中心", "provincial")
    assert excellent.reward == F.EXCELLENT_CENTER_REWARD


def test_rd_intensity_fills_the_seed_reports_blank_with_a_real_total(demo):
    # “今年研发经费总额实现亿元，占比达4%”: the total is now a figure, and 4% is exact.
    rd = indicator("rd_expenditure").value(F.YEAR)
    assert rd == F.GDP_YI * 10000 * Decimal("0.04")
    assert indicator("rd_intensity").value(F.YEAR) == Decimal(4)


def test_every_indicator_has_a_figure_in_every_year_and_the_years_differ(demo):
    flat = []
    for code, ind in registry["indicators"].items():
        values = [ind.value(year) for year in YEARS]
        assert None not in values, f"{code} is missing an input in one of {YEARS}"
        if len(set(values)) == 1:
            flat.append(code)
    assert not flat, f"these indicators do not change over {YEARS}: {flat}"


def test_targets_exist_for_2019_and_the_plan_year_and_the_dashboard_opens_on_2020(demo):
    from reports.selectors import default_year

    for year in (F.YEAR, F.YEAR + 1):  # a target for every standard indicator of DOMAIN.md
        assert set(NAMES) <= set(AnnualTarget.objects.filter(year=year).values_list("indicator", flat=True))
    plan = dict(AnnualTarget.objects.filter(year=F.YEAR + 1).values_list("indicator", "target"))
    assert {code: plan[code] for code in F.PLAN_2020} == F.PLAN_2020
    assert AnnualTarget.objects.filter(year=F.YEAR, signed_off_by__username="guzhang").count() == len(
        AnnualTarget.objects.filter(year=F.YEAR)
    )
    assert AnnualTarget.objects.filter(year=F.YEAR + 1, signed_off_by__isnull=True).exists()  # some still to sign
    assert default_year() == F.YEAR + 1


# --- texture ---------------------------------------------------------------------------------


def test_applications_reach_every_workflow_state_by_several_users_with_comments(demo):
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Application.Status.values)
    movers = set(ApplicationLog.objects.values_list("by__username", flat=True))
    assert {"keyuan", "keyuan2", "guzhang"} <= movers
    returned = ApplicationLog.objects.filter(action="return", by__username="guzhang")
    assert returned.exists() and all(log.comment for log in returned)
    # The timeline of one application: its steps in order, by a clerk and the reviewer.
    app = Application.objects.filter(status=Application.Status.ACCEPTED, logs__action="return").first()
    steps = list(app.logs.order_by("at", "pk").values_list("action", "by__username"))
    assert [a for a, _ in steps] == ["submit", "return", "submit", "recommend", "approve", "start", "accept"]
    assert len({u for _, u in steps}) == 2
    assert app.recommended_on.year == app.year  # recommended in its own year, not on the day of loading


def test_this_years_applications_went_through_the_workflow_service_into_every_state(demo):
    # The records of the last years are written by programs.services.application_transition
    # itself (the older ones are replayed against the same workflow table, in bulk).
    recent = Application.objects.filter(created_at__gte=timezone.now() - datetime.timedelta(days=1000))
    assert set(recent.values_list("status", flat=True)) == set(Application.Status.values)
    assert not recent.filter(year__lte=2020).exists()


def test_approved_projects_are_paid_no_more_than_approved(demo):
    over = (
        Application.objects.filter(approved_amount__isnull=False)
        .annotate(paid=Sum("disbursements__amount"))
        .filter(paid__gt=models_f("approved_amount"))
    )
    assert not over.exists()
    accepted = Application.objects.filter(status=Application.Status.ACCEPTED, year__lte=2020)
    assert all(a.disbursements.aggregate(s=Sum("amount"))["s"] == a.approved_amount for a in accepted)


def models_f(name):
    from django.db.models import F as Field

    return Field(name)


def test_needs_are_in_every_state(demo):
    assert set(Need.objects.values_list("state", flat=True)) == set(Need.State.values)


def test_history_shows_who_changed_records_and_when(demo):
    by_users = Application.history.values("history_user__username").annotate(n=Count("pk"))
    assert {row["history_user__username"] for row in by_users} >= {"keyuan", "keyuan2", "guzhang"}
    need = Need.objects.filter(state=Need.State.RESOLVED, collected_on__year=F.YEAR).first()
    history = list(need.history.order_by("history_date").values_list("state", "history_date"))
    assert [state for state, _ in history] == ["pending", "in_progress", "resolved"]
    assert history[0][1].year == F.YEAR  # dated when it happened
    assert Enterprise.history.filter(history_type="~").values("history_user").distinct().count() == 2
    assert Enterprise.history.filter(history_user__isnull=True).count() == 0


def test_my_work_is_populated_for_each_role(demo):
    from bureau.reminders import collect_work

    users = get_user_model().objects
    today = timezone.localdate()
    reviewer = {r.kind for r in collect_work(users.get(username="guzhang"), today=today)}
    assert {"申报截止", "待审核"} <= reviewer
    staff = collect_work(users.get(username="keyuan"), today=today)
    assert "申报截止" in {r.kind for r in staff}
    assert "待审核" not in {r.kind for r in staff}
    expiring = [r for r in staff if r.kind in ("资质到期", "高企重新认定") and r.due]
    assert expiring and all(today <= r.due <= today + datetime.timedelta(days=180) for r in expiring)
    leader = collect_work(users.get(username="juzhang"), today=today)
    assert leader and all(r.leader for r in leader)  # sign-offs and overdue items only


def test_names_are_fictional(demo):
    real = re.compile("沂源|永华|淄博")
    texts = [
        *Enterprise.objects.values_list("name", flat=True),
        *Person.objects.values_list("name", flat=True),
        *Platform.objects.values_list("name", flat=True),
        *Policy.objects.values_list("title", flat=True),
    ]
    assert not [t for t in texts if real.search(t)]


def test_the_leaders_dashboard_is_full(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="juzhang"))
    page = client.get("/").content.decode()
    assert "缺失" not in page
    assert "我的待办" in page and "data-work-item" in page
    assert page.count('data-indicator="') >= len(NAMES)


# --- idempotency -----------------------------------------------------------------------------


def test_a_second_run_changes_nothing_and_says_so(demo):
    before = {**row_counts(), "logs": ApplicationLog.objects.count(), "history": Application.history.count()}
    for args in ((), ("--if-empty",)):
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        assert "未做任何更改" in out.getvalue()
    after = {**row_counts(), "logs": ApplicationLog.objects.count(), "history": Application.history.count()}
    assert after == before


# --- the 2019 report -------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """pdftotext's text without line breaks, spaces and page numbers (—3—), so phrases read whole."""
    return re.sub(r"\s+", "", re.sub(r"—\s*\d+\s*—", "", text))


def test_the_2019_report_built_from_the_demo_states_the_seed_reports_figures(demo, tmp_path):
    from demo.names import POLICIES
    from reports.models import ReportBuild, default_report_date
    from reports.sections import fmt_number

    out = tmp_path / "report-2019.pdf"
    call_command("build_report", year=F.YEAR, out=str(out), stdout=StringIO())
    text = _squeeze(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    # Issue 21: 仿宋 body and tables, FandolFang on a 400-unit em (make report-fonts), ≤ 300 KiB.
    assert out.stat().st_size <= 300 * 1024, f"{out.stat().st_size / 1024:.0f} KiB: has make report-fonts run?"

    def fig(code: str, value=None) -> str:
        ind = indicator(code)
        return fmt_number(Decimal(F.FIGURES[code] if value is None else value), str(ind.unit), ind.decimals)

    approved = F.BREAKDOWNS["applications_approved"]
    recommended = F.BREAKDOWNS["applications_recommended"]
    talents = F.BREAKDOWNS["talent_selections"]
    taishan = [f"{label.removeprefix(F.TAISHAN)}{n}人" for label, n in talents.items() if label.startswith(F.TAISHAN)]
    posts = F.BREAKDOWNS["secondments"]
    expected = [
        # 申报19项、获批8项 for each program of the seed report
        *(
            f"{name if name.endswith('项目') else name + '项目'}"
            f"{recommended[F.program_label(name, level)]}项、获批{approved[F.program_label(name, level)]}项"
            for name, (level, _rec, amounts) in F.APPLICATIONS.items()
            if amounts
        ),
        f"争取上级科技资金{fig('funds_approved')}",  # 7000余万元
        *(f"{label}{n}人" for label, n in talents.items() if not label.startswith(F.TAISHAN)),
        # 挂职科技副县长1名、科技副镇长12名
        "挂职" + "、".join(f"{post}{n}名" for post, n in posts.items()),
        # 新建院士工作站1家 … 科技扶贫服务队9家、农科驿站11家
        *(f"{label}{n}家" for label, n in F.BREAKDOWNS["platforms_new"].items()),
        *(
            f"{label}{n}家在绩效评估中被评为优秀等次"
            for label, n in F.BREAKDOWNS["platform_evaluations_excellent"].items()
        ),
        f"奖励资金{fig('platform_evaluation_rewards')}",
        # 省科技进步奖1项: the awards by name
        *(f"{label}{n}项" for label, n in F.BREAKDOWNS["awards"].items()),
        # 配套制定完善了《…若干政策意见》等8项科技政策
        f"《{POLICIES[F.YEAR][0][0]}》等{F.POLICIES_ISSUED}项科技政策",
        # 发放县级研发经费财政补贴380万元; 发放人才新政配套资金320万元
        f"县级研发经费财政补贴{fig('county_funds_paid', F.REWARDS['研发补贴'])}",
        f"人才新政配套资金{fig('county_funds_paid', F.TALENT_POLICY_FUNDS)}",
        # 上半年举办研发经费统计上报培训班6期; 先后两次组织参加高新技术企业认定培训班
        *(f"{label}{fig('trainings', n)}" for label, n in F.BREAKDOWNS["trainings"].items()),
        f"需求{fig('needs_collected')}",
        f"技术难题{fig('needs_resolved')}",
        f"成果转化{fig('achievements_transformed')}",
        f"研发经费统计企业{fig('rd_enterprises')}",  # 共组织完成统计企业89家
        f"研发经费支出{fig('rd_expenditure')}",  # 6亿元: the seed's blank, filled
        f"研发投入强度达到{fig('rd_intensity')}",
        f"高新技术产业产值占规模以上工业总产值的比重达到{fig('high_tech_output_share')}",
        f"评价入库{fig('tech_smes')}",
        f"国家高新技术企业{fig('high_tech_enterprises')}",
        f"申报认定{fig('high_tech_applications')}",
        f"培训班{fig('trainings')}",
        # 三、2020年工作计划: next year's targets
        f"获批上级科技计划项目{fig('applications_approved', F.PLAN_2020['applications_approved'])}",
        f"新建各类创新平台{fig('platforms_new', F.PLAN_2020['platforms_new'])}",
    ]
    from bureau.report_text import normalize_punctuation  # the demo's names as the document prints them

    missing = [phrase for phrase in expected if _squeeze(normalize_punctuation(phrase)) not in text]
    assert not missing, f"not in the PDF: {missing}"
    # 泰山产业领军人才创新类3人、创业类7人: the program named once, its two classes after it
    assert any(_squeeze(f"{F.TAISHAN}{first}、{second}") in text for first, second in (taishan, taishan[::-1]))
    # Dated for the year's report (early in the next year), not the day it was built.
    dated = default_report_date(F.YEAR)
    assert text.startswith(_squeeze(f"{F.COUNTY_NAME}科技局{F.YEAR}年工作总结"))
    # 署名 and 成文日期 close the body (GB/T 9704), before the appendix.
    assert text.split("附表1")[0].endswith(_squeeze(f"{F.COUNTY_NAME}科技局{dated.year}年{dated.month}月{dated.day}日"))
    # A ratio's change is worded from the exact values: 每万人有效发明专利拥有量 grows in percent,
    # never "比上年增加1件" for a change of 0.9956.
    assert not re.search(r"拥有量达到[\d.]+件[^。]*比上年增加", text)
    assert "XX" not in text
    # No blank figure in the prose: a unit right after a verb, as in the seed's “实现亿元”, “达到%”.
    body = text.split("附表1")[0]
    blanks = re.findall(r"(?:实现|达到|达|共|计)(?:%|万元|亿元|项|家|人|个|件|条|期)", body)
    assert not blanks, blanks
    build = ReportBuild.objects.get(report__kind="annual", report__year=F.YEAR, state=ReportBuild.State.SUCCEEDED)
    assert all(data["value"] is not None for data in build.snapshot["figures"].values())

    # Issue 21. Completion against targets is stated per area, not after every figure.
    from bureau.registry import registry
    from demo.texts import REPORT_2019_AREAS
    from reports.sections import LEVEL_RANK, build_document

    areas = list(registry["report_sections"])
    assert body.count("占年度任务") <= len(areas)
    assert 1 <= len(re.findall(r"以上\d+项指标", body)) <= len(areas)
    # The staff's 亮点 of an area follows its generated text, inside that area.
    projects, talent = (next(a for a in areas if a.key == key) for key in ("projects", "talent"))
    area_text = body.split(_squeeze(projects.heading))[1].split(_squeeze(talent.heading))[0]
    assert _squeeze(REPORT_2019_AREAS["projects"]["highlight"]) in area_text
    assert area_text.index("获批33项") < area_text.index(_squeeze(REPORT_2019_AREAS["projects"]["highlight"]))
    # A 全市排名 record is stated with its figure.
    assert "获批数量位列全市第一" in area_text and "争取资金位列全市第一" in area_text
    # No ASCII quote or bracket between Chinese characters.
    assert not re.search(r"[\u4e00-\u9fff][\"'()\[\]][\u4e00-\u9fff]", text)
    # 附表2: 国家级 → 县级, then the amount.
    doc = build_document(build.snapshot)
    projects_snapshot = build.snapshot["projects"]
    printed_rows = (tuple(normalize_punctuation(cell) for cell in row) for row in projects_snapshot["rows"])
    level_of = dict(zip(printed_rows, projects_snapshot["levels"], strict=True))
    ranks = [LEVEL_RANK[level_of[tuple(r.text for r in row[1:])]] for row in doc.appendix[1].rows]
    assert ranks == sorted(ranks)
    # The fonts embedded are recorded with the build.
    assert "Noto Sans CJK SC" in build.fonts


def test_send_digests_mails_guzhang_the_application_waiting_in_county_review(demo, settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    waiting = Application.objects.filter(status=Application.Status.COUNTY_REVIEW).first()
    assert waiting is not None
    with transaction.atomic():
        call_command("send_digests", stdout=StringIO())
        transaction.set_rollback(True)
    [digest] = [m for m in mail.outbox if m.to == ["guzhang@example.com"]]
    assert "每日待办摘要" in digest.subject
    assert f"「{waiting.title}」在县局审核中" in digest.body
