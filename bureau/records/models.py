"""The base every record type shares: timestamps, change history, canonical URLs, money."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class MoneyField(models.DecimalField):
    """An amount in 万元, exact to the yuan (4 decimal places); never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_digits") == 14:
            del kwargs["max_digits"]
        if kwargs.get("decimal_places") == 4:
            del kwargs["decimal_places"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        return super().formfield(**kwargs)


class RecordModel(models.Model):
    """Abstract base: every concrete record gets timestamps and a django-simple-history table."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        from bureau.records.urls import record_url

        return record_url(self)


class ImportJob(models.Model):
    """One uploaded Excel ledger: stored server-side between preview and confirmation, with the
    progress of a large import run by Celery and the preview/result shown to its user."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        VALIDATING = "validating", "校验中"
        PREVIEW = "preview", "待确认导入"
        INVALID = "invalid", "有错误"
        COMMITTING = "committing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "失败"
        DISCARDED = "discarded", "已放弃"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ledger = models.CharField("台账", max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField("文件名", max_length=200)
    stored_file = models.CharField("服务器上的文件", max_length=255)
    size = models.PositiveBigIntegerField("文件大小(字节)", default=0)
    rows_estimate = models.PositiveIntegerField("估计行数", default=0)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField("当前步骤", max_length=50, blank=True)
    progress_done = models.PositiveIntegerField("已处理行数", default=0)
    progress_total = models.PositiveIntegerField("总行数", default=0)
    result = models.JSONField("预览与结果", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "Excel导入任务"
        verbose_name_plural = "Excel导入任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.VALIDATING, self.Status.COMMITTING)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))
