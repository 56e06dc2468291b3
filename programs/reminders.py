"""我的待办 of the programs app, by role and by assignment (经办人):

- 股室负责人 (审核): every application waiting in 县局审核, with how long it has waited;
- 经办人: their applications sent back (with the reason) and their drafts untouched for 14 days;
- whoever may add applications: calls closing within 14 days;
- 验收 due within 60 days or overdue: the 经办人's own; reviewers and 局领导 see all (局领导 only overdue).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bureau.registry import register_reminders
from bureau.reminders import LIMIT, Reminder

from . import selectors

CALL_DAYS = 14
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
