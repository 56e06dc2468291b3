"""Issue 21: the rules of the report's prose, its punctuation, the staff's sentences per area, the
全市排名 record and the tables' columns. Tests hold the rules, not whole sentences."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bureau.registry import registry
from bureau.report_text import (
    Figure,
    change_text,
    completion_summary,
    normalize_punctuation,
    rank_text,
    target_text,
)
from reports.models import CityRanking, ReportAreaText
from reports.report_selectors import report_completeness, report_snapshot
from reports.report_services import city_ranking_create, report_area_texts_save
from reports.sections import Heading, Paragraph, build_document, column_widths, orphans, projects_table
from tests.reports.factories import YEAR, AnnualReportFactory, add, fake_indicators, target  # noqa: F401

# A Chinese character, then an ASCII quote or bracket, then another: never in a built document.
ASCII_BETWEEN_CJK = re.compile(r"[\u4e00-\u9fff][\"'()\[\]:;][\u4e00-\u9fff]")


def fig(value, prev=None, *, unit="项", target=None, decimals=0) -> Figure:
    return Figure(
        code="x",
        name="指标",
        unit=unit,
        decimals=decimals,
        value=Decimal(str(value)),
        prev=None if prev is None else Decimal(str(prev)),
        target=None if target is None else Decimal(str(target)),
        next_target=None,
        url="",
        breakdown=[],
    )


# ---------------------------------------------------------------- comparisons by size


@pytest.mark.parametrize(
    ("value", "prev", "unit", "word"),
    [
        (8, 8, "项", "持平"),
        (11, 8, "项", "增加"),  # a count: the difference
        ("1100", "1000", "万元", "增长"),  # a measure: percent
        (16, 8, "项", "翻一番"),  # exactly twice
        (32, 8, "项", "翻两番"),  # exactly four times
        (17, 8, "项", "倍"),  # 2.1 times: said as a multiple, never a rounded 翻一番
        ("2.04", "1", "万元", "倍"),
        (5, 8, "项", "减少"),
    ],
)
def test_a_change_on_last_year_is_worded_by_its_size(value, prev, unit, word):
    text = change_text(fig(value, prev, unit=unit))
    assert word in text
    if word == "倍":
        assert "翻" not in text


def test_a_multiple_is_stated_exactly_and_no_claim_is_made_without_last_years_value():
    assert change_text(fig(17, 8)) == "是上年的2.1倍"
    assert change_text(fig(17)) == ""  # no 上年值: nothing said
    assert change_text(fig(3, 0)) == ""  # over nothing: no 翻番 either


# ---------------------------------------------------------------- completion, once per area


def test_a_figures_own_completion_is_written_only_when_notable(settings):
    settings.REPORT_COMPLETION_NOTABLE_ABOVE = 130
    assert target_text(fig(110, target=100)) == ""  # met, not notable: said once for the area
    assert "完成年度任务的90%" in target_text(fig(90, target=100))  # below the target
    assert "完成年度任务的132%" in target_text(fig(132, target=100))  # well above
    settings.REPORT_COMPLETION_NOTABLE_ABOVE = 150
    assert target_text(fig(132, target=100)) == ""  # the threshold is a setting


def test_a_percentage_is_notable_below_its_target_or_points_above_it(settings):
    settings.REPORT_TARGET_POINTS_NOTABLE = 2.0
    assert target_text(fig("4", target="3.8", unit="%")) == ""
    assert "低于年度目标" in target_text(fig("3.6", target="3.8", unit="%"))
    assert "超过年度目标2.4个百分点" in target_text(fig("52.4", target="50", unit="%"))


def test_an_areas_completion_counts_its_figures_with_a_target():
    met = [fig(10, target=10), fig(12, target=10), fig(13, target=10), fig(5)]
    assert completion_summary(met) == "3项指标均完成年度任务，其中2项超额完成"
    assert completion_summary([fig(12, target=10), fig(13, target=10)]) == "2项指标均超额完成年度任务"
    assert completion_summary([fig(12, target=10), fig(8, target=10)]) == "2项指标中1项完成年度任务"
    assert completion_summary([fig(5), fig(6)]) == ""  # no target: nothing said


def body_text(report) -> str:
    doc = build_document(report_snapshot(report))
    return "\n".join(b.number + b.text if isinstance(b, Heading) else b.text for b in doc.blocks)


@pytest.mark.usefixtures("fake_indicators")
@pytest.mark.django_db
def test_completion_against_targets_is_stated_once_per_area_not_per_figure():
    for code, n, goal in (
        ("applications_recommended", 53, 45),
        ("applications_approved", 33, 30),
        ("patents_applied", 865, 800),
    ):
        add(code, n)
        add(code, n - 5, year=YEAR - 1)
        target(code, goal)
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    text = "\n".join(b.text for b in doc.blocks)
    areas = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert text.count("占年度任务") <= len(areas)
    assert text.count("完成年度任务") <= len(areas)  # none is notable here: once per area
    assert "2项指标均超额完成年度任务" in text


@pytest.mark.usefixtures("fake_indicators")
@pytest.mark.django_db
def test_a_zero_figure_is_not_written_as_zero_in_prose():
    add("trainings", 2, year=YEAR - 1)
    add("applications_approved", 3)
    text = body_text(AnnualReportFactory(year=YEAR))
    assert not re.search(r"[^\d.]0(?:期|项|件|人|家|个|条|万元)", text)


# ---------------------------------------------------------------- punctuation


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ('市"双十"计划', "市“双十”计划"),
        ("省重点研发计划(科技创新类)", "省重点研发计划（科技创新类）"),
        ("主要措施:一是", "主要措施：一是"),
        ("资金困难;二是", "资金困难；二是"),
        ("ISO 9001:2015认证", "ISO 9001:2015认证"),  # Latin text keeps ASCII
        ('"ABC" plan', '"ABC" plan'),
        ("上午8:30召开", "上午8:30召开"),  # a time stays a time
    ],
)
def test_chinese_text_gets_chinese_punctuation_and_latin_text_keeps_its_own(raw, printed):
    assert normalize_punctuation(raw) == printed
    assert normalize_punctuation(printed) == printed  # idempotent


@pytest.mark.usefixtures("fake_indicators")
@pytest.mark.django_db
def test_the_built_document_has_no_ascii_quote_or_bracket_between_chinese_characters():
    add("applications_approved", 2, location="省重点研发计划(科技创新类)")
    report = AnnualReportFactory(
        year=YEAR, opening='围绕"争先进位"目标(全县)开展工作。', problems="一是投入不足;二是人才缺乏"
    )
    doc = build_document(report_snapshot(report))
    assert not ASCII_BETWEEN_CJK.search(doc.text())
    assert "“争先进位”" in doc.text() and "（全县）" in doc.text()


# ---------------------------------------------------------------- the staff's sentences per area


@pytest.mark.usefixtures("fake_indicators")
@pytest.mark.django_db
def test_an_areas_lead_opens_it_and_its_highlight_follows_the_generated_paragraphs(staff):
    add("applications_recommended", 5)
    add("applications_approved", 3)
    report = AnnualReportFactory(year=YEAR)
    projects = next(s for s in registry["report_sections"] if s.key == "projects")
    report_area_texts_save(
        actor=staff,
        report_id=report.pk,
        texts={"projects": ("围绕对上争取，主动对接省市科技部门。", "获批项目数实现历史最多。")},
    )
    blocks = build_document(report_snapshot(report)).blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == projects.heading)
    area = []
    for b in blocks[at + 1 :]:
        if isinstance(b, Heading):
            break
        area.append(b.text)
    assert area[0] == "围绕对上争取，主动对接省市科技部门。"
    assert area[-1] == "获批项目数实现历史最多。"
    assert any("获批3项" in t for t in area[1:-1])


@pytest.mark.usefixtures("fake_indicators")
@pytest.mark.django_db
def test_empty_area_texts_are_warnings_only_and_emptied_texts_keep_no_row(staff):
    add("applications_approved", 3)
    report = AnnualReportFactory(year=YEAR)
    check = report_completeness(report_snapshot(report))
    assert any("亮点/补充" in w for w in check.warnings)
    assert not any("亮点" in p.message for p in check.problems)
    report_area_texts_save(actor=staff, report_id=report.pk, texts={"talent": ("", "亮点")})
    report_area_texts_save(actor=staff, report_id=report.pk, texts={"talent": (" ", "")})
    assert not ReportAreaText.objects.filter(report=report).exists()
    with pytest.raises(ValidationError):
        report_area_texts_save(actor=staff, report_id=report.pk, texts={"nowhere": ("a", "b")})


@pytest.mark.django_db
def test_a_leader_may_not_write_area_texts(leader):
    report = AnnualReportFactory(year=YEAR)
    with pytest.raises(PermissionDenied):
        report_area_texts_save(actor=leader, report_id=report.pk, texts={"talent": ("", "亮点")})


@pytest.mark.django_db
def test_the_area_texts_page_saves_through_the_service(staff_client):
    report = AnnualReportFactory(year=YEAR)
    url = reverse("reports:annualreport_areas", args=[report.pk])
    assert "亮点/补充" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"highlight_talent": "与山东理工大学共建产业技术研究院。"})
    assert response.status_code == 302
    assert ReportAreaText.objects.get(report=report, area="talent").highlight.startswith("与山东理工大学")


# ---------------------------------------------------------------- 全市排名


def test_ranks_are_words_to_ten_then_numerals():
    assert (rank_text(1), rank_text(3), rank_text(10), rank_text(12)) == ("第一", "第三", "第十", "第12位")


@pytest.mark.usefixtures("fake_indicators")
@pytest.mark.django_db
def test_a_ranking_follows_its_figure_linked_to_its_record_and_not_without_it(staff):
    add("applications_approved", 8)
    add("funds_approved", 1, funds="7000")
    for code, subject in (("applications_approved", "获批数量"), ("funds_approved", "争取资金")):
        city_ranking_create(actor=staff, indicator=code, year=YEAR, rank=1, out_of=8, subject=subject, source="通报")
    city_ranking_create(actor=staff, indicator="patents_applied", year=YEAR, rank=2, out_of=8, source="通报")
    doc = build_document(report_snapshot(AnnualReportFactory(year=YEAR)))
    runs = [r for b in doc.blocks if isinstance(b, Paragraph) for r in b.runs]
    text = "".join(r.text for r in runs)
    assert "位列全市第一" in text
    ranked = next(r for r in runs if r.text == "获批数量")
    ranking = CityRanking.objects.get(indicator="applications_approved")
    assert (ranked.code, ranked.url) == ("applications_approved", ranking.get_absolute_url())
    assert "位列全市第二" not in text  # patents_applied has no figure in this report: no ranking either


@pytest.mark.django_db
def test_a_ranking_names_a_registered_indicator_and_a_rank_within_its_count(staff):
    with pytest.raises(ValidationError):
        city_ranking_create(actor=staff, indicator="nothing", year=YEAR, rank=1, out_of=8, source="通报")
    with pytest.raises(ValidationError):
        city_ranking_create(actor=staff, indicator="funds_approved", year=YEAR, rank=9, out_of=8, source="通报")


@pytest.mark.django_db
def test_rankings_have_the_generic_list_detail_and_form_and_keep_history(staff_client, staff):
    ranking = city_ranking_create(
        actor=staff, indicator="funds_approved", year=YEAR, rank=1, out_of=8, source="市科技局通报"
    )
    for url in (
        reverse("reports:cityranking_list"),
        ranking.get_absolute_url(),
        reverse("reports:cityranking_add"),
        reverse("reports:cityranking_edit", args=[ranking.pk]),
    ):
        assert staff_client.get(url).status_code == 200, url
    assert "市科技局通报" in staff_client.get(ranking.get_absolute_url()).content.decode()
    assert ranking.history.count() == 1


# ---------------------------------------------------------------- tables


def test_table_columns_leave_no_cell_ending_in_a_single_character():
    rows = [
        [str(i), name, unit, program, amount]
        for i, (name, unit, program, amount) in enumerate(
            [
                ("冷链物流品质监控系统研发与示范", "天成食品有限公司", "省重点研发计划（科技创新类）", "900"),
                ("高纯石英砂提纯及产业化", "三和陶瓷材料股份有限公司", "省重点研发计划（科技特派员类）", "700"),
                ("农业机械智能控制系统集成应用", "九和智能装备有限公司", "省引智成果示范推广项目", "30"),
                ("企业数字化管理平台关键技术研究", "聚力电子科技有限公司", "市“双十”计划", "300"),
            ],
            1,
        )
    ]
    headers = ["序号", "项目名称", "承担单位", "科技计划", "获批资金（万元）"]
    numeric = [True, False, False, False, True]
    widths = column_widths(headers, rows, numeric)
    assert sum(widths) <= 100
    for i in (1, 2, 3):
        chars = round(widths[i] * 42 / 100 - 0.75)  # the column's width in characters, padding off
        assert orphans([row[i] for row in rows], chars) == 0, (headers[i], chars)


def test_approved_projects_are_ordered_by_level_then_amount():
    projects = {
        "columns": ["项目名称", "承担单位", "获批资金"],
        "rows": [
            ["县项目", "甲公司", "50.00"],
            ["省项目小", "乙公司", "20.00"],
            ["国项目", "丙公司", "10.00"],
            ["省项目大", "丁公司", "300.00"],
        ],
        "numeric": [False, False, True],
        "levels": ["县级", "省级", "国家级", "省级"],
    }
    table = projects_table(projects, YEAR)
    assert [row[1].text for row in table.rows] == ["国项目", "省项目大", "省项目小", "县项目"]


# ---------------------------------------------------------------- fonts by role


def test_without_fangsong_and_kaiti_the_body_falls_back_to_song_with_a_warning(monkeypatch):
    from reports import checks, fonts

    monkeypatch.setattr(fonts, "optional_faces", lambda: {})
    roles = fonts.role_families()
    assert (roles["body"], roles["heading2"], roles["heading1"]) == (fonts.SONG, fonts.SONG, fonts.HEI)
    assert "reports.W002" in [m.id for m in checks.check_report_fonts()]


def test_the_fonts_embedded_are_named_by_the_installed_families():
    from reports import fonts

    assert fonts.embedded_families(["Report Fang", "Report Hei", "Noto Serif CJK SC"]) == sorted(
        {fonts.FANG, fonts.HEI, fonts.SONG}
    )
