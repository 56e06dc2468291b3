"""Indicators over the core records: 培训班期数 and 培训人次 (trainings held in Y), 出台科技政策数
(county policies issued in Y)."""

import datetime
import re

from django.db.models import Sum

from bureau.indicators import GROUP_SERVICES, Breakdown, Indicator
from bureau.registry import register_indicator

from .models import Activity, Policy
from .report import POLICY

# Indicators the report needs beyond DOMAIN.md's table: code -> (fixed Chinese name, unit).
EXTRA_NAMES: dict[str, tuple[str, str]] = {
    "policies_issued": ("出台科技政策数", "项"),
    "training_participants": ("培训人次", "人次"),
}

# 2019年研发经费统计上报培训班（第3期） -> 研发经费统计上报培训班: the year and the session number go.
_SESSION = re.compile(r"\s*[（(]\s*第\s*[0-9一二三四五六七八九十百]+\s*期\s*[）)]\s*$")
_YEAR = re.compile(r"^\s*\d{4}\s*年(度)?\s*")


def _in_year(field: str, year: int, end: datetime.date | None) -> dict:
    """``field`` from 1 Jan of ``year`` up to ``end`` (default 31 Dec)."""
    return {f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lte": end or datetime.date(year, 12, 31)}


def trainings_held(year: int, end: datetime.date | None = None):
    return Activity.objects.filter(kind=Activity.Kind.TRAINING, **_in_year("held_on", year, end))


def training_topic(title: str) -> str:
    """The course a training belongs to: its title without the year and the 第N期 of the session."""
    return _SESSION.sub("", _YEAR.sub("", title)).strip() or title


def trainings_by_topic(year: int, end: datetime.date | None = None) -> list[Breakdown]:
    """研发经费统计上报培训班6期、高新技术企业认定培训班2期 …: sessions of one course together,
    the most held first."""
    held = trainings_held(year, end)
    topics: dict[str, list[int]] = {}
    for pk, title in held.order_by("held_on", "pk").values_list("pk", "title"):
        topics.setdefault(training_topic(title), []).append(pk)
    ranked = sorted(topics.items(), key=lambda item: -len(item[1]))  # stable: first held first on a tie
    return [Breakdown(label=topic, value=len(pks), records=held.filter(pk__in=pks)) for topic, pks in ranked]


def policies_issued(year: int, end: datetime.date | None = None):
    """County policies (县级政策文件) issued in the year (up to ``end``)."""
    return Policy.objects.filter(level=Policy.Level.COUNTY, **_in_year("issued_on", year, end))


def policies_by_title(year: int, end: datetime.date | None = None) -> list[Breakdown]:
    """Each policy of the year in the order issued, so the report can name the first (《…》等8项)."""
    issued = policies_issued(year, end)
    return [
        Breakdown(label=title, value=1, records=issued.filter(pk=pk))
        for pk, title in issued.order_by("issued_on", "pk").values_list("pk", "title")
    ]


register_indicator(
    Indicator(
        code="trainings",
        dated=True,
        records=trainings_held,
        breakdown=trainings_by_topic,
        depends_on=(Activity,),
        group=GROUP_SERVICES,
        section=POLICY,
        order=240,
        plan_phrase="举办各类培训班",
        help_text="当年举办的培训班期数（培训与活动中类型为“培训班”的记录），按培训班名称分列。",
    )
)
register_indicator(
    Indicator(
        code="training_participants",
        dated=True,
        name=EXTRA_NAMES["training_participants"][0],
        unit=EXTRA_NAMES["training_participants"][1],
        records=trainings_held,
        aggregate=Sum("participants"),
        depends_on=(Activity,),
        group=GROUP_SERVICES,
        section=POLICY,
        order=241,
        plan_phrase="培训",
        help_text="当年举办的培训班参加人次之和。",
    )
)
register_indicator(
    Indicator(
        code="policies_issued",
        dated=True,
        name=EXTRA_NAMES["policies_issued"][0],
        unit=EXTRA_NAMES["policies_issued"][1],
        records=policies_issued,
        breakdown=policies_by_title,
        depends_on=(Policy,),
        group=GROUP_SERVICES,
        section=POLICY,
        order=230,
        plan_phrase="出台科技政策",
        help_text="发布日期在当年的县级政策文件数（政策文件中级别为“县级”的记录）。",
    )
)
