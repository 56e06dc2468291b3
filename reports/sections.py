"""The report's body as data: which indicators each section states, and the sentences they make.

Input is a snapshot (``reports.selectors.report_snapshot``): every figure frozen as text. Output is
a ``Document`` of headings, paragraphs and tables whose figures are ``Run``s carrying the code and
drill-down URL of their indicator, rendered alike to HTML (preview, PDF) and DOCX.

Rules (DOMAIN.md, issue 8): zero is a figure and is stated; a figure that is missing (``None``) or
that a reviewer marked 不写入报告 is left out with its clause, never printed as a blank; staff
text that is empty is left out with its heading; headings are numbered after that, so they stay
consecutive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from bureau import formatting

CN_NUMBERS = "一二三四五六七八九十"

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Run:
    """A piece of text; a figure when ``code`` is set (its link is ``url``)."""

    text: str
    code: str = ""
    url: str = ""
    title: str = ""


@dataclass
class Heading:
    level: int  # 1: 一、  2: （一）
    text: str
    number: str = ""
    kind: str = "heading"


@dataclass
class Paragraph:
    runs: list[Run]
    lead: str = ""  # 1．积极争取上级支持。 (bold lead sentence)
    kind: str = "paragraph"

    @property
    def text(self) -> str:
        return self.lead + "".join(r.text for r in self.runs)


@dataclass
class Table:
    label: str  # 附表1
    caption: str
    headers: list[str]
    rows: list[list[Run]]
    widths: list[int] = field(default_factory=list)  # relative column widths
    numeric: list[bool] = field(default_factory=list)  # right-aligned columns
    note: str = ""
    kind: str = "table"

    @property
    def numeric_columns(self) -> set[int]:
        return {i for i, is_number in enumerate(self.numeric) if is_number}


@dataclass
class Document:
    title: str
    issuer: str
    date_line: str
    blocks: list  # Heading | Paragraph
    appendix: list[Table]

    @property
    def title_lines(self) -> list[str]:
        """The title in two balanced lines when long (GB/T 9704: 回行时词意完整), split after a
        "和" near its middle: 示例县科技局2019年工作总结 / 和2020年工作计划."""
        if len(self.title) <= 18:
            return [self.title]
        middle = len(self.title) / 2
        splits = [i for i, ch in enumerate(self.title) if ch == "和" and 6 <= i <= len(self.title) - 6]
        if not splits:
            return [self.title]
        at = min(splits, key=lambda i: abs(i - middle))
        return [self.title[:at], self.title[at:]]

    def text(self) -> str:
        parts = [self.title, self.issuer, self.date_line]
        for block in self.blocks:
            parts.append(block.number + block.text if isinstance(block, Heading) else block.text)
        for table in self.appendix:
            parts += [table.label, table.caption, table.note, *table.headers]
            parts += [run.text for row in table.rows for run in row]
        return "\n".join(parts)


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    unit: str
    decimals: int
    value: Decimal
    prev: Decimal | None
    target: Decimal | None
    next_target: Decimal | None
    url: str
    breakdown: list[tuple[str, Decimal]]


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def fmt_number(value: Decimal, unit: str, decimals: int = 0) -> str:
    """A figure with its unit as prose writes it: 8项, 380万元, 1.25亿元, 2.35%."""
    if unit == "万元":
        if abs(value) >= formatting.WAN_PER_YI:
            return f"{formatting.plain(formatting.wan_to_yi(value), 2)}亿元"
        return f"{formatting.plain(value, 2)}万元"
    if unit == "%":
        return f"{formatting.plain(value, max(decimals, 2))}%"
    return f"{formatting.plain(value, max(decimals, 2))}{unit}"


def fmt_bare(value: Decimal | None, unit: str, decimals: int = 0) -> str:
    """A figure for a table cell whose unit is in its own column."""
    if value is None:
        return "—"
    return formatting.plain(value, 2 if unit in ("万元", "%") else max(decimals, 2))


def completion(value: Decimal, target: Decimal | None) -> Decimal | None:
    if target is None or target == 0:
        return None
    return value * 100 / target


def change_text(fig: Figure) -> str:
    """比上年增加3项 / 增长12.5% / 提高0.3个百分点 / 与上年持平; empty when there is no 上年值."""
    if fig.prev is None or (fig.prev == 0 and fig.unit != "%"):
        return ""  # no 上年值, or 比上年增加8项 over a zero that says nothing
    delta = fig.value - fig.prev
    if delta == 0:
        return "与上年持平" if fig.value != 0 else ""
    if fig.unit == "%":
        word = "提高" if delta > 0 else "下降"
        return f"比上年{word}{formatting.plain(abs(delta), 2)}个百分点"
    if fig.unit == "万元":
        word = "增长" if delta > 0 else "下降"
        return f"比上年{word}{formatting.plain(abs(delta) * 100 / fig.prev, 1)}%"
    word = "增加" if delta > 0 else "减少"
    return f"比上年{word}{fmt_number(abs(delta), fig.unit, fig.decimals)}"


def yoy_text(fig: Figure) -> str:
    """同比 column of the appendix table."""
    if fig.prev is None:
        return "—"
    delta = fig.value - fig.prev
    if delta == 0:
        return "持平"
    if fig.unit == "%":
        return f"{'+' if delta >= 0 else '-'}{formatting.plain(abs(delta), 2)}个百分点"
    if fig.prev == 0:
        return "—"
    return f"{'+' if delta >= 0 else '-'}{formatting.plain(abs(delta) * 100 / fig.prev, 1)}%"


class Figures:
    """The snapshot's figures, minus the missing and the excluded ones."""

    def __init__(self, snapshot: dict):
        self.year = snapshot["year"]
        self.excluded = set(snapshot.get("excluded", {}))
        self._figures: dict[str, Figure] = {}
        for code, data in snapshot.get("figures", {}).items():
            value = _dec(data.get("value"))
            if value is None or code in self.excluded:
                continue
            self._figures[code] = Figure(
                code=code,
                name=data["name"],
                unit=data["unit"],
                decimals=int(data.get("decimals") or 0),
                value=value,
                prev=_dec(data.get("prev")),
                target=_dec(data.get("target")),
                next_target=_dec(data.get("next_target")),
                url=data.get("url", ""),
                breakdown=[(b["label"], _dec(b["value"])) for b in data.get("breakdown", []) if _dec(b["value"])],
            )

    def get(self, code: str) -> Figure | None:
        return self._figures.get(code)

    def __contains__(self, code: str) -> bool:
        return code in self._figures

    def all(self) -> list[Figure]:
        return list(self._figures.values())

    def run(self, code: str, value: Decimal | None = None) -> Run:
        fig = self._figures[code]
        shown = fig.value if value is None else value
        return Run(fmt_number(shown, fig.unit, fig.decimals), code=code, url=fig.url, title=f"{self.year}年{fig.name}")


# ---------------------------------------------------------------- sentences

Clause = list[Run]


def clause(figs: Figures, code: str, before: str, after: str = "", *, target=True, change=True) -> Clause | None:
    """``before`` + figure + ``after`` + 占年度任务的X% + 比上年…; None when the figure is absent."""
    fig = figs.get(code)
    if fig is None:
        return None
    runs = [Run(before), figs.run(code)]
    if after:
        runs.append(Run(after))
    rate = completion(fig.value, fig.target) if target else None
    if rate is not None:
        runs.append(Run(f"，占年度任务的{formatting.plain(rate, 1)}%"))
    if change and (text := change_text(fig)):
        runs.append(Run(f"，{text}"))
    return runs


def breakdown_clause(figs: Figures, code: str, prefix: str = "") -> Clause | None:
    """新建院士工作站1个、省级重点实验室2个 (parts of a breakdown, zero parts left out)."""
    fig = figs.get(code)
    if fig is None or not fig.breakdown:
        return None
    runs: list[Run] = [Run(prefix)]
    for i, (label, value) in enumerate(fig.breakdown):
        runs.append(Run(f"、{label}" if i else label))
        runs.append(figs.run(code, value))
    return runs


def paired_breakdown(figs: Figures, first: str, second: str, verb1: str, verb2: str) -> Clause | None:
    """组织申报省重点研发计划(科技创新类)项目19项、获批8项；… from two breakdowns by the same label."""
    a, b = figs.get(first), figs.get(second)
    if a is None and b is None:
        return None
    a_parts = dict(a.breakdown) if a else {}
    b_parts = dict(b.breakdown) if b else {}
    labels = list(a_parts) + [label for label in b_parts if label not in a_parts]
    runs: list[Run] = []
    for label in labels:
        if runs:
            runs.append(Run("；"))
        short = _LEVEL_SUFFIX.sub("", label)
        noun = short if short.endswith(("项目", "人才", "工程")) else f"{short}项目"
        if label in a_parts:
            runs += [Run(f"{verb1}{noun}"), figs.run(first, a_parts[label])]
            if label in b_parts:
                runs += [Run(f"、{verb2}"), figs.run(second, b_parts[label])]
        else:
            runs += [Run(f"{noun}{verb2}"), figs.run(second, b_parts[label])]
    return runs or None


_LEVEL_SUFFIX = re.compile(r"[（(][^（）()]*级[）)]$")


def sentence(*clauses: Clause | None, sep: str = "，") -> Clause | None:
    present = [c for c in clauses if c]
    if not present:
        return None
    runs: list[Run] = []
    for i, c in enumerate(present):
        if i:
            runs.append(Run(sep))
        runs += c
    return runs


def paragraph(lead: str, *sentences: Clause | None, opening: str = "") -> Paragraph | None:
    present = [s for s in sentences if s]
    if not present:
        return None
    runs: list[Run] = [Run(opening)] if opening else []
    for s in present:
        runs += s
        runs.append(Run("。"))
    return Paragraph(runs=_merge(runs), lead=lead)


def _merge(runs: Iterable[Run]) -> list[Run]:
    """Join adjacent plain runs (fewer spans in HTML and DOCX)."""
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and not run.code and not merged[-1].code:
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


# ---------------------------------------------------------------- the six areas


@dataclass(frozen=True)
class Area:
    key: str
    heading: str  # 一、Y年工作完成情况 → （一）heading
    plan_heading: str  # 三、Y+1年工作计划 → （一）plan_heading
    plan_field: str  # staff text on AnnualReport
    codes: tuple[str, ...]  # indicators this area states (the appendix table follows this order)
    paragraphs: Callable[[Figures], list[Paragraph | None]]


def _policy(f: Figures) -> list[Paragraph | None]:
    y = f.year
    return [
        paragraph(
            "宣传落实各级科技政策。",
            sentence(clause(f, "policies_issued", "出台科技政策文件", change=False)),
            sentence(
                clause(f, "trainings", "举办政策解读、项目申报、高企认定等各类培训班"),
                clause(f, "training_participants", "培训", change=False),
            ),
            sentence(clause(f, "county_funds_paid", "兑现县级科技奖励和补助资金")),
            opening=f"{y}年，",
        ),
    ]


def _projects(f: Figures) -> list[Paragraph | None]:
    return [
        paragraph(
            "积极争取上级科技项目和资金。",
            paired_breakdown(f, "applications_recommended", "applications_approved", "组织申报", "获批"),
            sentence(
                clause(f, "applications_recommended", "全年共申报上级科技计划项目"),
                clause(f, "applications_approved", "获批"),
            ),
            sentence(clause(f, "funds_approved", "争取上级科技资金")),
        ),
        paragraph(
            "科技奖励取得新成绩。",
            sentence(
                clause(f, "awards", "全年获得各级科技奖励"),
                breakdown_clause(f, "awards"),
                sep="，其中",
            ),
        ),
    ]


def _talent(f: Figures) -> list[Paragraph | None]:
    return [
        paragraph(
            "高层次人才引进。",
            sentence(
                clause(f, "talent_applications", "全年共申报各类人才工程"),
                sentence(
                    clause(f, "talent_selections", "入选"),
                    breakdown_clause(f, "talent_selections"),
                    sep="，其中",
                ),
            ),
            sentence(
                clause(f, "commissioners", "选派科技特派员"),
                breakdown_clause(f, "commissioners"),
                sep="，其中",
            ),
            sentence(
                clause(f, "secondments", "选派挂职科技副县长、科技副镇长", change=False),
            ),
        ),
        paragraph(
            "科技创新平台建设。",
            sentence(breakdown_clause(f, "platforms_new", "新建")),
            sentence(
                clause(f, "platforms_new", "全年新建各类创新平台"),
                clause(f, "platform_evaluations_excellent", "绩效评估中", "被评为优秀等次", change=False),
                clause(f, "platform_evaluation_rewards", "获得绩效奖励资金", change=False),
            ),
        ),
        paragraph(
            "产学研合作。",
            sentence(clause(f, "cooperation_agreements", "与高校、科研院所签订产学研合作协议")),
        ),
    ]


def _enterprise(f: Figures) -> list[Paragraph | None]:
    return [
        paragraph(
            "培育壮大高新技术企业。",
            sentence(
                clause(f, "high_tech_enterprises", "全县有效期内国家高新技术企业"),
                clause(f, "high_tech_applications", "全年申报认定", change=False),
                clause(f, "high_tech_new", "新认定"),
            ),
            sentence(clause(f, "tech_smes", "科技型中小企业评价入库")),
        ),
        paragraph(
            "鼓励企业加大研发投入。",
            sentence(
                clause(f, "rd_enterprises", "全县", "开展研发活动", change=False),
                clause(f, "rd_expenditure", "研发经费支出"),
                clause(f, "rd_intensity", "研发投入强度达到"),
            ),
            sentence(clause(f, "high_tech_output_share", "高新技术产业产值占规模以上工业总产值的比重达到")),
        ),
    ]


def _ip(f: Figures) -> list[Paragraph | None]:
    return [
        paragraph(
            "知识产权创造和保护。",
            sentence(
                clause(f, "patents_applied", "全年专利申请量"),
                clause(f, "patents_granted", "专利授权量"),
                clause(f, "invention_patents_granted", "其中发明专利授权"),
            ),
            sentence(clause(f, "invention_patents_per_10k", "每万人有效发明专利拥有量达到")),
        ),
    ]


def _services(f: Figures) -> list[Paragraph | None]:
    return [
        paragraph(
            "提高科技服务水平。",
            sentence(
                clause(f, "needs_collected", "深入企业征集技术和人才需求"),
                clause(f, "needs_resolved", "帮助企业解决技术难题"),
            ),
            sentence(clause(f, "achievements_transformed", "推动科技成果转化")),
        ),
    ]


AREAS: tuple[Area, ...] = (
    Area(
        "policy",
        "围绕各级科技政策抓落实",
        "强化政策落实和宣传培训",
        "plan_policy",
        ("policies_issued", "trainings", "training_participants", "county_funds_paid"),
        _policy,
    ),
    Area(
        "projects",
        "围绕科技项目和资金抓争取",
        "积极开展对上争取",
        "plan_projects",
        ("applications_recommended", "applications_approved", "funds_approved", "awards"),
        _projects,
    ),
    Area(
        "talent",
        "围绕招才引智和平台建设抓落实",
        "着力抓好招才引智和平台建设",
        "plan_talent",
        (
            "talent_applications",
            "talent_selections",
            "commissioners",
            "secondments",
            "platforms_new",
            "platform_evaluations_excellent",
            "platform_evaluation_rewards",
            "cooperation_agreements",
        ),
        _talent,
    ),
    Area(
        "enterprise",
        "围绕企业创新主体培育抓落实",
        "培育壮大创新型企业",
        "plan_enterprise",
        (
            "high_tech_enterprises",
            "high_tech_applications",
            "high_tech_new",
            "tech_smes",
            "rd_enterprises",
            "rd_expenditure",
            "rd_intensity",
            "high_tech_output_share",
        ),
        _enterprise,
    ),
    Area(
        "ip",
        "围绕知识产权抓创造和保护",
        "实施知识产权战略",
        "plan_ip",
        ("patents_applied", "patents_granted", "invention_patents_granted", "invention_patents_per_10k"),
        _ip,
    ),
    Area(
        "services",
        "围绕强服务、促转化抓落实",
        "提升科技服务能力",
        "plan_services",
        ("needs_collected", "needs_resolved", "achievements_transformed"),
        _services,
    ),
)

# Every indicator the report states, in the order of the report (and of its appendix table).
REPORT_CODES: tuple[str, ...] = tuple(code for area in AREAS for code in area.codes)

# How the plan section words a next-year target: 力争 + phrase + figure.
PLAN_PHRASES = {
    "trainings": "举办各类培训班",
    "county_funds_paid": "兑现县级科技奖补资金",
    "applications_recommended": "申报上级科技计划项目",
    "applications_approved": "获批上级科技计划项目",
    "funds_approved": "争取上级科技资金",
    "awards": "获得各级科技奖励",
    "talent_applications": "申报各类人才工程",
    "talent_selections": "入选各类人才工程",
    "commissioners": "选派科技特派员",
    "platforms_new": "新建各类创新平台",
    "cooperation_agreements": "签订产学研合作协议",
    "high_tech_enterprises": "国家高新技术企业总数达到",
    "high_tech_applications": "申报高新技术企业",
    "high_tech_new": "新认定高新技术企业",
    "tech_smes": "科技型中小企业评价入库",
    "rd_expenditure": "全社会研发经费支出达到",
    "rd_intensity": "研发投入强度达到",
    "high_tech_output_share": "高新技术产业产值占比达到",
    "patents_applied": "专利申请量达到",
    "patents_granted": "专利授权量达到",
    "invention_patents_granted": "发明专利授权",
    "invention_patents_per_10k": "每万人有效发明专利拥有量达到",
    "needs_collected": "征集企业技术和人才需求",
    "needs_resolved": "解决企业技术难题",
    "achievements_transformed": "转化科技成果",
}


# ---------------------------------------------------------------- staff text

_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*")


def staff_blocks(text: str, *, subheadings: bool = False) -> list[Heading | Paragraph]:
    """Staff text, one paragraph per line; with ``subheadings`` a line like （一）… becomes a heading."""
    blocks: list[Heading | Paragraph] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if subheadings and _SUBHEADING.match(line) and len(line) <= 40:
            blocks.append(Heading(2, _SUBHEADING.sub("", line)))
        else:
            blocks.append(Paragraph(runs=[Run(line)]))
    return blocks


# ---------------------------------------------------------------- the document


def build_document(snapshot: dict) -> Document:
    """The whole report from a snapshot: body sections, then the appendix tables."""
    figs = Figures(snapshot)
    texts = snapshot.get("texts", {})
    year = snapshot["year"]
    blocks: list = []

    blocks += staff_blocks(texts.get("opening", ""))

    # 一、Y年工作完成情况
    done: list = []
    for area in AREAS:
        paragraphs = [p for p in area.paragraphs(figs) if p is not None]
        if paragraphs:
            done.append(Heading(2, area.heading))
            for i, p in enumerate(paragraphs, 1):
                p.lead = f"{i}．{p.lead}" if len(paragraphs) > 1 else p.lead
                done.append(p)
    if done:
        blocks.append(Heading(1, f"{year}年工作完成情况"))
        blocks += done

    # 二、存在的问题
    problems = staff_blocks(texts.get("problems", ""), subheadings=True)
    if problems:
        blocks.append(Heading(1, "存在的问题"))
        blocks += problems

    # 三、Y+1年工作计划
    plan = _plan_blocks(figs, snapshot, texts)
    if plan:
        blocks.append(Heading(1, f"{year + 1}年工作计划"))
        blocks += plan

    blocks += staff_blocks(texts.get("closing", ""))
    _number_headings(blocks)

    appendix = [indicator_table(figs, snapshot)]
    projects = snapshot.get("projects")
    if projects and projects.get("rows"):
        appendix.append(projects_table(projects, year))
    for i, table in enumerate(appendix, 1):
        table.label = f"附表{i}"
    return Document(
        title=snapshot["title"],
        issuer=snapshot.get("bureau", ""),
        date_line=snapshot.get("date_line", ""),
        blocks=blocks,
        appendix=appendix,
    )


def _plan_blocks(figs: Figures, snapshot: dict, texts: dict) -> list:
    targets = snapshot.get("next_targets", {})
    excluded = figs.excluded
    blocks: list = staff_blocks(texts.get("plan_intro", ""))
    placed: set[str] = set()
    groups: list[tuple[str, list[str], str]] = []
    for area in AREAS:
        codes = [c for c in area.codes if c in targets]
        placed.update(codes)
        groups.append((area.plan_heading, codes, texts.get(area.plan_field, "")))
    others = [c for c in targets if c not in placed]
    if others:
        groups.append(("完成其他目标任务", others, ""))
    for heading, codes, staff_text in groups:
        parts: list[Run] = []
        for code in codes:
            if code in excluded:
                continue
            t = targets[code]
            phrase = PLAN_PHRASES.get(code, f"{t['name']}达到")
            parts += [Run("、" if parts else "力争"), Run(phrase)]
            parts.append(
                Run(
                    fmt_number(Decimal(t["value"]), t["unit"], int(t.get("decimals") or 0)),
                    code=code,
                    url=t.get("url", ""),
                    title=f"{snapshot['year'] + 1}年目标：{t['name']}",
                )
            )
        body = staff_blocks(staff_text)
        if not parts and not body:
            continue
        blocks.append(Heading(2, heading))
        if parts:
            blocks.append(Paragraph(runs=_merge([Run(f"{snapshot['year'] + 1}年，"), *parts, Run("。")])))
        blocks += body
    return blocks


def _number_headings(blocks: list) -> None:
    n1 = n2 = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                n1 += 1
                n2 = 0
                block.number = f"{CN_NUMBERS[n1 - 1]}、"
            else:
                n2 += 1
                block.number = f"（{CN_NUMBERS[n2 - 1] if n2 <= 10 else n2}）"


def indicator_table(figs: Figures, snapshot: dict) -> Table:
    """附表：主要指标完成情况 (指标, 单位, 目标值, 完成值, 完成率, 上年值, 同比)."""
    order = {code: i for i, code in enumerate(REPORT_CODES)}
    rows = []
    for fig in sorted(figs.all(), key=lambda f: order.get(f.code, len(order))):
        rate = completion(fig.value, fig.target)
        rows.append(
            [
                Run(fig.name),
                Run(fig.unit),
                Run(fmt_bare(fig.target, fig.unit, fig.decimals), code=fig.code if fig.target is not None else ""),
                Run(fmt_bare(fig.value, fig.unit, fig.decimals), code=fig.code, url=fig.url, title=fig.name),
                Run("—" if rate is None else f"{formatting.plain(rate, 1)}%"),
                Run(fmt_bare(fig.prev, fig.unit, fig.decimals)),
                Run(yoy_text(fig)),
            ]
        )
    return Table(
        label="",
        caption=f"{snapshot['year']}年主要指标完成情况",
        headers=["指标", "单位", "目标值", "完成值", "完成率", "上年值", "同比"],
        rows=rows,
        widths=[29, 7, 11, 11, 10, 11, 21],
        numeric=[False, False, True, True, True, True, True],
        note="注：“—”表示未下达年度目标或无可比数据。",
    )


def projects_table(projects: dict, year: int) -> Table:
    """附表：获批项目清单 (columns of the record type's list)."""
    headers = ["序号", *projects["columns"]]
    rows = [[Run(str(i)), *(Run(str(v)) for v in row)] for i, row in enumerate(projects["rows"], 1)]
    n = len(projects["columns"])
    numeric = list(projects.get("numeric", [False] * n))
    # Text columns share the width, the first (the project's name) twice as much; numbers get 13%.
    text_weights = [2 if i == 0 else 1 for i, is_number in enumerate(numeric) if not is_number]
    text_width = 94 - 13 * sum(numeric)
    weights = iter(text_weights)
    widths = [13 if is_number else text_width * next(weights) // max(sum(text_weights), 1) for is_number in numeric]
    return Table(
        label="",
        caption=f"{year}年获批上级科技计划项目清单",
        headers=headers,
        rows=rows,
        widths=[6, *widths],
        numeric=[True, *numeric],
    )
