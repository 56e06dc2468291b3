"""Import jobs: upload stored server-side, preview (a Celery task for a large file), confirm,
discard, and the clean-up of previews nobody confirmed. The job row is ``records.ImportJob``."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import uuid

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bureau.ledgers.columns import Ledger
from bureau.ledgers.safety import FileRejected, async_rows, human_size, inspect_file, max_bytes
from bureau.ledgers.validation import validate
from bureau.ledgers.write import ledger_import
from bureau.reminders import bump_work_version

logger = logging.getLogger(__name__)

UPLOAD_DIR = "ledger-uploads"


def upload_path(job_id: uuid.UUID | str) -> str:
    return os.path.join(settings.MEDIA_ROOT, UPLOAD_DIR, f"{job_id}.xlsx")


def _store_upload(upload, dest: str) -> None:
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    written = 0
    with open(dest, "wb") as out:
        for chunk in upload.chunks():
            written += len(chunk)
            if written > max_bytes():
                break
            out.write(chunk)
    if written > max_bytes():
        os.remove(dest)
        raise FileRejected(
            "文件大小 %(size)s 超过上限 %(max)s，请拆分成几个文件分别导入。"
            % {"size": human_size(getattr(upload, "size", written) or written), "max": human_size(max_bytes())}
        )


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def import_job_start(*, ledger: type[Ledger], upload, user):
    """Store the upload server-side and preview it (a Celery task for a large file).

    A file rejected as a whole raises FileRejected and leaves nothing behind (no job, no file).
    """
    from bureau.records.models import ImportJob

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise FileRejected(
            "文件大小 %(size)s 超过上限 %(max)s，请拆分成几个文件分别导入。"
            % {"size": human_size(size), "max": human_size(max_bytes())}
        )
    job_id = uuid.uuid4()
    path = upload_path(job_id)
    _store_upload(upload, path)
    try:
        info = inspect_file(path, ledger)
    except FileRejected:
        _remove(path)
        raise
    import_jobs_cleanup()
    job = ImportJob(
        id=job_id,
        ledger=ledger.slug,
        user=user,
        filename=os.path.basename(getattr(upload, "name", "") or "upload.xlsx")[:200],
        stored_file=os.path.relpath(path, settings.MEDIA_ROOT),
        size=os.path.getsize(path),
        rows_estimate=max(info.rows - 1, 0),
    )
    if info.rows - 1 > async_rows():
        from bureau.tasks import TaskQueueUnavailable, enqueue

        job.status = ImportJob.Status.QUEUED
        try:
            with transaction.atomic():
                job.save()
                enqueue(run_import_job, str(job.pk), False)
        except TaskQueueUnavailable as exc:
            _remove(path)
            raise FileRejected(*exc.messages) from exc
        return job
    result = validate(path, ledger, user=user, info=info)
    if result.file_errors:
        _remove(path)
        raise FileRejected(*result.file_errors)
    job.status = ImportJob.Status.PREVIEW if result.ok else ImportJob.Status.INVALID
    job.result = result.as_json()
    job.progress_done = job.progress_total = len(result.rows)
    job.finished_at = timezone.now()
    job.save()
    bump_work_version(user.pk)
    return job


def import_job_confirm(*, job, user):
    """Write a previewed job: the stored file is validated again (never the preview shown in the
    browser) and written all-or-nothing; a large one by a Celery task."""
    from bureau.records.models import ImportJob

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.user_id != user.pk:
            raise PermissionError
        if job.status != ImportJob.Status.PREVIEW:
            return job, False
        job.status = ImportJob.Status.COMMITTING
        job.phase = "排队等待写入"
        job.progress_done = 0
        job.save(update_fields=["status", "phase", "progress_done", "updated_at"])
        if job.rows_estimate > async_rows():
            from bureau.tasks import enqueue

            enqueue(run_import_job, str(job.pk), True)  # TaskQueueUnavailable: the job stays 待确认
    bump_work_version(user.pk)
    if job.rows_estimate > async_rows():
        return job, True
    import_job_run(job_id=job.pk, commit=True)
    job.refresh_from_db()
    return job, True


def import_job_run(*, job_id, commit: bool, announce: bool = False) -> None:
    """Validate (and with ``commit`` write) a stored upload, keeping progress on the job row.
    Ends in a final state with a Chinese message whatever happens. ``announce`` (the Celery run,
    which the uploader is not watching): the uploader is notified of the outcome."""
    from bureau.records.models import ImportJob
    from bureau.registry import registry

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return  # at-least-once delivery: a redelivered task finds its work done
    ledger = registry["ledgers"].get(job.ledger)
    path = os.path.join(settings.MEDIA_ROOT, job.stored_file)
    if not commit:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.VALIDATING, phase="开始校验", updated_at=timezone.now()
        )

    def progress(phase: str, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            phase=phase, progress_done=done, progress_total=total, updated_at=timezone.now()
        )

    try:
        if ledger is None or not os.path.exists(path):
            raise FileRejected("上传的文件已不在服务器上，请重新上传。")
        result = ledger_import(ledger=ledger, path=path, user=job.user, commit=commit, progress=progress)
    except Exception as exc:  # noqa: BLE001 - the job must end in a readable state, never stuck
        messages = (
            exc.messages if isinstance(exc, FileRejected) else ["导入过程中出错，未导入任何数据：%(e)s" % {"e": exc}]
        )
        if not isinstance(exc, FileRejected):
            logger.exception("ledger import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message="\n".join(messages), finished_at=timezone.now()
        )
        _remove(path)
        if announce:
            _announce(job, ImportJob.Status.FAILED, message="；".join(messages))
        return
    if result.file_errors and not result.rows:
        status = ImportJob.Status.FAILED
    elif commit and result.committed:
        status = ImportJob.Status.DONE
    elif result.ok:
        status = ImportJob.Status.PREVIEW
    else:
        status = ImportJob.Status.INVALID
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        result=result.as_json(),
        message="\n".join(result.file_errors),
        progress_done=len(result.rows),
        progress_total=len(result.rows),
        phase="",
        finished_at=timezone.now(),
    )
    if announce:
        _announce(job, status, rows=len(result.rows))
    if status == ImportJob.Status.DONE:
        from bureau.audit.services import audit_log

        audit_log("import", actor=job.user, detail=f"导入台账「{job.ledger}」：{job.filename}，{len(result.rows)} 行")
    if status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        _remove(path)


def _announce(job, status: str, *, rows: int = 0, message: str = "") -> None:
    """Tell the uploader how a background import ended (bell, inbox, e-mail by their settings)."""
    from django.urls import reverse

    from bureau.notifications.services import notify
    from bureau.records.models import ImportJob

    titles = {
        ImportJob.Status.DONE: ("import_finished", f"「{job.filename}」已导入{rows}行"),
        ImportJob.Status.PREVIEW: ("import_finished", f"「{job.filename}」校验通过，待确认导入（{rows}行）"),
        ImportJob.Status.INVALID: ("import_failed", f"「{job.filename}」校验发现错误，未导入"),
        ImportJob.Status.FAILED: ("import_failed", f"「{job.filename}」导入失败"),
    }
    if status not in titles:
        return
    kind, title = titles[status]
    notify(recipients=[job.user_id], kind=kind, title=title, body=message, url=reverse("ledger_job", args=[job.pk]))


def import_jobs_expire(*, minutes: int = 60) -> int:
    """Beat: a job 排队中 (or 校验中/导入中) with no progress for ``minutes`` lost its queueing or its
    worker: it ends 失败 with a message, its file removed, its uploader told."""
    from bureau.records.models import ImportJob

    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    stuck = ImportJob.objects.filter(
        updated_at__lt=cutoff,
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.COMMITTING],
    )
    count = 0
    for job in stuck.only("pk", "stored_file", "filename", "user_id"):
        updated = ImportJob.objects.filter(
            pk=job.pk,
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.COMMITTING],
            updated_at__lt=cutoff,
        ).update(
            status=ImportJob.Status.FAILED,
            message="后台任务未能完成（排队失败或处理中断），未导入任何数据，请重新上传。",
            finished_at=timezone.now(),
        )
        if updated:
            _remove(os.path.join(settings.MEDIA_ROOT, job.stored_file))
            _announce(job, ImportJob.Status.FAILED, message="后台任务未能完成，请重新上传。")
            count += 1
    return count


@shared_task(name="ledgers.expire_stale_import_jobs")
def expire_stale_import_jobs() -> int:
    """Beat: stuck jobs end 失败 (``import_jobs_expire``); unconfirmed previews lose their file."""
    return import_jobs_expire() + import_jobs_cleanup()


def import_job_discard(*, job) -> None:
    from bureau.records.models import ImportJob

    _remove(os.path.join(settings.MEDIA_ROOT, job.stored_file))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DISCARDED, finished_at=timezone.now())
    bump_work_version(job.user_id)


def import_jobs_cleanup(*, hours: int = 24) -> int:
    """Remove the files of previews nobody confirmed within ``hours``."""
    from bureau.records.models import ImportJob

    cutoff = timezone.now() - datetime.timedelta(hours=hours)
    stale = ImportJob.objects.filter(
        created_at__lt=cutoff, status__in=[ImportJob.Status.PREVIEW, ImportJob.Status.INVALID]
    )
    count = 0
    for job in stale.only("pk", "stored_file"):
        _remove(os.path.join(settings.MEDIA_ROOT, job.stored_file))
        count += 1
    stale.update(status=ImportJob.Status.DISCARDED)
    return count


# The name it had in bureau.records: tasks queued before a deploy still find it.
@shared_task(name="bureau.records.tasks.run_import_job", acks_late=True)
def run_import_job(job_id: str, commit: bool) -> None:
    """Celery: a large ledger import is validated and written here, with progress on its ImportJob."""
    import_job_run(job_id=job_id, commit=commit, announce=True)
