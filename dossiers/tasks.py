"""Celery: the dossier of a list of applications. Load by id, call one service; a failure ends the
build in 失败 with a Chinese message, never stuck in 生成中."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .services import dossier_build_fail, dossier_build_run, dossier_builds_purge

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 600
TIME_LIMIT = 660


def failure_message(exc: BaseException) -> str:
    from reports.fonts import FontsMissing

    if isinstance(exc, FontsMissing):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return f"生成超时（超过{SOFT_TIME_LIMIT}秒），已停止。请缩小筛选范围后重试。"
    return f"生成失败（{exc.__class__.__name__}），请联系管理员查看服务器日志。"


@shared_task(
    name="dossiers.build_dossier",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def build_dossier(build_id: int) -> str:
    try:
        build = dossier_build_run(build_id=build_id)
    except Exception as exc:  # noqa: BLE001 - every failure must end in 失败
        logger.exception("dossier build %s failed", build_id)
        build = dossier_build_fail(build_id=build_id, message=failure_message(exc))
    return build.state


@shared_task(name="dossiers.purge_builds")
def purge_builds() -> int:
    """Daily (beat): the ZIPs of list dossiers past DOSSIER_RETENTION_DAYS leave the storage."""
    purged = dossier_builds_purge()
    logger.info("dossiers: %d ZIPs past their retention removed", purged)
    return purged
