"""Attachments: a Document (what it is: kind, title, date, on which record) and its versions (the
files). Replacing a file adds a version and keeps the old ones; deleting marks the document deleted
(restorable). The bytes live in the ``documents`` storage under their SHA-256, so one content is
stored once however often it is uploaded; URLs carry random tokens, never record ids."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


def storage_name(sha256: str) -> str:
    """Where a content lives in the documents storage: ``ab/cd/abcd…`` (no name, no extension)."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class Document(models.Model):
    token = models.UUIDField("访问令牌", default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, verbose_name="记录类型", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField("记录编号")
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("标题", max_length=200)
    date = models.DateField("文件日期", null=True, blank=True)
    current = models.ForeignKey(
        "DocumentVersion",
        verbose_name="当前版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="document_record_idx"),
            models.Index(
                fields=["content_type", "object_id"],
                condition=Q(deleted_at__isnull=True),
                name="document_record_live_idx",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def kind_label(self) -> str:
        """The Chinese name of ``kind`` as the record's declaration names it (the code if undeclared)."""
        from bureau.documents.kinds import kind_label

        return kind_label(self.content_type, self.kind)


class DocumentVersion(models.Model):
    token = models.UUIDField("访问令牌", default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, verbose_name="附件", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=100)
    file_type = models.CharField("格式", max_length=10)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件版本"
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self):
        return f"{self.original_name}（第{self.number}版）"

    @property
    def storage_name(self) -> str:
        return storage_name(self.sha256)

    @property
    def previewable(self) -> bool:
        return self.file_type in ("pdf", "jpg", "png")

    @property
    def is_image(self) -> bool:
        return self.file_type in ("jpg", "png")

    def open(self):
        """The stored bytes, opened for reading (a Django ``File``; close it, or use ``with``)."""
        from bureau.documents.storage import documents_storage

        return documents_storage().open(self.storage_name, "rb")
