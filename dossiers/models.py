"""A dossier (档案) built in the background: the ZIP of a filtered list of applications."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.deconstruct import deconstructible


@deconstructible(path="dossiers.models.DossierStorage")
class DossierStorage(Storage):
    """The documents storage, looked up at each use: dossiers hold attachments, so they are kept
    with them, outside every public URL (and follow the setting when tests or S3 change it)."""

    def _target(self) -> Storage:
        return storages["documents"]

    def _open(self, name, mode="rb"):
        return self._target().open(name, mode)

    def _save(self, name, content):
        return self._target().save(name, content)

    def get_available_name(self, name, max_length=None):
        return self._target().get_available_name(name, max_length=max_length)

    def delete(self, name):
        self._target().delete(name)

    def exists(self, name):
        return self._target().exists(name)

    def size(self, name):
        return self._target().size(name)

    def url(self, name):
        raise NotImplementedError("dossiers are downloaded through their view only")


def _dossier_upload(instance, filename):
    return f"dossiers/{instance.created_at:%Y/%m}/{filename}"


class DossierBuild(models.Model):
    """One background build; its state and progress are what the page polls."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        SUCCEEDED = "succeeded", "已生成"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "已清理"  # the ZIP removed after DOSSIER_RETENTION_DAYS (dossier_builds_purge)

    title = models.CharField("名称", max_length=200)
    # The applications, frozen when the build was asked for (the list's filter at that moment).
    application_ids = models.JSONField("项目申报", default=list)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    file = models.FileField("档案文件", upload_to=_dossier_upload, storage=DossierStorage(), blank=True)
    size = models.PositiveBigIntegerField("大小(字节)", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "档案导出"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "succeeded", "failed", "expired"]),
                name="dossierbuild_state_valid",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def file_name(self) -> str:
        return f"{self.title}.zip"
