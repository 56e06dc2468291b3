"""The annual report in a browser: what is missing, a build with live progress, the preview."""

import datetime
from decimal import Decimal

import pytest

from bureau.core.models import Activity, AnnualTarget, CountyYear
from reports.models import AnnualReport, ReportBuild
from reports.report_services import report_build_start
from tests.core.factories import ActivityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

YEAR = 2019


def county_data(*, gdp=True):
    for year in (YEAR - 1, YEAR):
        CountyYear.objects.create(
            year=year,
            gdp=Decimal("125.5") if gdp else None,
            population=Decimal("55.2"),
            industrial_output_above_scale=Decimal("3200000"),
        )
    AnnualTarget.objects.create(year=YEAR + 1, indicator="platforms_new", target=Decimal("3"))
    for month in (3, 6, 9):  # figures of the year for section 一 (zeros are not written)
        ActivityFactory(kind=Activity.Kind.TRAINING, held_on=datetime.date(YEAR, month, 10))
    return AnnualReport.objects.create(
        year=YEAR,
        opening="近年来，县科技局深入实施创新驱动发展战略，全县科技工作取得了较好成绩。",
        problems="（一）企业创新意识不强\n个别企业研发投入不足。",
    )


def test_missing_gdp_is_listed_with_a_link_and_the_build_waits_for_it(page, live_server, login, shot):
    report = county_data(gdp=False)
    login(page, "admin")  # the one who may enter base data: staff get no link but 「请管理员录入…」
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    problems = page.locator("#completeness .list-group-item-danger")
    assert problems.count() >= 1
    assert "地区生产总值" in problems.first.inner_text()
    assert page.locator("button:has-text('生成新版本')").is_disabled()
    shot(page, "report-missing-gdp")
    problems.first.locator("a").first.click()
    page.wait_for_url("**/core/countyyears/**")


def test_progress_is_shown_live_and_the_finished_version_offers_downloads(page, live_server, login, shot):
    report = county_data()
    user = login(page, "staff")
    build = report_build_start(actor=user, report_id=report.pk, enqueue=False)
    ReportBuild.objects.filter(pk=build.pk).update(
        state="running", progress=40, message="正在排版 PDF…", started_at=datetime.datetime.now(datetime.UTC)
    )
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    bar = page.locator("#builds .progress-bar")
    assert bar.inner_text() == "40%"
    shot(page, "report-building")
    # The worker finishes: the polled fragment notices and the page reloads with the result.
    from reports.report_services import report_build_run

    report_build_run(build_id=build.pk)
    page.wait_for_selector("#builds a:has-text('PDF')", timeout=10_000)
    assert page.locator("#report-state").inner_text() == "已生成"
    shot(page, "report-built")
    with page.expect_download() as download:
        page.click("#builds a:has-text('PDF')")
    assert download.value.suggested_filename.endswith("（第1版）.pdf")


def test_staff_builds_from_the_page_and_previews_with_linked_figures(page, live_server, login, shot):
    report = county_data()
    login(page, "staff")
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    page.click("button:has-text('生成新版本')")
    page.wait_for_selector("text=已开始生成第1版")
    page.wait_for_selector("#builds a:has-text('Word')", timeout=20_000)
    assert ReportBuild.objects.get().state == "succeeded"
    page.click("text=预览")
    page.wait_for_selector(".gw-paper")
    assert f"{YEAR}年工作完成情况" in page.inner_text(".gw-paper")
    shot(page, "report-preview")
    # A figure stated for the year opens its drill-down (a zero is not written, and next year's
    # target opens the target record instead).
    figure = page.locator("a.gw-fig[href*='indicator=']").first
    code = figure.get_attribute("data-code")
    figure.click()
    page.wait_for_url(f"**indicator={code}**")
    assert "按指标查看" in page.inner_text("main")


def test_leader_reads_the_preview_on_a_phone(phone_page, live_server, shot):
    from tests.conftest import make_user

    report = county_data()
    leader = make_user("leader", username="b_leader_phone", password="pass-12345")
    phone_page.goto(f"{live_server.url}/accounts/login/")
    phone_page.fill("input[name=username]", leader.username)
    phone_page.fill("input[name=password]", "pass-12345")
    phone_page.click("button[type=submit]")
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/reports/annual/{report.pk}/preview/")
    paper = phone_page.locator(".gw-paper")
    assert paper.bounding_box()["width"] <= 390
    assert "存在的问题" in paper.inner_text()
    shot(phone_page, "report-preview-phone", full_page=False)
