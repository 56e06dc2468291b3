from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Attachments (附件) of every record type: a record declaration names its kinds
    (``Record.document_kinds``), the generic detail page shows the panel, files are checked by
    content and kept content-addressed in the ``documents`` storage. Imports no app."""

    name = "bureau.documents"
    label = "documents"
    verbose_name = "附件"
