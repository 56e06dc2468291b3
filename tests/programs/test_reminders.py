"""我的待办 of programs, by role and assignment: reviewers see 县局审核; the 经办人 sees their sent-back
applications and stale drafts; calls closing within 14 days; 验收 due within 60 days or overdue."""

import datetime

import pytest
from django.utils import timezone

from bureau.registry import registry
from bureau.reminders import collect_work
from programs.models import Application, ApplicationLog
from programs.reminders import program_reminders
from tests.conftest import make_user
from tests.factories import UserFactory
from tests.programs.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2019, 6, 10)
S = Application.Status


def texts(user, today=TODAY):
    return [r.text for r in program_reminders(user=user, today=today)]


def at_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def log_step(app, day, by, action="submit", source=S.DRAFT, target=S.COUNTY_REVIEW, comment=""):
    log = ApplicationLog.objects.create(
        application=app, action=action, source=source, target=target, by=by, comment=comment
    )
    ApplicationLog.objects.filter(pk=log.pk).update(at=at_noon(day))


def test_the_provider_is_registered():
    assert program_reminders in registry["reminders"]


def test_calls_closing_within_14_days_are_listed(staff):
    CallFactory(title="十四天后截止", closes_on=TODAY + datetime.timedelta(days=14))
    CallFactory(title="今天截止", closes_on=TODAY)
    CallFactory(title="十五天后截止", closes_on=TODAY + datetime.timedelta(days=15))
    CallFactory(title="昨天已截止", closes_on=TODAY - datetime.timedelta(days=1))
    shown = texts(staff)
    assert any("十四天后截止" in t and "还有14天" in t for t in shown)
    assert any("今天截止" in t and "今天截止申报" in t for t in shown)
    assert not any("十五天后" in t or "昨天已截止" in t for t in shown)


def test_reviewers_see_every_application_in_county_review_with_its_age(reviewer, staff):
    app = ApplicationFactory(title="等了三天的项目", status=S.COUNTY_REVIEW)
    log_step(app, TODAY - datetime.timedelta(days=3), staff)
    [item] = [r for r in collect_work(reviewer, today=TODAY) if r.kind == "待审核"]
    assert "等了三天的项目" in item.text and item.age == 3
    assert not any(r.kind == "待审核" for r in collect_work(staff, today=TODAY))


def test_the_wait_counts_from_the_last_submission(reviewer, staff):
    app = ApplicationFactory(title="退回后重新提交的项目", status=S.COUNTY_REVIEW)
    log_step(app, TODAY - datetime.timedelta(days=20), staff)
    log_step(app, TODAY - datetime.timedelta(days=2), staff)
    [item] = [r for r in collect_work(reviewer, today=TODAY) if r.kind == "待审核"]
    assert item.age == 2


def test_the_handler_sees_an_application_sent_back_with_the_reason(staff, reviewer):
    mine = ApplicationFactory(title="被退回的项目", status=S.DRAFT, handler=staff)
    log_step(mine, TODAY - datetime.timedelta(days=4), staff)
    log_step(mine, TODAY - datetime.timedelta(days=1), reviewer, "return", S.COUNTY_REVIEW, S.DRAFT, "请补充预算")
    other = ApplicationFactory(title="别人的被退回项目", status=S.DRAFT, handler=UserFactory())
    log_step(other, TODAY - datetime.timedelta(days=1), reviewer, "return", S.COUNTY_REVIEW, S.DRAFT, "x")
    [item] = [r for r in collect_work(staff, today=TODAY) if r.kind == "被退回"]
    assert item.text == "「被退回的项目」被退回修改：请补充预算"
    assert item.age == 1


def test_the_handler_sees_drafts_untouched_for_14_days(staff):
    old = ApplicationFactory(title="搁置的草稿", status=S.DRAFT, handler=staff)
    fresh = ApplicationFactory(title="新草稿", status=S.DRAFT, handler=staff)
    Application.objects.filter(pk=old.pk).update(updated_at=at_noon(TODAY - datetime.timedelta(days=15)))
    Application.objects.filter(pk=fresh.pk).update(updated_at=at_noon(TODAY - datetime.timedelta(days=13)))
    shown = [r.text for r in collect_work(staff, today=TODAY) if r.kind == "草稿未提交"]
    assert shown == ["「搁置的草稿」草稿已15天未处理"]


def test_acceptance_due_within_60_days_is_listed_and_overdue_first(staff):
    ApplicationFactory(
        approved=True,
        status=S.IN_PROGRESS,
        title="六十天内验收",
        acceptance_due_on=TODAY + datetime.timedelta(days=60),
        handler=staff,
    )
    ApplicationFactory(
        approved=True,
        status=S.IN_PROGRESS,
        title="六十一天后验收",
        acceptance_due_on=TODAY + datetime.timedelta(days=61),
        handler=staff,
    )
    ApplicationFactory(
        approved=True,
        status=S.IN_PROGRESS,
        title="已逾期验收",
        acceptance_due_on=TODAY - datetime.timedelta(days=3),
        handler=staff,
    )
    ApplicationFactory(
        approved=True,
        status=S.IN_PROGRESS,
        title="别人经办的项目",
        acceptance_due_on=TODAY + datetime.timedelta(days=5),
        handler=UserFactory(),
    )
    due = [r for r in program_reminders(user=staff, today=TODAY) if r.kind == "验收到期"]
    assert [r.text for r in due] == ["「已逾期验收」验收已逾期3天", "「六十天内验收」还有60天到验收期限"]
    assert due[0].level == "danger"


def test_leaders_see_only_overdue_items_and_sign_offs(leader):
    CallFactory(closes_on=TODAY)
    ApplicationFactory(status=S.COUNTY_REVIEW)
    ApplicationFactory(
        approved=True, status=S.IN_PROGRESS, title="已逾期", acceptance_due_on=TODAY - datetime.timedelta(days=1)
    )
    ApplicationFactory(
        approved=True, status=S.IN_PROGRESS, title="未到期", acceptance_due_on=TODAY + datetime.timedelta(days=9)
    )
    shown = collect_work(leader, today=TODAY)
    assert [r.text for r in shown] == ["「已逾期」验收已逾期1天"]


def test_a_user_without_programs_permissions_gets_nothing():
    CallFactory(closes_on=TODAY)
    assert texts(UserFactory()) == []


def test_home_page_opens_with_my_work(staff_client):
    CallFactory(title="省重点研发计划即将截止批次", closes_on=timezone.localdate() + datetime.timedelta(days=3))
    page = staff_client.get("/").content.decode()
    assert "我的待办" in page and "省重点研发计划即将截止批次" in page
    assert page.index("我的待办") < page.index("省重点研发计划即将截止批次")


def test_queries_do_not_grow_with_rows(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bureau.accounts.roles import REVIEWER

    user = make_user(REVIEWER)

    def build(n):
        for _ in range(n):
            CallFactory(closes_on=TODAY + datetime.timedelta(days=3))
            ApplicationFactory(approved=True, status=S.IN_PROGRESS, acceptance_due_on=TODAY)
            log_step(ApplicationFactory(status=S.COUNTY_REVIEW), TODAY - datetime.timedelta(days=9), user)
            returned = ApplicationFactory(status=S.DRAFT, handler=user)
            log_step(returned, TODAY, user, "return", S.COUNTY_REVIEW, S.DRAFT, "改")

    build(2)
    program_reminders(user=user, today=TODAY)  # warm the permission cache
    with CaptureQueriesContext(connection) as few:
        program_reminders(user=user, today=TODAY)
    build(10)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(program_reminders(user=user, today=TODAY)) == 48
