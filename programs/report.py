"""The programs app's paragraphs of the annual report (projects, awards, county rewards, transfers)."""

from __future__ import annotations

from bureau.core.report import ENTERPRISE, POLICY, PROJECTS, SERVICES
from bureau.report_text import (
    Clause,
    Figures,
    ReportParagraph,
    Run,
    as_clause,
    clause,
    itemized,
    paired_breakdown,
    register_report_paragraph,
    sentence,
)

from .models import Reward

# 奖励兑现 kinds as the report names the money: 发放县级研发经费财政补贴380万元. Keyed by the choice,
# so that renaming a label cannot drop a sentence.
REWARD_PHRASES = {
    Reward.Kind.RD_SUBSIDY: "县级研发经费财政补贴",
    Reward.Kind.HIGH_TECH: "高新技术企业认定奖励",
    Reward.Kind.PLATFORM: "创新平台建设奖励",
    Reward.Kind.TALENT: "人才新政配套资金",
    Reward.Kind.OTHER: "其他科技奖补资金",
}


def reward_phrase(label: str) -> str:
    """A 县级科技资金兑现 breakdown part (labelled by the kind's label) as the report words it."""
    by_label = {str(kind.label): phrase for kind, phrase in REWARD_PHRASES.items()}
    return by_label.get(label, label)


def _county_rewards(f: Figures) -> list[Clause | None]:
    return [
        itemized(
            f,
            "county_funds_paid",
            "全年发放",
            "，兑现县级科技奖励和补助资金共计",
            "全年兑现县级科技奖励和补助资金",
            phrase=reward_phrase,
        )
    ]


def _projects(f: Figures) -> list[Clause | None]:
    return [
        paired_breakdown(f, "applications_recommended", "applications_approved", "组织申报", "获批"),
        sentence(
            clause(f, "applications_recommended", "全年共申报上级科技计划项目"),
            clause(f, "applications_approved", "获批"),
        ),
        sentence(clause(f, "funds_approved", "累计争取上级科技资金")),
    ]


def _awards(f: Figures) -> list[Clause | None]:
    return [itemized(f, "awards", "全年获得", "，共计", "全年获得各级科技奖励")]


def _rd_subsidy(f: Figures) -> list[Clause | None]:
    fig = f.get("county_funds_paid")
    value = dict(fig.breakdown).get(str(Reward.Kind.RD_SUBSIDY.label)) if fig else None
    if not value:
        return []
    return [
        as_clause(
            [
                Run(f"在政策扶持上，发放{REWARD_PHRASES[Reward.Kind.RD_SUBSIDY]}"),
                f.run(fig.code, value),
                Run("，鼓励引导企业加大研发投入"),
            ]
        )
    ]


def _transfers(f: Figures) -> list[Clause | None]:
    return [sentence(clause(f, "achievements_transformed", "推动科技成果转化"))]


register_report_paragraph(ReportParagraph(POLICY, 20, _county_rewards, lead="兑现落实县级奖补政策。"))
register_report_paragraph(ReportParagraph(PROJECTS, 10, _projects, lead="积极争取上级科技项目和资金。"))
register_report_paragraph(ReportParagraph(PROJECTS, 20, _awards, lead="科技奖励取得新成绩。"))
# The R&D subsidy opens the enterprises' paragraph on R&D (part 0; their figures follow).
register_report_paragraph(ReportParagraph(ENTERPRISE, 20, _rd_subsidy, lead="鼓励企业加大研发投入。", part=0))
# Transfers close the enterprises' paragraph on services (their needs come first).
register_report_paragraph(ReportParagraph(SERVICES, 10, _transfers, part=20))
