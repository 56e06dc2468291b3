"""The report's body as data, assembled from the registry: its areas (``report_sections``), the
paragraphs the apps declare for them and the plan sentences of the indicators' next-year targets.

Input is a snapshot (``reports.report_selectors.report_snapshot``): every figure frozen as text.
The snapshot's ``kind`` (``reports.kinds``) decides the parts: the annual report, the half-year
summary (the same areas over 1 Jan – 30 Jun, worded for that period) or the briefing (基本情况 from
the records, 存在的问题 and 下一步工作打算 from the staff).
Output is a ``Document`` of headings, paragraphs and tables whose figures are ``Run``s carrying the
code and drill-down URL of their indicator, rendered alike to HTML (preview, PDF) and DOCX. This
module knows no indicator: the wording lives with the apps (``bureau.report_text``).

Headings are numbered after empty parts are left out, so they stay consecutive.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from bureau import formatting
from bureau.core.models import Policy
from bureau.registry import registry
from bureau.report_text import (  # noqa: F401  (the toolkit, re-exported for the report's renderers)
    Figure,
    Figures,
    Heading,
    Paragraph,
    ReportSection,
    Run,
    change_text,
    completion,
    fmt_bare,
    fmt_number,
    merge_runs,
    normalize_punctuation,
    section_paragraphs,
    target_text,
    yoy_text,
)

from .kinds import ReportKind, kind_of

CN_NUMBERS = "一二三四五六七八九十"
OTHER_PLAN_HEADING = "完成其他目标任务"


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

    @property
    def signed_date(self) -> str:
        """成文日期 as signed under the body (GB/T 9704 7.3.5: Arabic numerals, no brackets)."""
        return self.date_line.strip("（）()")

    def text(self) -> str:
        parts = [self.title, self.issuer, self.date_line]
        for block in self.blocks:
            parts.append(block.number + block.text if isinstance(block, Heading) else block.text)
        for table in self.appendix:
            parts += [table.label, table.caption, table.note, *table.headers]
            parts += [run.text for row in table.rows for run in row]
        return "\n".join(parts)


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
    kind = kind_of(snapshot.get("kind"))
    figs = Figures(snapshot)
    texts = snapshot.get("texts", {})
    year = snapshot["year"]
    blocks: list = []

    blocks += staff_blocks(texts.get("opening", ""))
    if kind.audience and snapshot.get("audience"):
        blocks.append(Paragraph(runs=[Run(f"按照{snapshot['audience']}安排，现将我县科技创新工作情况汇报如下：")]))

    # 一、Y年工作完成情况 (Y年上半年…, 科技创新基本情况)
    done: list = []
    area_texts = snapshot.get("area_texts", {})
    for section in report_sections():
        paragraphs = [in_period(p, snapshot.get("period"), year) for p in section_paragraphs(section, figs)]
        staff = area_texts.get(section.key, {})
        lead, highlight = staff_blocks(staff.get("lead", "")), staff_blocks(staff.get("highlight", ""))
        if paragraphs or lead or highlight:
            done.append(Heading(2, section.heading))
            # The staff's lead sentences open the area; their 亮点/补充 follows the generated text.
            done += lead
            for i, p in enumerate(paragraphs, 1):
                # 1．lead。 when the section has several; a single paragraph goes without (its
                # heading already says what it is about).
                p.lead = f"{i}．{p.lead}" if len(paragraphs) > 1 else ""
                done.append(p)
            done += highlight
    if done:
        blocks.append(Heading(1, kind.done_heading(year)))
        blocks += done

    # 二、存在的问题
    problems = staff_blocks(texts.get("problems", ""), subheadings=True)
    if problems:
        blocks.append(Heading(1, "存在的问题"))
        blocks += problems

    # 三、Y+1年工作计划 (下半年工作打算: the year's targets; 下一步工作打算: the staff's text)
    plan = (
        _plan_blocks(figs, snapshot, texts, kind)
        if kind.plan
        else staff_blocks(texts.get("next_steps", ""), subheadings=True)
    )
    if plan:
        blocks.append(Heading(1, kind.plan_heading(year)))
        blocks += plan

    blocks += staff_blocks(texts.get("closing", ""))
    _number_headings(blocks)

    appendix = [indicator_table(figs, snapshot)] if kind.appendix else []
    projects = snapshot.get("projects")
    if kind.appendix and projects and projects.get("rows"):
        appendix.append(projects_table(projects, year, kind))
    for i, table in enumerate(appendix, 1):
        table.label = f"附表{i}"
    return normalized(
        Document(
            title=snapshot["title"],
            issuer=snapshot.get("bureau", ""),
            date_line=snapshot.get("date_line", ""),
            blocks=blocks,
            appendix=appendix,
        )
    )


def _runs(runs: list[Run]) -> list[Run]:
    return [Run(normalize_punctuation(r.text), r.code, r.url, r.title) for r in runs]


def normalized(doc: Document) -> Document:
    """Chinese punctuation in every text of the document (staff text, record names, labels):
    normalised once, when the document is built (bureau.report_text.normalize_punctuation)."""
    doc.title = normalize_punctuation(doc.title)
    for block in doc.blocks:
        if isinstance(block, Heading):
            block.text = normalize_punctuation(block.text)
        else:
            block.lead = normalize_punctuation(block.lead)
            block.runs = _runs(block.runs)
    for table in doc.appendix:
        table.caption = normalize_punctuation(table.caption)
        table.headers = [normalize_punctuation(h) for h in table.headers]
        table.rows = [_runs(row) for row in table.rows]
    return doc


# The whole year's wording of the generated prose as a shorter period says it (上半年, 上年同期).
_COMPARED = re.compile(r"(比|与|较)上年(?!同期)")


def in_period(p: Paragraph, period: dict | None, year: int) -> Paragraph:
    """A generated paragraph worded for part of a year (the snapshot's ``period``): 全年 → 上半年,
    比上年 → 比上年同期, "2020年，" → "2020年上半年，". Figures (runs with a code) are left as they are."""
    if not period:
        return p
    whole = f"{year}年，"

    def reword(text: str) -> str:
        text = text.replace("全年", period["label"]).replace(whole, period["opener"])
        return _COMPARED.sub(r"\1上年同期", text)

    p.runs = [r if r.code else Run(reword(r.text), r.code, r.url, r.title) for r in p.runs]
    p.lead = reword(p.lead)
    return p


def _plan_blocks(figs: Figures, snapshot: dict, texts: dict, kind: ReportKind | None = None) -> list:
    kind = kind or kind_of(snapshot.get("kind"))
    plan_year = snapshot.get("plan_year", snapshot["year"] + 1)
    targets = snapshot.get("next_targets", {})
    excluded = figs.excluded
    blocks: list = staff_blocks(texts.get("plan_intro", ""))
    indicators = registry["indicators"]
    stated = report_codes()
    placed: set[str] = set()
    groups: list[tuple[str, list[str], str]] = []
    for section in report_sections():
        codes = [c for c in stated if c in targets and indicators[c].section == section]
        placed.update(codes)
        groups.append((section.plan_heading, codes, texts.get(section.plan_field, "")))
    others = [c for c in targets if c not in placed]
    if others:
        groups.append((OTHER_PLAN_HEADING, others, ""))
    for heading, codes, staff_text in groups:
        parts: list[Run] = []
        for code in codes:
            if code in excluded:
                continue
            t = targets[code]
            phrase = t.get("phrase") or f"{t['name']}达到"
            parts += [Run("、" if parts else "力争"), Run(phrase)]
            parts.append(
                Run(
                    fmt_number(Decimal(t["value"]), t["unit"], int(t.get("decimals") or 0)),
                    code=code,
                    url=t.get("url", ""),
                    title=f"{plan_year}年目标：{t['name']}",
                )
            )
        body = staff_blocks(staff_text)
        if not parts and not body:
            continue
        blocks.append(Heading(2, heading))
        if parts:
            blocks.append(Paragraph(runs=merge_runs([Run(kind.plan_lead(snapshot["year"])), *parts, Run("。")])))
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
    kind = kind_of(snapshot.get("kind"))
    order = {code: i for i, code in enumerate(report_codes())}
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
    note = "注：“—”表示未下达年度目标或无可比数据。"
    if not snapshot.get("period"):
        caption = f"{snapshot['year']}年主要指标完成情况"
        headers = ["指标", "单位", "目标值", "完成值", "完成率", "上年值", "同比"]
    else:
        caption = f"{snapshot['year']}年{kind.period_label}主要指标完成情况"
        headers = ["指标", "单位", "年度目标", kind.period_label, "完成率", kind.compare_label, "同比"]
        note = f"注：数据截至{chinese_date(snapshot.get('period_end'))}；“—”表示未下达年度目标或无可比数据。"
        if snapshot.get("not_in_period"):
            note += "{}按年度统计，不在半年统计之列。".format("、".join(snapshot["not_in_period"]))
    numeric = [False, False, True, True, True, True, True]
    return Table(
        label="",
        caption=caption,
        headers=headers,
        rows=rows,
        widths=column_widths(headers, [[r.text for r in row] for row in rows], numeric),
        numeric=numeric,
        note=note,
    )


def chinese_date(iso: str | None, *, with_year: bool = True) -> str:
    """An ISO date of the snapshot as the text writes it: 2020年6月30日 (or 6月30日)."""
    if not iso:
        return ""
    return formatting.chinese_date(datetime.date.fromisoformat(iso), with_year=with_year)


# The administrative levels, top first (国家级 → 县级): the same four as every record's 级别.
LEVEL_RANK = {str(label): i for i, label in enumerate(Policy.Level.labels)}


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ""))
    except (ArithmeticError, ValueError):
        return Decimal(0)


def projects_table(projects: dict, year: int, kind: ReportKind | None = None) -> Table:
    """附表：获批项目清单 (columns of the record type's list), ordered by level (国家级 → 县级), then by
    the amount (the first money column), largest first; columns sized so no cell ends in an orphan."""
    columns = projects["columns"]
    n = len(columns)
    numeric = list(projects.get("numeric", [False] * n))
    levels = projects.get("levels") or [""] * len(projects["rows"])
    money = next((i for i, is_number in enumerate(numeric) if is_number), None)

    def order(item):
        row, level = item
        return (LEVEL_RANK.get(level, len(LEVEL_RANK)), -_amount(row[money]) if money is not None else 0)

    ordered = [row for row, _ in sorted(zip(projects["rows"], levels, strict=False), key=order)]
    # Punctuation first: the widths are measured on the text as printed (（） are full-width).
    rows = [[Run(str(i)), *(Run(normalize_punctuation(str(v))) for v in row)] for i, row in enumerate(ordered, 1)]
    headers = ["序号", *(normalize_punctuation(c) for c in columns)]
    numeric = [True, *numeric]
    return Table(
        label="",
        caption=f"{year}年{'' if kind is None or kind.whole_year else kind.period_label}获批上级科技计划项目清单",
        headers=headers,
        rows=rows,
        widths=column_widths(headers, [[r.text for r in row] for row in rows], numeric),
        numeric=numeric,
    )


# ---------------------------------------------------------------- table columns without orphans

TABLE_EMS = 42.0  # the A4 text width (156 mm) in characters of the tables' 10.5 pt
CELL_EMS = 0.75  # a cell's padding and border, in characters


def text_ems(text: str) -> float:
    """Width of ``text`` in characters: CJK and full-width 1, Latin letters and digits ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def orphans(texts: list[str], chars: int) -> int:
    """How many ``texts`` would end in a line of a single character in a column ``chars`` wide."""
    count = 0
    for text in texts:
        width = math.ceil(text_ems(text))
        if width > chars and width % chars == 1:
            count += 1
    return count


def _fit(texts: list[str], low: int, high: int) -> int:
    """The width in [low, high] with the fewest orphans, then the fewest lines, then the narrowest."""
    lines = lambda c: sum(math.ceil(text_ems(t) / c) for t in texts)  # noqa: E731
    return min(range(low, high + 1), key=lambda c: (orphans(texts, c), lines(c), c))


def column_widths(headers: list[str], rows: list[list[str]], numeric: list[bool]) -> list[float]:
    """Column widths (percent of the table) in whole characters, so that no cell ends in a line of a
    single character: a number column as wide as its widest figure (its header may wrap), each text
    column after the first as narrow as it can be with no orphan and the fewest lines, the first
    text column (the project's name) the rest, narrowed until it has no orphan either (what it
    gives up goes to the last number column, where room costs nothing)."""
    n = len(headers)
    cells = [[row[i] for row in rows] for i in range(n)]
    widest = [math.ceil(max([text_ems(t) for t in cells[i]] + [0])) for i in range(n)]
    chars = [max(widest[i], min(4, math.ceil(text_ems(headers[i])))) if numeric[i] else 0 for i in range(n)]
    budget = int(TABLE_EMS - CELL_EMS * n) - sum(chars)
    text_cols = [i for i in range(n) if not numeric[i]]
    if text_cols:
        first, others = text_cols[0], text_cols[1:]
        cap = max(4, budget // (len(others) + 2))
        for i in others:
            low = min(4, max(widest[i], math.ceil(text_ems(headers[i]))))
            chars[i] = _fit(cells[i] + [headers[i]], low, max(low, min(widest[i], cap)))
        chars[first] = rest = max(4, budget - sum(chars[i] for i in others))
        while chars[first] > 8 and orphans(cells[first], chars[first]):
            chars[first] -= 1
        spare = rest - chars[first]
        numbers = [i for i in range(n) if numeric[i]]
        if spare and numbers:
            chars[numbers[-1]] += spare
        elif spare:
            chars[first] = rest
    return [round((c + CELL_EMS) * 100 / TABLE_EMS, 2) for c in chars]


def report_sections() -> list[ReportSection]:
    return list(registry["report_sections"])


def report_codes() -> list[str]:
    """Every registered indicator the report states, in the order of the report (and of its
    appendix table): by section, then by the indicator's ``order``."""
    order = {section: i for i, section in enumerate(report_sections())}
    stated = [ind for ind in registry["indicators"].values() if ind.section in order]
    return [ind.code for ind in sorted(stated, key=lambda ind: (order[ind.section], ind.order, ind.code))]
