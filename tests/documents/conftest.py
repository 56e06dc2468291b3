import pytest

from bureau.documents.storage import documents_storage


def stored_files(storage=None, path: str = "") -> list[str]:
    """Every name in the documents storage (this test's own directory or S3 prefix)."""
    storage = storage or documents_storage()
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{name}" for name in files]
    for directory in dirs:
        names += stored_files(storage, f"{path}{directory}/")
    return names


@pytest.fixture(scope="session", autouse=True)
def _s3_bucket():
    """In the S3 run (DOCUMENTS_S3_ENDPOINT set), make sure the bucket exists."""
    from django.conf import settings

    from bureau.documents.storage import ensure_bucket

    if settings.DOCUMENTS_S3_ENDPOINT:
        ensure_bucket()
