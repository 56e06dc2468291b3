"""The ``documents`` storage (settings.STORAGES): the filesystem outside any public URL by default,
an S3 bucket (django-storages) when DOCUMENTS_S3_ENDPOINT is set. Names are SHA-256 paths, so the
same bytes uploaded twice are written once."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages


def documents_storage() -> Storage:
    return storages["documents"]


def is_filesystem(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)
