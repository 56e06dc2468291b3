"""The document kinds a record type declares (``Record.document_kinds``), looked up by model."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


def declared_kinds(model: type[models.Model] | models.Model) -> tuple[tuple[str, str], ...]:
    """``(("proposal", "申报书"), …)`` of the record type of ``model``; empty when it has none."""
    from bureau.registry import registry

    record = registry["records"].get(model._meta.label_lower)
    return tuple(getattr(record, "document_kinds", ()) or ()) if record else ()


def kind_label(content_type: ContentType, kind: str) -> str:
    model = content_type.model_class()
    if model is None:
        return kind
    return dict(declared_kinds(model)).get(kind, kind)


def kind_order(model: type[models.Model] | models.Model) -> dict[str, int]:
    return {code: i for i, (code, _label) in enumerate(declared_kinds(model))}
