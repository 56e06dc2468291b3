"""Dossier exports. Rights are checked here, once: a dossier is for whoever may view its records
(and their attachments); the background build checks its requester's rights again when it runs,
so a right withdrawn in between stops it."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from bureau.audit.models import AuditKind
from bureau.audit.services import audit_log
from bureau.documents.models import Document
from bureau.formatting import chinese_date
from bureau.permissions import Actor, require_permission
from bureau.tasks import enqueue
from enterprises.models import Enterprise
from programs.models import Application

from . import builder
from .models import DossierBuild
from .selectors import dossier_build_for
from .zipfiles import write_zip

SPOOL_BYTES = 16 * 1024 * 1024  # a dossier larger than this is spooled to a temporary file


def _require_view(actor: Actor, model, doing: str) -> None:
    require_permission(actor, model, "view", doing=doing)
    require_permission(actor, Document, "view", doing="查看附件")


def _zip(entries, progress=None):
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - handed to the response
    write_zip(entries, out, progress=progress)
    out.seek(0)
    return out


def dossier_application_zip(*, actor: Actor, application_id: int):
    """The ZIP of one application (cover, attachments by kind, index) as an open file, and its name."""
    _require_view(actor, Application, "导出项目申报档案")
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        raise ValidationError("该项目申报不存在。")
    entries = builder.applications_dossier([application.pk], actor=actor, single=True)
    out = _zip(entries)
    audit_log(AuditKind.EXPORT, actor=actor, target=application, detail=f"导出项目申报档案（含附件）「{application}」")
    return out, f"档案_{builder.application_folder(application)}.zip"


def dossier_enterprise_zip(*, actor: Actor, enterprise_id: int):
    """The ZIP of one enterprise: the 一企一档 PDF, its own and its records' attachments, an index."""
    _require_view(actor, Enterprise, "导出企业档案")
    enterprise = Enterprise.objects.select_related("town", "industry").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise ValidationError("该企业不存在。")
    entries = builder.enterprise_dossier(enterprise, actor=actor)
    out = _zip(entries)
    audit_log(AuditKind.EXPORT, actor=actor, target=enterprise, detail=f"导出企业档案（含附件）「{enterprise}」")
    return out, f"档案_{builder.safe_name(enterprise.name)}.zip"


def enterprise_pdf(*, actor: Actor, enterprise_id: int) -> tuple[bytes, str]:
    """The enterprise page (一企一档) as a PDF for handing out, and its file name."""
    require_permission(actor, Enterprise, "view", doing="查看企业档案")
    enterprise = Enterprise.objects.select_related("town", "industry").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise ValidationError("该企业不存在。")
    pdf = builder.enterprise_pdf(enterprise, user=actor)
    audit_log(AuditKind.EXPORT, actor=actor, target=enterprise, detail=f"导出一企一档 PDF「{enterprise}」")
    return pdf, f"一企一档_{builder.safe_name(enterprise.name)}.pdf"


@transaction.atomic
def dossier_build_start(*, actor: Actor, application_ids: Sequence[int], title: str) -> DossierBuild:
    """Queue the dossier of a list of applications (the list's filter, frozen now)."""
    if actor is None:
        raise ValidationError("档案导出须有发起人。")
    _require_view(actor, Application, "导出项目申报档案")
    ids = sorted(set(application_ids))
    if not ids:
        raise ValidationError("当前筛选没有项目申报，无法导出档案。")
    limit = settings.DOSSIER_MAX_APPLICATIONS
    if len(ids) > limit:
        raise ValidationError(f"一次最多导出{limit}个项目申报的档案（当前{len(ids)}个），请缩小筛选范围。")
    build = DossierBuild(title=title[:200], application_ids=ids, created_by=actor)
    build.full_clean()
    build.save()
    from .tasks import build_dossier

    enqueue(build_dossier, build.pk)
    return build


def dossier_build_download(*, actor: Actor, pk: int) -> DossierBuild:
    """A finished background dossier for the one who asked for it, with an audit event."""
    build = dossier_build_for(actor=actor, pk=pk)
    if build.state != build.State.SUCCEEDED or not build.file:
        raise Http404("档案尚未生成。")
    audit_log(
        AuditKind.EXPORT,
        actor=actor,
        target=build,
        detail=f"下载档案导出「{build.title}」（{len(build.application_ids)}个项目申报，含附件）",
    )
    return build


def dossier_builds_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the ZIPs of list dossiers built more than ``DOSSIER_RETENTION_DAYS`` ago; each build
    stays listed as 已清理 with the date, so its owner knows to export again. Returns how many."""
    now = now or timezone.now()
    days = settings.DOSSIER_RETENTION_DAYS
    cutoff = now - datetime.timedelta(days=days)
    purged = 0
    for pk in DossierBuild.objects.filter(state=DossierBuild.State.SUCCEEDED, finished_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            build = DossierBuild.objects.select_for_update().get(pk=pk)
            if build.state != DossierBuild.State.SUCCEEDED:
                continue
            name = build.file.name
            build.state = DossierBuild.State.EXPIRED
            build.file = ""
            build.message = (
                f"档案文件已于{chinese_date(timezone.localdate(now))}按保留期限（{days}天）清理，如需要请重新导出。"
            )
            build.save(update_fields=["state", "file", "message"])
            if name:  # removed once the row says so: a failure here leaves an unused file, never a dead link
                transaction.on_commit(lambda name=name: DossierBuild.file.field.storage.delete(name))
        purged += 1
    return purged


def _progress(build_id: int, percent: int, message: str) -> None:
    DossierBuild.objects.filter(pk=build_id).update(progress=percent, message=message, heartbeat_at=timezone.now())


def dossier_build_run(*, build_id: int) -> DossierBuild:
    """Build the ZIP of a queued dossier; safe to run again for the same build."""
    with transaction.atomic():
        build = DossierBuild.objects.select_for_update().select_related("created_by").get(pk=build_id)
        if not build.is_active:
            return build
        build.state = DossierBuild.State.RUNNING
        build.progress = 5
        build.message = "正在读取记录…"
        build.heartbeat_at = timezone.now()
        build.save(update_fields=["state", "progress", "message", "heartbeat_at"])
    actor = build.created_by
    try:
        _require_view(actor, Application, "导出项目申报档案")
    except PermissionDenied as exc:
        return dossier_build_fail(build_id=build_id, message=str(exc))

    def covers(done: int, total: int) -> None:
        _progress(build_id, 5 + 55 * done // total, f"正在生成封面（{done}/{total}）…")

    def files(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            _progress(build_id, 60 + 35 * done // total, f"正在打包文件（{done}/{total}）…")

    entries = builder.applications_dossier(build.application_ids, actor=actor, progress=covers)
    with tempfile.TemporaryFile() as out:
        write_zip(entries, out, progress=files)
        size = out.tell()
        out.seek(0)
        with transaction.atomic():
            build = DossierBuild.objects.select_for_update().get(pk=build_id)
            if build.state != DossierBuild.State.RUNNING:
                return build  # failed meanwhile: keep that outcome
            if build.file.name:
                build.file.storage.delete(build.file.name)
            build.file.save(f"dossier-{build.pk}.zip", File(out), save=False)
            build.size = size
            build.state = DossierBuild.State.SUCCEEDED
            build.progress = 100
            build.message = f"已生成：{len(build.application_ids)}个项目申报，{len(entries)}个文件"
            build.finished_at = build.heartbeat_at = timezone.now()
            build.save()
    return build


STALE_AFTER = datetime.timedelta(minutes=15)  # beyond the task's hard time limit


def dossier_build_expire(*, build: DossierBuild) -> DossierBuild:
    """End in 失败 a build whose worker is gone for good (no progress for ``STALE_AFTER``)."""
    last = build.heartbeat_at or build.created_at
    if build.is_active and timezone.now() - last > STALE_AFTER:
        return dossier_build_fail(build_id=build.pk, message="生成中断（长时间没有进展），请重新导出。")
    return build


@transaction.atomic
def dossier_build_fail(*, build_id: int, message: str) -> DossierBuild:
    build = DossierBuild.objects.select_for_update().get(pk=build_id)
    if build.is_active:
        build.state = DossierBuild.State.FAILED
        build.message = message[:500]
        build.finished_at = timezone.now()
        build.save(update_fields=["state", "message", "finished_at"])
    return build
