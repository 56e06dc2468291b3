"""Workflow guards of 专家评审 (issue 19), for ``Transition.guards`` in programs/workflow.py: a
guard takes the application and returns why the step is refused, or None.

Wiring it is one line on the transition leaving 专家评审: ``guards=(review_round_closed,)``.
"""

from __future__ import annotations

from .review_models import ReviewRound


def review_round_closed(application) -> str | None:
    """The application's call must have a review round, and it must be closed (scores final)."""
    if application.call_id is None:
        return "该申报未选择申报批次，无法确认专家评审结果。"
    round_ = ReviewRound.objects.filter(call_id=application.call_id).only("closed_at", "call").first()
    if round_ is None:
        return "申报批次尚未组织专家评审。"
    if round_.closed_at is None:
        return "专家评审尚未结束（评分未确定），请股室负责人先结束评审。"
    return None


# What workflow.py adds to the transition(s) leaving 专家评审 after the merge.
REVIEW_EXIT_GUARDS = (review_round_closed,)
