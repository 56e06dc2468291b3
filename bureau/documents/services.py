"""Every write to attachments: upload (several files at once), replace, delete, restore.

Rights are checked here, once (bureau.permissions): uploading, replacing and deleting need the
``documents`` right of that act *and* the right to change the record (so 局领导, who change nothing,
never upload or delete); restoring a deleted attachment is for 股室负责人 and 管理员
(``bureau.services.may_restore``). Every file is checked by content first (validation.py): if one file of
a batch is refused, none is stored and each refusal is reported.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from bureau.audit.models import AuditKind
from bureau.audit.services import audit_log
from bureau.documents.kinds import declared_kinds
from bureau.documents.models import Document, DocumentVersion, storage_name
from bureau.documents.selectors import version_for_download
from bureau.documents.storage import documents_storage
from bureau.documents.validation import CheckedFile, check_upload
from bureau.permissions import Actor, has_permission, permission_message
from bureau.services import may_restore


def _may(actor: Actor, record: models.Model | None, action: str) -> bool:
    return record is not None and has_permission(actor, Document, action) and has_permission(actor, record, "change")


def may_upload(actor: Actor, record: models.Model | None) -> bool:
    """Upload and replace: staff (科员), 股室负责人 and 管理员 on records they may change; never 局领导."""
    return _may(actor, record, "add")


def may_delete(actor: Actor, record: models.Model | None) -> bool:
    return _may(actor, record, "delete")


def may_restore_documents(actor: Actor) -> bool:
    return may_restore(actor, Document)


def _of(record: models.Model | None) -> str:
    """ "项目申报「…」：" for an audit event's detail (the record the file belongs to)."""
    return f"{record._meta.verbose_name}「{record}」：" if record is not None else ""


def _require(allowed: bool, action: str, doing: str) -> None:
    if not allowed:
        raise PermissionDenied(permission_message(Document, action, doing=doing))


def store(upload, checked: CheckedFile) -> str:
    """Write the bytes under their SHA-256 unless that content is already there (stored once)."""
    storage = documents_storage()
    name = storage_name(checked.sha256)
    if not storage.exists(name):
        upload.seek(0)
        saved = storage.save(name, upload)
        if saved != name:  # a storage that renames would break content addressing
            raise RuntimeError(f"documents storage saved {name!r} as {saved!r}")
    return name


def _check_all(files: Sequence) -> list[tuple[object, CheckedFile]]:
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _new_version(*, actor: Actor, document: Document, upload, checked: CheckedFile, number: int) -> DocumentVersion:
    store(upload, checked)
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        file_type=checked.file_type,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    version.full_clean(exclude=["document"])
    version.save()
    document.current = version
    document.save(update_fields=["current"])
    return version


@transaction.atomic
def documents_upload(
    *,
    actor: Actor,
    record: models.Model,
    kind: str,
    files: Sequence,
    title: str = "",
    date: datetime.date | None = None,
) -> list[Document]:
    """Attach ``files`` (Django ``UploadedFile``s) to ``record`` as documents of ``kind``.

    The title defaults to each file's name without its extension. All or nothing: one refused
    file refuses the batch, with one Chinese message per refused file.
    """
    _require(may_upload(actor, record), "add", doing=f"为{record._meta.verbose_name}上传附件")
    kinds = dict(declared_kinds(record))
    if not kinds:
        raise ValidationError(f"{record._meta.verbose_name}没有附件类别，不能上传附件。")
    if kind not in kinds:
        raise ValidationError("请选择附件类别。")
    if not files:
        raise ValidationError("请选择要上传的文件。")
    title = (title or "").strip()
    content_type = ContentType.objects.get_for_model(record)
    documents = []
    for upload, checked in _check_all(files):
        document = Document(
            content_type=content_type,
            object_id=record.pk,
            kind=kind,
            title=(title or checked.name.rsplit(".", 1)[0])[:200],
            date=date,
            created_by=actor,
        )
        document.full_clean(exclude=["current"])
        document.save()
        version = _new_version(actor=actor, document=document, upload=upload, checked=checked, number=1)
        audit_log(
            AuditKind.UPLOAD,
            actor=actor,
            target=document,
            detail=f"{_of(record)}上传附件「{document.title}」（{kinds[kind]}，{version.original_name}，{version.size}字节）",
        )
        documents.append(document)
    return documents


@transaction.atomic
def document_replace(*, actor: Actor, document: Document, file) -> DocumentVersion:
    """A new current version of ``document``; the earlier versions stay listed and downloadable."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require(may_upload(actor, document.record), "add", doing="替换附件")
    if document.is_deleted:
        raise ValidationError("该附件已删除，请先恢复再替换。")
    ((upload, checked),) = _check_all([file])
    last = document.versions.aggregate(models.Max("number"))["number__max"] or 0
    version = _new_version(actor=actor, document=document, upload=upload, checked=checked, number=last + 1)
    audit_log(
        AuditKind.UPLOAD,
        actor=actor,
        target=document,
        detail=f"{_of(document.record)}替换附件「{document.title}」为第{version.number}版"
        f"（{version.original_name}，{version.size}字节）",
    )
    return version


def document_version_fetch(*, actor: Actor, token, inline: bool = False) -> DocumentVersion:
    """The version whose bytes ``actor`` is about to receive (rights checked by the selector), with
    an audit event: who read which file of which record, viewed inline or downloaded."""
    version = version_for_download(actor=actor, token=token)
    document = version.document
    how = "在线查看" if inline and version.previewable else "下载"
    audit_log(
        AuditKind.DOWNLOAD,
        actor=actor,
        target=document,
        detail=f"{_of(document.record)}{how}附件「{document.title}」第{version.number}版（{version.original_name}）",
    )
    return version


@transaction.atomic
def document_delete(*, actor: Actor, document: Document) -> Document:
    """Mark ``document`` deleted: it leaves the list and dossiers, its versions stay (restorable)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require(may_delete(actor, document.record), "delete", doing="删除附件")
    if document.is_deleted:
        raise ValidationError("该附件已删除。")
    document.deleted_at = timezone.now()
    document.deleted_by = actor
    document.save(update_fields=["deleted_at", "deleted_by"])
    audit_log(AuditKind.DELETE, actor=actor, target=document, detail=f"删除附件「{document.title}」")
    return document


@transaction.atomic
def document_restore(*, actor: Actor, document: Document) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not may_restore_documents(actor):
        raise PermissionDenied("只有股室负责人、管理员可以恢复已删除的附件。")
    if not document.is_deleted:
        raise ValidationError("该附件没有被删除。")
    document.deleted_at = None
    document.deleted_by = None
    document.save(update_fields=["deleted_at", "deleted_by"])
    audit_log(AuditKind.RESTORE, actor=actor, target=document, detail=f"恢复附件「{document.title}」")
    return document
