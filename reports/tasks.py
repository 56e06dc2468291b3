"""Celery: the report build. Load by id, call one service; a failure ends the build in 失败.

acks_late + reject_on_worker_lost: a worker killed mid-build leaves the message unacknowledged,
so the broker redelivers it (after the visibility timeout) and another worker runs the build
again; ``report_build_run`` is idempotent. The soft time limit turns a runaway render into a
readable 失败; the hard limit kills what ignores it, and the page's stale check fails it then.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError

from .fonts import FontsMissing
from .report_services import FORMATS, report_build_fail, report_build_run

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 180


def failure_message(exc: BaseException) -> str:
    """What the user reads on the page when a build fails."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"生成超时（超过{SOFT_TIME_LIMIT}秒），已停止。请稍后重试；如仍失败请联系管理员。"
    if isinstance(exc, FontsMissing):
        return str(exc)
    if isinstance(exc, ValidationError):
        return "生成失败：" + "；".join(exc.messages)
    return f"生成失败（{exc.__class__.__name__}），请联系管理员查看服务器日志。"


@shared_task(
    name="reports.build_report",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def build_report(build_id: int, formats: tuple[str, ...] = FORMATS) -> str:
    try:
        build = report_build_run(build_id=build_id, formats=tuple(formats))
    except Exception as exc:  # noqa: BLE001 - every failure must end in 失败, never in 生成中
        logger.exception("report build %s failed", build_id)
        build = report_build_fail(build_id=build_id, message=failure_message(exc))
    return build.state


@shared_task(name="reports.expire_stale_builds")
def expire_stale_builds() -> int:
    """Beat: end in 失败 every build whose worker is gone for good (no progress for STALE_AFTER)."""
    from .models import ReportBuild
    from .report_services import report_build_expire

    count = 0
    active = ReportBuild.objects.filter(state__in=(ReportBuild.State.QUEUED, ReportBuild.State.RUNNING))
    for pk in active.values_list("pk", flat=True):
        if report_build_expire(build_id=pk).state == ReportBuild.State.FAILED:
            count += 1
    return count
