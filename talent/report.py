"""The talent app's paragraphs of the annual report (talent, commissioners, platforms, cooperation)."""

from __future__ import annotations

from bureau.core.report import TALENT
from bureau.report_text import (
    Clause,
    Figures,
    ReportParagraph,
    Run,
    as_clause,
    clause,
    institution_measure,
    itemized,
    parts,
    register_report_paragraph,
    sentence,
)

from .models import Secondment


def secondment_post(label: str) -> str:
    """A 挂职 breakdown part as the report words it (其他 → 其他科技副职)."""
    return "其他科技副职" if label == str(Secondment.Post.OTHER.label) else label


def _talent(f: Figures) -> list[Clause | None]:
    return [
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
            phrase=secondment_post,
        ),
    ]


def _excellent_platforms(f: Figures) -> Clause | None:
    """省级工程技术研究中心1家在绩效评估中被评为优秀等次, 获得绩效评估奖励资金100万元."""
    excellent, reward = f.nonzero("platform_evaluations_excellent"), f.nonzero("platform_evaluation_rewards")
    runs: list[Run] = []
    if excellent is not None:
        named = parts(f, excellent.code, measure=institution_measure)
        runs += [*(named or [f.run(excellent.code), Run("创新平台")]), Run("在绩效评估中被评为优秀等次")]
    if reward is not None:
        runs += [Run("，" if runs else ""), Run("全年获得平台绩效评估奖励资金"), f.run(reward.code)]
    return as_clause(runs) if runs else None


def _platforms(f: Figures) -> list[Clause | None]:
    return [
        itemized(
            f,
            "platforms_new",
            "新建",
            "，全年共新建各类创新平台",
            "全年新建各类创新平台",
            measure=institution_measure,
        ),
        _excellent_platforms(f),
    ]


def _cooperation(f: Figures) -> list[Clause | None]:
    return [sentence(clause(f, "cooperation_agreements", "与高校、科研院所签订产学研合作协议"))]


register_report_paragraph(ReportParagraph(TALENT, 10, _talent, lead="高层次人才引进。"))
register_report_paragraph(ReportParagraph(TALENT, 20, _platforms, lead="科技创新平台建设。"))
register_report_paragraph(ReportParagraph(TALENT, 30, _cooperation, lead="产学研合作。"))
