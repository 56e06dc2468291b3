"""The application workflow as data (Hypha-style): every exit of every state, its label and roles.

``programs.services.application_transition`` is the one entry point that performs a transition,
and the detail page builds its buttons from the same table, so the UI and the rules cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from bureau.accounts.roles import ADMIN, REVIEWER, STAFF

from .models import Application, Track

S = Application.Status

# A guard looks at the application (its step's fields already filled in) and returns why the step
# may not happen now, or None. Guards run in the transition service after the state and role checks.
Guard = Callable[[Application], "str | None"]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    comment_required: bool = False
    # Application fields the step records (form fields next to the comment), and which of them must be filled.
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    style: str = "primary"  # Bootstrap colour of the button
    icon: str = "bi-arrow-right-circle"
    guards: tuple[Guard, ...] = ()
    # A step with its own form and service (形式审查's checklist): the transition service refuses it
    # unless called from that service, which passes the same name.
    step: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # 科员 prepares the application and hands it to the 股室负责人.
        Transition("submit", "提交审核", (S.DRAFT,), S.COUNTY_REVIEW, (STAFF,), icon="bi-send"),
        # 股室负责人 reviews: recommends it upwards or sends it back with the reason.
        Transition("recommend", "推荐上报", (S.COUNTY_REVIEW,), S.RECOMMENDED, (REVIEWER,), icon="bi-hand-thumbs-up"),
        Transition(
            "return",
            "退回修改",
            (S.COUNTY_REVIEW,),
            S.DRAFT,
            (REVIEWER,),
            comment_required=True,
            style="outline-danger",
            icon="bi-arrow-counterclockwise",
        ),
        # 科员 records what the upper level decided.
        Transition(
            "approve",
            "登记立项",
            (S.RECOMMENDED,),
            S.APPROVED,
            (STAFF,),
            fields=("approved_amount", "approved_on", "acceptance_due_on"),
            required=("approved_amount", "approved_on"),
            style="success",
            icon="bi-check2-circle",
        ),
        Transition(
            "reject",
            "登记未立项",
            (S.RECOMMENDED,),
            S.REJECTED,
            (STAFF,),
            style="outline-danger",
            icon="bi-x-circle",
        ),
        Transition("start", "开始实施", (S.APPROVED,), S.IN_PROGRESS, (STAFF,), icon="bi-play-circle"),
        Transition(
            "accept",
            "登记验收",
            (S.IN_PROGRESS,),
            S.ACCEPTED,
            (STAFF,),
            fields=("accepted_on", "acceptance_result"),
            required=("accepted_on", "acceptance_result"),
            style="success",
            icon="bi-patch-check",
        ),
        Transition(
            "terminate",
            "终止项目",
            (S.APPROVED, S.IN_PROGRESS),
            S.TERMINATED,
            (STAFF,),
            comment_required=True,
            style="outline-danger",
            icon="bi-stop-circle",
        ),
    )
}

# --- 县级立项: the county's own programs, start to finish -----------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def correction_in_time(app: Application) -> str | None:
    """补正 is accepted until the deadline set when the application was sent back."""
    review = app.formal_reviews.order_by("-reviewed_on", "-pk").first()
    if review and review.correction_due_on and _today() > review.correction_due_on:
        return "补正期限已于%(date)s截止，不能再提交补正；请股室负责人处理。" % {
            "date": review.correction_due_on.isoformat()
        }
    return None


def call_has_publicity_period(app: Application) -> str | None:
    call = app.call
    if call is None or call.publicity_starts_on is None or call.publicity_ends_on is None:
        return "请先在申报批次上设定公示期（公示页面），再列入公示。"
    return None


def publicity_ended(app: Application) -> str | None:
    """立项 only after the 公示 period has ended (DOMAIN.md)."""
    call = app.call
    if call is None or call.publicity_ends_on is None:
        return "该申报没有公示期，不能立项。"
    if _today() <= call.publicity_ends_on:
        return "公示期至%(date)s结束，公示结束后才能立项。" % {"date": call.publicity_ends_on.isoformat()}
    return None


def objections_handled(app: Application) -> str | None:
    open_count = app.objections.filter(handled_on__isnull=True).count()
    if open_count:
        return "还有%(n)d条公示异议未处理，处理后才能立项。" % {"n": open_count}
    return None


COUNTY_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", "提交申报", (S.DRAFT,), S.FORMAL_REVIEW, (STAFF,), icon="bi-send"),
        # 形式审查 against the call's checklist: all items pass, or the failed ones go back for 补正.
        Transition(
            "formal_pass",
            "形式审查通过",
            (S.FORMAL_REVIEW,),
            S.EXPERT_REVIEW,
            (STAFF, REVIEWER),
            step="formal_review",
            style="success",
            icon="bi-clipboard-check",
        ),
        Transition(
            "formal_return",
            "退回补正",
            (S.FORMAL_REVIEW,),
            S.CORRECTION,
            (STAFF, REVIEWER),
            step="formal_review",
            style="outline-danger",
            icon="bi-arrow-counterclockwise",
        ),
        Transition(
            "resubmit",
            "补正提交",
            (S.CORRECTION,),
            S.FORMAL_REVIEW,
            (STAFF,),
            guards=(correction_in_time,),
            icon="bi-send",
        ),
        Transition(
            "lapse",
            "逾期未补正",
            (S.CORRECTION,),
            S.REJECTED,
            (REVIEWER,),
            comment_required=True,
            style="outline-danger",
            icon="bi-x-circle",
        ),
        # 专家评审: the exit to 公示 carries guards; the expert-review module adds "the round is closed".
        Transition(
            "publicize",
            "拟立项，列入公示",
            (S.EXPERT_REVIEW,),
            S.PUBLICITY,
            (REVIEWER,),
            guards=(call_has_publicity_period,),
            icon="bi-megaphone",
        ),
        Transition(
            "expert_reject",
            "评审未通过",
            (S.EXPERT_REVIEW,),
            S.REJECTED,
            (REVIEWER,),
            comment_required=True,
            style="outline-danger",
            icon="bi-x-circle",
        ),
        Transition(
            "approve",
            "立项",
            (S.PUBLICITY,),
            S.APPROVED,
            (REVIEWER,),
            fields=("approved_amount", "approved_on", "approval_number"),
            required=("approved_amount", "approved_on", "approval_number"),
            guards=(publicity_ended, objections_handled),
            style="success",
            icon="bi-check2-circle",
        ),
        Transition(
            "publicity_reject",
            "不予立项",
            (S.PUBLICITY,),
            S.REJECTED,
            (REVIEWER,),
            comment_required=True,
            style="outline-danger",
            icon="bi-x-circle",
        ),
        # 任务书/合同: signing starts the project and the payment plan.
        Transition(
            "sign",
            "签订任务书",
            (S.APPROVED,),
            S.IN_PROGRESS,
            (STAFF,),
            fields=(
                "contract_number",
                "contract_signed_on",
                "midterm_due_on",
                "acceptance_due_on",
                "first_payment_percent",
                "midterm_payment_percent",
            ),
            required=(
                "contract_number",
                "contract_signed_on",
                "midterm_due_on",
                "acceptance_due_on",
                "first_payment_percent",
                "midterm_payment_percent",
            ),
            icon="bi-file-earmark-text",
        ),
        # 中期检查 keeps the project running; 不合格 proposes 终止 to the 股室负责人.
        Transition(
            "midterm",
            "登记中期检查",
            (S.IN_PROGRESS,),
            S.IN_PROGRESS,
            (STAFF, REVIEWER),
            fields=("midterm_checked_on", "midterm_result", "midterm_rectify_due_on"),
            required=("midterm_checked_on", "midterm_result"),
            style="outline-primary",
            icon="bi-clipboard-data",
        ),
        Transition(
            "accept",
            "验收",
            (S.IN_PROGRESS, S.RECONSIDER),
            S.ACCEPTED,
            (REVIEWER,),
            comment_required=True,
            fields=("accepted_on", "acceptance_result"),
            required=("accepted_on", "acceptance_result"),
            style="success",
            icon="bi-patch-check",
        ),
        # 需要复议 loops back once: from 验收复议 the only exits are a final 验收 or 终止.
        Transition(
            "reconsider",
            "验收需要复议",
            (S.IN_PROGRESS,),
            S.RECONSIDER,
            (REVIEWER,),
            comment_required=True,
            style="outline-warning",
            icon="bi-arrow-repeat",
        ),
        Transition(
            "evaluate",
            "绩效评价",
            (S.ACCEPTED,),
            S.ACCEPTED,
            (REVIEWER,),
            fields=("performance_score", "performance_grade"),
            required=("performance_score", "performance_grade"),
            style="outline-primary",
            icon="bi-graph-up",
        ),
        Transition(
            "terminate",
            "终止项目",
            (S.APPROVED, S.IN_PROGRESS, S.RECONSIDER),
            S.TERMINATED,
            (REVIEWER,),
            comment_required=True,
            style="outline-danger",
            icon="bi-stop-circle",
        ),
        # 撤销 is an approved change request (programs.services.change_request_decide), funds returned first.
        Transition(
            "revoke",
            "撤销项目",
            (S.APPROVED, S.IN_PROGRESS),
            S.TERMINATED,
            (REVIEWER,),
            step="change_request",
            style="outline-danger",
            icon="bi-x-octagon",
        ),
    )
}

WORKFLOWS: dict[str, dict[str, Transition]] = {Track.RECOMMEND: TRANSITIONS, Track.COUNTY: COUNTY_TRANSITIONS}

# The states of each track in the order of the timeline's overview (the ends last).
TRACK_STATES: dict[str, tuple[str, ...]] = {
    Track.RECOMMEND: (S.DRAFT, S.COUNTY_REVIEW, S.RECOMMENDED, S.APPROVED, S.IN_PROGRESS, S.ACCEPTED),
    Track.COUNTY: (
        S.DRAFT,
        S.FORMAL_REVIEW,
        S.EXPERT_REVIEW,
        S.PUBLICITY,
        S.APPROVED,
        S.IN_PROGRESS,
        S.ACCEPTED,
    ),
}


def track_states(track: str) -> set[str]:
    """Every state an application of ``track`` can be in."""
    table = WORKFLOWS[track]
    return {s for t in table.values() for s in (*t.sources, t.target)}


def workflow_for(application: Application) -> dict[str, Transition]:
    return WORKFLOWS[application.program.track]


def add_guard(action: str, guard: Guard, *, track: str = Track.COUNTY) -> Transition:
    """Another module adds a condition to a step (e.g. 专家评审 → 公示 once the review round is
    closed) without touching the transition service. Call from AppConfig.ready."""
    table = WORKFLOWS[track]
    table[action] = dataclasses.replace(table[action], guards=(*table[action].guards, guard))
    return table[action]


def action_label(action: str, *, track: str = Track.RECOMMEND) -> str:
    """An action's label in ``track`` (for the timeline); an entry that is no step keeps its own name."""
    table = WORKFLOWS[track]
    if action in table:
        return table[action].label
    for other in WORKFLOWS.values():  # e.g. a 推荐上报 step logged before the program changed track
        if action in other:
            return other[action].label
    return EVENT_LABELS.get(action, action)


# Log entries that are not state changes (the step is recorded by its own service).
EVENT_LABELS = {
    "objection": "登记公示异议",
    "objection_handled": "处理公示异议",
    "milestone": "登记任务书节点",
    "change_requested": "提出变更申请",
    "change_approved": "批准变更申请",
    "change_refused": "不批准变更申请",
    "publicity_set": "设定公示期",
}


# States whose application has been recommended upwards (counted as 申报上级科技计划项目).
RECOMMENDED_STATES = (S.RECOMMENDED, S.APPROVED, S.REJECTED, S.IN_PROGRESS, S.ACCEPTED, S.TERMINATED)
# States whose application was approved (立项) by the upper level.
APPROVED_STATES = (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.TERMINATED)
# Funds may be disbursed while a project is approved, running or accepted (final payment).
FUNDABLE_STATES = (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED)


def transitions_from(status: str, *, track: str = Track.RECOMMEND) -> list[Transition]:
    """Every exit of ``status`` in ``track``'s table, in the table's order."""
    return [t for t in WORKFLOWS[track].values() if status in t.sources]


# Who may create an application in any state: loading past years' records as history (each gets a
# "历史数据导入" log entry). Everyone else creates only in the states they could reach by the buttons.
HISTORY_ROLES = (REVIEWER, ADMIN)
HISTORY_ACTION = "历史数据导入"


def states_reachable(roles, *, start: str = S.DRAFT, track: str = Track.RECOMMEND) -> set[str]:
    """The states an application can reach from ``start`` by transitions that ``roles`` may perform:
    for a 科员, 草稿 and 县局审核中 (recommending is the 股室负责人's)."""
    roles = set(roles)
    reached, todo = {start}, [start]
    while todo:
        state = todo.pop()
        for t in transitions_from(state, track=track):
            if roles & set(t.roles) and t.target not in reached:
                reached.add(t.target)
                todo.append(t.target)
    return reached
