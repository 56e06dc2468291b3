"""The dossier ZIP: files in folders by kind, covers, and an index sheet (索引.xlsx) whose rows are
the ZIP's files. Names are Chinese, stored UTF-8 with the ZIP's language-encoding flag (bit 11) set,
so Windows' Explorer, 7-Zip and macOS show them right; file contents are copied from storage in
chunks, never held whole in memory."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from bureau.records.export import write_workbook

COVER_NAME = "封面.pdf"
INDEX_NAME = "索引.xlsx"
INDEX_HEADERS = ("序号", "文件（含文件夹）", "类别", "标题", "日期", "大小(字节)", "SHA-256", "所属记录")
UTF8_FLAG = 0x800
# Characters Windows refuses in a name, path separators and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
STORED_TYPES = {"jpg", "png", "zip", "docx", "xlsx"}  # already compressed


def safe_name(text: str, *, limit: int = 80) -> str:
    """A file or folder name from free text: no separators, control or reserved characters."""
    name = UNSAFE.sub("_", str(text)).strip().strip(".")
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        keep_ext = bool(dot) and 0 < len(ext) <= 5
        name = stem[: limit - len(ext) - 1] + "." + ext if keep_ext else name[:limit]
    return name or "未命名"


@dataclass
class Entry:
    """One file of the ZIP and its index row."""

    path: str
    kind: str
    title: str
    date: datetime.date | None
    record: str
    size: int = 0
    sha256: str = ""
    content: bytes | None = None  # a cover, made here
    version: Any = None  # a bureau.documents DocumentVersion, copied from storage
    file_type: str = field(default="")

    @classmethod
    def made(cls, *, path, kind, title, record, content: bytes, date=None) -> Entry:
        return cls(
            path=path,
            kind=kind,
            title=title,
            date=date,
            record=record,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            file_type="pdf",
        )


class Paths:
    """Hands out unique paths: a second 申报书.pdf in a folder becomes 申报书（2）.pdf."""

    def __init__(self):
        self.taken: set[str] = set()

    def unique(self, folder: str, name: str) -> str:
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, n = f"{folder}{name}", 1
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{folder}{stem}（{n}）{'.' + ext if ext else ''}"
        self.taken.add(candidate.lower())
        return candidate


def document_entries(documents: Iterable, *, folder: str, record: str, paths: Paths) -> list[Entry]:
    """Every current document of one record, in a sub-folder per kind."""
    entries = []
    for document in documents:
        version = document.current
        if version is None:
            continue
        kind = str(document.kind_label)
        entries.append(
            Entry(
                path=paths.unique(f"{folder}{safe_name(kind, limit=40)}/", safe_name(version.original_name, limit=120)),
                kind=kind,
                title=document.title,
                date=document.date,
                record=record,
                size=version.size,
                sha256=version.sha256,
                version=version,
                file_type=version.file_type,
            )
        )
    return entries


def index_sheet(entries: list[Entry]) -> bytes:
    """索引.xlsx: one row per file, written like every other .xlsx of the portal."""
    out = io.BytesIO()
    write_workbook(
        out,
        sheet_title="索引",
        headers=INDEX_HEADERS,
        rows=([n, e.path, e.kind, e.title, e.date, e.size, e.sha256, e.record] for n, e in enumerate(entries, 1)),
    )
    return out.getvalue()


def _info(path: str, *, compress: bool) -> zipfile.ZipInfo:
    now = timezone.localtime()
    info = zipfile.ZipInfo(path, date_time=(now.year, now.month, now.day, now.hour, now.minute, now.second))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.flag_bits |= UTF8_FLAG
    info.external_attr = 0o644 << 16
    return info


def write_zip(entries: list[Entry], out, *, progress: Callable[[int, int], None] | None = None) -> None:
    """The ZIP of ``entries`` and their index into the file object ``out``."""
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        for done, entry in enumerate(entries, 1):
            info = _info(entry.path, compress=entry.file_type not in STORED_TYPES)
            if entry.content is not None:
                archive.writestr(info, entry.content)
            else:
                with entry.version.open() as source, archive.open(info, "w", force_zip64=entry.size > 2**31) as target:
                    shutil.copyfileobj(source, target, 1 << 20)
            if progress:
                progress(done, len(entries))
        archive.writestr(_info(INDEX_NAME, compress=True), index_sheet(entries))
