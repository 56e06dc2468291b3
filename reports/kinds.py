"""The kinds of report a bureau writes, on one machinery (one model, ``AnnualReport.kind``).

A kind says which period its figures cover and what they are compared with, which staff texts it
has and which of them it cannot do without, how it is titled and dated. The body of each kind is
assembled in ``reports.sections`` and checked in ``reports.report_selectors.report_completeness``:

- 年度工作总结和工作计划 (``annual``): the year's figures against last year and the year's targets;
  一、Y年工作完成情况 / 二、存在的问题 / 三、Y+1年工作计划 (next year's targets and plan text); 附表.
- 上半年工作总结 (``half_year``): figures from 1 January to 30 June against the same half of last year
  (indicators kept per year, such as 企业年度统计, cannot be cut at 30 June and are left out, named in
  the appendix's note); 一、Y年上半年工作完成情况 / 二、存在的问题 / 三、下半年工作打算 (the year's targets
  still to reach and plan text); 附表.
- 科技创新工作情况汇报 (``briefing``): for an audience (县政协常委会 …) on a date, seed 000's three
  parts: 一、科技创新基本情况 (the year's figures, generated), 二、存在的问题 and 三、下一步工作打算 (staff
  texts, both required: a briefing without them is a blank).

This module imports no model: the model, the snapshot and the renderers read it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ANNUAL = "annual"
HALF_YEAR = "half_year"
BRIEFING = "briefing"

# Staff texts of the annual plan, one per area of the report (same order as the sections).
PLAN_FIELDS = (
    ("plan_policy", "计划：政策落实与宣传培训"),
    ("plan_projects", "计划：科技项目与资金"),
    ("plan_talent", "计划：人才引进与平台建设"),
    ("plan_enterprise", "计划：企业创新主体培育"),
    ("plan_ip", "计划：知识产权"),
    ("plan_services", "计划：科技服务"),
)
PLAN_NAMES = tuple(name for name, _ in PLAN_FIELDS)


def _first_working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str
    # Title from the county and the year (the briefing's is the same every year).
    title_format: str
    # Day the figures run to, in the report's year (month, day): 31 Dec, or 30 Jun.
    period_end_md: tuple[int, int]
    # Staff texts this kind has (form, detail page, snapshot), in the order they are written.
    text_fields: tuple[str, ...]
    # Staff texts without which it would print a blank part: their absence stops the build.
    required_texts: tuple[str, ...] = ()
    # The plan is written from targets (next year's, or this year's for the second half) and text.
    plan: bool = True
    targets: bool = True  # figures are stated against the year's targets
    appendix: bool = True  # 附表: 主要指标完成情况, 获批项目清单
    audience: bool = False  # 汇报对象 required
    date_required: bool = False  # 成文日期 required (no default)
    # Words of the generated prose for this period: the whole year's wording → this kind's.
    period_words: tuple[tuple[str, str], ...] = ()
    period_label: str = "全年"  # 全年 / 上半年 (what "全年" of the generated prose becomes)
    compare_label: str = "上年"  # 上年 / 上年同期
    # What "Y年，" opening a paragraph becomes for part of the year.
    opener_format: str = "{year}年{period}，"
    # The figures run to the report's date when it falls inside the year (a briefing in November
    # states the year so far, against the same days of last year); else to ``period_end_md``.
    period_to_date: bool = False
    # 一、… (the generated part) and 三、… (the plan), formatted with the year and the next.
    done_heading_format: str = "{year}年工作完成情况"
    plan_heading_format: str = "{next}年工作计划"
    # The plan's sentence of targets opens with this (annual: "2020年，"; half-year: the year's targets).
    plan_lead_format: str = "{next}年，"

    def period_end(self, year: int, date: datetime.date | None = None) -> datetime.date:
        end = datetime.date(year, *self.period_end_md)
        if self.period_to_date and date is not None and date.year == year and date < end:
            return date
        return end

    @property
    def whole_year(self) -> bool:
        return self.period_end_md == (12, 31)

    def title(self, county: str, year: int) -> str:
        return self.title_format.format(county=county, year=year, next=year + 1)

    def done_heading(self, year: int) -> str:
        return self.done_heading_format.format(year=year, next=year + 1)

    def plan_heading(self, year: int) -> str:
        return self.plan_heading_format.format(year=year, next=year + 1)

    def plan_lead(self, year: int) -> str:
        return self.plan_lead_format.format(year=year, next=year + 1)

    def default_date(self, year: int) -> datetime.date | None:
        """The date under the title when none is entered: the first working day after the period."""
        if self.date_required:
            return None
        end = self.period_end(year)
        return _first_working_day(end + datetime.timedelta(days=2 if self.whole_year else 1))


TEXT_LABELS = {
    "opening": "开篇段落",
    "problems": "存在的问题",
    "plan_intro": "工作计划总体思路",
    **dict(PLAN_FIELDS),
    "next_steps": "下一步工作打算",
    "closing": "结束语",
}

KINDS: dict[str, ReportKind] = {
    k.key: k
    for k in (
        ReportKind(
            ANNUAL,
            "年度工作总结和工作计划",
            "{county}科技局{year}年工作总结和{next}年工作计划",
            (12, 31),
            ("opening", "problems", "plan_intro", *PLAN_NAMES, "closing"),
        ),
        ReportKind(
            HALF_YEAR,
            "上半年工作总结",
            "{county}科技局{year}年上半年工作总结",
            (6, 30),
            ("opening", "problems", "plan_intro", *PLAN_NAMES, "closing"),
            period_words=(
                ("全年", "上半年"),
                ("比上年", "比上年同期"),
                ("与上年", "与上年同期"),
                ("较上年", "较上年同期"),
            ),
            period_label="上半年",
            compare_label="上年同期",
            done_heading_format="{year}年上半年工作完成情况",
            plan_heading_format="下半年工作打算",
            plan_lead_format="围绕全年目标任务，",
        ),
        ReportKind(
            BRIEFING,
            "科技创新工作情况汇报",
            "{county}科技创新工作情况汇报",
            (12, 31),
            ("opening", "problems", "next_steps", "closing"),
            required_texts=("problems", "next_steps"),
            plan=False,
            targets=False,
            appendix=False,
            audience=True,
            date_required=True,
            done_heading_format="科技创新基本情况",
            plan_heading_format="下一步工作打算",
            period_to_date=True,
            period_words=(
                ("全年", "今年以来"),
                ("比上年", "比上年同期"),
                ("与上年", "与上年同期"),
                ("较上年", "较上年同期"),
            ),
            period_label="今年以来",
            compare_label="上年同期",
            opener_format="今年以来，",
        ),
    )
}
KIND_CHOICES = [(k.key, k.label) for k in KINDS.values()]


def kind_of(key: str | None) -> ReportKind:
    return KINDS.get(key or ANNUAL, KINDS[ANNUAL])
