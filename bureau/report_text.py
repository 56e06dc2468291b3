"""The annual report's wording, as a toolkit every app uses to state its own figures.

``reports`` assembles the report from the registry and knows no indicator: each app declares, next
to its indicators, the paragraphs that state them (``register_report_paragraph``) in one of the
report's areas (``ReportSection``, registered by ``bureau.core``). A paragraph writer gets the
snapshot's ``Figures`` and returns clauses built with ``clause``/``itemized``/``parts``…: runs whose
figures carry their indicator's code and drill-down URL, rendered alike to HTML, PDF and DOCX.

Rules (DOMAIN.md, issues 8 and 21), all of them here:

- A figure that is missing (``None``) or that a reviewer marked 不写入报告 is left out with its
  clause, never printed as a blank. A zero is a figure: it is in 附表1, but prose does not write
  "举办各类培训班0期" or "研发投入强度达到0%": a clause over zero (a count, an amount or a
  percentage) is left out unless its writer words it (``zero=``).
- Each paragraph leads with the figures and their change on last year (``change_text``), worded by
  size: 与上年持平; 增加3项 (counts), 增长12.5% (measures), 提高0.3个百分点 (percentages); 翻一番 /
  翻两番 when exactly doubled / quadrupled, 是上年的2.5倍 above double; 基本持平 when the change
  does not show at the stated precision. Nothing is claimed that the two values do not show.
- Completion against targets is stated once per area (``completion_summary``: "6项指标均完成年度
  任务，其中4项超额完成"), and for a single figure only when notable (``target_text``): below its
  target, or at least ``REPORT_COMPLETION_NOTABLE_ABOVE`` % of it (settings).
- A 全市排名 record of a figure stated in a paragraph closes that paragraph (``ranking_clauses``:
  "申报数量位列全市第一"), linked to its record like any figure.
- Chinese punctuation in Chinese text (``normalize_punctuation``): no ASCII quote, bracket, colon,
  semicolon or comma next to a CJK character; the document is normalised when it is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from bureau import formatting

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


def target_met(fig: Figure) -> bool | None:
    """Whether the figure reached its target (None without one)."""
    if fig.target is None or (fig.unit != "%" and fig.target == 0):
        return None
    return fig.value >= fig.target


def target_exceeded(fig: Figure) -> bool:
    return fig.target is not None and fig.value > fig.target


def target_notable(fig: Figure) -> bool:
    """Worth its own words: below the target, or well above it (thresholds in settings)."""
    met = target_met(fig)
    if met is None:
        return False
    if not met:
        return True
    if fig.unit == "%":
        return fig.value - fig.target >= Decimal(str(settings.REPORT_TARGET_POINTS_NOTABLE))
    return completion(fig.value, fig.target) >= settings.REPORT_COMPLETION_NOTABLE_ABOVE


def target_text(fig: Figure, *, always: bool = False) -> str:
    """完成年度任务的132%, only when notable (``always``: whenever there is a target); for a
    percentage, 超过年度目标2.4个百分点 (a share of a share says nothing)."""
    if fig.target is None or not (always or target_notable(fig)):
        return ""
    if fig.unit == "%":
        gap = fig.value - fig.target
        if _points(gap) == 0:
            return "完成年度目标" if gap >= 0 else "基本完成年度目标"
        return f"{'超过' if gap > 0 else '低于'}年度目标{_plain(_points(gap), 2)}个百分点"
    rate = completion(fig.value, fig.target)
    return "" if rate is None else f"完成年度任务的{_plain(rate, 1)}%"


def completion_summary(figs: list[Figure]) -> str:
    """Completion of an area's targets, said once: 6项指标均完成年度任务，其中4项超额完成 /
    5项指标中4项完成年度任务 / 研发投入强度超额完成年度任务; "" without a target."""
    with_target = [f for f in figs if target_met(f) is not None]
    if not with_target:
        return ""
    met = [f for f in with_target if target_met(f)]
    over = [f for f in met if target_exceeded(f)]
    n = len(with_target)
    if n == 1:
        fig = with_target[0]
        if not met:
            return f"{fig.name}未完成年度任务"
        return f"{fig.name}{'超额' if over else ''}完成年度任务"
    if len(met) == n:
        if len(over) == n:
            return f"{_count(n)}项指标均超额完成年度任务"
        return f"{_count(n)}项指标均完成年度任务" + (f"，其中{_count(len(over))}项超额完成" if over else "")
    if not met:
        return f"{_count(n)}项指标均未完成年度任务"
    return f"{_count(n)}项指标中{_count(len(met))}项完成年度任务"


def _count(n: int) -> str:
    """Counts in prose are Arabic numerals (GB/T 15835: 计量和计数)."""
    return str(n)


# ---------------------------------------------------------------- rankings (全市排名)

_CN_ORDINALS = "一二三四五六七八九十"


def rank_text(rank: int) -> str:
    """第一 … 第十 in words (a fixed phrase: 位列全市第一), then 第12位 (GB/T 15835)."""
    return f"第{_CN_ORDINALS[rank - 1]}" if 1 <= rank <= 10 else f"第{rank}位"


def ranking_clauses(figs: Figures, codes: Iterable[str]) -> Clause | None:
    """The 全市排名 records of the figures ``codes`` (in that order): 获批项目数、争取资金均位列全市
    第一；专利授权量位列全市第三 — each subject linked to its ranking record."""
    groups: dict[int, list[dict]] = {}
    for code in dict.fromkeys(codes):
        for ranking in figs.rankings.get(code, []):
            groups.setdefault(int(ranking["rank"]), []).append(ranking)
    if not groups:
        return None
    runs: list[Run] = []
    for rank, rankings in sorted(groups.items()):
        if runs:
            runs.append(Run("；"))
        for i, r in enumerate(rankings):
            title = f"{figs.year}年全市排名：第{rank}名（共{r['out_of']}个）" + (
                f"，来源：{r['source']}" if r["source"] else ""
            )
            runs += [Run("、" if i else ""), Run(r["subject"], code=r["code"], url=r.get("url", ""), title=title)]
        runs.append(Run(f"{'均' if len(rankings) > 1 else ''}位列全市{rank_text(rank)}"))
    return _clause(_merge(runs))


# ---------------------------------------------------------------- punctuation

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff\u3000-\u303f\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_ASCII_PAREN = re.compile(r"\(([^()]*)\)")
_AFTER_CJK = {":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def normalize_punctuation(text: str) -> str:
    """Chinese punctuation in Chinese text: "…" → “…”, (…) → （…）, and :;,?! → ：；，？！ after
    a Chinese character; ASCII kept in Latin text (ISO 9001:2015, f(x), "ABC"). Idempotent."""
    if not text or not _CJK_CHAR.search(text):
        return text

    def paren(m: re.Match) -> str:
        inner, start, end = m.group(1), m.start(), m.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if _CJK_CHAR.search(inner) or _is_cjk(before) or _is_cjk(after):
            return f"（{inner}）"
        return m.group(0)

    text = _ASCII_PAREN.sub(paren, text)
    # Straight double quotes pair up: open, close, open… within the text.
    if '"' in text:
        out, opened = [], False
        for i, ch in enumerate(text):
            if ch == '"':
                before = text[i - 1] if i else ""
                after = text[i + 1] if i + 1 < len(text) else ""
                near_cjk = _is_cjk(before) or _is_cjk(after)
                if near_cjk or opened:
                    out.append("”" if opened else "“")
                    opened = not opened
                    continue
            out.append(ch)
        text = "".join(out)
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in _AFTER_CJK and i and _is_cjk(chars[i - 1]) and chars[i - 1] not in "“”":
            following = chars[i + 1] if i + 1 < len(chars) else ""
            if not (ch == ":" and following.isdigit() and chars[i - 1].isdigit()):
                chars[i] = _AFTER_CJK[ch]
    return "".join(chars)


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
    if fig.prev <= 0 or fig.value < 0:
        return ""
    if delta > 0 and fig.value >= 2 * fig.prev:
        return multiple_text(fig.value / fig.prev)
    if fig.is_count:
        return f"比上年{'增加' if delta > 0 else '减少'}{fmt_number(abs(delta), fig.unit)}"
    if _growth(delta, fig.prev) == 0:
        return "与上年基本持平"
    return f"比上年{'增长' if delta > 0 else '下降'}{_plain(_growth(delta, fig.prev), 1)}%"


def multiple_text(ratio: Decimal) -> str:
    """A rise to at least twice last year's: 翻一番 (exactly 2x), 翻两番 (exactly 4x), else 是上年的
    2.5倍 (one decimal; never a rounded 翻一番 for 2.04x)."""
    if ratio == 2:
        return "比上年翻一番"
    if ratio == 4:
        return "比上年翻两番"
    shown = formatting.quantize(ratio, 1)
    return f"是上年的{_plain(shown, 1 if not _integral(shown) else 0)}倍"


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
    """The snapshot's figures, minus the missing and the excluded ones, and the 全市排名 records of
    the year by indicator code."""

    def __init__(self, snapshot: dict):
        self.year = snapshot["year"]
        self.excluded = set(snapshot.get("excluded", {}))
        self.rankings: dict[str, list[dict]] = {}
        for ranking in snapshot.get("rankings", []):
            if ranking["code"] not in self.excluded:
                self.rankings.setdefault(ranking["code"], []).append(ranking)
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
    zero: str = "",
) -> Clause | None:
    """``before`` + figure (+ （detail）) + ``after`` + notable completion + 比上年…; None when
    absent, and when zero unless ``zero`` words it (全年未举办培训班)."""
    fig = figs.get(code)
    if fig is None:
        return None
    if fig.value == 0:  # 0 项 or 0 %: 研发投入强度达到0% over no R&D records reads as a blank
        return _clause([Run(zero)]) if zero else None
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
    if fig is None or fig.value == 0:
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


# The measure word of an institution by the end of its name (院士工作站1家); else the unit.
_INSTITUTION_ENDINGS = ("站", "室", "中心", "空间", "器", "基地", "园", "院", "所", "队", "平台", "企业")


def institution_measure(label: str) -> str:
    return "家" if label.endswith(_INSTITUTION_ENDINGS) else ""


def as_clause(runs: Iterable[Run]) -> Clause:
    """Runs as a clause (for a writer's own sentence shape)."""
    return _clause(runs)


def merge_runs(runs: Iterable[Run]) -> list[Run]:
    return _merge(runs)


# ---------------------------------------------------------------- the report's areas


@dataclass(frozen=True)
class ReportSection:
    """An area of the report: （N）heading under 一、Y年工作完成情况, （N）plan_heading under
    三、Y+1年工作计划 (with the staff's plan text ``plan_field`` of the report). Indicators name it
    as their ``section``; apps add its paragraphs with ``register_report_paragraph``."""

    key: str
    heading: str
    plan_heading: str
    plan_field: str
    order: int


@dataclass(frozen=True)
class ReportParagraph:
    """A numbered paragraph of a section (1．lead。sentences…). Contributions of several apps to one
    paragraph share its ``order`` and are joined by ``part`` (the lead of the first one is used)."""

    section: ReportSection
    order: int
    write: Callable[[Figures], list[Clause | None]]
    lead: str = ""
    part: int = 0
    opening: str = ""  # e.g. "{year}年，" before the first sentence


_PARAGRAPHS: list[ReportParagraph] = []


def register_report_paragraph(paragraph: ReportParagraph) -> ReportParagraph:
    """Called from an app's ``report.py`` (imported in its ``ready()``); refuses duplicates."""
    if any(
        p.section == paragraph.section and (p.order, p.part) == (paragraph.order, paragraph.part) for p in _PARAGRAPHS
    ):
        raise ValueError(
            f"report paragraph {paragraph.section.key}/{paragraph.order}/{paragraph.part} is already registered"
        )
    _PARAGRAPHS.append(paragraph)
    _PARAGRAPHS.sort(key=lambda p: (p.section.order, p.order, p.part))
    return paragraph


def stated_codes(paragraphs: Iterable[Paragraph]) -> list[str]:
    """The indicator codes whose figures the paragraphs state, in order of appearance."""
    return list(dict.fromkeys(r.code for p in paragraphs for r in p.runs if r.code))


def section_paragraphs(section: ReportSection, figs: Figures) -> list[Paragraph]:
    """The section's paragraphs stated from ``figs`` (empty ones left out); the 全市排名 of a figure
    follows the last sentence of the paragraph stating it, and the last paragraph closes with the area's completion of
    its targets, said once."""
    written: list[Paragraph] = []
    stated: set[str] = set()
    by_order: dict[int, list[ReportParagraph]] = {}
    for p in _PARAGRAPHS:
        if p.section == section:
            by_order.setdefault(p.order, []).append(p)
    for contributions in by_order.values():
        lead = next((c.lead for c in contributions if c.lead), "")
        opening = next((c.opening for c in contributions if c.opening), "").format(year=figs.year)
        written_sentences = [s for c in contributions for s in c.write(figs) if s]
        # A figure's 全市排名 follows the last sentence of the paragraph that states it (once per area).
        last: dict[str, int] = {}
        for i, written_sentence in enumerate(written_sentences):
            for run in written_sentence:
                if run.code and run.code not in stated:
                    last[run.code] = i
        stated.update(last)
        sentences: list[Clause] = []
        for i, written_sentence in enumerate(written_sentences):
            sentences.append(written_sentence)
            ranked = ranking_clauses(figs, [code for code, at in last.items() if at == i])
            if ranked:
                sentences.append(ranked)
        p = paragraph(lead, *sentences, opening=opening)
        if p is not None:
            written.append(p)
    if written:
        # The area's own figures (a figure another area owns, quoted here, is counted there).
        from bureau.registry import registry

        indicators = registry["indicators"]
        own = [
            code
            for code in stated_codes(written)
            if code in figs and getattr(indicators.get(code), "section", section) == section
        ]
        summary = completion_summary([figs.get(code) for code in own])
        if summary:
            last = written[-1]
            last.runs = _merge([*last.runs, Run(f"以上{summary}。")])
    return written
