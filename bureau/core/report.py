"""The annual report's areas, and the paragraph of the core records (policies, trainings).

The areas are the bureau's: every app places its indicators (``section=``) and paragraphs in them.
"""

from __future__ import annotations

from bureau.registry import register_report_section
from bureau.report_text import (
    Clause,
    Figures,
    ReportParagraph,
    ReportSection,
    Run,
    as_clause,
    clause,
    parts,
    register_report_paragraph,
    sentence,
)

POLICY = ReportSection("policy", "围绕各级科技政策抓落实", "强化政策落实和宣传培训", "plan_policy", 10)
PROJECTS = ReportSection("projects", "围绕科技项目和资金抓争取", "积极开展对上争取", "plan_projects", 20)
TALENT = ReportSection("talent", "围绕招才引智和平台建设抓落实", "着力抓好招才引智和平台建设", "plan_talent", 30)
ENTERPRISE = ReportSection("enterprise", "围绕企业创新主体培育抓落实", "培育壮大创新型企业", "plan_enterprise", 40)
IP = ReportSection("ip", "围绕知识产权抓创造和保护", "实施知识产权战略", "plan_ip", 50)
SERVICES = ReportSection("services", "围绕强服务、促转化抓落实", "提升科技服务能力", "plan_services", 60)

for _section in (POLICY, PROJECTS, TALENT, ENTERPRISE, IP, SERVICES):
    register_report_section(_section)


def _policies(f: Figures) -> Clause | None:
    """配套制定完善了《…若干政策意见》等8项科技政策 (the first policy of the year named)."""
    fig = f.nonzero("policies_issued")
    if fig is None:
        return None
    titles = [label.strip("《》 ") for label, _ in fig.breakdown]
    if not titles:
        return as_clause([Run("结合我县实际，配套制定完善科技政策"), f.run(fig.code)])
    named = Run(f"《{titles[0]}》", code=fig.code, url=fig.url, title=f"{f.year}年{fig.name}")
    if fig.value == 1:
        return as_clause([Run("结合我县实际，配套制定了"), named])
    return as_clause([Run("结合我县实际，配套制定完善了"), named, Run("等"), f.run(fig.code), Run("科技政策")])


def _policies_and_trainings(f: Figures) -> list[Clause | None]:
    trainings = f.get("trainings")
    topics = parts(f, "trainings", limit=5) if trainings and len(trainings.breakdown) > 1 else None
    return [
        _policies(f),
        sentence(
            clause(f, "trainings", "面向全县企业举办各类培训班", detail=topics),
            clause(f, "training_participants", "累计培训", target=False, change=False)
            if f.nonzero("training_participants")
            else None,
            sep="，",
        ),
    ]


register_report_paragraph(
    ReportParagraph(POLICY, 10, _policies_and_trainings, lead="宣传解读各级科技政策。", opening="{year}年，")
)
