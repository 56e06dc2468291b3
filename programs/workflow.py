"""The application workflow as data (Hypha-style): every exit of every state, its label and roles.

``programs.services.application_transition`` is the one entry point that performs a transition,
and the detail page builds its buttons from the same table, so the UI and the rules cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from bureau.accounts.roles import ADMIN, REVIEWER, STAFF

from .models import Application

S = Application.Status


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

# States whose application has been recommended upwards (counted as 申报上级科技计划项目).
RECOMMENDED_STATES = (S.RECOMMENDED, S.APPROVED, S.REJECTED, S.IN_PROGRESS, S.ACCEPTED, S.TERMINATED)
# States whose application was approved (立项) by the upper level.
APPROVED_STATES = (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED, S.TERMINATED)
# Funds may be disbursed while a project is approved, running or accepted (final payment).
FUNDABLE_STATES = (S.APPROVED, S.IN_PROGRESS, S.ACCEPTED)


def transitions_from(status: str) -> list[Transition]:
    """Every exit of ``status``, in the table's order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


# Who may create an application in any state: loading past years' records as history (each gets a
# "历史数据导入" log entry). Everyone else creates only in the states they could reach by the buttons.
HISTORY_ROLES = (REVIEWER, ADMIN)
HISTORY_ACTION = "历史数据导入"


def states_reachable(roles, *, start: str = S.DRAFT) -> set[str]:
    """The states an application can reach from ``start`` by transitions that ``roles`` may perform:
    for a 科员, 草稿 and 县局审核中 (recommending is the 股室负责人's)."""
    roles = set(roles)
    reached, todo = {start}, [start]
    while todo:
        state = todo.pop()
        for t in transitions_from(state):
            if roles & set(t.roles) and t.target not in reached:
                reached.add(t.target)
                todo.append(t.target)
    return reached
