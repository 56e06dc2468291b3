"""Issue 22, finding 1: Redis, the broker or the database failing degrades the site instead of killing it."""

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.celery import app as celery_app
from bureau.records.models import ImportJob
from bureau.tasks import UNAVAILABLE_MESSAGE
from reports.models import AnnualReport, ReportBuild
from tests.ledgers.xlsx import code, xlsx_bytes
from tests.reports.factories import YEAR, AnnualReportFactory, add, complete_inputs, fake_indicators  # noqa: F401

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "bureau.cache.DegradingRedisCache", "LOCATION": url}}
    return url


@pytest.fixture
def broker_down():
    """A real (not eager) Celery whose Redis broker is not there."""
    keys = ("task_always_eager", "broker_url", "broker_write_url")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(
        task_always_eager=False, broker_url=f"redis://127.0.0.1:{closed_port()}/0", broker_write_url=None
    )
    yield
    celery_app.conf.update(saved)


def test_login_page_answers_200_with_redis_unreachable_and_the_error_is_logged(client, redis_down, caplog):
    from django.core.cache import cache

    assert cache.get("anything", "miss") == "miss"  # the cache really is the dead Redis
    assert "continuing without the cache" in caplog.text
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.usefixtures("fake_indicators")
def test_signed_in_dashboard_answers_200_with_redis_unreachable(staff, redis_down):
    from django.test import Client

    client = Client()
    response = client.post(reverse("accounts:login"), {"username": staff.username, "password": "pass-12345"})
    assert response.status_code == 302  # a session in the database, not in the cache
    response = client.get(reverse("home"))
    assert response.status_code == 200


def test_sessions_live_in_the_database():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.usefixtures("fake_indicators")
def test_broker_down_refuses_a_report_build_and_leaves_no_build(staff_client, broker_down):
    complete_inputs()
    add("trainings", 6)
    report = AnnualReportFactory(year=YEAR)
    response = staff_client.post(reverse("reports:annualreport_build", args=[report.pk]), follow=True)
    assert UNAVAILABLE_MESSAGE in response.content.decode()
    assert not ReportBuild.objects.exists()
    report.refresh_from_db()
    assert report.state != AnnualReport.State.BUILDING


def test_broker_down_refuses_a_large_import_and_leaves_no_job_or_file(staff_client, settings, broker_down):
    settings.LEDGER_ASYNC_ROWS = 3
    content = xlsx_bytes(
        ["企业名称*", "统一社会信用代码*", "企业规模"], [[f"公司{i}", code(i), "规上"] for i in range(8)]
    )
    response = staff_client.post(
        reverse("ledger_import", args=["enterprises"]), {"file": SimpleUploadedFile("台账.xlsx", content)}
    )
    assert response.status_code == 400
    assert UNAVAILABLE_MESSAGE in response.content.decode()
    assert not ImportJob.objects.exists()
    uploads = os.path.join(settings.MEDIA_ROOT, "ledger-uploads")
    assert not os.path.isdir(uploads) or not os.listdir(uploads)


def test_broker_down_keeps_a_large_preview_waiting_for_confirmation(staff_client, staff, settings, broker_down):
    job = ImportJob.objects.create(
        ledger="enterprises",
        user=staff,
        filename="大表.xlsx",
        stored_file="ledger-uploads/x.xlsx",
        status=ImportJob.Status.PREVIEW,
        rows_estimate=10,
    )
    settings.LEDGER_ASYNC_ROWS = 3
    response = staff_client.post(reverse("ledger_job_confirm", args=[job.pk]), follow=True)
    assert UNAVAILABLE_MESSAGE in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW


@pytest.fixture
def silent_database():
    """A TCP server that accepts connections and never says a word (a hung PostgreSQL)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_healthz_answers_503_within_the_connect_timeout_when_the_database_hangs(silent_database):
    script = (
        "import django, json; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, json.loads(r.content)['checks']['database'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bureau.settings.test",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{silent_database}/bureau",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "REDIS_URL": "",
    }
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert result.stdout.split()[:1] == ["503"], result.stderr[-2000:]
    assert "OperationalError" in result.stdout
    assert elapsed < 20  # without the timeout libpq waits for ever (the subprocess timeout would fire)


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs the Redis of the PostgreSQL + Redis stage")
def test_incr_of_a_missing_key_is_an_answer_not_an_outage():
    """Redis up, key absent: incr() raises ValueError as Django's cache API says, and the cache stays
    in use (treating it as an outage skipped the cache and changed every pinned query count)."""
    from bureau.cache import DegradingRedisCache

    cache = DegradingRedisCache(django_settings.REDIS_URL, {})
    key = f"test-missing-{time.monotonic_ns()}"
    with pytest.raises(ValueError):
        cache.incr(key)
    cache.set(key, 1)
    assert cache.incr(key) == 2
    cache.delete(key)
