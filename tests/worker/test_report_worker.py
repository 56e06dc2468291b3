"""A report build survives its worker being killed: acks_late + reject_on_worker_lost + redelivery.

A real ``celery -A bureau worker`` process runs against the pytest database (transactional tests,
so it sees committed rows). It is SIGKILLed mid-build; the message was never acknowledged, so a
new worker gets it back once the visibility timeout (5 s here) has passed and finishes the build.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from bureau import celery_app
from bureau.core.models import AnnualTarget, CountyYear
from reports.models import AnnualReport, ReportBuild
from reports.report_services import report_build_start
from reports.tasks import build_report
from tests.conftest import make_user

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 5
YEAR = 2019


def _test_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker_factory(transactional_db):
    """Start workers on a queue of their own (other suites may share the Redis database)."""
    queue = f"report-worker-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bureau.settings.test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    started: list[subprocess.Popen] = []
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def start(name: str) -> subprocess.Popen:
        log = open(Path(settings.MEDIA_ROOT).parent / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "bureau",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                f"--queues={queue}",
                f"--hostname={name}-{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool child too
        )
        proc.log_path = log.name
        started.append(proc)
        return proc

    start.queue = queue
    yield start
    celery_app.conf.task_always_eager = eager
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_for(predicate, timeout: float, what: str, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    log = Path(proc.log_path).read_text(errors="replace")[-3000:] if proc is not None else ""
    raise AssertionError(f"timed out waiting for {what}\n{log}")


def _state(build_id: int) -> tuple[str, int]:
    return ReportBuild.objects.values_list("state", "attempts").get(pk=build_id)


def test_a_build_survives_its_worker_being_killed_and_completes(worker_factory):
    staff = make_user("staff", username="worker_staff")
    for year in (YEAR - 1, YEAR):
        CountyYear.objects.create(
            year=year, gdp=Decimal("120"), population=Decimal("55"), industrial_output_above_scale=Decimal("3000000")
        )
    AnnualTarget.objects.create(year=YEAR + 1, indicator="platforms_new", target=Decimal("3"))
    report = AnnualReport.objects.create(year=YEAR, opening="近年来，县科技局深入实施创新驱动发展战略。")
    build = report_build_start(actor=staff, report_id=report.pk, enqueue=False)
    # A long report (hundreds of approved projects) keeps the render busy long enough to be killed.
    build.snapshot["projects"] = {
        "columns": ["项目名称", "承担单位", "获批资金(万元)"],
        "rows": [[f"第{i}号镁合金轻量化部件研发项目", f"示例县第{i}机械有限公司", "50"] for i in range(600)],
        "urls": [""] * 600,
        "numeric": [False, False, True],
    }
    build.save(update_fields=["snapshot"])

    first = worker_factory("first")
    build_report.apply_async(args=[build.pk], queue=worker_factory.queue)
    _wait_for(lambda: _state(build.pk) == ("running", 1), 60, "the first worker to start the build", first)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    time.sleep(0.5)
    assert _state(build.pk) == ("running", 1), "the build finished before the worker could be killed"

    # A starting worker restores the unacknowledged messages older than the visibility timeout;
    # after that kombu rescans only every ~100 s. Start the new worker once the message is due,
    # as a restarted worker after a crash would be.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = worker_factory("second")
    _wait_for(lambda: _state(build.pk)[0] == "succeeded", 90, "the redelivered build to finish", second)
    build.refresh_from_db()
    report.refresh_from_db()
    assert build.attempts == 2
    assert build.progress == 100 and build.message == "已生成"
    assert report.state == AnnualReport.State.BUILT
    assert build.pdf.open("rb").read(5) == b"%PDF-"
    assert build.finished_at - build.started_at < datetime.timedelta(minutes=5)
