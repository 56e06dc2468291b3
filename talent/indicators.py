"""Talent and platform indicators; each figure and its drill-down list share one queryset."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from bureau.core.report import TALENT
from bureau.indicators import GROUP_SERVICES, GROUP_TALENT, Breakdown, Chart, Indicator
from bureau.registry import register_chart, register_indicator

from .models import (
    LEVEL_ORDER,
    Commissioner,
    CooperationAgreement,
    Level,
    Platform,
    PlatformEvaluation,
    Secondment,
    TalentSelection,
)

# Indicators the report needs beyond DOMAIN.md's table: code -> (fixed Chinese name, unit).
EXTRA_NAMES: dict[str, tuple[str, str]] = {
    "secondments": ("挂职科技副职人数", "人"),
    "platform_evaluations_excellent": ("平台绩效评估优秀数", "个"),
    "platform_evaluation_rewards": ("平台绩效评估奖励资金", "万元"),
}


# The catalogue of talent programs (programs.Program) whose names label the breakdown.
TALENT_PROGRAM = TalentSelection._meta.get_field("program").related_model


def _first_and_last(year: int, end: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The period of ``year``: 1 Jan up to ``end`` (default 31 Dec)."""
    return datetime.date(year, 1, 1), end or datetime.date(year, 12, 31)


def _level_label(level: str) -> str:
    return str(Level(level).label) if level in LEVEL_ORDER else level


# 人才工程 ----------------------------------------------------------------------------------------


def talent_applications(year: int) -> QuerySet[TalentSelection]:
    """Applications to talent programs of the year, whatever their outcome (one per person and program)."""
    return TalentSelection.objects.filter(year=year)


def talent_selections(year: int) -> QuerySet[TalentSelection]:
    return TalentSelection.objects.filter(year=year, state=TalentSelection.State.SELECTED)


def talent_selections_by_program(year: int) -> list[Breakdown]:
    """泰山产业领军人才创新类 3, 创业类 7 …: one part per program and subcategory."""
    selected = talent_selections(year)
    rows = (
        selected.values("program_id", "program__name", "subcategory")
        .annotate(n=Count("pk"))
        .order_by("program__name", "subcategory")
    )
    return [
        Breakdown(
            label=f"{row['program__name']}{row['subcategory']}",
            value=row["n"],
            records=selected.filter(program_id=row["program_id"], subcategory=row["subcategory"]),
        )
        for row in rows
    ]


# 科技特派员、挂职 -----------------------------------------------------------------------------------


def commissioners_serving(year: int) -> QuerySet[Commissioner]:
    """Commissioners serving at some point of the year: started by then and not ended before it."""
    return Commissioner.objects.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))


def commissioners_by_kind(year: int) -> list[Breakdown]:
    serving = commissioners_serving(year)
    counts = dict(serving.values_list("kind").annotate(n=Count("pk")).order_by())
    return [
        Breakdown(label=f"{label}科技特派员", value=counts[kind], records=serving.filter(kind=kind))
        for kind, label in Commissioner.Kind.choices
        if counts.get(kind)
    ]


def secondments_serving(year: int, end: datetime.date | None = None) -> QuerySet[Secondment]:
    first, last = _first_and_last(year, end)
    return Secondment.objects.filter(start__lte=last).filter(Q(end__isnull=True) | Q(end__gte=first))


def secondments_by_post(year: int, end: datetime.date | None = None) -> list[Breakdown]:
    serving = secondments_serving(year, end)
    counts = dict(serving.values_list("post").annotate(n=Count("pk")).order_by())
    return [
        Breakdown(label=str(label), value=counts[post], records=serving.filter(post=post))
        for post, label in Secondment.Post.choices
        if counts.get(post)
    ]


# 创新平台 ----------------------------------------------------------------------------------------


def platforms_new(year: int, end: datetime.date | None = None) -> QuerySet[Platform]:
    """Platforms certified (认定) or filed (备案) in the year (up to ``end``) and still so (a revoked
    one no longer counts)."""
    first, last = _first_and_last(year, end)
    return Platform.objects.filter(state__in=Platform.ESTABLISHED, certified_on__gte=first, certified_on__lte=last)


def _by_level_and_type(qs: QuerySet, prefix: str = "") -> list[Breakdown]:
    """One part per level and type ("省级院士工作站"), so the parts add up to the figure."""
    p = prefix
    rows = qs.values(f"{p}level", f"{p}type_id", f"{p}type__name", f"{p}type__order").annotate(n=Count("pk")).order_by()
    rows = sorted(rows, key=lambda r: (r[f"{p}type__order"], r[f"{p}type__name"], LEVEL_ORDER.get(r[f"{p}level"], 99)))
    return [
        Breakdown(
            label=f"{_level_label(row[f'{p}level'])}{row[f'{p}type__name']}",
            value=row["n"],
            records=qs.filter(**{f"{p}level": row[f"{p}level"], f"{p}type_id": row[f"{p}type_id"]}),
        )
        for row in rows
    ]


def platforms_new_by_level_and_type(year: int, end: datetime.date | None = None) -> list[Breakdown]:
    return _by_level_and_type(platforms_new(year, end))


def platform_evaluations(year: int) -> QuerySet[PlatformEvaluation]:
    return PlatformEvaluation.objects.filter(year=year)


def platform_evaluations_excellent(year: int) -> QuerySet[PlatformEvaluation]:
    return platform_evaluations(year).filter(result=PlatformEvaluation.Result.EXCELLENT)


def platform_evaluations_excellent_by_level_and_type(year: int) -> list[Breakdown]:
    return _by_level_and_type(platform_evaluations_excellent(year), prefix="platform__")


# 产学研合作 --------------------------------------------------------------------------------------


def cooperation_agreements(year: int, end: datetime.date | None = None) -> QuerySet[CooperationAgreement]:
    first, last = _first_and_last(year, end)
    return CooperationAgreement.objects.filter(signed_on__gte=first, signed_on__lte=last)


register_indicator(
    Indicator(
        code="talent_applications",
        records=talent_applications,
        help_text="年度内申报人才工程的人次（同一人申报多个人才工程分别计数）",
        depends_on=(TalentSelection,),
        group=GROUP_TALENT,
        section=TALENT,
        order=10,
        plan_phrase="申报各类人才工程",
    )
)
register_indicator(
    Indicator(
        code="talent_selections",
        records=talent_selections,
        breakdown=talent_selections_by_program,
        help_text="年度内入选人才工程的人次，按人才工程和类别分列",
        depends_on=(TalentSelection, TALENT_PROGRAM),
        group=GROUP_TALENT,
        section=TALENT,
        order=20,
        plan_phrase="入选各类人才工程",
    )
)
register_indicator(
    Indicator(
        code="commissioners",
        records=commissioners_serving,
        breakdown=commissioners_by_kind,
        help_text="年度内在岗服务的科技特派员（开始年份不晚于该年，且未在该年之前结束）",
        depends_on=(Commissioner,),
        group=GROUP_TALENT,
        section=TALENT,
        order=30,
        plan_phrase="选派科技特派员",
    )
)
register_indicator(
    Indicator(
        code="secondments",
        dated=True,
        name=EXTRA_NAMES["secondments"][0],
        unit=EXTRA_NAMES["secondments"][1],
        records=secondments_serving,
        breakdown=secondments_by_post,
        help_text="年度内在岗的挂职科技副县长、副镇长等",
        depends_on=(Secondment,),
        group=GROUP_TALENT,
        section=TALENT,
        order=40,
        plan_phrase="引进挂职科技副职",
    )
)
register_indicator(
    Indicator(
        code="platforms_new",
        dated=True,
        records=platforms_new,
        breakdown=platforms_new_by_level_and_type,
        help_text="认定或备案日期在该年、目前仍为已认定或已备案的平台，按级别和类型分列",
        depends_on=(Platform,),
        group=GROUP_TALENT,
        section=TALENT,
        order=50,
        plan_phrase="新建各类创新平台",
    )
)
register_indicator(
    Indicator(
        code="platform_evaluations_excellent",
        name=EXTRA_NAMES["platform_evaluations_excellent"][0],
        unit=EXTRA_NAMES["platform_evaluations_excellent"][1],
        records=platform_evaluations_excellent,
        breakdown=platform_evaluations_excellent_by_level_and_type,
        help_text="该年度绩效评估结果为优秀的平台",
        depends_on=(PlatformEvaluation, Platform),
        group=GROUP_TALENT,
        section=TALENT,
        order=60,
        plan_phrase="绩效评估优秀的创新平台达到",
    )
)
register_indicator(
    Indicator(
        code="platform_evaluation_rewards",
        name=EXTRA_NAMES["platform_evaluation_rewards"][0],
        unit=EXTRA_NAMES["platform_evaluation_rewards"][1],
        records=platform_evaluations,
        aggregate=Sum("reward"),
        decimals=2,
        help_text="该年度平台绩效评估获得的奖励资金",
        depends_on=(PlatformEvaluation,),
        group=GROUP_TALENT,
        section=TALENT,
        order=70,
        plan_phrase="争取平台绩效评估奖励资金",
    )
)
register_indicator(
    Indicator(
        code="cooperation_agreements",
        dated=True,
        records=cooperation_agreements,
        help_text="签约日期在该年的产学研合作协议",
        depends_on=(CooperationAgreement,),
        group=GROUP_SERVICES,
        section=TALENT,
        order=80,
        plan_phrase="签订产学研合作协议",
    )
)


register_chart(
    Chart("platforms", "新建创新平台（按级别和类型）", 50, breakdown_of=("platforms_new",), icon="bi-diagram-3")
)
