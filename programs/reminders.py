"""Home-page reminders: calls about to close, applications waiting for review, 验收 coming due."""

from __future__ import annotations

import datetime

from bureau.registry import register_reminders
from bureau.reminders import Reminder

from . import selectors

CALL_DAYS = 14
REVIEW_DAYS = 7
ACCEPTANCE_DAYS = 60
LIMIT = 20


@register_reminders
def program_reminders(*, user, today: datetime.date) -> list[Reminder]:
    reminders: list[Reminder] = []
    if user.has_perm("programs.view_call"):
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
    if user.has_perm("programs.view_application"):
        for app in selectors.applications_waiting_review(today=today, days=REVIEW_DAYS, limit=LIMIT):
            reminders.append(
                Reminder(
                    kind="待审核",
                    text="「%(app)s」已在县局审核%(n)d天，请股室负责人审核"
                    % {"app": app, "n": (today - app.entered).days},
                    url=app.get_absolute_url(),
                    due=app.entered,
                    level="warning",
                )
            )
        for app in selectors.applications_acceptance_due(today=today, days=ACCEPTANCE_DAYS, limit=LIMIT):
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
                )
            )
    return reminders
