"""Reads of 专家评审: the ranking table, an expert's own assignments, a round's page. Each a fixed
number of queries whatever the number of applications, experts and scores (pinned in the tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from .models import Application
from .review_models import AssignmentState, Expert, ReviewAssignment, ReviewRound

CENT = Decimal("0.01")
# With this many scores or more, the highest and the lowest total are dropped before averaging.
TRIM_FROM = 5


@dataclass
class RankingRow:
    application: Application
    totals: list[Decimal] = field(default_factory=list)  # every expert's total, ascending
    kept: list[Decimal] = field(default_factory=list)  # those averaged
    average: Decimal | None = None
    spread: Decimal | None = None  # highest − lowest of all totals (极差)
    assigned: int = 0
    rank: int | None = None
    recommendation: str = "未评分"

    @property
    def count(self) -> int:
        return len(self.totals)

    @property
    def dropped(self) -> bool:
        return len(self.kept) < len(self.totals)


def aggregate_totals(totals: list[Decimal]) -> tuple[list[Decimal], Decimal | None, Decimal | None]:
    """(kept, average, spread): with ``TRIM_FROM`` or more totals the highest and lowest are dropped."""
    totals = sorted(totals)
    if not totals:
        return [], None, None
    kept = totals[1:-1] if len(totals) >= TRIM_FROM else totals
    average = (sum(kept, Decimal(0)) / len(kept)).quantize(CENT, rounding=ROUND_HALF_UP)
    return kept, average, totals[-1] - totals[0]


def review_ranking(*, round_: ReviewRound) -> list[RankingRow]:
    """Every application of the round's call, ranked by the average of its experts' totals.
    Two queries: the applications (their unit joined) and the scored totals."""
    applications = list(Application.objects.filter(call_id=round_.call_id).select_related("enterprise").order_by("pk"))
    rows = {app.pk: RankingRow(application=app) for app in applications}
    for app_id, state, total in ReviewAssignment.objects.filter(round=round_).values_list(
        "application_id", "state", "total"
    ):
        row = rows.get(app_id)
        if row is None:
            continue
        if state != AssignmentState.RECUSED:
            row.assigned += 1
        if state == AssignmentState.SCORED and total is not None:
            row.totals.append(total)
    for row in rows.values():
        row.kept, row.average, row.spread = aggregate_totals(row.totals)
        row.totals.sort()
        if row.average is not None:
            row.recommendation = "建议立项" if row.average >= round_.recommend_score else "不建议立项"
    ranked = sorted(rows.values(), key=lambda r: (r.average is None, -(r.average or 0), r.application.pk))
    rank = 0
    for row in ranked:
        if row.average is not None:
            rank += 1
            row.rank = rank
    return ranked


def round_assignments(*, round_: ReviewRound) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(round=round_)
        .select_related("expert", "application", "entered_by")
        .order_by("application_id", "expert__name")
    )


def expert_for(user) -> Expert | None:
    """The 专家库 entry of a signed-in account, or None."""
    if not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user).first()


def my_assignments(*, expert: Expert) -> QuerySet[ReviewAssignment]:
    """An expert's own assignments, open rounds first."""
    return (
        ReviewAssignment.objects.filter(expert=expert)
        .select_related("application", "application__enterprise", "round", "round__call", "round__call__program")
        .order_by("round__closed_at", "-assigned_at")
    )


def pending_for_expert(*, expert_id: int, limit: int) -> list[ReviewAssignment]:
    return list(
        ReviewAssignment.objects.filter(
            expert_id=expert_id,
            round__closed_at__isnull=True,
            state__in=[AssignmentState.ASSIGNED, AssignmentState.DECLARED],
        )
        .select_related("application", "round__call", "round__call__program")
        .order_by("assigned_at")[:limit]
    )


def expert_loads(*, round_: ReviewRound) -> QuerySet[Expert]:
    return Expert.objects.filter(active=True).annotate(load=Count("assignments", filter=Q(assignments__round=round_)))
