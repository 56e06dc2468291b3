"""One-file backups: the database (pg_dump custom format, or SQLite's backup API), the media
directory and the attachments' contents in one tar archive, with a manifest of every table's row
count (issue 22).

``manage.py backup`` writes one; ``manage.py restore`` puts one back into an empty database.
Attachments are read from the documents storage (filesystem or S3 alike) under ``documents/`` by
their content address, each once; a restore writes back those the storage lacks, each checked
against its SHA-256 first. ``--without-documents`` leaves them out (a bucket replicated otherwise).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connections
from django.utils import timezone

DB_PG = "database.pgdump"
DB_SQLITE = "database.sqlite3"
MANIFEST = "manifest.json"
DOCUMENTS = "documents/"  # the attachments' contents, by storage name (ab/cd/<sha256>)
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGCONNECT_TIMEOUT"] = str(settings.DATABASE_CONNECT_TIMEOUT)
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败：{result.stderr.strip()[-2000:]}")


def row_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _add_json(tar: tarfile.TarFile, name: str, value) -> None:
    data = json.dumps(value, ensure_ascii=False, indent=1).encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _contents() -> list[tuple[str, str, int]]:
    """(storage name, SHA-256, size) of every content an attachment version points at, once each."""
    from bureau.documents.models import DocumentVersion, storage_name

    rows = DocumentVersion.objects.order_by("sha256").values_list("sha256", "size").distinct()
    return [(storage_name(sha), sha, size) for sha, size in rows]


def _add_documents(tar: tarfile.TarFile) -> dict:
    """Copy every attachment content into ``tar``; the ones the storage lacks are listed, not fatal."""
    from bureau.documents.storage import documents_storage

    storage = documents_storage()
    written, total, missing = 0, 0, []
    for name, _sha, size in _contents():
        if not storage.exists(name) or storage.size(name) != size:
            missing.append(name)
            continue
        info = tarfile.TarInfo(DOCUMENTS + name)
        info.size = size
        with storage.open(name, "rb") as f:
            tar.addfile(info, f)
        written += 1
        total += size
    return {"count": written, "bytes": total, "missing": missing}


def restore_documents(archive: Path) -> dict:
    """The documents part of ``restore`` alone (the database and media left as they are): for a
    storage that lost files, or one restored apart."""
    with tarfile.open(archive) as tar:
        return _restore_documents(tar)


def _restore_documents(tar: tarfile.TarFile) -> dict:
    """Write back the archive's attachment contents the documents storage lacks, each only when its
    bytes hash to its name; a damaged one is listed and left out."""
    from bureau.documents.models import storage_name
    from bureau.documents.storage import documents_storage

    storage = documents_storage()
    restored, present, damaged = 0, 0, []
    for member in tar:
        if not member.isfile() or not member.name.startswith(DOCUMENTS):
            continue
        name = member.name[len(DOCUMENTS) :]
        sha = name.rsplit("/", 1)[-1]
        if storage_name(sha) != name or len(sha) != 64:
            damaged.append(member.name)
            continue
        if storage.exists(name):
            present += 1
            continue
        source = tar.extractfile(member)
        with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as copy:
            digest = hashlib.sha256()
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
            if digest.hexdigest() != sha:
                damaged.append(member.name)
                continue
            copy.seek(0)
            if storage.save(name, File(copy, name=sha)) != name:
                raise BackupError(f"附件存储把 {name} 存成了别的名字，内容寻址被破坏。")
        restored += 1
    return {"restored": restored, "present": present, "damaged": damaged}


def backup(output: Path, alias: str = "default", *, documents: bool = True) -> dict:
    """Write the archive to ``output`` (with the attachments' contents unless ``documents`` is
    False); returns its manifest."""
    connection = connections[alias]
    db = connection.settings_dict
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "postgresql":
            dump = Path(tmp) / DB_PG
            args, env = _pg_env(db)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args, db["NAME"]], env)
        elif connection.vendor == "sqlite":
            dump = Path(tmp) / DB_SQLITE
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        manifest = {
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": dump.name,
            "row_counts": row_counts(alias),
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w") as tar:
            _add_json(tar, MANIFEST, manifest)
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
            # Last: the manifest at the front says what the database holds; this part, what was found.
            manifest["documents"] = _add_documents(tar) if documents else None
            _add_json(tar, "documents.json", manifest["documents"])
        partial.replace(output)  # never a half-written archive under the final name
    return manifest


def restore(
    archive: Path,
    alias: str = "default",
    dbname: str | None = None,
    media_root: Path | None = None,
    *,
    documents: bool = True,
) -> dict:
    """Restore the archive into ``alias``'s database (or ``dbname`` on the same server), which should
    be empty, its media into ``media_root`` (default MEDIA_ROOT) and, unless ``documents`` is False,
    the attachments' contents the documents storage lacks. Returns the manifest, with what the
    documents part did under ``documents_restored``."""
    connection = connections[alias]
    db = connection.settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive) as tar:
        rest = [m for m in tar.getmembers() if not m.name.startswith(DOCUMENTS)]
        tar.extractall(tmp, members=rest, filter="data")
        manifest = json.loads((Path(tmp) / MANIFEST).read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {connection.vendor}。")
        dump = Path(tmp) / manifest["database"]
        if connection.vendor == "postgresql":
            args, env = _pg_env(db)
            _run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", *args,
                 "--dbname", dbname or db["NAME"], str(dump)],
                env,
            )  # fmt: skip
        else:
            connection.close()
            source = sqlite3.connect(dump)
            target = sqlite3.connect(dbname or db["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        media = Path(tmp) / "media"
        if media.is_dir():
            shutil.copytree(media, media_root, dirs_exist_ok=True)
        manifest["documents_restored"] = _restore_documents(tar) if documents else None
    return manifest
