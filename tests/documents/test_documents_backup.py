"""The attachments' contents travel in the backup archive (issue 22's backup, issue 18's files).

Marked ``s3``: .ci/run runs this module a second time against a real S3 gateway (SeaweedFS)."""

from __future__ import annotations

import hashlib
import io
import tarfile

import pytest

from bureau.backup import DOCUMENTS, backup, restore_documents
from bureau.documents.models import storage_name
from bureau.documents.services import documents_upload
from bureau.documents.storage import documents_storage
from tests.documents import files
from tests.programs.factories import ApplicationFactory

# transaction=True: the database part of the backup reads committed rows (SQLite waits on an open write)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.s3]


def _upload(actor, record, *uploads):
    return documents_upload(actor=actor, record=record, kind="other", files=list(uploads))


def _members(archive) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.name.startswith(DOCUMENTS)}


def test_a_backup_carries_each_content_once_and_a_restore_writes_back_what_the_storage_lost(staff, tmp_path):
    first, second = files.pdf("立项通知"), files.pdf("任务书")
    app = ApplicationFactory()
    _upload(staff, app, files.upload("立项通知.pdf", first), files.upload("任务书.pdf", second))
    _upload(staff, ApplicationFactory(), files.upload("立项通知(副本).pdf", first))  # the same bytes again
    archive = tmp_path / "bureau.tar"
    manifest = backup(archive)
    names = {DOCUMENTS + storage_name(hashlib.sha256(data).hexdigest()): data for data in (first, second)}
    assert _members(archive) == names
    assert manifest["documents"] == {"count": 2, "bytes": len(first) + len(second), "missing": []}

    storage = documents_storage()
    lost = storage_name(hashlib.sha256(second).hexdigest())
    storage.delete(lost)
    assert restore_documents(archive) == {"restored": 1, "present": 1, "damaged": []}
    with storage.open(lost, "rb") as f:
        assert f.read() == second
    assert restore_documents(archive) == {"restored": 0, "present": 2, "damaged": []}  # nothing twice


def test_a_file_missing_from_storage_is_named_by_the_backup_and_a_damaged_one_is_not_restored(staff, tmp_path):
    kept, gone = files.pdf("保留"), files.pdf("丢失")
    _upload(staff, ApplicationFactory(), files.upload("保留.pdf", kept), files.upload("丢失.pdf", gone))
    storage = documents_storage()
    gone_name = storage_name(hashlib.sha256(gone).hexdigest())
    storage.delete(gone_name)
    manifest = backup(tmp_path / "bureau.tar")
    assert manifest["documents"]["missing"] == [gone_name]
    assert list(_members(tmp_path / "bureau.tar")) == [DOCUMENTS + storage_name(hashlib.sha256(kept).hexdigest())]

    # An archive whose bytes do not hash to their name (damaged, or forged) writes nothing back.
    forged = tmp_path / "forged.tar"
    with tarfile.open(forged, "w") as tar:
        for name, data in ((gone_name, b"not the file"), ("../../etc/passwd", b"x")):
            info = tarfile.TarInfo(DOCUMENTS + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = restore_documents(forged)
    assert result["restored"] == 0 and len(result["damaged"]) == 2
    assert not storage.exists(gone_name)


def test_without_documents_the_archive_holds_none(staff, tmp_path):
    _upload(staff, ApplicationFactory(), files.upload("立项通知.pdf", files.pdf()))
    manifest = backup(tmp_path / "bureau.tar", documents=False)
    assert manifest["documents"] is None and _members(tmp_path / "bureau.tar") == {}


def test_the_backup_command_says_how_many_attachments_it_carried(staff, tmp_path):
    from django.core.management import call_command

    data = files.pdf()
    _upload(staff, ApplicationFactory(), files.upload("立项通知.pdf", data))
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "a.tar"), stdout=out)
    assert f"附件 1 个，{len(data)} 字节" in out.getvalue()
    call_command("backup", "--output", str(tmp_path / "b.tar"), "--without-documents", stdout=(out := io.StringIO()))
    assert "不含附件" in out.getvalue()
