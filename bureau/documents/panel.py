"""The documents panel of a record's detail page (templates/documents/panel.html)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from bureau.documents.forms import DocumentUploadForm
from bureau.documents.kinds import declared_kinds
from bureau.documents.selectors import document_panel
from bureau.documents.services import may_delete, may_restore_documents, may_upload
from bureau.documents.validation import ACCEPTED, file_size, max_bytes


def panel_context(obj: models.Model, user) -> dict:
    kinds = declared_kinds(obj)
    content_type = ContentType.objects.get_for_model(obj)
    can_upload = may_upload(user, obj)
    return {
        **document_panel(obj),
        "can_upload": can_upload,
        "can_delete": may_delete(user, obj),
        "can_restore": may_restore_documents(user),
        "upload_url": reverse("documents:upload", kwargs={"content_type_id": content_type.pk, "object_id": obj.pk}),
        "form": DocumentUploadForm(kinds=kinds, auto_id="doc_%s") if can_upload else None,
        "accept": ",".join(f".{ext}" for ext in ACCEPTED),
        "max_size": file_size(max_bytes()),
    }
