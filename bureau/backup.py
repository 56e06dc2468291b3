"""One-file backups: the database (pg_dump custom format, or SQLite's backup API) and the media
directory in one tar archive, with a manifest of every table's row count (issue 22).

``manage.py backup`` writes one; ``manage.py restore`` puts one back into an empty database.
"""

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
from django.db import connections
from django.utils import timezone

DB_PG = "database.pgdump"
DB_SQLITE = "database.sqlite3"
MANIFEST = "manifest.json"


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


def backup(output: Path, alias: str = "default") -> dict:
    """Write the archive to ``output``; returns its manifest."""
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
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
        partial.replace(output)  # never a half-written archive under the final name
    return manifest


def restore(archive: Path, alias: str = "default", dbname: str | None = None, media_root: Path | None = None) -> dict:
    """Restore the archive into ``alias``'s database (or ``dbname`` on the same server), which should
    be empty, and its media into ``media_root`` (default MEDIA_ROOT). Returns the manifest."""
    connection = connections[alias]
    db = connection.settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
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
    return manifest
