"""Home-page reminders: calls closing within 14 days, 县局审核 over 7 days, 验收 due within 60 days."""

import datetime

import pytest
from django.utils import timezone

from bureau.registry import registry
from programs.models import Application, ApplicationLog
from programs.reminders import program_reminders
from tests.factories import UserFactory
from tests.programs.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2019, 6, 10)
S = Application.Status


def texts(user, today=TODAY):
    return [r.text for r in program_reminders(user=user, today=today)]


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def entered_review(app, day, by):
    log = ApplicationLog.objects.create(application=app, action="submit", source=S.DRAFT, target=S.COUNTY_REVIEW, by=by)
    ApplicationLog.objects.filter(pk=log.pk).update(at=at_noon(day))


def test_the_provider_is_registered():
    assert program_reminders in registry["reminders"]


def test_calls_closing_within_14_days_are_reminded(staff):
    CallFactory(title="十四天后截止", closes_on=TODAY + datetime.timedelta(days=14))
    CallFactory(title="今天截止", closes_on=TODAY)
    CallFactory(title="十五天后截止", closes_on=TODAY + datetime.timedelta(days=15))
    CallFactory(title="昨天已截止", closes_on=TODAY - datetime.timedelta(days=1))
    shown = texts(staff)
    assert any("十四天后截止" in t and "还有14天" in t for t in shown)
    assert any("今天截止" in t and "今天截止申报" in t for t in shown)
    assert not any("十五天后" in t or "昨天已截止" in t for t in shown)


def test_applications_in_county_review_over_7_days_are_reminded(staff):
    waiting = ApplicationFactory(title="等了八天的项目", status=S.COUNTY_REVIEW)
    entered_review(waiting, TODAY - datetime.timedelta(days=8), staff)
    fresh = ApplicationFactory(title="等了七天的项目", status=S.COUNTY_REVIEW)
    entered_review(fresh, TODAY - datetime.timedelta(days=7), staff)
    shown = texts(staff)
    assert any("等了八天的项目" in t and "8天" in t for t in shown)
    assert not any("等了七天的项目" in t for t in shown)


def test_the_wait_counts_from_the_last_submission(staff):
    """Sent back and submitted again two days ago: it has waited two days, not twenty."""
    app = ApplicationFactory(title="退回后重新提交的项目", status=S.COUNTY_REVIEW)
    entered_review(app, TODAY - datetime.timedelta(days=20), staff)
    entered_review(app, TODAY - datetime.timedelta(days=2), staff)
    assert not any("退回后重新提交的项目" in t for t in texts(staff))
    assert any("退回后重新提交的项目" in t for t in texts(staff, today=TODAY + datetime.timedelta(days=6)))


def test_acceptance_due_within_60_days_is_reminded_and_overdue_first(staff):
    ApplicationFactory(
        approved=True, status=S.IN_PROGRESS, title="六十天内验收", acceptance_due_on=TODAY + datetime.timedelta(days=60)
    )
    ApplicationFactory(
        approved=True,
        status=S.IN_PROGRESS,
        title="六十一天后验收",
        acceptance_due_on=TODAY + datetime.timedelta(days=61),
    )
    ApplicationFactory(
        approved=True, status=S.IN_PROGRESS, title="已逾期验收", acceptance_due_on=TODAY - datetime.timedelta(days=3)
    )
    ApplicationFactory(
        approved=True, status=S.ACCEPTED, title="已验收完毕", acceptance_due_on=TODAY + datetime.timedelta(days=5)
    )
    due = [r for r in program_reminders(user=staff, today=TODAY) if r.kind == "验收到期"]
    assert [r.text for r in due] == ["「已逾期验收」验收已逾期3天", "「六十天内验收」还有60天到验收期限"]
    assert due[0].level == "danger"


def test_a_user_without_programs_permissions_gets_no_reminders():
    CallFactory(closes_on=TODAY)
    assert texts(UserFactory()) == []


def test_home_page_shows_the_reminders(staff_client):
    CallFactory(title="省重点研发计划即将截止批次", closes_on=timezone.localdate() + datetime.timedelta(days=3))
    assert "省重点研发计划即将截止批次" in staff_client.get("/").content.decode()


def test_reminder_queries_do_not_grow_with_rows(staff, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def build(n):
        for _ in range(n):
            CallFactory(closes_on=TODAY + datetime.timedelta(days=3))
            ApplicationFactory(approved=True, status=S.IN_PROGRESS, acceptance_due_on=TODAY)
            entered_review(ApplicationFactory(status=S.COUNTY_REVIEW), TODAY - datetime.timedelta(days=9), staff)

    build(2)
    program_reminders(user=staff, today=TODAY)  # warm the permission cache
    with CaptureQueriesContext(connection) as few:
        program_reminders(user=staff, today=TODAY)
    build(10)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(program_reminders(user=staff, today=TODAY)) == 36
