"""Reads of attachments, each a fixed number of queries whatever the number of files.

The stable API other parts build on (the dossier export, the enterprise file):
- ``documents_for(obj)``: the record's current documents (not deleted), in the order of the declared
  kinds, each with ``kind``, ``kind_label``, ``title``, ``date`` and ``current`` (a DocumentVersion:
  ``original_name``, ``size``, ``content_type``, ``file_type``, ``sha256``, ``uploaded_by``,
  ``uploaded_at``, ``open()`` → the bytes as a file to read and close).
- ``documents_for_objects(objs)``: the same for many records in one query, keyed by record.
- ``version_for_download(actor=, token=)``: a version by its URL token, if ``actor`` may view the record.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import Http404

from bureau.documents.kinds import kind_order
from bureau.documents.models import Document, DocumentVersion
from bureau.permissions import Actor, has_permission, permission_message


def _sorted(documents: list[Document], model) -> list[Document]:
    order = kind_order(model)
    return sorted(
        documents,
        key=lambda d: (order.get(d.kind, len(order)), d.date is None, d.date or 0, d.created_at, d.pk),
    )


def _live(queryset):
    return queryset.filter(deleted_at__isnull=True).select_related("content_type", "current__uploaded_by")


def documents_for(obj: models.Model) -> list[Document]:
    """The current documents of ``obj`` (one query)."""
    content_type = ContentType.objects.get_for_model(obj)
    documents = list(_live(Document.objects.filter(content_type=content_type, object_id=obj.pk)))
    return _sorted(documents, obj)


def documents_for_objects(objs: Iterable[models.Model]) -> dict[models.Model, list[Document]]:
    """``{record: [documents…]}`` for many records (one query per record type)."""
    by_model: dict[type, list[models.Model]] = defaultdict(list)
    for obj in objs:
        by_model[type(obj)].append(obj)
    result: dict[models.Model, list[Document]] = {}
    for model, records in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        found: dict[int, list[Document]] = defaultdict(list)
        queryset = Document.objects.filter(content_type=content_type, object_id__in=[r.pk for r in records])
        for document in _live(queryset):
            found[document.object_id].append(document)
        for record in records:
            result[record] = _sorted(found.get(record.pk, []), model)
    return result


def document_panel(obj: models.Model) -> dict:
    """The detail page's panel: current documents with every version, and the deleted ones (two queries)."""
    content_type = ContentType.objects.get_for_model(obj)
    queryset = (
        Document.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("content_type", "current__uploaded_by", "deleted_by")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
        )
    )
    documents = _sorted(list(queryset), obj)
    return {
        "documents": [d for d in documents if not d.is_deleted],
        "deleted_documents": [d for d in documents if d.is_deleted],
    }


def _require_view(actor: Actor, document: Document) -> None:
    model = document.content_type.model_class()
    if model is None or not has_permission(actor, model, "view"):
        raise PermissionDenied(
            permission_message(model, "view", doing="查看该附件") if model else "没有权限查看该附件。"
        )


def _parse(token) -> uuid.UUID:
    try:
        return uuid.UUID(str(token))
    except ValueError:
        raise Http404("附件不存在。") from None


def version_for_download(*, actor: Actor, token) -> DocumentVersion:
    """The version whose URL token is ``token``, if ``actor`` may view its record (else 403/404)."""
    version = DocumentVersion.objects.select_related("document__content_type").filter(token=_parse(token)).first()
    if version is None:
        raise Http404("附件不存在。")
    _require_view(actor, version.document)
    return version


def document_by_token(*, actor: Actor, token) -> Document:
    """A document by its URL token, if ``actor`` may view its record; for the write views."""
    document = Document.objects.select_related("content_type").filter(token=_parse(token)).first()
    if document is None:
        raise Http404("附件不存在。")
    _require_view(actor, document)
    return document
