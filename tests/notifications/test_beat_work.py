"""What beat runs besides the digest: stale report builds end 失败, stuck import jobs end 失败 with
their file removed and their uploader told, notifications of the day's deadlines."""

import datetime
import os

import pytest
from django.utils import timezone

from bureau.ledgers.jobs import import_jobs_expire
from bureau.notifications.models import Notification
from bureau.records.models import ImportJob
from reports.models import ReportBuild
from reports.tasks import expire_stale_builds
from tests.reports.factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


def test_a_build_with_a_dead_worker_is_failed_and_its_starter_told(staff, django_capture_on_commit_callbacks):
    report = AnnualReportFactory(year=2019)
    dead = ReportBuild.objects.create(report=report, version=1, state=ReportBuild.State.RUNNING, created_by=staff)
    alive = ReportBuild.objects.create(report=report, version=2, state=ReportBuild.State.RUNNING, created_by=staff)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ReportBuild.objects.filter(pk=dead.pk).update(heartbeat_at=long_ago, created_at=long_ago)
    ReportBuild.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_stale_builds() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == ReportBuild.State.FAILED and alive.state == ReportBuild.State.RUNNING
    [n] = Notification.objects.filter(recipient=staff)
    assert n.kind == "report_failed" and "生成失败" in n.title


def test_an_import_stuck_in_the_queue_is_failed_its_file_removed(staff, settings, django_capture_on_commit_callbacks):
    path = os.path.join(settings.MEDIA_ROOT, "ledger-uploads", "x.xlsx")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").close()
    stuck = ImportJob.objects.create(
        ledger="enterprises", user=staff, filename="企业名录.xlsx", stored_file="ledger-uploads/x.xlsx"
    )
    fresh = ImportJob.objects.create(ledger="enterprises", user=staff, filename="新.xlsx", stored_file="y.xlsx")
    ImportJob.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_expire() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == ImportJob.Status.FAILED and "请重新上传" in stuck.message
    assert fresh.status == ImportJob.Status.QUEUED
    assert not os.path.exists(path)
    assert Notification.objects.get(recipient=staff).title == "「企业名录.xlsx」导入失败"


def test_the_reminder_scan_notifies_a_deadline_of_today_once(staff, django_capture_on_commit_callbacks):
    from bureau.notifications.scan import reminders_scan
    from tests.programs.factories import CallFactory

    today = timezone.localdate()
    CallFactory(title="今天截止的批次", closes_on=today)
    CallFactory(title="下周截止的批次", closes_on=today + datetime.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_scan(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_scan(today=today)  # beat fired twice
    titles = list(Notification.objects.filter(recipient=staff).values_list("title", flat=True))
    assert len(titles) == 1 and "今天截止的批次" in titles[0]


def test_targets_awaiting_sign_off_reach_reviewers_and_leaders_not_staff(staff, reviewer, leader):
    from decimal import Decimal

    from bureau.core.models import AnnualTarget
    from bureau.reminders import collect_work

    today = timezone.localdate()
    AnnualTarget.objects.create(year=today.year, indicator="platforms_new", target=Decimal("3"))
    AnnualTarget.objects.create(year=today.year - 5, indicator="platforms_new", target=Decimal("3"))
    for user in (reviewer, leader):
        items = [r.text for r in collect_work(user, today=today) if r.kind == "待签核"]
        assert items == [f"{today.year}年有1项年度目标待签核"]
    assert not [r for r in collect_work(staff, today=today) if r.kind == "待签核"]
