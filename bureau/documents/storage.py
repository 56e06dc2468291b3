"""The ``documents`` storage (settings.STORAGES): the filesystem outside any public URL by default,
an S3 bucket (django-storages) when DOCUMENTS_S3_ENDPOINT is set. Names are SHA-256 paths, so the
same bytes uploaded twice are written once."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages


def documents_storage() -> Storage:
    return storages["documents"]


def is_filesystem(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def ensure_bucket(storage: Storage | None = None) -> bool:
    """Create the S3 bucket of the documents storage if it is missing; True when it was created.
    The filesystem storage needs nothing (its directory is made on the first write)."""
    storage = storage or documents_storage()
    if is_filesystem(storage):
        return False
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
        return False
    except ClientError:
        client.create_bucket(Bucket=storage.bucket_name)
        return True


def storage_probe(storage: Storage | None = None) -> str:
    """Write, read back and delete a small object; return a description of the storage."""
    from django.core.files.base import ContentFile

    storage = storage or documents_storage()
    name = storage.save("probe/documents-storage-check", ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as f:
            if f.read() != b"ok":
                raise OSError("附件存储读回的内容不一致。")
    finally:
        storage.delete(name)
    if is_filesystem(storage):
        return f"文件系统 {storage.location}"
    return f"S3 {storage.endpoint_url} 存储桶 {storage.bucket_name}"
