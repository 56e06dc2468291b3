"""The report kinds (年度工作总结和工作计划, 上半年工作总结, 科技创新工作情况汇报) on one machinery, the
indicators as of a period end, and the acceptance of issue 21: a 上半年工作总结 2020 and a 情况汇报
built from the demo county, each without a blank or an XX, each with its own history of versions.

The demo county is loaded once for this module (as in tests/demo) inside a transaction rolled back
after it.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from bureau.indicators import PeriodNotSupported
from bureau.registry import registry
from reports.kinds import BRIEFING, HALF_YEAR, KINDS
from reports.models import AnnualReport, ReportBuild
from reports.report_selectors import report_completeness, report_snapshot
from reports.report_services import annual_report_create, annual_report_update, report_build_start
from reports.sections import build_document

pytestmark = pytest.mark.django_db

JUNE_30 = datetime.date(2020, 6, 30)
# What a blank or a template left in a report looks like (seed 000: 实现亿元, 达到%，较全市高出个百分点;
# seed 004: XX); "None" or an empty pair of brackets would be a figure that went missing on the way.
BLANKS = re.compile(r"XX|X%|实现亿元|达到%|高出个|None|（）|\{|\}")
# In the body (before the appendix's tables, whose unit column stands alone), a percentage or an
# amount always follows its number.
UNIT_WITHOUT_NUMBER = re.compile(r"(?<![\d.（(])(?:%|万元|亿元)")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("create_demo_users", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def pdf_text(path) -> str:
    """pdftotext's text without line breaks, spaces and page numbers (—3—), so phrases read whole."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", re.sub(r"—\s*\d+\s*—", "", text))


# --- indicators as of a period end -------------------------------------------------------------


def test_every_indicator_answers_for_the_whole_year_and_only_dated_ones_for_part_of_it(demo):
    for code, ind in registry["indicators"].items():
        whole = ind.value(2020)
        assert ind.value(2020, datetime.date(2020, 12, 31)) == whole, code  # 31 Dec is the default end
        if ind.dated:
            half = ind.value(2020, JUNE_30)
            assert half is not None, code
            assert ind.records_for(2020, JUNE_30).count() <= ind.records_for(2020).count() or code in (
                "high_tech_enterprises",  # a state on a day, not a count of the days before
            ), code
        else:
            assert not ind.supports(JUNE_30)
            with pytest.raises(PeriodNotSupported):
                ind.value(2020, JUNE_30)


def test_a_period_end_outside_the_year_is_refused(demo):
    ind = next(i for i in registry["indicators"].values() if i.dated)
    with pytest.raises(ValueError):
        ind.value(2020, datetime.date(2019, 6, 30))


def test_yearly_statistics_cannot_be_cut_at_30_june():
    """企业年度统计 (R&D, patents) and figures kept by 年度 are not ``dated``; records with dates are."""
    indicators = registry["indicators"]
    assert not indicators["rd_expenditure"].dated and not indicators["patents_applied"].dated
    assert not indicators["tech_smes"].dated  # by 年度
    assert indicators["applications_approved"].dated and indicators["platforms_new"].dated


def test_half_year_figures_count_only_what_happened_by_30_june(demo, client):
    ind = registry["indicators"]["applications_approved"]
    counted = ind.records_for(2020, JUNE_30)
    assert counted.exists()
    assert all(a.approved_on <= JUNE_30 for a in counted)
    assert ind.value(2020, JUNE_30) < ind.value(2020)


def test_the_drill_down_of_a_half_year_figure_lists_exactly_its_records(demo, staff_client):
    from bureau.records.urls import record_url

    ind = registry["indicators"]["applications_approved"]
    url = record_url(ind.model, "list", indicator=ind.code, year=2020, end="2020-06-30")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response.context["total"] == ind.value(2020, JUNE_30)
    assert "截至6月30日" in response.content.decode()


# --- the kinds ---------------------------------------------------------------------------------


def test_each_kind_has_its_title_period_and_parts(demo):
    half = AnnualReport.objects.get(kind=HALF_YEAR, year=2020)
    snapshot = report_snapshot(half)
    assert snapshot["period_end"] == "2020-06-30" and snapshot["period"]["compare"] == "上年同期"
    assert "研发经费支出" in snapshot["not_in_period"]  # kept per year: left out, named
    assert "rd_expenditure" not in snapshot["figures"]
    doc = build_document(snapshot)
    headings = [b.number + b.text for b in doc.blocks if b.kind == "heading" and b.level == 1]
    assert headings == ["一、2020年上半年工作完成情况", "二、存在的问题", "三、下半年工作打算"]
    assert doc.title == "示例县科技局2020年上半年工作总结"
    assert "研发经费支出" in doc.appendix[0].note  # marked in the table, never a blank row

    briefing = AnnualReport.objects.get(kind=BRIEFING, year=2019)
    doc = build_document(report_snapshot(briefing))
    headings = [b.number + b.text for b in doc.blocks if b.kind == "heading" and b.level == 1]
    assert headings == ["一、科技创新基本情况", "二、存在的问题", "三、下一步工作打算"]
    assert doc.title == "示例县科技创新工作情况汇报" and doc.appendix == []
    assert "按照县政协常委会安排" in doc.text()


def test_half_year_prose_compares_with_the_same_half_of_last_year(demo):
    doc = build_document(report_snapshot(AnnualReport.objects.get(kind=HALF_YEAR, year=2020)))
    body = "".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "上年同期" in body
    assert not re.search(r"(比|与|较)上年(?!同期)", body)
    generated = "".join(
        r.text for b in doc.blocks if b.kind == "paragraph" for r in b.runs if r.code
    )  # the figures themselves are untouched
    assert generated


def test_a_briefing_needs_its_audience_and_date(demo):
    with pytest.raises(ValidationError) as exc:
        annual_report_create(actor=None, year=2020, kind=BRIEFING)
    assert set(exc.value.message_dict) >= {"audience", "report_date"}
    with pytest.raises(ValidationError):
        annual_report_create(actor=None, year=2020, kind=HALF_YEAR, audience="县人大常委会")


def test_a_briefing_without_its_staff_parts_is_refused_and_says_which(demo):
    report = annual_report_create(
        actor=None, year=2020, kind=BRIEFING, audience="县人大常委会", report_date=datetime.date(2021, 1, 12)
    )
    check = report_completeness(report_snapshot(report))
    assert {"problems", "next_steps"} <= {p.item for p in check.blocking}
    with pytest.raises(ValidationError, match="下一步工作打算"):
        report_build_start(actor=None, report_id=report.pk, enqueue=False)


def test_a_briefing_during_the_year_states_the_year_so_far_against_the_same_days_of_last_year(demo):
    report = annual_report_create(
        actor=None,
        year=2020,
        kind=BRIEFING,
        audience="县人大常委会",
        report_date=datetime.date(2020, 11, 20),
        problems="（一）问题",
        next_steps="一是打算。",
    )
    snapshot = report_snapshot(report)
    assert snapshot["period_end"] == "2020-11-20"
    assert "rd_expenditure" not in snapshot["figures"]
    ind = registry["indicators"]["applications_approved"]
    assert snapshot["figures"][ind.code]["value"] == str(ind.value(2020, datetime.date(2020, 11, 20)))
    assert snapshot["figures"][ind.code]["prev"] == str(ind.value(2019, datetime.date(2019, 11, 20)))
    body = build_document(snapshot).text()
    assert "今年以来" in body and "全年" not in body


def test_one_report_per_kind_and_year_and_the_kind_stays_once_built(demo):
    with pytest.raises(ValidationError):
        annual_report_create(actor=None, year=2020, kind=HALF_YEAR)
    annual_report_create(actor=None, year=2019, kind=HALF_YEAR)  # another kind of the same year: fine


def test_build_report_refuses_a_briefing_without_audience(demo, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="汇报对象"):
        call_command(
            "build_report", year=2021, kind=BRIEFING, out=str(tmp_path / "x.pdf"), stdout=StringIO(), stderr=StringIO()
        )


# --- acceptance: built from the demo county ---------------------------------------------------


@pytest.mark.parametrize(
    ("options", "title", "parts"),
    [
        (
            {"year": 2020, "kind": HALF_YEAR},
            "示例县科技局2020年上半年工作总结",
            ["一、2020年上半年工作完成情况", "二、存在的问题", "三、下半年工作打算", "2020年上半年主要指标完成情况"],
        ),
        (
            {"year": 2019, "kind": BRIEFING, "audience": "县政协常委会"},
            "示例县科技创新工作情况汇报",
            ["一、科技创新基本情况", "二、存在的问题", "三、下一步工作打算", "按照县政协常委会安排"],
        ),
    ],
    ids=["half_year_2020", "briefing_2019"],
)
def test_the_demo_countys_reports_of_each_kind_have_no_blank_and_no_xx(demo, tmp_path, options, title, parts):
    out = tmp_path / "report.pdf"
    call_command("build_report", out=str(out), stdout=StringIO(), **options)
    text = pdf_text(out)
    assert text.startswith(title)
    for part in parts:
        assert part in text
    assert not BLANKS.search(text), BLANKS.search(text)
    body = text.split("附表1")[0]
    assert not UNIT_WITHOUT_NUMBER.search(body), UNIT_WITHOUT_NUMBER.search(body)
    assert out.stat().st_size <= 300 * 1024


def test_each_kind_keeps_its_own_history_of_versions(demo, tmp_path):
    out = tmp_path / "r.docx"
    for _ in range(2):
        call_command("build_report", year=2020, kind=HALF_YEAR, out=str(out), stdout=StringIO())
    call_command("build_report", year=2019, kind=BRIEFING, audience="县政协常委会", out=str(out), stdout=StringIO())
    versions = {
        kind: list(
            ReportBuild.objects.filter(report__kind=kind, state=ReportBuild.State.SUCCEEDED)
            .order_by("version")
            .values_list("version", flat=True)
        )
        for kind in KINDS
    }
    assert versions[HALF_YEAR][-2:] == [versions[HALF_YEAR][-2], versions[HALF_YEAR][-2] + 1]
    assert versions[BRIEFING] and versions[BRIEFING][0] == 1
    half = ReportBuild.objects.filter(report__kind=HALF_YEAR).latest("version")
    assert "half-year" in half.docx.name and half.file_name("docx").startswith("示例县科技局2020年上半年工作总结")


def test_the_kind_of_a_built_report_cannot_change(demo, tmp_path):
    call_command("build_report", year=2020, kind=HALF_YEAR, out=str(tmp_path / "r.docx"), stdout=StringIO())
    report = AnnualReport.objects.get(kind=HALF_YEAR, year=2020)
    with pytest.raises(ValidationError, match="报告类型"):
        annual_report_update(actor=None, annual_report=report, kind="annual")


def test_the_report_pages_take_the_kind(demo, staff_client):
    from django.urls import reverse

    page = staff_client.get(reverse("reports:annualreport_list") + "?kind=briefing").content.decode()
    assert "示例县科技创新工作情况汇报" in page and "上半年工作总结" not in page.split("<tbody")[-1]
    form = staff_client.get(reverse("reports:annualreport_add") + "?kind=briefing").context["form"]
    assert "audience" in form.fields and "next_steps" in form.fields and "plan_policy" not in form.fields
    form = staff_client.get(reverse("reports:annualreport_add") + "?kind=half_year").context["form"]
    assert "audience" not in form.fields and "plan_policy" in form.fields
    briefing = AnnualReport.objects.get(kind=BRIEFING, year=2019)
    detail = staff_client.get(briefing.get_absolute_url()).content.decode()
    assert "下一步工作打算" in detail and "计划：知识产权" not in detail
