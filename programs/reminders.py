"""我的待办 of the programs app, by role and by assignment (经办人):

- 股室负责人 (审核): every application waiting in 县局审核, with how long it has waited;
- 经办人: their applications sent back (with the reason) and their drafts untouched for 14 days;
- whoever may add applications: calls closing within 14 days;
- 验收 due within 60 days or overdue: the 经办人's own; reviewers and 局领导 see all (局领导 only overdue).

县级立项 (``county_program_reminders``), each item gone once the step is done:
- 科员 and 股室负责人: applications waiting for 形式审查;
- 经办人: their applications sent back for 补正 (with the failed items and the deadline), approved ones
  whose 任务书 is to be signed, 中期检查 (or 整改) due within 30 days or overdue;
- 股室负责人: 公示 ended (立项 may follow), 公示异议 to handle, 中期检查 不合格 (终止 proposed),
  变更 requests to decide, accepted projects awaiting 绩效评价.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bureau.registry import register_reminders
from bureau.reminders import LIMIT, Reminder

from . import selectors
from .models import Application

CALL_DAYS = 14
MIDTERM_DAYS = 30
DRAFT_DAYS = 14
ACCEPTANCE_DAYS = 60


@register_reminders
def program_reminders(*, user, today: datetime.date) -> list[Reminder]:
    reminders: list[Reminder] = []
    if not user.has_perm("programs.view_application"):
        return reminders
    is_reviewer = user.has_perm("programs.review_application")
    may_apply = user.has_perm("programs.add_application")
    if is_reviewer:
        for app in selectors.applications_waiting_review(today=today, limit=LIMIT):
            waited = (today - app.entered).days
            reminders.append(
                Reminder(
                    kind="待审核",
                    text="「%(app)s」在县局审核中，请审核" % {"app": app},
                    url=app.get_absolute_url(),
                    since=app.entered,
                    level="danger" if waited > 7 else "warning",
                )
            )
    for app in selectors.applications_returned_to(user=user, limit=LIMIT):
        reason = (app.reason or "").strip()
        reminders.append(
            Reminder(
                kind="被退回",
                text="「%(app)s」被退回修改%(why)s" % {"app": app, "why": f"：{reason}" if reason else ""},
                url=app.get_absolute_url(),
                since=timezone.localdate(app.returned_at) if app.returned_at else None,
                level="danger",
            )
        )
    for app in selectors.drafts_untouched(user=user, today=today, days=DRAFT_DAYS, limit=LIMIT):
        since = timezone.localdate(app.updated_at)
        reminders.append(
            Reminder(
                kind="草稿未提交",
                text="「%(app)s」草稿已%(n)d天未处理" % {"app": app, "n": (today - since).days},
                url=app.get_absolute_url(),
                since=since,
                level="info",
            )
        )
    if may_apply and user.has_perm("programs.view_call"):
        for call in selectors.calls_closing(today=today, days=CALL_DAYS, limit=LIMIT):
            left = (call.closes_on - today).days
            reminders.append(
                Reminder(
                    kind="申报截止",
                    text="「%(call)s」%(when)s截止申报"
                    % {"call": call, "when": "今天" if left == 0 else "还有%(n)d天" % {"n": left}},
                    url=call.get_absolute_url(),
                    due=call.closes_on,
                    level="danger" if left <= 3 else "warning",
                )
            )
    sees_all = is_reviewer or not may_apply  # reviewers and 局领导 follow every project
    for app in selectors.applications_acceptance_due(
        today=today, days=ACCEPTANCE_DAYS, limit=LIMIT, handler=None if sees_all else user
    ):
        left = (app.acceptance_due_on - today).days
        reminders.append(
            Reminder(
                kind="验收到期",
                text=(
                    "「%(app)s」验收已逾期%(n)d天" % {"app": app, "n": -left}
                    if left < 0
                    else "「%(app)s」还有%(n)d天到验收期限" % {"app": app, "n": left}
                ),
                url=app.get_absolute_url(),
                due=app.acceptance_due_on,
                level="danger" if left < 0 else "info",
                leader=left < 0,
            )
        )
    return reminders


@register_reminders
def county_program_reminders(*, user, today: datetime.date) -> list[Reminder]:
    S = Application.Status
    reminders: list[Reminder] = []
    if not user.has_perm("programs.change_application"):
        return reminders
    is_reviewer = user.has_perm("programs.review_application")

    def add(app, kind, text, level="warning", **extra):
        reminders.append(
            Reminder(kind=kind, text=text % {"app": app}, url=app.get_absolute_url(), level=level, **extra)
        )

    for app in selectors.county_in_state(status=S.FORMAL_REVIEW, limit=LIMIT):
        add(app, "待形式审查", "「%(app)s」待形式审查", since=timezone.localdate(app.updated_at))
    for app in selectors.county_corrections(handler=user, limit=LIMIT):
        failed = "、".join(app.failed or [])
        add(app, "待补正", "「%(app)s」须补正：" + failed, level="danger", due=app.due)
    for app in selectors.county_in_state(status=S.APPROVED, limit=LIMIT, handler=None if is_reviewer else user):
        add(app, "待签任务书", "「%(app)s」已立项，请签订任务书", since=app.approved_on)
    for app in selectors.county_midterm_due(
        today=today, days=MIDTERM_DAYS, limit=LIMIT, handler=None if is_reviewer else user
    ):
        overdue = app.due < today
        add(
            app,
            "中期检查",
            "「%(app)s」" + ("整改期限" if app.midterm_result else "中期检查") + ("已逾期" if overdue else "将到期"),
            level="danger" if overdue else "info",
            due=app.due,
            leader=overdue,
        )
    if is_reviewer:
        for app in selectors.county_publicity_ended(today=today, limit=LIMIT):
            add(app, "可立项", "「%(app)s」公示期已结束，可办理立项", due=app.call.publicity_ends_on)
        for objection in selectors.county_open_objections(limit=LIMIT):
            add(
                objection.application,
                "公示异议",
                "「%(app)s」有公示异议待处理",
                level="danger",
                since=objection.received_on,
            )
        for app in selectors.county_midterm_failed(limit=LIMIT):
            add(app, "建议终止", "「%(app)s」中期检查不合格，建议终止", level="danger", since=app.midterm_checked_on)
        for change in selectors.county_pending_changes(limit=LIMIT):
            add(
                change.application,
                "变更审批",
                "「%(app)s」申请" + change.get_kind_display() + "，待审批",
                since=change.requested_on,
            )
        for app in selectors.county_unevaluated(limit=LIMIT):
            add(app, "绩效评价", "「%(app)s」已验收，待绩效评价", level="info", since=app.accepted_on)
    return reminders


@register_reminders
def expert_reminders(*, user, today: datetime.date) -> list[Reminder]:
    """专家: the assignments waiting for their declaration or their scores, in open rounds."""
    from .review_selectors import expert_for, pending_for_expert
    from .review_services import assignment_url

    expert = expert_for(user)
    if expert is None:
        return []
    return [
        Reminder(
            kind="待评分" if a.state == a.State.DECLARED else "待声明",
            text="请评审「%(app)s」（%(call)s）" % {"app": a.application.title, "call": a.round.call},
            url=assignment_url(a),
            since=timezone.localdate(a.assigned_at),
            level="warning",
        )
        for a in pending_for_expert(expert_id=expert.pk, limit=LIMIT)
    ]
