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

    @property
    def is_count(self) -> bool:
        """A count of records (8项, 24家): its change on last year is the difference, 比上年增加3项."""
        if self.unit in ("%", "万元") or self.decimals:
            return False
        return _integral(self.value) and (self.prev is None or _integral(self.prev))


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _integral(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _plain(value: Decimal, places: int) -> str:
    """A number in prose: no thousands separator, as official documents write it (7012.5万元)."""
    return formatting.plain(value, places).replace(",", "")


def fmt_number(value: Decimal, unit: str, decimals: int = 0) -> str:
    """A figure with its unit as prose writes it: 8项, 380万元, 1.25亿元, 2.35%."""
    if unit == "万元":
        if abs(value) >= formatting.WAN_PER_YI:
            return f"{_plain(formatting.wan_to_yi(value), 2)}亿元"
        return f"{_plain(value, 2)}万元"
    if unit == "%":
        return f"{_plain(value, max(decimals, 2))}%"
    return f"{_plain(value, max(decimals, 2))}{unit}"


def fmt_bare(value: Decimal | None, unit: str, decimals: int = 0) -> str:
    """A figure for a table cell whose unit is in its own column."""
    if value is None:
        return "—"
    return formatting.plain(value, 2 if unit in ("万元", "%") else max(decimals, 2))


def completion(value: Decimal, target: Decimal | None) -> Decimal | None:
    if target is None or target == 0:
        return None
    return value * 100 / target


def _points(delta: Decimal) -> Decimal:
    """Percentage points as stated (2 decimals)."""
    return formatting.quantize(abs(delta), 2)


def _growth(delta: Decimal, prev: Decimal) -> Decimal:
    """Growth on last year in percent as stated (1 decimal)."""
    return formatting.quantize(abs(delta) * 100 / abs(prev), 1)


def target_text(fig: Figure) -> str:
    """占年度任务的110%; for a percentage, 超过年度目标0.2个百分点 (a share of a share says nothing)."""
    if fig.target is None:
        return ""
    if fig.unit == "%":
        gap = fig.value - fig.target
        if _points(gap) == 0:
            return "完成年度目标" if gap >= 0 else "基本完成年度目标"
        return f"{'超过' if gap > 0 else '低于'}年度目标{_plain(_points(gap), 2)}个百分点"
    rate = completion(fig.value, fig.target)
    return "" if rate is None else f"占年度任务的{_plain(rate, 1)}%"


def change_text(fig: Figure) -> str:
    """The change on last year, from the exact values: 比上年增加3项 (a count), 比上年增长12.5%
    (money, ratios and other measures), 比上年提高0.35个百分点 (a percentage), 与上年持平; a change
    too small to show at that precision is 与上年基本持平, never a rounded 0 or 1. Empty when there is
    no 上年值, or over a zero last year (比上年增加8项 over nothing says nothing)."""
    if fig.prev is None:
        return ""
    delta = fig.value - fig.prev
    if delta == 0:
        return "与上年持平" if fig.value != 0 else ""
    if fig.unit == "%":
        if _points(delta) == 0:
            return "与上年基本持平"
        return f"比上年{'提高' if delta > 0 else '下降'}{_plain(_points(delta), 2)}个百分点"
    if fig.prev == 0:
        return ""
    if fig.is_count:
        return f"比上年{'增加' if delta > 0 else '减少'}{fmt_number(abs(delta), fig.unit)}"
    if _growth(delta, fig.prev) == 0:
        return "与上年基本持平"
    return f"比上年{'增长' if delta > 0 else '下降'}{_plain(_growth(delta, fig.prev), 1)}%"


def yoy_text(fig: Figure) -> str:
    """同比 column of the appendix table (same rules as the prose: exact values, no rounded 0)."""
    if fig.prev is None:
        return "—"
    delta = fig.value - fig.prev
    if delta == 0:
        return "持平"
    sign = "+" if delta > 0 else "-"
    if fig.unit == "%":
        return "基本持平" if _points(delta) == 0 else f"{sign}{formatting.plain(_points(delta), 2)}个百分点"
    if fig.prev == 0:
        return "—"
    growth = _growth(delta, fig.prev)
    return "基本持平" if growth == 0 else f"{sign}{formatting.plain(growth, 1)}%"


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

    def nonzero(self, code: str) -> Figure | None:
        """The figure when it is above zero (for sentences that read wrong over nothing)."""
        fig = self._figures.get(code)
        return fig if fig is not None and fig.value > 0 else None

    def __contains__(self, code: str) -> bool:
        return code in self._figures

    def all(self) -> list[Figure]:
        return list(self._figures.values())

    def run(self, code: str, value: Decimal | None = None, *, measure: str = "") -> Run:
        """The figure (or a part of it) as a linked run; ``measure`` words a count by what it counts
        (院士工作站1家, 科技副县长1名) where the indicator's unit is generic (个, 人)."""
        fig = self._figures[code]
        shown = fig.value if value is None else value
        unit = measure if measure and fig.is_count else fig.unit
        return Run(fmt_number(shown, unit, fig.decimals), code=code, url=fig.url, title=f"{self.year}年{fig.name}")


# ---------------------------------------------------------------- sentences


class Clause(list):
    """The runs of a clause. ``tail``: it ends in 占年度任务…/比上年…, so the clause after it is set
    off with "；" rather than "，" (全年申报53项，占年度任务的117.8%，比上年增加12项；获批33项…)."""

    tail = False


def _clause(runs: Iterable[Run], tail: bool = False) -> Clause:
    c = Clause(runs)
    c.tail = tail
    return c


def _tails(fig: Figure, *, target: bool, change: bool) -> list[Run]:
    texts = [target_text(fig) if target else "", change_text(fig) if change else ""]
    return [Run(f"，{t}") for t in texts if t]


def clause(
    figs: Figures,
    code: str,
    before: str,
    after: str = "",
    *,
    target=True,
    change=True,
    measure: str = "",
    detail: Clause | None = None,
) -> Clause | None:
    """``before`` + figure (+ （detail）) + ``after`` + 占年度任务的X% + 比上年…; None when absent."""
    fig = figs.get(code)
    if fig is None:
        return None
    runs = [Run(before), figs.run(code, measure=measure)]
    if detail:
        runs += [Run("（"), *detail, Run("）")]
    if after:
        runs.append(Run(after))
    tails = _tails(fig, target=target, change=change)
    return _clause(runs + tails, tail=bool(tails))


# Shared heads a following part leaves out: 泰山产业领军人才创新类3人、创业类7人.
_SHARED_HEADS = ("人才", "计划", "工程")


def _without_shared_head(previous: str, label: str) -> str:
    common = 0
    while common < min(len(previous), len(label)) and previous[common] == label[common]:
        common += 1
    head = label[:common]
    while head and not head.endswith(_SHARED_HEADS):
        head = head[:-1]
    return label[len(head) :] if len(head) >= 2 and len(label) > len(head) else label


def parts(
    figs: Figures,
    code: str,
    *,
    measure: Callable[[str], str] | str = "",
    phrase: Callable[[str], str] | None = None,
    shared_heads: bool = False,
    limit: int = 0,
) -> Clause | None:
    """省级院士工作站1家、市级重点实验室1家 (the breakdown's parts, zero parts left out; ``limit``
    parts at most, then 等); None without a breakdown."""
    fig = figs.get(code)
    if fig is None or not fig.breakdown:
        return None
    items = fig.breakdown[:limit] if limit else fig.breakdown
    runs: list[Run] = []
    previous = ""
    for label, value in items:
        shown = phrase(label) if phrase else label
        text = _without_shared_head(previous, shown) if shared_heads else shown
        previous = shown
        word = measure(label) if callable(measure) else measure
        runs += [Run(f"、{text}" if runs else text), figs.run(code, value, measure=word)]
    if len(items) < len(fig.breakdown):
        runs.append(Run("等"))
    return _clause(runs)


def itemized(
    figs: Figures,
    code: str,
    before: str,
    total: str,
    alone: str,
    *,
    target=True,
    change=True,
    total_measure: str = "",
    **part_options,
) -> Clause | None:
    """The parts, then the total with its tails: 新建省级院士工作站1家、市级重点实验室1家，全年共新建
    各类创新平台22个，占年度任务的…; a single part is the total itself; without a breakdown
    ``alone`` + the total."""
    fig = figs.get(code)
    if fig is None:
        return None
    items = parts(figs, code, **part_options)
    if items is None:
        return clause(figs, code, alone, target=target, change=change, measure=total_measure)
    runs = [Run(before), *items]
    if len(fig.breakdown) > 1 or fig.breakdown[0][1] != fig.value:
        runs += [Run(total), figs.run(code, measure=total_measure)]
    tails = _tails(fig, target=target, change=change)
    return _clause(runs + tails, tail=bool(tails))


def paired_breakdown(figs: Figures, first: str, second: str, verb1: str, verb2: str) -> Clause | None:
    """组织申报省重点研发计划(科技创新类)项目19项、获批8项；区县切块项目14项、获批12项 … from two
    breakdowns by the same label (the verb said once, for the first program)."""
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
            runs += [Run(f"{verb1 if not runs else ''}{noun}"), figs.run(first, a_parts[label])]
            if label in b_parts:
                runs += [Run(f"、{verb2}"), figs.run(second, b_parts[label])]
        else:
            runs += [Run(f"{noun}{verb2}"), figs.run(second, b_parts[label])]
    return _clause(runs) if runs else None


_LEVEL_SUFFIX = re.compile(r"[（(][^（）()]*级[）)]$")


def sentence(*clauses: Clause | None, sep: str | None = None) -> Clause | None:
    """Clauses joined by ``sep``; by default "，", or "；" after a clause that ends in its tails."""
    present = [c for c in clauses if c]
    if not present:
        return None
    runs: list[Run] = []
    for i, c in enumerate(present):
        if i:
            runs.append(Run(sep if sep is not None else ("；" if present[i - 1].tail else "，")))
        runs += c
    return _clause(runs, tail=present[-1].tail)


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


# ---------------------------------------------------------------- wording of parts

# 奖励兑现 kinds (their labels) as the report names the money: 发放县级研发经费财政补贴380万元.
REWARD_PHRASES = {
    "研发补贴": "县级研发经费财政补贴",
    "高企奖励": "高新技术企业认定奖励",
    "平台奖励": "创新平台建设奖励",
    "人才奖励": "人才新政配套资金",
    "其他": "其他科技奖补资金",
}
RD_SUBSIDY = "研发补贴"

# The measure word of an institution by the end of its name (院士工作站1家); else the unit.
_INSTITUTION_ENDINGS = ("站", "室", "中心", "空间", "器", "基地", "园", "院", "所", "队", "平台", "企业")


def institution_measure(label: str) -> str:
    return "家" if label.endswith(_INSTITUTION_ENDINGS) else ""


def _secondment_post(label: str) -> str:
    return "其他科技副职" if label == "其他" else label


def _policies(f: Figures) -> Clause | None:
    """配套制定完善了《…若干政策意见》等8项科技政策 (the first policy of the year named)."""
    fig = f.nonzero("policies_issued")
    if fig is None:
        return None
    titles = [label.strip("《》 ") for label, _ in fig.breakdown]
    if not titles:
        return _clause([Run("结合我县实际，配套制定完善科技政策"), f.run(fig.code)])
    named = Run(f"《{titles[0]}》", code=fig.code, url=fig.url, title=f"{f.year}年{fig.name}")
    if fig.value == 1:
        return _clause([Run("结合我县实际，配套制定了"), named])
    return _clause([Run("结合我县实际，配套制定完善了"), named, Run("等"), f.run(fig.code), Run("科技政策")])


def _rd_subsidy(f: Figures) -> Clause | None:
    fig = f.get("county_funds_paid")
    value = dict(fig.breakdown).get(RD_SUBSIDY) if fig else None
    if not value:
        return None
    return _clause(
        [
            Run(f"在政策扶持上，发放{REWARD_PHRASES[RD_SUBSIDY]}"),
            f.run(fig.code, value),
            Run("，鼓励引导企业加大研发投入"),
        ]
    )


def _excellent_platforms(f: Figures) -> Clause | None:
    """省级工程技术研究中心1家在绩效评估中被评为优秀等次, 获得绩效评估奖励资金100万元."""
    excellent, reward = f.nonzero("platform_evaluations_excellent"), f.nonzero("platform_evaluation_rewards")
    runs: list[Run] = []
    if excellent is not None:
        named = parts(f, excellent.code, measure=institution_measure)
        runs += [*(named or [f.run(excellent.code), Run("创新平台")]), Run("在绩效评估中被评为优秀等次")]
    if reward is not None:
        runs += [Run("，" if runs else ""), Run("全年获得平台绩效评估奖励资金"), f.run(reward.code)]
    return _clause(runs) if runs else None


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
    trainings = f.get("trainings")
    topics = parts(f, "trainings", limit=5) if trainings and len(trainings.breakdown) > 1 else None
    return [
        paragraph(
            "宣传解读各级科技政策。",
            _policies(f),
            sentence(
                clause(f, "trainings", "面向全县企业举办各类培训班", detail=topics),
                clause(f, "training_participants", "累计培训", target=False, change=False)
                if f.nonzero("training_participants")
                else None,
                sep="，",
            ),
            opening=f"{y}年，",
        ),
        paragraph(
            "兑现落实县级奖补政策。",
            itemized(
                f,
                "county_funds_paid",
                "全年发放",
                "，兑现县级科技奖励和补助资金共计",
                "全年兑现县级科技奖励和补助资金",
                phrase=lambda label: REWARD_PHRASES.get(label, label),
            ),
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
            sentence(clause(f, "funds_approved", "累计争取上级科技资金")),
        ),
        paragraph(
            "科技奖励取得新成绩。",
            itemized(f, "awards", "全年获得", "，共计", "全年获得各级科技奖励"),
        ),
    ]


def _talent(f: Figures) -> list[Paragraph | None]:
    return [
        paragraph(
            "高层次人才引进。",
            sentence(
                clause(f, "talent_applications", "全年共申报各类人才工程"),
                itemized(f, "talent_selections", "入选", "，共计", "入选", shared_heads=True),
            ),
            itemized(f, "commissioners", "选派", "，共计", "选派科技特派员"),
            itemized(
                f,
                "secondments",
                "从省内外高校、科研院所引进高层次人才挂职",
                "，共计",
                "从省内外高校、科研院所引进高层次人才挂职科技副县长、科技副镇长",
                change=False,
                measure="名",
                total_measure="名",
                phrase=_secondment_post,
            ),
        ),
        paragraph(
            "科技创新平台建设。",
            itemized(
                f,
                "platforms_new",
                "新建",
                "，全年共新建各类创新平台",
                "全年新建各类创新平台",
                measure=institution_measure,
            ),
            _excellent_platforms(f),
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
            _rd_subsidy(f),
            sentence(clause(f, "rd_enterprises", "全县组织完成研发经费统计企业")),
            sentence(
                clause(f, "rd_expenditure", "全县研发经费支出"),
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
                sentence(
                    clause(f, "patents_granted", "专利授权量"),
                    clause(f, "invention_patents_granted", "其中发明专利授权"),
                    sep="，",
                ),
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
    "policies_issued": "出台科技政策",
    "trainings": "举办各类培训班",
    "training_participants": "培训",
    "county_funds_paid": "兑现县级科技奖补资金",
    "applications_recommended": "申报上级科技计划项目",
    "applications_approved": "获批上级科技计划项目",
    "funds_approved": "争取上级科技资金",
    "awards": "获得各级科技奖励",
    "talent_applications": "申报各类人才工程",
    "talent_selections": "入选各类人才工程",
    "commissioners": "选派科技特派员",
    "secondments": "引进挂职科技副职",
    "platforms_new": "新建各类创新平台",
    "platform_evaluations_excellent": "绩效评估优秀的创新平台达到",
    "platform_evaluation_rewards": "争取平台绩效评估奖励资金",
    "cooperation_agreements": "签订产学研合作协议",
    "high_tech_enterprises": "国家高新技术企业总数达到",
    "high_tech_applications": "申报高新技术企业",
    "high_tech_new": "新认定高新技术企业",
    "tech_smes": "科技型中小企业评价入库",
    "rd_enterprises": "研发经费统计企业达到",
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
                # 1．lead。 when the section has several; a single paragraph goes without (its
                # heading already says what it is about).
                p.lead = f"{i}．{p.lead}" if len(paragraphs) > 1 else ""
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
