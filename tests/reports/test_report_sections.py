"""The report's paragraphs state the figures of a hand-built data set, and nothing else."""

import re

import pytest

from reports.report_selectors import report_snapshot
from reports.sections import build_document
from tests.reports.factories import YEAR, AnnualReportFactory, add, complete_inputs, fake_indicators, target  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_indicators")]


def body(report) -> str:
    doc = build_document(report_snapshot(report))
    return "\n".join(block.text if hasattr(block, "runs") else block.number + block.text for block in doc.blocks)


def test_program_breakdown_reads_applied_and_approved_per_program():
    add("applications_recommended", 19, location="省重点研发计划(科技创新类)")
    add("applications_recommended", 3, location="市“双十”计划")
    add("applications_approved", 8, location="省重点研发计划(科技创新类)")
    add("applications_approved", 2, location="市“双十”计划")
    text = body(AnnualReportFactory(year=YEAR))
    assert "组织申报省重点研发计划(科技创新类)项目19项、获批8项" in text
    assert "组织申报市“双十”计划项目3项、获批2项" in text
    assert "全年共申报上级科技计划项目22项，获批10项" in text


def test_completion_of_the_target_and_change_on_last_year_are_stated():
    add("applications_approved", 8)
    add("applications_approved", 5, year=YEAR - 1)
    target("applications_approved", 10)
    text = body(AnnualReportFactory(year=YEAR))
    assert "获批8项，占年度任务的80%，比上年增加3项" in text


def test_money_is_stated_in_wan_or_yi_and_growth_in_percent():
    add("funds_approved", 1, funds="7012.5")
    add("funds_approved", 1, funds="5610", year=YEAR - 1)
    add("rd_expenditure", 1, funds="12500")
    text = body(AnnualReportFactory(year=YEAR))
    assert "争取上级科技资金7,012.5万元，比上年增长25%" in text
    assert "研发经费支出1.25亿元" in text


def test_zero_is_a_figure_and_is_stated():
    add("patents_applied", 3, year=YEAR - 1)
    text = body(AnnualReportFactory(year=YEAR))
    assert "全年专利申请量0件，比上年减少3件" in text
    assert "专利授权量0件" in text


def test_ratio_with_its_input_is_stated_in_percent_with_points_of_change():
    complete_inputs(gdp="100")
    add("rd_expenditure", 1, funds="23500")
    add("rd_expenditure", 1, funds="20000", year=YEAR - 1)
    text = body(AnnualReportFactory(year=YEAR))
    assert "研发投入强度达到2.35%，比上年提高0.35个百分点" in text


def test_a_missing_ratio_leaves_its_clause_out_never_a_blank():
    add("rd_expenditure", 1, funds="23500")
    text = body(AnnualReportFactory(year=YEAR))
    assert "研发投入强度" not in text
    assert "研发经费支出2.35亿元" in text


def test_platform_breakdown_and_next_year_plan_targets():
    add("platforms_new", 1, location="院士工作站")
    add("platforms_new", 2, location="省级重点实验室")
    target("platforms_new", 3, YEAR + 1)
    text = body(AnnualReportFactory(year=YEAR))
    assert re.search("新建(省级重点实验室2个、院士工作站1个|院士工作站1个、省级重点实验室2个)", text)
    assert f"{YEAR + 1}年，力争新建各类创新平台3个" in text


def test_empty_staff_blocks_are_left_out_with_their_heading_and_numbering_stays_consecutive():
    add("trainings", 6)
    report = AnnualReportFactory(year=YEAR, problems="", opening="")
    target("trainings", 8, YEAR + 1)
    doc = build_document(report_snapshot(report))
    level1 = [b.number + b.text for b in doc.blocks if getattr(b, "level", 0) == 1]
    assert level1 == [f"一、{YEAR}年工作完成情况", f"二、{YEAR + 1}年工作计划"]
    assert "存在的问题" not in body(report)


def test_staff_problems_become_subheadings_and_paragraphs():
    report = AnnualReportFactory(year=YEAR)
    doc = build_document(report_snapshot(report))
    headings = [b.number + b.text for b in doc.blocks if getattr(b, "level", 0) == 2]
    assert "（一）企业创新意识不强" in headings
    assert "（二）高层次人才引进乏力" in headings


def test_excluded_indicator_is_neither_in_the_text_nor_in_the_table(reviewer):
    from reports.report_services import report_exclude

    add("awards", 4)
    report = AnnualReportFactory(year=YEAR)
    report_exclude(report_id=report.pk, item="awards", by=reviewer)
    doc = build_document(report_snapshot(report))
    assert "科技奖励数" not in doc.text()
    assert "获得各级科技奖励" not in doc.text()


def test_appendix_table_has_target_actual_rate_last_year_and_change():
    add("applications_approved", 8)
    add("applications_approved", 5, year=YEAR - 1)
    target("applications_approved", 10)
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    table = doc.appendix[0]
    assert table.headers == ["指标", "单位", "目标值", "完成值", "完成率", "上年值", "同比"]
    row = next(r for r in table.rows if r[0].text == "获批上级科技计划项目数")
    assert [c.text for c in row[1:]] == ["项", "10", "8", "80%", "5", "+60%"]


def test_approved_projects_come_from_the_indicator_records_through_their_record_type():
    add("applications_approved", 1, title="高性能镁合金轻量化部件研发", location="省重点研发计划(科技创新类)")
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    projects = doc.appendix[1]
    assert projects.label == "附表2"
    cells = [c.text for c in projects.rows[0]]
    assert "applications_approved:高性能镁合金轻量化部件研发" in cells
    assert "省重点研发计划(科技创新类)" in cells


def test_every_figure_links_to_its_indicator_drill_down():
    add("trainings", 6)
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    figures = [r for b in doc.blocks for r in getattr(b, "runs", []) if r.code == "trainings"]
    assert figures
    assert all(f"indicator=trainings&year={YEAR}" in r.url for r in figures)


def test_a_long_title_breaks_into_two_lines_at_a_word_boundary():
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    assert doc.title_lines == [f"示例县科技局{YEAR}年工作总结", f"和{YEAR + 1}年工作计划"]
