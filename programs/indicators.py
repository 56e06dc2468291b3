"""The programs app's indicators (names fixed in bureau.indicators.NAMES).

县级科技资金兑现 counts 奖励兑现 (Reward) only. 资金拨付 (Disbursement) passes funds of an approved
project to its holder, whatever the program's level, and is not a county reward or subsidy: a
county-level subsidy is entered as a 奖励兑现 (kind 研发补贴 …). Keeping one record type per figure
keeps the figure and its drill-down list the same queryset.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Min, QuerySet, Sum

from bureau.core.report import POLICY, PROJECTS, SERVICES
from bureau.indicators import APPROVED_PROJECTS, GROUP_PROJECTS, GROUP_SERVICES, Breakdown, Chart, Indicator, Series
from bureau.registry import register_chart, register_indicator

from . import selectors
from .models import Achievement, Application, Award, Level, Program, Reward


def _by_program(records: Callable[[int], QuerySet[Application]], value: str) -> Callable[[int], list[Breakdown]]:
    """Per program (申报19项、获批8项 …): one grouped query, the part's records for its link."""

    def breakdown(year: int, **period) -> list[Breakdown]:
        qs = records(year, **period)
        aggregate = Count("pk") if value == "count" else Sum("approved_amount")
        rows = qs.values("program").annotate(v=aggregate).order_by("-v", "program")
        programs = Program.objects.in_bulk([r["program"] for r in rows])
        parts = []
        for row in rows:
            program = programs[row["program"]]
            label = f"{program.name}（{program.get_level_display()}）"
            parts.append(Breakdown(label=label, value=row["v"] or 0, records=qs.filter(program=program)))
        return parts

    return breakdown


def _by_choice(records: Callable[[int], QuerySet], field: str, choices, aggregate=None):
    def breakdown(year: int, **period) -> list[Breakdown]:
        qs = records(year, **period)
        agg = aggregate if aggregate is not None else Count("pk")
        values = {r[field]: r["v"] for r in qs.values(field).annotate(v=agg).order_by(field)}
        return [
            Breakdown(label=str(label), value=values[value] or 0, records=qs.filter(**{field: value}))
            for value, label in choices
            if value in values
        ]

    return breakdown


register_indicator(
    Indicator(
        code="applications_recommended",
        dated=True,
        records=selectors.upper_applications_recommended,
        breakdown=_by_program(selectors.upper_applications_recommended, "count"),
        help_text="国家级、省级、市级科技计划项目中，当年推荐上报的项目数（含之后立项或未立项的）",
        depends_on=(Application, Program),
        group=GROUP_PROJECTS,
        section=PROJECTS,
        order=10,
        plan_phrase="申报上级科技计划项目",
    )
)
register_indicator(
    Indicator(
        code="applications_approved",
        dated=True,
        tags=(APPROVED_PROJECTS,),
        records=selectors.upper_applications_approved,
        breakdown=_by_program(selectors.upper_applications_approved, "count"),
        help_text="国家级、省级、市级科技计划项目中，立项日期在当年的项目数",
        depends_on=(Application, Program),
        group=GROUP_PROJECTS,
        section=PROJECTS,
        order=20,
        plan_phrase="获批上级科技计划项目",
    )
)
register_indicator(
    Indicator(
        code="funds_approved",
        dated=True,
        records=selectors.upper_applications_approved,
        aggregate=Sum("approved_amount"),
        breakdown=_by_program(selectors.upper_applications_approved, "sum"),
        decimals=2,
        help_text="当年立项的上级科技计划项目获批资金合计",
        depends_on=(Application, Program),
        group=GROUP_PROJECTS,
        section=PROJECTS,
        order=30,
        plan_phrase="争取上级科技资金",
    )
)
register_indicator(
    Indicator(
        code="county_funds_paid",
        dated=True,
        records=selectors.rewards_paid,
        aggregate=Sum("amount"),
        breakdown=_by_choice(selectors.rewards_paid, "kind", Reward.Kind.choices, Sum("amount")),
        decimals=2,
        help_text="兑现日期在当年的奖励兑现（研发补贴、高企奖励、平台奖励、人才奖励等）合计；不含上级项目资金拨付",
        depends_on=(Reward,),
        group=GROUP_PROJECTS,
        section=POLICY,
        order=250,
        plan_phrase="兑现县级科技奖补资金",
    )
)
register_indicator(
    Indicator(
        code="achievements_transformed",
        dated=True,
        records=selectors.achievements_transformed,
        breakdown=_by_choice(selectors.achievements_transformed, "transform_mode", Achievement.Mode.choices),
        help_text="转化日期在当年的科技成果数",
        depends_on=(Achievement,),
        group=GROUP_SERVICES,
        section=SERVICES,
        order=200,
        plan_phrase="转化科技成果",
    )
)
# A level's stem as award names begin with it: 省科学技术进步奖 is already named by its level.
_LEVEL_STEMS = {Level.NATIONAL: "国家", Level.PROVINCIAL: "省", Level.CITY: "市", Level.COUNTY: "县"}


def _award_label(name: str, level: str) -> str:
    """省科学技术进步奖 as entered; 科学技术进步奖 at 省级 becomes 省级科学技术进步奖."""
    stem = _LEVEL_STEMS.get(level, "")
    if stem and name.startswith(stem):
        return name
    return f"{Level(level).label if level in Level.values else level}{name}"


def awards_by_name(year: int) -> list[Breakdown]:
    """省科学技术进步奖1项、市科学技术进步奖3项: one part per award (name and level), higher levels
    first, then the more won, then the first entered."""
    qs = selectors.awards_won(year)
    rows = qs.values("name", "level").annotate(v=Count("pk"), first=Min("pk")).order_by()
    order = {level: i for i, level in enumerate(Level.values)}
    rows = sorted(rows, key=lambda r: (order.get(r["level"], 99), -r["v"], r["first"]))
    return [
        Breakdown(
            label=_award_label(r["name"], r["level"]),
            value=r["v"],
            records=qs.filter(name=r["name"], level=r["level"]),
        )
        for r in rows
    ]


register_indicator(
    Indicator(
        code="awards",
        records=selectors.awards_won,
        breakdown=awards_by_name,
        help_text="当年获得的科技奖励数，按奖项（名称和级别）分列",
        depends_on=(Award,),
        group=GROUP_SERVICES,
        section=PROJECTS,
        order=210,
        plan_phrase="获得各级科技奖励",
    )
)


register_chart(
    Chart(
        "projects",
        "上级科技计划项目与资金",
        10,
        (
            Series("applications_recommended", "申报项目"),
            Series("applications_approved", "获批项目"),
            Series("funds_approved", "争取资金", kind="line", axis=1),
        ),
        icon="bi-folder-check",
    )
)
