"""Indicators over the core records: 培训班期数 (trainings held in Y)."""

from bureau.indicators import NAMES, Indicator
from bureau.registry import register_indicator

from .models import Activity


def trainings_held(year: int):
    return Activity.objects.filter(kind=Activity.Kind.TRAINING, held_on__year=year)


register_indicator(
    Indicator(
        code="trainings",
        name=NAMES["trainings"][0],
        unit=NAMES["trainings"][1],
        records=trainings_held,
        section="services",
        order=240,
        help_text="当年举办的培训班期数（培训与活动中类型为“培训班”的记录）。",
    )
)
