"""Queueing background work without leaving half-made rows when the broker is down (issue 22)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "后台任务服务暂不可用，请稍后再试"


class TaskQueueUnavailable(ValidationError):
    """The broker cannot be reached; callers show the message and keep nothing of the request."""

    def __init__(self):
        super().__init__(UNAVAILABLE_MESSAGE)


def enqueue(task, *args) -> None:
    """Queue ``task(*args)`` when the current transaction commits.

    Call it inside the transaction that creates the task's row: the broker is reached now, with a
    short connect timeout (``TASK_BROKER_CONNECT_TIMEOUT``), and TaskQueueUnavailable is raised
    while the row can still be rolled back. Eager mode (no REDIS_URL) just runs it on commit.
    """
    app = task.app
    if app.conf.task_always_eager:
        transaction.on_commit(lambda: task.delay(*args))
        return
    timeout = settings.TASK_BROKER_CONNECT_TIMEOUT
    try:
        with app.connection_for_write() as conn:
            conn.transport_options = {
                **conn.transport_options,
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
            }
            conn.connect_timeout = timeout
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - kombu raises transport-specific errors
        logger.warning("broker unreachable, %s not queued: %s", task.name, exc)
        raise TaskQueueUnavailable() from exc

    def send():
        try:
            task.apply_async(args, retry=False)
        except Exception:  # the broker went away since the check: the stale-job sweep ends the row
            logger.exception("broker lost while queueing %s%r", task.name, args)

    transaction.on_commit(send)
