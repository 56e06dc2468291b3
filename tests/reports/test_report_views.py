"""The report's pages: completeness with links, build button, live progress, preview, downloads."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from reports.models import ReportBuild
from reports.report_services import report_build_start
from tests.reports.factories import YEAR, AnnualReportFactory, add, complete_inputs, fake_indicators  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_indicators")]


def detail_url(report):
    return reverse("reports:annualreport_detail", args=[report.pk])


def test_report_is_in_the_statistics_menu(staff_client):
    page = staff_client.get(reverse("home")).content.decode()
    assert reverse("reports:annualreport_list") in page
    assert "工作报告" in page


def test_detail_lists_missing_inputs_with_links_and_disables_the_build(staff_client):
    report = AnnualReportFactory(year=YEAR)
    page = staff_client.get(detail_url(report)).content.decode()
    assert "项缺失，不能生成" in page
    assert "地区生产总值" in page and "/core/countyyears/add/?year=2019" in page
    assert re.search(r'<button class="btn btn-primary btn-sm" type="submit"\s+disabled', page)


def test_staff_builds_and_downloads_pdf_and_docx(staff_client, django_capture_on_commit_callbacks):
    complete_inputs()
    add("trainings", 6)
    report = AnnualReportFactory(year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reports:annualreport_build", args=[report.pk]))
    assert response.status_code == 302
    build = report.builds.get()
    assert build.state == ReportBuild.State.SUCCEEDED
    page = staff_client.get(detail_url(report)).content.decode()
    assert "已生成" in page and "第1版" in page
    pdf = staff_client.get(reverse("reports:reportbuild_download", args=[build.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert f"示例县科技局{YEAR}年工作总结和{YEAR + 1}年工作计划（第1版）.pdf" in unquote(pdf["Content-Disposition"])
    docx = staff_client.get(reverse("reports:reportbuild_download", args=[build.pk, "docx"]))
    assert b"".join(docx.streaming_content)[:2] == b"PK"


def test_refused_build_shows_what_is_missing(staff_client):
    report = AnnualReportFactory(year=YEAR)
    response = staff_client.post(reverse("reports:annualreport_build", args=[report.pk]), follow=True)
    assert "报告所需数据不完整，不能生成" in response.content.decode()
    assert not report.builds.exists()


def test_leader_reads_but_cannot_build(leader_client):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    assert leader_client.get(detail_url(report)).status_code == 200
    assert leader_client.get(reverse("reports:annualreport_preview", args=[report.pk])).status_code == 200
    assert leader_client.post(reverse("reports:annualreport_build", args=[report.pk])).status_code == 403
    assert not report.builds.exists()


def test_progress_is_polled_while_running_and_the_page_reloads_when_done(staff, staff_client):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    build = report_build_start(actor=staff, report_id=report.pk, enqueue=False)
    ReportBuild.objects.filter(pk=build.pk).update(state="running", progress=40, message="正在排版 PDF…")
    url = reverse("reports:reportbuild_status", args=[build.pk])
    running = staff_client.get(url, HTTP_HX_REQUEST="true")
    html = running.content.decode()
    assert 'hx-trigger="every 1s"' in html and "40%" in html and "正在排版 PDF…" in html
    assert "HX-Refresh" not in running
    ReportBuild.objects.filter(pk=build.pk).update(
        state="failed", message="生成失败（OSError），请联系管理员查看服务器日志。"
    )
    done = staff_client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode() and "生成失败" in done.content.decode()


def test_preview_links_every_figure_to_its_records(staff_client):
    add("trainings", 6)
    add("applications_approved", 2, location="省重点研发计划(科技创新类)")
    report = AnnualReportFactory(year=YEAR)
    page = staff_client.get(reverse("reports:annualreport_preview", args=[report.pk])).content.decode()
    figures = re.findall(r'<(a|span) class="gw-fig"[^>]*>', page)
    assert figures and all(kind == "a" for kind in figures)
    assert f'href="/core/activities/?indicator=trainings&amp;year={YEAR}"' in page


def test_staff_text_is_escaped_in_the_preview(staff_client):
    report = AnnualReportFactory(year=YEAR, opening="<script>alert(1)</script>")
    page = staff_client.get(reverse("reports:annualreport_preview", args=[report.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_only_a_reviewer_marks_a_figure_not_for_the_report(staff_client, reviewer_client):
    report = AnnualReportFactory(year=YEAR)
    url = reverse("reports:annualreport_exclude", args=[report.pk])
    assert staff_client.post(url, {"item": "rd_intensity"}).status_code == 403
    reviewer_client.post(url, {"item": "rd_intensity", "reason": "统计局未发布"})
    assert report.exclusions.get().item == "rd_intensity"
    page = reviewer_client.get(detail_url(report)).content.decode()
    assert "不写入报告（" in page


def test_reviewer_signs_off_a_built_version(staff, reviewer, reviewer_client, django_capture_on_commit_callbacks):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        build = report_build_start(actor=staff, report_id=report.pk)
    reviewer_client.post(reverse("reports:annualreport_signoff", args=[report.pk]), {"build": build.pk})
    report.refresh_from_db()
    assert (report.signed_off_build, report.signed_off_by) == (build, reviewer)


def test_detail_page_query_count_does_not_grow_with_versions(staff, staff_client, django_assert_num_queries):
    complete_inputs()
    report = AnnualReportFactory(year=YEAR)

    def versions(n):
        for _ in range(n):
            b = report_build_start(actor=staff, report_id=report.pk, enqueue=False)
            ReportBuild.objects.filter(pk=b.pk).update(state="succeeded", progress=100)

    versions(2)
    staff_client.get(detail_url(report))  # warm caches (site settings, permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff_client.get(detail_url(report))
    versions(6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert staff_client.get(detail_url(report)).content.decode().count("第8版") == 1


def test_snapshot_query_count_does_not_grow_with_approved_projects(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.report_selectors import report_snapshot

    complete_inputs()
    report = AnnualReportFactory(year=YEAR)
    add("applications_approved", 3, location="省重点研发计划(科技创新类)")
    report_snapshot(report)
    with CaptureQueriesContext(connection) as few:
        assert len(report_snapshot(report)["projects"]["rows"]) == 3
    add("applications_approved", 30, location="市“双十”计划")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(report_snapshot(report)["projects"]["rows"]) == 33


def test_staff_sets_the_report_date_and_the_preview_is_dated_so(staff_client):
    from bureau.records.urls import record_url
    from reports.report_forms import AnnualReportForm

    report = AnnualReportFactory(year=YEAR)
    preview = reverse("reports:annualreport_preview", args=[report.pk])
    assert f"{YEAR + 1}年1月2日" in staff_client.get(preview).content.decode()  # the default

    data = {name: getattr(report, name) or "" for name in AnnualReportForm._meta.fields}
    data["report_date"] = f"{YEAR + 1}-01-08"
    response = staff_client.post(record_url(report, "edit"), data)
    assert response.status_code == 302
    page = staff_client.get(preview).content.decode()
    assert f"{YEAR + 1}年1月8日" in page
