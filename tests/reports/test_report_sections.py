"""The report's paragraphs state the figures of a hand-built data set, and nothing else."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from bureau.core.models import Activity
from bureau.indicators import Indicator
from reports.models import default_report_date
from reports.report_selectors import report_snapshot
from reports.sections import Figure, Paragraph, build_document, change_text, yoy_text
from tests.reports.factories import (  # noqa: F401
    YEAR,
    AnnualReportFactory,
    _by_location,
    _placed,
    _records,
    add,
    complete_inputs,
    fake_indicators,
    target,
)

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
    # the verb once, then one program after another, as the seed report lists them
    # (ASCII brackets of the program's name come out as Chinese ones: the document is normalised)
    assert "组织申报市“双十”计划项目3项、获批2项；省重点研发计划（科技创新类）项目19项、获批8项" in text
    assert "全年共申报上级科技计划项目22项，获批10项" in text


def test_a_target_missed_is_stated_with_the_figure_and_the_change_on_last_year():
    add("applications_approved", 8)
    add("applications_approved", 5, year=YEAR - 1)
    target("applications_approved", 10)
    text = body(AnnualReportFactory(year=YEAR))
    assert "获批8项，完成年度任务的80%，比上年增加3项" in text


def test_money_is_stated_in_wan_or_yi_and_growth_in_percent():
    add("funds_approved", 1, funds="7012.5")
    add("funds_approved", 1, funds="5610", year=YEAR - 1)
    add("rd_expenditure", 1, funds="12500")
    text = body(AnnualReportFactory(year=YEAR))
    assert "争取上级科技资金7012.5万元，比上年增长25%" in text  # no thousands separator in prose
    assert "研发经费支出1.25亿元" in text


def test_zero_is_a_figure_of_the_appendix_but_prose_does_not_write_it():
    add("patents_applied", 3, year=YEAR - 1)
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    text = "\n".join(b.text for b in doc.blocks)
    assert "专利申请量" not in text and "0件" not in text  # no "全年专利申请量0件"
    row = next(row for row in doc.appendix[0].rows if row[0].text == "专利申请量")
    assert row[3].text == "0"


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


def test_platform_breakdown_counts_institutions_in_jia_and_next_year_plan_targets():
    add("platforms_new", 1, location="院士工作站")
    add("platforms_new", 2, location="省级重点实验室")
    add("platforms_new", 1, location="省级科技扶贫服务队")
    target("platforms_new", 3, YEAR + 1)
    report = AnnualReportFactory(year=YEAR)
    text = body(report)
    # parts in 家 whatever the indicator's unit; the total keeps the unit (个)
    assert "新建省级科技扶贫服务队1家、省级重点实验室2家、院士工作站1家，全年共新建各类创新平台4个" in text
    assert f"{YEAR + 1}年，力争新建各类创新平台3个" in text
    row = next(r for r in build_document(report_snapshot(report)).appendix[0].rows if r[0].text == "新建创新平台数")
    assert row[1].text == "个"


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
    report_exclude(actor=reviewer, report_id=report.pk, item="awards", reason="奖励尚未公示")
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
    assert "省重点研发计划（科技创新类）" in cells


def test_every_figure_links_to_its_indicator_drill_down():
    add("trainings", 6)
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    figures = [r for b in doc.blocks for r in getattr(b, "runs", []) if r.code == "trainings"]
    assert figures
    assert all(f"indicator=trainings&year={YEAR}" in r.url for r in figures)


def test_a_long_title_breaks_into_two_lines_at_a_word_boundary():
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    assert doc.title_lines == [f"示例县科技局{YEAR}年工作总结", f"和{YEAR + 1}年工作计划"]


# --- wording of the seed report: parts named, measure words, changes, the date ------------------


def _extra(store, code: str, name: str, unit: str, *, money: bool = False) -> None:
    """A stand-in for an indicator beyond DOMAIN.md's table, counted like the others (breakdown by
    location)."""
    store[code] = Indicator(
        code=code,
        name=name,
        unit=unit,
        records=_records(code),
        aggregate=Sum("funds") if money else None,
        breakdown=_by_location(code, money),
        decimals=2 if money else 0,
        **_placed(code),
    )


@pytest.fixture
def seed_indicators(request):
    """The report's indicators that break down the way the seed report words them."""
    store = request.getfixturevalue("fake_indicators")
    _extra(store, "policies_issued", "出台科技政策数", "项")
    _extra(store, "training_participants", "培训人次", "人次")
    _extra(store, "secondments", "挂职科技副职人数", "人")
    _extra(store, "platform_evaluations_excellent", "平台绩效评估优秀数", "个")
    for code in ("trainings", "county_funds_paid", "awards"):
        name, unit = store[code].name, store[code].unit
        _extra(store, code, name, unit, money=code == "county_funds_paid")
    return store


def test_policies_are_named_by_the_first_one_and_counted(seed_indicators):
    add("policies_issued", 1, location="示例县关于加强人才和科技创新工作的若干政策意见")
    add("policies_issued", 1, location="示例县科技创新券实施管理办法")
    add("policies_issued", 1, location="示例县企业研发经费财政补助实施办法")
    text = body(AnnualReportFactory(year=YEAR))
    first = min(
        [
            "示例县关于加强人才和科技创新工作的若干政策意见",
            "示例县科技创新券实施管理办法",
            "示例县企业研发经费财政补助实施办法",
        ]
    )
    assert f"配套制定完善了《{first}》等3项科技政策" in text


def test_no_policy_of_the_year_leaves_the_policy_sentence_out(seed_indicators):
    add("policies_issued", 2, year=YEAR - 1, location="示例县科技创新奖励办法")
    add("trainings", 2)  # the area still has a paragraph (a zero is not written)
    text = body(AnnualReportFactory(year=YEAR))
    policy = text.split("围绕各级科技政策抓落实\n")[1].split("\n")[0]
    assert "培训班" in policy and "科技政策" not in policy


def test_trainings_name_their_courses_and_participants(seed_indicators):
    add("trainings", 6, location="研发经费统计上报培训班")
    add("trainings", 2, location="高新技术企业认定培训班")
    add("training_participants", 320)
    text = body(AnnualReportFactory(year=YEAR))
    assert "举办各类培训班8期（研发经费统计上报培训班6期、高新技术企业认定培训班2期）" in text
    assert "累计培训320人次" in text


def test_county_funds_name_the_reward_kinds_and_the_rd_subsidy_is_stated_with_rd(seed_indicators):
    add("county_funds_paid", 1, location="研发补贴", funds="380")
    add("county_funds_paid", 1, location="人才奖励", funds="320")
    text = body(AnnualReportFactory(year=YEAR))
    assert "人才新政配套资金320万元" in text
    assert "兑现县级科技奖励和补助资金共计700万元" in text
    rd = text.split("围绕企业创新主体培育抓落实")[1]
    assert "发放县级研发经费财政补贴380万元" in rd


def test_awards_are_named_by_kind_then_totalled(seed_indicators):
    add("awards", 1, location="省科学技术进步奖")
    add("awards", 3, location="市科学技术进步奖")
    add("awards", 3, year=YEAR - 1)
    text = body(AnnualReportFactory(year=YEAR))
    assert "全年获得市科学技术进步奖3项、省科学技术进步奖1项，共计4项，比上年增加1项" in text


def test_secondments_name_the_posts_in_ming(seed_indicators):
    add("secondments", 1, location="科技副县长")
    add("secondments", 12, location="科技副镇长")
    text = body(AnnualReportFactory(year=YEAR))
    assert "挂职科技副县长1名、科技副镇长12名，共计13名" in text


def test_an_excellent_platform_is_named_and_a_zero_is_left_out(seed_indicators):
    add("platform_evaluations_excellent", 1, location="省级工程技术研究中心")
    text = body(AnnualReportFactory(year=YEAR))
    assert "省级工程技术研究中心1家在绩效评估中被评为优秀等次" in text
    Activity.objects.filter(title__startswith="platform_evaluations_excellent:").delete()
    assert "优秀等次" not in body(AnnualReportFactory(year=YEAR))


def test_clauses_with_their_own_completion_and_change_are_set_off_by_semicolons():
    add("applications_recommended", 53)
    add("applications_approved", 33)
    add("applications_recommended", 41, year=YEAR - 1)
    add("applications_approved", 24, year=YEAR - 1)
    target("applications_recommended", 45)
    text = body(AnnualReportFactory(year=YEAR))
    assert "申报上级科技计划项目53项，比上年增加12项；获批33项，比上年增加9项" in text


def test_a_percentage_is_measured_against_its_target_in_points():
    complete_inputs(gdp="100")
    add("rd_expenditure", 1, funds="40000")
    target("rd_intensity", "4.2")
    text = body(AnnualReportFactory(year=YEAR))
    assert "研发投入强度达到4%，低于年度目标0.2个百分点" in text


def _figure(value, prev, unit="件", decimals=0) -> Figure:
    return Figure(
        code="x",
        name="指标",
        unit=unit,
        decimals=decimals,
        value=Decimal(value),
        prev=None if prev is None else Decimal(prev),
        target=None,
        next_target=None,
        url="",
        breakdown=[],
    )


@pytest.mark.parametrize(
    ("value", "prev", "unit", "decimals", "said", "table"),
    [
        # 每万人有效发明专利拥有量 7.2 over 6.2044: a ratio grows in percent, never "增加1件"
        ("7.2", "6.204379562043795620437956204", "件", 2, "比上年增长16%", "+16%"),
        ("4", "3.65", "%", 2, "比上年提高0.35个百分点", "+0.35个百分点"),
        ("3.651", "3.65", "%", 2, "与上年基本持平", "基本持平"),  # 0.001 points is not "提高0个百分点"
        ("7.2001", "7.2", "件", 2, "与上年基本持平", "基本持平"),
        ("1000.02", "1000", "万元", 2, "与上年基本持平", "基本持平"),
        ("8", "8", "项", 0, "与上年持平", "持平"),
        ("5", "8", "项", 0, "比上年减少3项", "-37.5%"),
        ("1000", "820", "万元", 2, "比上年增长22%", "+22%"),
    ],
)
def test_change_on_last_year_is_computed_from_exact_values_and_worded_by_kind(value, prev, unit, decimals, said, table):
    fig = _figure(value, prev, unit, decimals)
    assert change_text(fig) == said
    assert yoy_text(fig) == table


def test_the_date_line_is_the_report_date_not_the_build_date():
    report = AnnualReportFactory(year=YEAR)
    assert build_document(report_snapshot(report)).date_line == f"（{YEAR + 1}年1月2日）"  # a Thursday
    assert default_report_date(2020) == datetime.date(2021, 1, 4)  # 1月2日 is a Saturday
    report.report_date = datetime.date(YEAR, 12, 28)
    report.save()
    assert build_document(report_snapshot(report)).date_line == f"（{YEAR}年12月28日）"


def test_a_section_of_one_paragraph_goes_without_a_lead_and_one_of_several_is_numbered():
    add("patents_applied", 3)
    add("trainings", 2)
    add("county_funds_paid", 1, funds="100")
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    ip = next(p for p in paragraphs if "专利申请量3件" in p.text)
    assert ip.lead == "" and ip.text.startswith("全年专利申请量3件")
    policy = next(p for p in paragraphs if "培训班" in p.text)
    assert policy.lead == "1．宣传解读各级科技政策。"
