"""Beat really schedules the digest: a real ``celery beat`` (digest every 2 s instead of daily at 08:00)
and a real worker, on a queue of their own, mail the digest to aiosmtpd on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from bureau.notifications.models import DigestDelivery
from programs.models import Application
from tests.conftest import make_user
from tests.programs.factories import ApplicationFactory
from tests.worker.test_digest_worker import smtp  # noqa: F401  (the fixture)
from tests.worker.test_report_worker import _test_database_url, _wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def beat_and_worker(transactional_db, smtp, tmp_path):  # noqa: F811
    queue = f"beat-digest-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bureau.settings.test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DIGEST_EVERY_SECONDS": "2",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    celery = str(Path(sys.executable).parent / "celery")
    commands = {
        "beat": [celery, "-A", "bureau", "beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}"],
        "worker": [
            celery, "-A", "bureau", "worker", "--loglevel=INFO", "--concurrency=1", f"--queues={queue}",
            f"--hostname=beat-{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
    }  # fmt: skip
    procs = {}
    for name, cmd in commands.items():
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        proc.log_path = log.name
        procs[name] = proc
    yield procs
    for proc in procs.values():  # stopped by their own process ids
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_beat_schedules_the_digest_and_it_arrives_once(smtp, beat_and_worker):  # noqa: F811
    reviewer = make_user("reviewer", username="guzhang_b", first_name="赵股长", email="guzhang@example.com")
    ApplicationFactory(title="由beat发出摘要的项目", status=Application.Status.COUNTY_REVIEW)
    smtp()
    _wait_for(lambda: smtp.inbox.messages, 90, "beat's digest to reach the SMTP server", beat_and_worker["beat"])
    _wait_for(
        lambda: DigestDelivery.objects.filter(user=reviewer, date=timezone.localdate(), status="sent").exists(),
        30,
        "the delivery to be marked sent",
        beat_and_worker["worker"],
    )
    # Beat keeps firing every 2 s; the claim per user and day keeps it to one mail.
    import time

    time.sleep(6)
    assert len(smtp.inbox.messages) == 1
    assert "由beat发出摘要的项目" in smtp.inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
