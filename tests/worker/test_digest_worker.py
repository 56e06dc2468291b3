"""The digest through a real Celery worker and a real SMTP server (aiosmtpd on 127.0.0.1).

The worker sends the digest; with the SMTP server stopped the task fails, is retried with backoff
and the mail arrives once the server is back; a second ``send_digests`` the same day sends nothing.
"""

import contextlib
import datetime
import socket
import time
from email import message_from_bytes, policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from bureau import celery_app
from bureau.notifications.models import DigestDelivery
from programs.models import Application
from tests.conftest import make_user
from tests.programs.factories import ApplicationFactory
from tests.worker.test_report_worker import _wait_for, worker_factory  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
TITLE = "县域智慧农业数据平台建设"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    port = free_port()
    inbox = Inbox()
    servers = []

    def start():
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return controller

    start.port, start.inbox = port, inbox
    yield start
    for c in servers:
        with contextlib.suppress(Exception):  # the test stopped it already
            c.stop()


@pytest.fixture
def mail_env(smtp, monkeypatch):
    """Set before the worker fixture reads the environment: mail to the test's SMTP port, quick retries."""
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{smtp.port}")
    monkeypatch.setenv("MAIL_RETRY_BACKOFF", "1")
    monkeypatch.setenv("EMAIL_TIMEOUT", "3")


@pytest.fixture
def digest_worker(mail_env, worker_factory):  # noqa: F811
    """A worker whose mail goes to the test's SMTP port, fed through a queue of its own."""
    routes = celery_app.conf.task_routes
    celery_app.conf.task_routes = {"notifications.*": {"queue": worker_factory.queue}}
    celery_app.amqp.flush_routes()
    proc = worker_factory("digest")
    yield proc
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()


def test_a_real_worker_sends_the_digest_retries_while_smtp_is_down_and_never_twice(smtp, mail_env, digest_worker):
    reviewer = make_user("reviewer", username="guzhang_w", first_name="赵股长", email="guzhang@example.com")
    ApplicationFactory(title=TITLE, status=Application.Status.COUNTY_REVIEW)
    today = timezone.localdate()
    server = smtp()

    call_command("send_digests", "--date", today.isoformat(), stdout=StringIO())
    _wait_for(lambda: smtp.inbox.messages, 60, "the digest to reach the SMTP server", digest_worker)
    [msg] = smtp.inbox.messages
    assert msg["To"] == "guzhang@example.com" and "每日待办摘要" in msg["Subject"]
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert TITLE in text
    _wait_for(  # marked sent right after the SMTP server accepted it
        lambda: DigestDelivery.objects.get(user=reviewer, date=today).status == DigestDelivery.Status.SENT,
        30,
        "the delivery to be marked sent",
        digest_worker,
    )

    # SMTP down: the next day's digest fails, is retried, and arrives once the server is back.
    server.stop()
    tomorrow = today + datetime.timedelta(days=1)
    call_command("send_digests", "--date", tomorrow.isoformat(), stdout=StringIO())
    _wait_for(
        lambda: DigestDelivery.objects.filter(user=reviewer, date=tomorrow, attempts__gte=2).exists(),
        60,
        "the task to fail and retry while SMTP is down",
        digest_worker,
    )
    delivery = DigestDelivery.objects.get(user=reviewer, date=tomorrow)
    assert delivery.status == DigestDelivery.Status.PENDING and "Connection" in delivery.last_error
    assert len(smtp.inbox.messages) == 1
    smtp()
    _wait_for(lambda: len(smtp.inbox.messages) == 2, 90, "the retried digest to arrive", digest_worker)
    _wait_for(
        lambda: DigestDelivery.objects.get(pk=delivery.pk).status == DigestDelivery.Status.SENT,
        30,
        "the delivery to be marked sent",
        digest_worker,
    )

    # A second run the same day sends nothing.
    out = StringIO()
    call_command("send_digests", "--date", tomorrow.isoformat(), stdout=out)
    assert "已为0人" in out.getvalue()
    time.sleep(3)
    assert len(smtp.inbox.messages) == 2
