"""Building a version: refused while data is missing, frozen figures, failures end in 失败."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from bureau.core.models import Activity, CountyYear
from reports.models import AnnualReport, ReportBuild
from reports.report_selectors import report_completeness, report_snapshot
from reports.report_services import (
    report_build_expire,
    report_build_run,
    report_build_start,
    report_exclude,
)
from reports.tasks import build_report
from tests.reports.factories import (  # noqa: F401
    YEAR,
    AnnualReportFactory,
    add,
    complete_inputs,
    fake_indicators,
    target,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_indicators")]


def pdf_text(build: ReportBuild, *, raw: bool = False) -> str:
    """The PDF's text; lines joined unless ``raw`` (pdftotext breaks lines where the page does)."""
    text = subprocess.run(["pdftotext", build.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    return text if raw else text.replace("\n", "")


def start(report, user, capture):
    with capture(execute=True):
        build = report_build_start(actor=user, report_id=report.pk)
    build.refresh_from_db()
    return build


def test_completeness_check_refuses_a_missing_gdp_and_links_to_where_to_enter_it(staff):
    complete_inputs()
    CountyYear.objects.filter(year=YEAR).update(gdp=None)
    report = AnnualReportFactory(year=YEAR)
    check = report_completeness(report_snapshot(report))
    assert not check.ok
    problem = next(p for p in check.blocking if p.item == "rd_intensity")
    assert "地区生产总值" in problem.message
    assert problem.links and "/core/countyyears/add/" in problem.links[0][1]
    with pytest.raises(ValidationError) as exc:
        report_build_start(actor=staff, report_id=report.pk)
    assert any("地区生产总值" in m for m in exc.value.messages)
    assert not report.builds.exists()


def test_missing_next_year_targets_block_the_plan_section_without_plan_text():
    CountyYear.objects.create(year=YEAR, gdp=Decimal("100"))
    report = AnnualReportFactory(year=YEAR, plan_intro="", plan_talent="")
    check = report_completeness(report_snapshot(report))
    assert [p.item for p in check.blocking] == ["plan_targets"]


def test_a_reviewer_may_leave_a_missing_figure_out_but_staff_may_not(
    staff, reviewer, django_capture_on_commit_callbacks
):
    complete_inputs()
    CountyYear.objects.filter(year=YEAR).update(gdp=None)
    report = AnnualReportFactory(year=YEAR)
    with pytest.raises(PermissionDenied):
        report_exclude(actor=staff, report_id=report.pk, item="rd_intensity", reason="统计局数据未发布")
    report_exclude(actor=reviewer, report_id=report.pk, item="rd_intensity", reason="统计局数据未发布")
    build = start(report, staff, django_capture_on_commit_callbacks)
    assert build.state == ReportBuild.State.SUCCEEDED
    assert "研发投入强度" not in pdf_text(build)


def test_build_runs_the_task_and_the_pdf_states_the_figures(staff, django_capture_on_commit_callbacks):
    complete_inputs(gdp="100")
    add("applications_recommended", 19, location="省重点研发计划(科技创新类)")
    add("applications_approved", 8, location="省重点研发计划(科技创新类)")
    add("rd_expenditure", 1, funds="23500")
    report = AnnualReportFactory(year=YEAR)
    build = start(report, staff, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert (build.state, build.progress, report.state) == ("succeeded", 100, AnnualReport.State.BUILT)
    text = pdf_text(build)
    assert "组织申报省重点研发计划（科技创新类）项目19项、获批8项" in text
    assert "研发投入强度达到2.35%" in text
    assert re.search(r"—\s*1\s*—", pdf_text(build, raw=True))  # page number of GB/T 9704
    assert "XX" not in text
    # No unit without its number (实现亿元, 达到%) in the body: every unit there follows a digit.
    body = text.split("附表1")[0]
    assert not re.search(r"[^\d.,]%|[^\d.,](万元|亿元)", body.replace("占年度任务的", ""))
    assert build.docx.size > 0


def test_snapshot_is_frozen_and_a_rebuild_makes_a_new_version(staff, django_capture_on_commit_callbacks):
    complete_inputs()
    add("trainings", 6)
    report = AnnualReportFactory(year=YEAR)
    first = start(report, staff, django_capture_on_commit_callbacks)
    frozen = first.snapshot
    first_pdf = first.pdf.read()
    assert "举办各类培训班6期" in pdf_text(first)

    add("trainings", 3)
    Activity.objects.filter(title__startswith="trainings:").first().delete()
    report_build_run(build_id=first.pk)  # a redelivered task for a finished build changes nothing
    first.refresh_from_db()
    assert first.snapshot == frozen
    assert first.pdf.open("rb").read() == first_pdf

    second = start(report, staff, django_capture_on_commit_callbacks)
    assert (first.version, second.version) == (1, 2)
    assert "各类培训班8期" in pdf_text(second)
    assert "各类培训班6期" in pdf_text(first)
    assert report.builds.count() == 2


def test_a_failing_render_ends_in_failed_with_a_chinese_message(staff, monkeypatch):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    build = report_build_start(actor=staff, report_id=report.pk, enqueue=False)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("reports.pdf.render_pdf", boom)
    assert build_report.apply(args=[build.pk]).get() == "failed"
    build.refresh_from_db()
    report.refresh_from_db()
    assert build.state == ReportBuild.State.FAILED
    assert build.message.startswith("生成失败") and "管理员" in build.message
    assert report.state == AnnualReport.State.FAILED


def test_the_time_limit_ends_in_failed_never_stuck(staff, monkeypatch):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    build = report_build_start(actor=staff, report_id=report.pk, enqueue=False)

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("reports.pdf.render_pdf", slow)
    build_report.apply(args=[build.pk])
    build.refresh_from_db()
    assert build.state == ReportBuild.State.FAILED
    assert "生成超时" in build.message


def test_a_build_whose_worker_vanished_is_failed_when_looked_at(staff):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    build = report_build_start(actor=staff, report_id=report.pk, enqueue=False)
    ReportBuild.objects.filter(pk=build.pk).update(
        state=ReportBuild.State.RUNNING, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    build = report_build_expire(build_id=build.pk)
    assert build.state == ReportBuild.State.FAILED
    assert "重新生成" in build.message
    report.refresh_from_db()
    assert report.state == AnnualReport.State.FAILED


def test_a_second_build_is_refused_while_one_runs(staff):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    report_build_start(actor=staff, report_id=report.pk, enqueue=False)
    with pytest.raises(ValidationError, match="正在生成"):
        report_build_start(actor=staff, report_id=report.pk, enqueue=False)


def test_a_redelivered_task_for_a_running_build_completes_it(staff):
    """acks_late: the worker died mid-build; the broker hands the task to another worker."""
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    build = report_build_start(actor=staff, report_id=report.pk, enqueue=False)
    ReportBuild.objects.filter(pk=build.pk).update(state=ReportBuild.State.RUNNING, attempts=1, progress=30)
    build_report.apply(args=[build.pk])
    build.refresh_from_db()
    assert (build.state, build.attempts) == (ReportBuild.State.SUCCEEDED, 2)
    assert build.pdf.name.endswith(f"report-{YEAR}-v1.pdf")


def test_management_command_builds_only_the_file_asked_for(tmp_path):
    complete_inputs()
    AnnualReportFactory(year=YEAR)
    call_command("build_report", year=YEAR, out=str(tmp_path / "report.pdf"))
    build = AnnualReport.objects.get(year=YEAR).builds.get()
    assert build.pdf and not build.docx


def test_management_command_writes_pdf_and_docx(tmp_path):
    complete_inputs()
    add("needs_collected", 53)
    AnnualReportFactory(year=YEAR)
    out = tmp_path / "report.pdf"
    call_command("build_report", year=YEAR, out=str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "征集技术和人才需求53条" in text.replace("\n", "")
    docx_out = tmp_path / "report.docx"
    call_command("build_report", year=YEAR, out=str(docx_out))
    assert docx_out.read_bytes()[:2] == b"PK"
    assert AnnualReport.objects.get(year=YEAR).builds.count() == 2


def test_management_command_refuses_incomplete_data(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError, match="数据不完整"):
        call_command("build_report", year=YEAR, out=str(tmp_path / "r.pdf"), stderr=err)
    assert any(line.startswith("缺少") for line in err.getvalue().splitlines())
    with pytest.raises(CommandError, match=r"\.pdf 或 \.docx"):
        call_command("build_report", year=YEAR, out=str(tmp_path / "r.txt"))
