"""Reads shaped for one page each: select/prefetch so that query counts do not grow with rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .models import (
    UPPER_LEVELS,
    Achievement,
    Application,
    ApplicationLog,
    Award,
    Call,
    ChangeRequest,
    Disbursement,
    FormalReview,
    Objection,
    Reward,
    Track,
)
from .workflow import APPROVED_STATES, RECOMMENDED_STATES, TRACK_STATES, Transition, transitions_from

PROFILE_LIMIT = 20


def application_queryset() -> QuerySet[Application]:
    return Application.objects.select_related("program", "enterprise", "call__program", "handler")


def application_logs(*, application: Application) -> list[ApplicationLog]:
    return list(application.logs.select_related("by").order_by("at", "pk"))


def application_transitions_for(*, application: Application, user) -> list[Transition]:
    """The buttons of the detail page: the exits of the current state (in the application's track)
    that this user's role may take. 撤销 is decided on its change request, not by a button."""
    from bureau.accounts.roles import user_roles

    roles = user_roles(user)
    return [
        t
        for t in transitions_from(application.status, track=application.program.track)
        if roles & set(t.roles) and t.step != "change_request"
    ]


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "current" or "todo"


def application_stages(*, application: Application) -> list[Stage]:
    """The track's main states in order, marked done / current / to do, for the timeline's overview.
    A state off the main line (补正, 验收复议, 未立项, 已终止) shows next to the last one it follows."""
    order = TRACK_STATES[application.program.track]
    status = application.status
    S = Application.Status
    # Where a state off the main line sits on it.
    position = {S.CORRECTION: S.FORMAL_REVIEW, S.RECONSIDER: S.IN_PROGRESS}.get(status, status)
    # 未立项 / 已终止 are off the line: it stops where it was left (-1: every stage shown as to do).
    current = order.index(position) if position in order else -1
    stages = []
    for i, state in enumerate(order):
        label = S(state).label
        if i < current or (i == current and status == S.ACCEPTED):
            stages.append(Stage(label, "done"))
        elif i == current:
            label = S(status).label if status != state else label
            stages.append(Stage(label, "current"))
        else:
            stages.append(Stage(label, "todo"))
    if current == -1:
        stages.append(Stage(S(status).label, "current"))
    return stages


@dataclass(frozen=True)
class CountySteps:
    """What the 县级立项 steps recorded on one application: one query each."""

    checklist: list[str]
    formal_reviews: list
    objections: list
    milestones: list
    change_requests: list
    plan_allowed: Decimal
    plan_stage: str
    plan_percent: int


def application_county_steps(*, application: Application) -> CountySteps:
    from .services import checklist_of, payment_plan_allowed

    allowed, stage, percent = payment_plan_allowed(application)
    return CountySteps(
        checklist=checklist_of(application),
        formal_reviews=list(application.formal_reviews.select_related("by").order_by("reviewed_on", "pk")),
        objections=list(application.objections.select_related("handled_by").order_by("received_on", "pk")),
        milestones=list(application.milestones.order_by("due_on", "pk")),
        change_requests=list(
            application.change_requests.select_related("requested_by", "decided_by").order_by("requested_on", "pk")
        ),
        plan_allowed=allowed,
        plan_stage=stage,
        plan_percent=percent,
    )


def call_publicity(*, call: Call) -> list[Application]:
    """The projects a call proposes (公示) and what became of them after, with their objections."""
    return list(
        Application.objects.filter(
            call=call,
            status__in=(
                Application.Status.PUBLICITY,
                Application.Status.APPROVED,
                Application.Status.IN_PROGRESS,
                Application.Status.RECONSIDER,
                Application.Status.ACCEPTED,
            ),
        )
        .select_related("enterprise", "program")
        .prefetch_related("objections")
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class Funds:
    approved: Decimal | None
    disbursed: Decimal
    disbursements: list[Disbursement]

    @property
    def remaining(self) -> Decimal | None:
        return None if self.approved is None else self.approved - self.disbursed

    @property
    def percent(self) -> Decimal | None:
        if not self.approved:
            return None
        return self.disbursed * 100 / self.approved


def application_funds(*, application: Application) -> Funds:
    """Approved vs disbursed: one query for the payments, summed in Python (exact Decimals)."""
    disbursements = list(application.disbursements.order_by("paid_on", "pk"))
    disbursed = sum((d.amount for d in disbursements), Decimal("0"))
    return Funds(approved=application.approved_amount, disbursed=disbursed, disbursements=disbursements)


# -- indicators: a date in year Y, or (for ledgers imported without that date) the application's 年度


def _in_year(field: str, year: int, end: datetime.date | None = None) -> Q:
    """``field`` in ``year`` (from 1 Jan up to ``end``, default 31 Dec)."""
    return Q(**{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lte": end or datetime.date(year, 12, 31)})


def _undated(field: str, year: int, end: datetime.date | None) -> Q:
    """Rows imported without the date count in their 年度 for the whole year only: part of a year
    cannot place them."""
    return Q(**{f"{field}__isnull": True, "year": year}) if end is None else Q(pk__in=[])


def upper_applications_recommended(year: int, end: datetime.date | None = None) -> QuerySet[Application]:
    """Applications to programs above county level recommended (推荐上报) in ``year`` (up to ``end``).

    An application imported past 县局审核 without a recommendation date counts in its 年度 (whole
    year only).
    """
    return Application.objects.filter(program__level__in=UPPER_LEVELS, status__in=RECOMMENDED_STATES).filter(
        _in_year("recommended_on", year, end) | _undated("recommended_on", year, end)
    )


def upper_applications_approved(year: int, end: datetime.date | None = None) -> QuerySet[Application]:
    """Such applications approved (立项) in ``year`` (up to ``end``); without a 立项日期 they count
    in their 年度 (whole year only)."""
    return Application.objects.filter(program__level__in=UPPER_LEVELS, status__in=APPROVED_STATES).filter(
        _in_year("approved_on", year, end) | _undated("approved_on", year, end)
    )


def rewards_paid(year: int, end: datetime.date | None = None) -> QuerySet[Reward]:
    return Reward.objects.filter(_in_year("paid_on", year, end))


def achievements_transformed(year: int, end: datetime.date | None = None) -> QuerySet[Achievement]:
    return Achievement.objects.filter(_in_year("transformed_on", year, end))


def awards_won(year: int) -> QuerySet[Award]:
    return Award.objects.filter(year=year)


# -- reminders


def calls_closing(*, today: datetime.date, days: int, limit: int) -> list[Call]:
    return list(
        Call.objects.select_related("program")
        .filter(closes_on__gte=today, closes_on__lte=today + datetime.timedelta(days=days))
        .order_by("closes_on", "pk")[:limit]
    )


def _entered_review():
    return Coalesce(
        TruncDate(Max("logs__at", filter=Q(logs__target=Application.Status.COUNTY_REVIEW))),
        TruncDate("created_at"),
    )


def applications_waiting_review(*, today: datetime.date, days: int = 0, limit: int) -> list[Application]:
    """In 县局审核 (for more than ``days`` days), counted from the last time it entered that state."""
    qs = Application.objects.filter(status=Application.Status.COUNTY_REVIEW).annotate(entered=_entered_review())
    if days:
        qs = qs.filter(entered__lt=today - datetime.timedelta(days=days))
    return list(qs.order_by("entered", "pk")[:limit])


def _last_log(field: str):
    return Subquery(ApplicationLog.objects.filter(application=OuterRef("pk")).order_by("-at", "-pk").values(field)[:1])


def applications_returned_to(*, user, limit: int) -> list[Application]:
    """The user's applications (经办人) whose last step sent them back: with ``returned_at`` and ``reason``."""
    return list(
        Application.objects.filter(handler=user, status=Application.Status.DRAFT)
        .annotate(last_action=_last_log("action"), returned_at=_last_log("at"), reason=_last_log("comment"))
        .filter(last_action="return")
        .order_by("returned_at", "pk")[:limit]
    )


def drafts_untouched(*, user, today: datetime.date, days: int, limit: int) -> list[Application]:
    """The user's drafts (经办人) not changed for ``days`` days, except those sent back (listed apart)."""
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time()))
    return list(
        Application.objects.filter(handler=user, status=Application.Status.DRAFT, updated_at__lt=cutoff)
        .annotate(last_action=_last_log("action"))
        .filter(Q(last_action__isnull=True) | ~Q(last_action="return"))
        .order_by("updated_at", "pk")[:limit]
    )


def applications_acceptance_due(
    *, today: datetime.date, days: int, limit: int, handler=None, overdue_only: bool = False
) -> list[Application]:
    """Running projects whose 验收 is due within ``days`` days (or overdue), overdue ones first;
    only ``handler``'s when given."""
    qs = Application.objects.filter(
        status__in=(Application.Status.APPROVED, Application.Status.IN_PROGRESS),
        acceptance_due_on__isnull=False,
        acceptance_due_on__lte=today + datetime.timedelta(days=days),
    )
    if handler is not None:
        qs = qs.filter(handler=handler)
    if overdue_only:
        qs = qs.filter(acceptance_due_on__lt=today)
    return list(qs.order_by("acceptance_due_on", "pk")[:limit])


# -- 县级立项 reminders: one query each, sliced


def _county(qs):
    return qs.filter(program__track=Track.COUNTY)


def county_in_state(*, status: str, limit: int, handler=None) -> list[Application]:
    """县级 applications in ``status`` (only ``handler``'s when given), the longest waiting first."""
    qs = _county(Application.objects.filter(status=status))
    if handler is not None:
        qs = qs.filter(handler=handler)
    return list(qs.order_by("updated_at", "pk")[:limit])


def county_corrections(*, handler, limit: int) -> list[Application]:
    """The handler's applications sent back for 补正, with ``due`` (the 补正 deadline) and ``failed``."""
    last = FormalReview.objects.filter(application=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    return list(
        _county(Application.objects.filter(status=Application.Status.CORRECTION, handler=handler))
        .annotate(due=Subquery(last.values("correction_due_on")[:1]), failed=Subquery(last.values("failed_items")[:1]))
        .order_by("due", "pk")[:limit]
    )


def county_publicity_ended(*, today: datetime.date, limit: int) -> list[Application]:
    return list(
        _county(Application.objects.filter(status=Application.Status.PUBLICITY, call__publicity_ends_on__lt=today))
        .select_related("call")
        .order_by("call__publicity_ends_on", "pk")[:limit]
    )


def county_open_objections(*, limit: int) -> list[Objection]:
    return list(
        Objection.objects.filter(handled_on__isnull=True)
        .select_related("application")
        .order_by("received_on", "pk")[:limit]
    )


def county_midterm_due(*, today: datetime.date, days: int, limit: int, handler=None) -> list[Application]:
    """Running 县级 projects whose 中期检查 (or 整改) is due within ``days`` days or overdue, not yet 合格;
    ``due`` is the date that applies."""
    S = Application.Status
    qs = _county(Application.objects.filter(status=S.IN_PROGRESS)).exclude(
        midterm_result__in=(Application.MidtermResult.PASSED, Application.MidtermResult.FAILED)
    )
    if handler is not None:
        qs = qs.filter(handler=handler)
    qs = qs.annotate(due=Coalesce("midterm_rectify_due_on", "midterm_due_on")).filter(
        due__isnull=False, due__lte=today + datetime.timedelta(days=days)
    )
    return list(qs.order_by("due", "pk")[:limit])


def county_midterm_failed(*, limit: int) -> list[Application]:
    return list(
        _county(
            Application.objects.filter(
                status=Application.Status.IN_PROGRESS, midterm_result=Application.MidtermResult.FAILED
            )
        ).order_by("midterm_checked_on", "pk")[:limit]
    )


def county_pending_changes(*, limit: int) -> list[ChangeRequest]:
    return list(
        ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
        .select_related("application")
        .order_by("requested_on", "pk")[:limit]
    )


def county_unevaluated(*, limit: int) -> list[Application]:
    return list(
        _county(Application.objects.filter(status=Application.Status.ACCEPTED, performance_grade="")).order_by(
            "accepted_on", "pk"
        )[:limit]
    )


# -- enterprise page (一企一档): one query per section, bounded


def enterprise_applications(*, enterprise) -> list[Application]:
    return list(enterprise.applications.select_related("program").order_by("-year", "-pk")[:PROFILE_LIMIT])


def enterprise_rewards(*, enterprise) -> list[Reward]:
    return list(enterprise.rewards.select_related("policy").order_by("-paid_on", "-pk")[:PROFILE_LIMIT])


def enterprise_awards(*, enterprise) -> list[Award]:
    return list(enterprise.awards.order_by("-year", "-pk")[:PROFILE_LIMIT])


def enterprise_achievements(*, enterprise) -> list[Achievement]:
    return list(enterprise.achievements.order_by("-registered_on", "-pk")[:PROFILE_LIMIT])


def enterprise_reward_total(*, enterprise) -> Decimal:
    return enterprise.rewards.aggregate(total=Sum("amount"))["total"] or Decimal("0")
