"""The enterprises app's paragraphs of the annual report (high-tech enterprises, R&D, IP, needs)."""

from __future__ import annotations

from bureau.core.report import ENTERPRISE, IP, SERVICES
from bureau.report_text import Clause, Figures, ReportParagraph, clause, register_report_paragraph, sentence


def _high_tech(f: Figures) -> list[Clause | None]:
    return [
        sentence(
            clause(f, "high_tech_enterprises", "全县有效期内国家高新技术企业"),
            clause(f, "high_tech_applications", "全年申报认定", change=False),
            clause(f, "high_tech_new", "新认定"),
        ),
        sentence(clause(f, "tech_smes", "科技型中小企业评价入库")),
    ]


def _rd(f: Figures) -> list[Clause | None]:
    return [
        sentence(clause(f, "rd_enterprises", "全县组织完成研发经费统计企业")),
        sentence(
            clause(f, "rd_expenditure", "全县研发经费支出"),
            clause(f, "rd_intensity", "研发投入强度达到"),
        ),
        sentence(clause(f, "high_tech_output_share", "高新技术产业产值占规模以上工业总产值的比重达到")),
    ]


def _ip(f: Figures) -> list[Clause | None]:
    return [
        sentence(
            clause(f, "patents_applied", "全年专利申请量"),
            sentence(
                clause(f, "patents_granted", "专利授权量"),
                clause(f, "invention_patents_granted", "其中发明专利授权"),
                sep="，",
            ),
        ),
        sentence(clause(f, "invention_patents_per_10k", "每万人有效发明专利拥有量达到")),
    ]


def _needs(f: Figures) -> list[Clause | None]:
    return [
        sentence(
            clause(f, "needs_collected", "深入企业征集技术和人才需求"),
            clause(f, "needs_resolved", "帮助企业解决技术难题"),
        )
    ]


register_report_paragraph(ReportParagraph(ENTERPRISE, 10, _high_tech, lead="培育壮大高新技术企业。"))
register_report_paragraph(ReportParagraph(ENTERPRISE, 20, _rd, lead="鼓励企业加大研发投入。", part=10))
register_report_paragraph(ReportParagraph(IP, 10, _ip, lead="知识产权创造和保护。"))
register_report_paragraph(ReportParagraph(SERVICES, 10, _needs, lead="提高科技服务水平。", part=10))
